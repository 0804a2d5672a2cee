"""The one conversion between the store's offsets (code points) and Qt's (UTF-16 code units).

Python indexes a string by code point; Qt counts UTF-16 code units, in which every character
above U+FFFF (most emoji, flags are two of them) takes two units. The two agree until the first
such "astral" character and drift apart by one after each. Canonical text is LF-only, so a
QTextDocument position is exactly the UTF-16 offset into the text (each "\\n" is one position,
the block separator); nothing else needs converting.

DESIGN.md asks for one tested function at the widget boundary: this is it. Nothing else in the
project counts UTF-16 units by hand (SpanIndex reuses ``astral_code_points`` in bulk).
"""

import re
from bisect import bisect_left

# One C-speed scan finds the astral characters; a Python loop over 1 MB takes ~30 ms.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class OffsetMap:
    """Converts positions of one text in O(log n), after one O(n) scan for astral characters.

    Built once per article (the text never changes), so the scan is paid when the article is
    opened and every conversion afterwards is a binary search over the few astral characters.
    """

    __slots__ = ("_astral_cp", "_astral_u16", "_length", "_utf16_length")

    def __init__(self, text: str) -> None:
        # Pure ASCII needs no scan at all; without astral characters the map is the identity.
        astral = [] if text.isascii() else [m.start() for m in _ASTRAL.finditer(text)]
        self._astral_cp: tuple[int, ...] = tuple(astral)
        # The UTF-16 start of the k-th astral character: k astral characters precede it.
        self._astral_u16: tuple[int, ...] = tuple(cp + k for k, cp in enumerate(astral))
        self._length = len(text)
        self._utf16_length = len(text) + len(astral)

    @property
    def length(self) -> int:
        """Length of the text in code points (the store's unit)."""
        return self._length

    @property
    def utf16_length(self) -> int:
        """Length of the text in UTF-16 code units (Qt's unit)."""
        return self._utf16_length

    @property
    def is_identity(self) -> bool:
        """True when the text has no astral character, so both units agree everywhere."""
        return not self._astral_cp

    @property
    def astral_code_points(self) -> tuple[int, ...]:
        """Code-point positions of the astral characters, ascending. For bulk conversions
        that cannot afford a method call per position (SpanIndex): ``to_utf16(cp)`` is
        ``cp + bisect_left(astral_code_points, cp)``."""
        return self._astral_cp

    def to_utf16(self, cp: int) -> int:
        """The UTF-16 position of code-point position ``cp`` (0 ≤ cp ≤ length)."""
        if not 0 <= cp <= self._length:
            raise ValueError(f"Position {cp} lies outside the text (0..{self._length}).")
        if not self._astral_cp:
            return cp
        # Every astral character strictly before cp adds one extra unit.
        return cp + bisect_left(self._astral_cp, cp)

    def to_code_point(self, u16: int) -> int:
        """The code-point position of UTF-16 position ``u16`` (0 ≤ u16 ≤ utf16_length).

        A position between the two halves of a surrogate pair (Qt can report one, e.g. from a
        click) rounds down to the start of that character, so a span never splits a character.
        """
        if not 0 <= u16 <= self._utf16_length:
            raise ValueError(f"Position {u16} lies outside the text (0..{self._utf16_length}).")
        if not self._astral_cp:
            return u16
        before = bisect_left(self._astral_u16, u16)  # astral characters starting before u16
        if before and self._astral_u16[before - 1] == u16 - 1:
            return self._astral_cp[before - 1]  # inside that character's surrogate pair
        return u16 - before
