"""Finding a pattern in an article's text: plain or regular expression, whole words or not,
with or without case; and the keyword-in-context lines a hit is shown with.

Offsets are code points of the canonical text, like every offset the store keeps, so a hit
can become an annotation as it is. Matches never overlap: the text is scanned left to right
and the next match starts where the last one ended, as in any editor's "find all". A match of
no characters (``^``, ``x*`` between two letters) is no passage to show or code: skipped.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from annotator.core.errors import ValidationError

#: Code points of context on each side of a hit: about a line of a terminal or a list row.
CONTEXT = 60


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What to look for, as the coder typed it."""

    pattern: str
    regex: bool = False
    whole_word: bool = False
    case_sensitive: bool = False

    def compile(self) -> re.Pattern[str]:
        """The pattern ready to scan with; a blank pattern or a bad regular expression is
        refused with one line that says why."""
        if not self.pattern or (not self.regex and not self.pattern.strip()):
            raise ValidationError("Type something to search for: the pattern is empty.")
        body = self.pattern if self.regex else re.escape(self.pattern)
        if self.whole_word:
            # Look-arounds rather than \b: a pattern may start or end with a quote or a dash,
            # and "“We" is still a whole word when a space comes before the quote.
            body = rf"(?<!\w)(?:{body})(?!\w)"
        flags = 0 if self.case_sensitive else re.IGNORECASE
        try:
            return re.compile(body, flags)
        except (re.error, OverflowError, RecursionError) as exc:
            reason = " ".join(str(exc).split())  # one line, whatever the pattern held
            raise ValidationError(f"Bad regular expression {self.pattern!r}: {reason}.") from exc


@dataclass(frozen=True, slots=True)
class Hit:
    """One match: [start, end) in code points, its text, and the line around it."""

    start: int
    end: int
    text: str
    before: str
    after: str


def find_spans(pattern: re.Pattern[str], text: str) -> Iterator[tuple[int, int]]:
    """The non-empty, non-overlapping matches of ``pattern`` in ``text``, left to right."""
    for match in pattern.finditer(text):
        start, end = match.span()
        if end > start:
            yield start, end


def find_hits(pattern: re.Pattern[str], text: str, width: int = CONTEXT) -> Iterator[Hit]:
    """Each match with its keyword-in-context line."""
    for start, end in find_spans(pattern, text):
        yield hit_at(text, start, end, width)


def hit_at(text: str, start: int, end: int, width: int = CONTEXT) -> Hit:
    before, after = context(text, start, end, width)
    return Hit(start, end, text[start:end], before, after)


def context(text: str, start: int, end: int, width: int = CONTEXT) -> tuple[str, str]:
    """The text before ``start`` and after ``end`` on the same line, at most ``width`` code
    points each, cut at a space where one is near so no word is shown in half."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    before = text[max(line_start, start - width) : start]
    after = text[end : min(line_end, end + width)]
    if start - width > line_start:
        space = before.find(" ")
        if 0 <= space < width // 3:
            before = before[space + 1 :]
    if end + width < line_end:
        space = after.rfind(" ")
        if space > width - width // 3:
            after = after[:space]
    return before, after
