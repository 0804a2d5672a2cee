"""Direct quotations: where each one starts and ends within a paragraph.

Curly marks pair up by nesting; a straight double quote has no direction, so straight marks
pair up in order (first opens, second closes), and so do two apostrophes, the double
quote of newspaper archives that lost their typography. A quotation left open at the end of its
paragraph runs to that end: wire copy leaves the closing mark off a quotation that continues
in the next paragraph. Quotations inside another one ("nested quotes") are part of the outer
one and are not reported on their own.
"""

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Quote:
    """[start, end) in code points, the marks included; ``closed`` is False when the
    paragraph ended first."""

    start: int
    end: int
    closed: bool = True

    def contains(self, other: "Quote") -> bool:
        return self.start <= other.start and other.end <= self.end and self != other


def find_quotes(text: str, start: int, end: int, pairs: Sequence[tuple[str, str]]) -> list[Quote]:
    """The outermost quotations of ``text[start:end]`` (one paragraph), in reading order."""
    found: list[Quote] = []
    for opening, closing in pairs:
        if opening == closing:
            found += _alternating(text, start, end, opening)
        else:
            found += _nesting(text, start, end, opening, closing)
    found.sort(key=lambda q: (q.start, -q.end))
    outermost: list[Quote] = []
    for quote in found:
        if outermost and quote.start < outermost[-1].end:
            continue  # nested in (or tangled with) the quotation before it
        outermost.append(quote)
    return outermost


def _alternating(text: str, start: int, end: int, mark: str) -> list[Quote]:
    positions = _positions(text, start, end, mark)
    width = len(mark)
    quotes = [Quote(a, b + width) for a, b in zip(positions[::2], positions[1::2], strict=False)]
    if len(positions) % 2:
        quotes.append(Quote(positions[-1], end, closed=False))
    return quotes


def _positions(text: str, start: int, end: int, mark: str) -> list[int]:
    """Where ``mark`` stands, left to right without overlaps; of three apostrophes the first
    closes a quotation inside and the last two are the mark."""
    positions = []
    at = text.find(mark, start, end)
    while at >= 0:
        if len(mark) > 1 and text.startswith(mark[0], at + len(mark), end):
            at += 1
            continue
        positions.append(at)
        at = text.find(mark, at + len(mark), end)
    return positions


def _nesting(text: str, start: int, end: int, opening: str, closing: str) -> list[Quote]:
    quotes = []
    stack: list[int] = []
    for i in range(start, end):
        char = text[i]
        # A mark used both ways (German „...“ closes with the English opening mark) closes
        # when something is open; otherwise it opens.
        if char == closing and stack:
            quotes.append(Quote(stack.pop(), i + 1))
        elif char == opening:
            stack.append(i)
    if stack:
        quotes.append(Quote(stack[0], end, closed=False))
    return quotes
