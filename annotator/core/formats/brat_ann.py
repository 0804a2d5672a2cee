"""Reading brat standoff (``.ann``) files: pure parsing, no store.

The lines brat writes (https://brat.nlplab.org/standoff.html):

- ``T1<TAB>Type 0 5;9 14<TAB>text``: a text-bound annotation; ``;`` separates the fragments of
  a discontinuous span, whose texts the third field joins with one space;
- ``R1<TAB>Type Arg1:T1 Arg2:T2``: a relation; ``E1<TAB>Type:T3 Role:T1 ...``: an event with
  its trigger and arguments;
- ``A1<TAB>Name T1 [Value]`` (``M1`` in old files): an attribute of an annotation;
- ``N1`` normalisations, ``*`` equivalences: counted, not imported;
- ``#1<TAB>AnnotatorNotes T1<TAB>text``: a note on an annotation. A note made only of
  ``speaker=NAME``, ``issues=A | B``, ``issue=NAME`` and ``fragments=0 11;15 20`` parts,
  joined by ``; ``, is a code note (as annotator's own brat export writes them), read as
  such and not as a note. It names codes exactly: a line break, another control character,
  a backslash, ``|`` or ``;`` in a name is written as a backslash, ``u`` and four hex digits
  (``escape_name``). And it gives an annotation's fragments where its spans, which brat cuts
  at every line break, cannot tell them: a fragment that starts or ends at a line break, or
  two fragments apart by one.

Offsets count code points of the .txt as brat read it: before any line-end conversion, and
with a UTF-8 byte-order mark counted as a character. ``canonical_offsets`` carries them over to
the canonical text.
"""

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from annotator.core.errors import ValidationError

_IGNORED_PREFIXES = {"N": "normalisation", "*": "equivalence"}
_CODE_NOTE_KEYS = frozenset({"speaker", "issues", "issue", "fragments"})
#: Every character at which brat (and str.splitlines) ends a line, hence splits a selection.
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
LINE_BREAK = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
#: What a name in a code note cannot hold as it is: line breaks and other control characters
#: would end or garble the line; ``\`` starts an escape; ``|`` and ``;`` separate the parts.
_UNSAFE_IN_NAMES = re.compile("[\\\\|;\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def escape_name(name: str) -> str:
    """``name`` fit for a code note: each unsafe character as ``\\uXXXX``."""
    return _UNSAFE_IN_NAMES.sub(lambda m: f"\\u{ord(m[0]):04x}", name)


def unescape_name(written: str) -> str:
    """The name ``escape_name`` wrote (a name exported before escaping reads as it was,
    unless it held a backslash followed by ``u`` and four hex digits)."""
    return _ESCAPE.sub(lambda m: chr(int(m[1], 16)), written)


def split_at_line_breaks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The non-empty pieces of ``text[start:end]`` between line breaks, as offsets: what
    brat makes of a selection."""
    spans = []
    position = start
    for match in LINE_BREAK.finditer(text, start, end):
        if match.start() > position:
            spans.append((position, match.start()))
        position = match.end()
    if end > position:
        spans.append((position, end))
    return spans


def joined_at_line_breaks(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pieces apart only by line breaks become one, since brat cut them, not the coder: the
    best guess at an annotation's fragments without a ``fragments=`` note. A piece left
    empty by canonicalisation (a lone CR of a CRLF) is dropped."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[0] < s[1]):
        if joined and joined[-1][1] <= start and set(text[joined[-1][1] : start]) <= LINE_BREAKS:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def format_offsets(spans: Iterable[tuple[int, int]]) -> str:
    """``0 5;9 14``, as brat writes a T line's offsets."""
    return ";".join(f"{start} {end}" for start, end in spans)


def parse_offsets(offsets: str) -> tuple[tuple[int, int], ...]:
    """The spans of ``format_offsets``; ValueError names a part that is not two numbers."""
    spans = []
    for part in offsets.split(";"):
        bounds = part.split()
        if len(bounds) != 2 or not (bounds[0].isdigit() and bounds[1].isdigit()):
            raise ValueError(f"offsets {part.strip()!r} are not two whole numbers")
        spans.append((int(bounds[0]), int(bounds[1])))
    return tuple(spans)


@dataclass(frozen=True, slots=True)
class BratEntity:
    """A ``T`` line."""

    id: str
    type: str
    spans: tuple[tuple[int, int], ...]
    text: str | None  # None when the line has no third field
    line: int


@dataclass(frozen=True, slots=True)
class BratLink:
    """An ``R`` or ``E`` line: the annotations it joins (an event's trigger included)."""

    id: str
    type: str
    members: tuple[str, ...]
    line: int


@dataclass(frozen=True, slots=True)
class BratAttribute:
    name: str
    target: str
    value: str  # "" for a binary attribute
    line: int


@dataclass(frozen=True, slots=True)
class BratNote:
    target: str
    text: str
    line: int

    @property
    def codes(self) -> dict[str, str] | None:
        """``{"speaker": ..., "issues": ..., "issue": ...}`` if this is a code note."""
        parts = [part.partition("=") for part in self.text.split("; ")]
        if not all(eq and key in _CODE_NOTE_KEYS and value.strip() for key, eq, value in parts):
            return None
        return {key: value.strip() for key, _, value in parts}


@dataclass(frozen=True, slots=True)
class BratDocument:
    entities: tuple[BratEntity, ...] = ()
    links: tuple[BratLink, ...] = ()
    notes: tuple[BratNote, ...] = ()
    attributes: tuple[BratAttribute, ...] = ()
    ignored: Counter[str] = field(default_factory=Counter)  # line kinds with no place here
    problems: tuple[str, ...] = ()  # lines that could not be read, one message each


def parse_ann(text: str) -> BratDocument:
    """Every line of an .ann file; a line that cannot be read becomes a problem, not an
    error, so the rest of the file still imports."""
    entities: list[BratEntity] = []
    links: list[BratLink] = []
    notes: list[BratNote] = []
    attributes: list[BratAttribute] = []
    ignored: Counter[str] = Counter()
    problems: list[str] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.removesuffix("\r")
        if not line.strip():
            continue
        ident, _, rest = line.partition("\t")
        try:
            if ident.startswith("T"):
                entities.append(_entity(ident, rest, number))
            elif ident.startswith("R"):
                links.append(_relation(ident, rest, number))
            elif ident.startswith("E"):
                links.append(_event(ident, rest, number))
            elif ident.startswith("#"):
                note = _note(rest, number)
                if note is None:
                    ignored["note of another kind"] += 1
                else:
                    notes.append(note)
            elif ident[:1] in ("A", "M"):
                attributes.append(_attribute(rest, number))
            elif ident[:1] in _IGNORED_PREFIXES:
                ignored[_IGNORED_PREFIXES[ident[:1]]] += 1
            else:
                raise ValueError("not a brat annotation line")
        except ValueError as exc:
            problems.append(f"line {number}: {exc}: {_clip(line)!r}")
    return BratDocument(
        tuple(entities), tuple(links), tuple(notes), tuple(attributes), ignored, tuple(problems)
    )


def _entity(ident: str, rest: str, number: int) -> BratEntity:
    head, tab, text = rest.partition("\t")
    kind, _, offsets = head.partition(" ")
    if not kind or not offsets:
        raise ValueError("a T line needs a type and offsets")
    return BratEntity(ident, kind, parse_offsets(offsets), text if tab else None, number)


def _relation(ident: str, rest: str, number: int) -> BratLink:
    kind, *args = rest.split()
    members = tuple(arg.partition(":")[2] for arg in args)
    if not args or not all(members):
        raise ValueError("a relation needs arguments of the form Role:T1")
    return BratLink(ident, kind, members, number)


def _event(ident: str, rest: str, number: int) -> BratLink:
    trigger, *args = rest.split() or [""]
    kind, _, trigger_id = trigger.partition(":")
    members = (trigger_id, *(arg.partition(":")[2] for arg in args))
    if not kind or not all(members):
        raise ValueError("an event needs Type:Trigger and arguments of the form Role:T1")
    return BratLink(ident, kind, members, number)


def _attribute(rest: str, number: int) -> BratAttribute:
    parts = rest.split()
    if not 2 <= len(parts) <= 3:
        raise ValueError("an attribute is a name, the id it is about and at most one value")
    return BratAttribute(parts[0], parts[1], parts[2] if len(parts) == 3 else "", number)


def _note(rest: str, number: int) -> BratNote | None:
    head, _, text = rest.partition("\t")
    kind, _, target = head.partition(" ")
    if kind != "AnnotatorNotes":
        return None
    if not target.strip():
        raise ValueError("a note needs the id it is about")
    return BratNote(target.strip(), text, number)


def _clip(line: str, limit: int = 60) -> str:
    return line if len(line) <= limit else line[: limit - 1] + "…"


# Characters canonicalize_text drops: a CR before LF, every NUL (a leading BOM is added below).
_DROPPED = re.compile("\r(?=\n)|\x00")


def canonical_offsets(original: str, canonical: str) -> Callable[[int], int]:
    """Maps an offset into ``original`` to the same place in ``canonical``, which is
    ``canonicalize_text(original)``.

    Canonicalisation drops characters (a leading BOM, the CR of CRLF, NULs) or replaces one
    with one (a lone CR, a lone surrogate), so an offset moves back by the number of dropped
    characters before it. Should it ever do more, the lengths disagree and this refuses
    rather than misplace every span.
    """
    dropped = [m.start() for m in _DROPPED.finditer(original)]
    if original.startswith("\ufeff"):
        dropped.insert(0, 0)
    if len(original) - len(dropped) != len(canonical):
        raise ValidationError("the offsets cannot be mapped onto the canonical text")
    return lambda offset: offset - bisect_left(dropped, offset)
