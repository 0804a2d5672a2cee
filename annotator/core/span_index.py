"""Which annotation covers which part of which paragraph, for painting and hit-testing.

The article view paints spans with a QSyntaxHighlighter, which works one block (paragraph) at a
time and asks "what do I paint in block n?". With a 1 MB article and tens of thousands of
annotations, answering that by scanning every annotation, or repainting the whole document after
one change, is far too slow. This index keeps, per block, the annotations that reach into it, so
that a block's segments are computed from a handful of fragments, and an edit reports exactly
the blocks to repaint.

Everything here is in UTF-16 units (Qt's positions), converted once on the way in through
OffsetMap; blocks are the text split on "\\n" and the "\\n" itself belongs to no block's text.
Pure Python, so it is tested without Qt.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter

from annotator.core.model import Annotation, AnnotationKind
from annotator.core.offsets import OffsetMap

#: Issues first, then claims, then speakers: the order in which the highlighter lays its three
#: channels (background, underline, bold), so equal coverage always gives equal segments.
_KIND_RANK = {AnnotationKind.ISSUE: 0, AnnotationKind.CLAIM: 1, AnnotationKind.SPEAKER: 2}


@dataclass(frozen=True, slots=True)
class SpanStyle:
    """How one annotation is painted. The caller picks ``colour`` ("#rrggbb"): a claim's speaker
    colour or a neutral default, the code's colour for a speaker mention or issue passage."""

    kind: AnnotationKind
    colour: str


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of one block covered by the same annotations; ``start`` is relative to the block,
    in UTF-16 units. ``styles`` and ``annotation_ids`` are parallel, issue, claim, speaker, id."""

    start: int
    length: int
    styles: tuple[SpanStyle, ...]
    annotation_ids: tuple[str, ...]


class _Entry:
    """One indexed annotation. A plain slotted class, not a frozen dataclass: tens of
    thousands are built when an article opens, and frozen __init__s are slow."""

    __slots__ = ("blocks", "fragments", "style", "total_length")

    def __init__(
        self,
        style: SpanStyle,
        fragments: tuple[tuple[int, int], ...],
        blocks: Sequence[int],
        total_length: int,
    ) -> None:
        self.style = style
        self.fragments = fragments  # document UTF-16 [start, end), in order
        self.blocks = blocks  # the blocks its fragments reach, each once, ascending
        self.total_length = total_length


class SpanIndex:
    """Per-block index of the painted spans of one article's text."""

    def __init__(self, text: str) -> None:
        self._offsets = OffsetMap(text)
        to_utf16 = self._offsets.to_utf16
        # Block n starts one unit after the n-th "\n"; "\n" is in the BMP, so adding 1 is exact.
        starts = [0]
        find = text.find
        newline = find("\n")
        while newline != -1:
            starts.append(to_utf16(newline) + 1)
            newline = find("\n", newline + 1)
        self._block_starts: list[int] = starts
        self._entries: dict[str, _Entry] = {}
        self._members: list[set[str]] = [set() for _ in starts]
        self._cache: dict[int, list[Segment]] = {}

    # -- geometry ------------------------------------------------------------------------------

    @property
    def offsets(self) -> OffsetMap:
        """The text's code-point ↔ UTF-16 map, for callers converting a selection."""
        return self._offsets

    @property
    def block_count(self) -> int:
        return len(self._block_starts)

    def block_of(self, u16_position: int) -> int:
        """The block holding a document position; a newline's position (the end of its block's
        text) belongs to the block it ends, as in QTextDocument.findBlock."""
        if not 0 <= u16_position <= self._offsets.utf16_length:
            raise ValueError(
                f"Position {u16_position} lies outside the text (0..{self._offsets.utf16_length})."
            )
        return bisect_right(self._block_starts, u16_position) - 1

    def _block_text_range(self, block: int) -> tuple[int, int]:
        """[start, end) of the block's text in the document, without its trailing "\\n"."""
        start = self._block_starts[block]
        if block + 1 < len(self._block_starts):
            return start, self._block_starts[block + 1] - 1
        return start, self._offsets.utf16_length

    # -- edits ---------------------------------------------------------------------------------

    def set_annotations(self, items: Iterable[tuple[Annotation, SpanStyle]]) -> None:
        """Replace every annotation at once, e.g. when an article is opened. Nothing is painted
        here: segments are computed lazily, block by block, as the highlighter asks for them."""
        self._entries = {}
        self._members = [set() for _ in self._block_starts]
        self._cache = {}
        entries = self._entries
        members = self._members
        for annotation, style in items:
            entry = self._entry(annotation, style)
            entries[annotation.id] = entry
            for block in entry.blocks:
                members[block].add(annotation.id)

    def add(self, annotation: Annotation, style: SpanStyle) -> set[int]:
        """Index one annotation (replacing any with the same id); returns the blocks to repaint."""
        touched = self.remove(annotation.id)
        entry = self._entry(annotation, style)
        self._entries[annotation.id] = entry
        for block in entry.blocks:
            self._members[block].add(annotation.id)
            touched.add(block)
        for block in touched:
            self._cache.pop(block, None)
        return touched

    def remove(self, annotation_id: str) -> set[int]:
        """Forget an annotation; returns the blocks to repaint (none if the id is unknown)."""
        entry = self._entries.pop(annotation_id, None)
        if entry is None:
            return set()
        touched = set(entry.blocks)
        for block in touched:
            self._members[block].discard(annotation_id)
            self._cache.pop(block, None)
        return touched

    def update(self, annotation: Annotation, style: SpanStyle) -> set[int]:
        """A changed annotation (new fragments or colour): the blocks it left and those it
        reaches now."""
        return self.remove(annotation.id) | self.add(annotation, style)

    def _entry(self, annotation: Annotation, style: SpanStyle) -> _Entry:
        """Convert an annotation's fragments to UTF-16 and find the blocks they reach.

        Inlines OffsetMap.to_utf16 (same arithmetic, same range check): this runs once per
        annotation when an article opens, and the method calls alone doubled that time.
        """
        astral = self._offsets.astral_code_points
        length = self._offsets.length
        starts = self._block_starts
        # Blocks own [start, next start): a fragment reaching only a newline still belongs to
        # that newline's block, so `at` finds it and every position has exactly one block.
        fragments = annotation.fragments
        if len(fragments) == 1:
            start, end = fragments[0].start, fragments[0].end
            if not 0 <= start < end <= length:
                raise ValueError(self._outside(annotation, start, end))
            if astral:
                start += bisect_left(astral, start)
                end += bisect_left(astral, end)
            first = bisect_right(starts, start) - 1
            blocks = range(first, bisect_right(starts, end - 1, first))
            return _Entry(style, ((start, end),), blocks, end - start)
        converted = []
        reached: set[int] = set()
        total = 0
        for fragment in fragments:  # a claim's fragments may lie paragraphs apart
            start, end = fragment.start, fragment.end
            if not 0 <= start < end <= length:
                raise ValueError(self._outside(annotation, start, end))
            if astral:
                start += bisect_left(astral, start)
                end += bisect_left(astral, end)
            first = bisect_right(starts, start) - 1
            reached.update(range(first, bisect_right(starts, end - 1, first)))
            converted.append((start, end))
            total += end - start
        if not converted:
            raise ValueError(f"Annotation {annotation.id} has no fragment.")
        return _Entry(style, tuple(converted), sorted(reached), total)

    def _outside(self, annotation: Annotation, start: int, end: int) -> str:
        return (
            f"Annotation {annotation.id}: fragment {start}..{end} is empty or lies outside "
            f"the text (0..{self._offsets.length})."
        )

    # -- queries -------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, annotation_id: object) -> bool:
        return annotation_id in self._entries

    def fragments_u16(self, annotation_id: str) -> list[tuple[int, int]]:
        """The document (UTF-16) ranges of an annotation, e.g. to select or scroll to it."""
        entry = self._entries.get(annotation_id)
        return list(entry.fragments) if entry else []

    def style_of(self, annotation_id: str) -> SpanStyle | None:
        entry = self._entries.get(annotation_id)
        return entry.style if entry else None

    def segments(self, block: int) -> list[Segment]:
        """What to paint in one block: the runs where the set of covering annotations is
        constant, each with every covering style, so overlaps stay visible. Cached until an
        edit touches the block. An unknown block has nothing to paint."""
        cached = self._cache.get(block)
        if cached is None:
            if not 0 <= block < len(self._block_starts):
                return []
            cached = self._cache[block] = self._sweep(block)
        return list(cached)

    def _sweep(self, block: int) -> list[Segment]:
        """Clip the block's fragments to its text, then walk their ends in order: between two
        consecutive ends the covering set is constant, and that run is one segment."""
        members = self._members[block]
        if not members:
            return []
        block_start, block_end = self._block_text_range(block)
        entries = self._entries
        # Each fragment clipped to the block's text, relative to the block.
        pieces: list[tuple[int, str, SpanStyle, int, int]] = []
        for annotation_id in members:
            entry = entries[annotation_id]
            for start, end in entry.fragments:
                start = max(start, block_start)
                end = min(end, block_end)
                if start < end:
                    rank = _KIND_RANK[entry.style.kind]
                    pieces.append(
                        (rank, annotation_id, entry.style, start - block_start, end - block_start)
                    )
        if not pieces:
            return []
        # Sorted once, so a piece's index is its place in every segment's order.
        pieces.sort(key=itemgetter(0, 1))
        ids = [piece[1] for piece in pieces]
        styles = [piece[2] for piece in pieces]
        events = []
        for number, piece in enumerate(pieces):
            events.append((piece[3], 1, number))
            events.append((piece[4], -1, number))
        events.sort()
        segments: list[Segment] = []
        active: set[int] = set()
        position = 0
        for at, delta, number in events:
            if at != position:
                if active:
                    covering = sorted(active)
                    covering_ids = tuple(map(ids.__getitem__, covering))
                    last = segments[-1] if segments else None
                    if (
                        last is not None
                        and last.annotation_ids == covering_ids
                        and last.start + last.length == position
                    ):
                        # Two touching fragments of one annotation read as one run.
                        segments[-1] = Segment(
                            last.start, at - last.start, last.styles, last.annotation_ids
                        )
                    else:
                        covering_styles = tuple(map(styles.__getitem__, covering))
                        segments.append(
                            Segment(position, at - position, covering_styles, covering_ids)
                        )
                position = at
            if delta > 0:
                active.add(number)
            else:
                active.discard(number)
        return segments

    def at(self, u16_position: int) -> list[str]:
        """Ids of the annotations covering the character at a document position, innermost
        (shortest in total) first, so a click picks the most specific span."""
        if not 0 <= u16_position < self._offsets.utf16_length:
            return []
        block = bisect_right(self._block_starts, u16_position) - 1
        hits = []
        for annotation_id in self._members[block]:
            entry = self._entries[annotation_id]
            if any(start <= u16_position < end for start, end in entry.fragments):
                rank = _KIND_RANK[entry.style.kind]
                hits.append((entry.total_length, rank, annotation_id))
        hits.sort()
        return [annotation_id for _, _, annotation_id in hits]
