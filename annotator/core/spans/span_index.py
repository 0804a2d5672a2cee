"""Which annotation covers which part of which paragraph, for painting and hit-testing.

The article view paints spans with a QSyntaxHighlighter, which works one block (paragraph) at a
time and asks "what do I paint in block n?". With a 1 MB article and tens of thousands of
annotations, answering that by scanning every annotation, or repainting the whole document after
one change, is far too slow; so is building a per-block table of every annotation when the
article opens (a Python loop over every annotation would be most of opening a dense article).

So opening only sorts the annotations' numbers by start, in C-level ``map``/``sorted`` calls
over flat lists of ints, with no Python code and no Python object per annotation. A block's
annotations are found when the block is first shown: those starting in ``[block start - reach,
block end)`` (``reach``: the longest annotation extent), bisected from that order. Annotations
longer than LONG_SPAN, and those added later, are listed per block instead ("loose"), so one
huge span never widens every query. Removing only marks the annotation dead; the id → number
map is built on the first lookup by id, not when the article opens. An edit reports exactly
the blocks to repaint.

Positions are kept in code points, as stored, and converted to UTF-16 units (Qt's positions)
through OffsetMap's astral table only for the few fragments of a block being painted. Blocks are
the text split on "\\n"; the "\\n" itself belongs to no block's text. Pure Python, so it is
tested without Qt.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from itertools import compress
from operator import attrgetter, itemgetter, sub

from annotator.core.model import Annotation, Fragment
from annotator.core.spans.offsets import OffsetMap
from annotator.core.spans.span_style import KIND_RANK, Segment, SpanStyle

#: Annotations reaching further than this many code points (first start to last end) are listed
#: per block, not in the sorted keys: a query looks back at most this far.
LONG_SPAN = 4096


class SpanIndex:
    """Per-block index of the painted spans of one article's text."""

    def __init__(self, text: str) -> None:
        self._offsets = OffsetMap(text)
        self._length = len(text)
        # Block n starts one code point after the n-th "\n".
        starts = [0]
        find = text.find
        newline = find("\n")
        while newline != -1:
            starts.append(newline + 1)
            newline = find("\n", newline + 1)
        self._block_cp: list[int] = starts
        to_utf16 = self._offsets.to_utf16
        self._block_u16: list[int] = (
            starts if self._offsets.is_identity else [to_utf16(s) for s in starts]
        )
        self._clear()

    def _clear(self) -> None:
        # Per annotation number (the order given, then added ones); a removed one stays, dead.
        self._items: list[tuple[Annotation, SpanStyle]] = []
        self._alive = bytearray()
        self._starts: list[int] = []  # first code point of its fragments
        self._ends: list[int] = []  # code point after its fragments
        self._order: list[int] = []  # numbers of the bulk-loaded short ones, by start
        self._reach = 0  # the longest extent among them
        self._loose: dict[int, list[int]] = {}  # block -> numbers of long or added annotations
        self._id_numbers: dict[str, int] | None = {}  # None: not built yet
        self._cache: dict[int, list[Segment]] = {}

    # -- geometry ------------------------------------------------------------------------------

    @property
    def offsets(self) -> OffsetMap:
        """The text's code-point ↔ UTF-16 map, for callers converting a selection."""
        return self._offsets

    @property
    def block_count(self) -> int:
        return len(self._block_cp)

    def block_of(self, u16_position: int) -> int:
        """The block holding a document position; a newline's position (the end of its block's
        text) belongs to the block it ends, as in QTextDocument.findBlock."""
        if not 0 <= u16_position <= self._offsets.utf16_length:
            raise ValueError(
                f"Position {u16_position} lies outside the text (0..{self._offsets.utf16_length})."
            )
        return bisect_right(self._block_u16, u16_position) - 1

    def _block_text(self, block: int) -> tuple[int, int]:
        """[start, end) of the block's text in code points, without its trailing "\\n"."""
        starts = self._block_cp
        if block + 1 < len(starts):
            return starts[block], starts[block + 1] - 1
        return starts[block], self._length

    # -- edits ---------------------------------------------------------------------------------

    def set_annotations(self, items: Iterable[tuple[Annotation, SpanStyle]]) -> None:
        """Replace every annotation at once, e.g. when an article is opened. Nothing is painted
        here: segments are computed lazily, block by block, as the highlighter asks for them.

        Ids are expected to be unique (they are the store's keys); if one repeats, the last
        one wins in lookups by id, and the earlier ones stop painting from then on.
        """
        self._clear()
        loaded = list(items)  # our own list: add() appends to it
        if loaded:
            try:
                self._load(loaded)
            except ValueError:
                self._clear()
                raise

    def _load(self, items: list[tuple[Annotation, SpanStyle]]) -> None:
        """Every step is a C-level map or sort over all annotations; Python code runs only for
        the few of several fragments and for annotations longer than LONG_SPAN."""
        self._items = items
        count = len(items)
        self._alive = bytearray(b"\x01") * count
        fragments = list(map(attrgetter("fragments"), map(itemgetter(0), items)))
        if not all(fragments):
            self._check_all()
        starts = self._starts = list(map(attrgetter("start"), map(itemgetter(0), fragments)))
        ends = self._ends = list(map(attrgetter("end"), map(itemgetter(-1), fragments)))
        for number in compress(range(count), map((1).__lt__, map(len, fragments))):
            # A claim of several fragments: check each, and get its extent right even if they
            # come unsorted (make_fragments sorts them; an Annotation built directly may not).
            starts[number], ends[number] = self._extent(items[number][0])
        extents = list(map(sub, ends, starts))
        if min(starts) < 0 or max(ends) > self._length or min(extents) <= 0:
            self._check_all()
        self._id_numbers = None
        if max(extents) <= LONG_SPAN:
            self._order = sorted(range(count), key=starts.__getitem__)
            self._reach = max(extents)
            return
        short = list(compress(range(count), map(LONG_SPAN.__ge__, extents)))
        self._order = sorted(short, key=starts.__getitem__)
        self._reach = max(map(extents.__getitem__, short), default=0)
        for number in compress(range(count), map(LONG_SPAN.__lt__, extents)):
            self._add_loose(number)

    @property
    def _numbers(self) -> dict[str, int]:
        """Id -> number of the live annotations, built on first use: opening an article does
        not need it, and hashing 50,000 ids would cost a tenth of opening it."""
        numbers = self._id_numbers
        if numbers is None:
            items = self._items
            ids = map(attrgetter("id"), map(itemgetter(0), items))
            numbers = self._id_numbers = dict(zip(ids, range(len(items)), strict=True))
            if len(numbers) < len(items):  # a repeated id: the last one wins
                for number, (annotation, _) in enumerate(items):
                    if numbers[annotation.id] != number:
                        self._alive[number] = 0
                        for block in self._blocks_reached(number):
                            self._cache.pop(block, None)
        return numbers

    def add(self, annotation: Annotation, style: SpanStyle) -> set[int]:
        """Index one annotation (replacing any with the same id); returns the blocks to repaint."""
        start, end = self._extent(annotation)
        touched = self.remove(annotation.id)
        number = len(self._items)
        self._items.append((annotation, style))
        self._alive.append(1)
        self._starts.append(start)
        self._ends.append(end)
        self._numbers[annotation.id] = number
        touched |= self._add_loose(number)
        for block in touched:
            self._cache.pop(block, None)
        return touched

    def remove(self, annotation_id: str) -> set[int]:
        """Forget an annotation; returns the blocks to repaint (none if the id is unknown)."""
        number = self._numbers.pop(annotation_id, None)
        if number is None:
            return set()
        self._alive[number] = 0
        touched = self._blocks_reached(number)
        for block in touched:
            self._cache.pop(block, None)
            loose = self._loose.get(block)
            if loose and number in loose:
                loose.remove(number)
        return touched

    def update(self, annotation: Annotation, style: SpanStyle) -> set[int]:
        """A changed annotation (new fragments or colour): the blocks it left and those it
        reaches now."""
        return self.remove(annotation.id) | self.add(annotation, style)

    def _blocks_reached(self, number: int) -> set[int]:
        """Blocks an annotation's fragments reach. Blocks own [start, next start): a fragment
        reaching only a newline still belongs to that newline's block, so every position has
        exactly one block, as in ``at``."""
        starts = self._block_cp
        blocks: set[int] = set()
        for fragment in self._items[number][0].fragments:  # may lie paragraphs apart
            first = bisect_right(starts, fragment.start) - 1
            blocks.update(range(first, bisect_right(starts, fragment.end - 1, first)))
        return blocks

    def _add_loose(self, number: int) -> set[int]:
        blocks = self._blocks_reached(number)
        loose = self._loose
        for block in blocks:
            loose.setdefault(block, []).append(number)
        return blocks

    def _extent(self, annotation: Annotation) -> tuple[int, int]:
        """The first and the last code point + 1 an annotation covers, once each of its
        fragments is checked to be non-empty and inside the text."""
        length = self._length
        start, end = length, 0
        for fragment in annotation.fragments:
            if not 0 <= fragment.start < fragment.end <= length:
                raise ValueError(
                    f"Annotation {annotation.id}: fragment {fragment.start}..{fragment.end} is "
                    f"empty or lies outside the text (0..{length})."
                )
            start = min(start, fragment.start)
            end = max(end, fragment.end)
        if end == 0:
            raise ValueError(f"Annotation {annotation.id} has no fragment.")
        return start, end

    def _check_all(self) -> None:
        """The slow path, when a bulk check failed: find the bad annotation and name it."""
        for annotation, _ in self._items:
            self._extent(annotation)
        raise AssertionError("unreachable: the bulk checks and _check disagree")  # pragma: no cover

    # -- queries -------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._numbers)

    def __contains__(self, annotation_id: object) -> bool:
        return annotation_id in self._numbers

    def _u16(self, fragments: Iterable[Fragment]) -> list[tuple[int, int]]:
        astral = self._offsets.astral_code_points
        return [
            (f.start + bisect_left(astral, f.start), f.end + bisect_left(astral, f.end))
            for f in fragments
        ]

    def fragments_u16(self, annotation_id: str) -> list[tuple[int, int]]:
        """The document (UTF-16) ranges of an annotation, e.g. to select or scroll to it."""
        number = self._numbers.get(annotation_id)
        return [] if number is None else self._u16(self._items[number][0].fragments)

    def style_of(self, annotation_id: str) -> SpanStyle | None:
        number = self._numbers.get(annotation_id)
        return None if number is None else self._items[number][1]

    def _candidates(self, low: int, high: int, block: int) -> list[int]:
        """Numbers of the live annotations that may cover code points in [low, high) of
        ``block``: sorted ones starting in [low - reach, high) and ending after ``low``, and
        the block's loose ones. Callers still clip each fragment."""
        order = self._order
        starts = self._starts
        ends = self._ends
        alive = self._alive
        first = bisect_left(order, low - self._reach, key=starts.__getitem__)
        last = bisect_left(order, high, first, key=starts.__getitem__)
        found = [n for n in order[first:last] if ends[n] > low and alive[n]]
        loose = self._loose.get(block)
        if loose:
            found.extend(n for n in loose if alive[n])
        return found

    def _pieces(self, block: int) -> list[tuple[int, int, int]]:
        """The block's fragments clipped to its text: (annotation number, start, end), relative
        to the block in UTF-16 units, in no particular order. An unknown block has none."""
        if not 0 <= block < len(self._block_cp):
            return []
        low, high = self._block_text(block)
        if low == high:
            return []
        items = self._items
        astral = self._offsets.astral_code_points
        first_astral = bisect_left(astral, low)
        if first_astral == len(astral) or astral[first_astral] >= high:
            astral = ()  # none inside the block: offsets within it are the same in UTF-16
        pieces = []
        for number in self._candidates(low, high, block):
            for fragment in items[number][0].fragments:
                start = fragment.start if fragment.start > low else low
                end = fragment.end if fragment.end < high else high
                if start < end:
                    if astral:
                        start += bisect_left(astral, start) - first_astral
                        end += bisect_left(astral, end) - first_astral
                    pieces.append((number, start - low, end - low))
        return pieces

    def runs(self, block: int, weigh: Callable[[SpanStyle], int]) -> list[tuple[int, int, int]]:
        """What the highlighter paints: (start, length, total) per run of the block where the
        sum of ``weigh(style)`` over the covering annotations is constant and not zero.

        ``weigh`` must give positive ints whose sums tell coverings apart (e.g. a count and a
        colour packed per kind): touching runs of one total merge into one, the way touching
        fragments of one annotation read as one run in ``segments``. No Segment, id or style
        tuple is built, so this is the cheap path for a block scrolled into view.
        """
        items = self._items
        events: list[tuple[int, int]] = []
        append = events.append
        for number, start, end in self._pieces(block):
            weight = weigh(items[number][1])
            append((start, weight))
            append((end, -weight))
        events.sort()
        runs: list[tuple[int, int, int]] = []
        total = position = run_start = run_end = run_total = 0
        for at, weight in events:
            if at != position:
                if total != run_total or position != run_end:
                    if run_total:
                        runs.append((run_start, run_end - run_start, run_total))
                    run_start, run_total = position, total
                run_end = at
                position = at
            total += weight
        if run_total:
            runs.append((run_start, run_end - run_start, run_total))
        return runs

    def segments(self, block: int) -> list[Segment]:
        """What to paint in one block: the runs where the set of covering annotations is
        constant, each with every covering style, so overlaps stay visible. Cached until an
        edit touches the block. An unknown block has nothing to paint."""
        cached = self._cache.get(block)
        if cached is None:
            if not 0 <= block < len(self._block_cp):
                return []
            cached = self._cache[block] = self._sweep(block)
        return list(cached)

    def _sweep(self, block: int) -> list[Segment]:
        """Walk the block's fragment ends in order: between two consecutive ends the covering
        set is constant, and that run is one segment."""
        items = self._items
        pieces = []
        for number, start, end in self._pieces(block):
            annotation, style = items[number]
            pieces.append((KIND_RANK[style.kind], annotation.id, style, start, end))
        if not pieces:
            return []
        # Sorted once, so a piece's index is its place in every segment's order.
        pieces.sort(key=itemgetter(0, 1))
        ids = [piece[1] for piece in pieces]
        ordered_styles = [piece[2] for piece in pieces]
        events = []
        for number, piece in enumerate(pieces):
            events.append((piece[3], 1, number))
            events.append((piece[4], -1, number))
        events.sort()
        segments: list[Segment] = []
        active: set[int] = set()
        position = 0
        for at, delta, number in events:
            if at != position and active:
                covering = sorted(active)
                ids_here = tuple(map(ids.__getitem__, covering))
                last = segments[-1] if segments else None
                if (
                    last
                    and last.annotation_ids == ids_here
                    and last.start + last.length == position
                ):
                    # Two touching fragments of one annotation read as one run.
                    segments[-1] = Segment(last.start, at - last.start, last.styles, ids_here)
                else:
                    styles_here = tuple(map(ordered_styles.__getitem__, covering))
                    segments.append(Segment(position, at - position, styles_here, ids_here))
            position = at
            (active.add if delta > 0 else active.discard)(number)
        return segments

    def at(self, u16_position: int) -> list[str]:
        """Ids of the annotations covering the character at a document position, innermost
        (shortest in total) first, so a click picks the most specific span."""
        if not 0 <= u16_position < self._offsets.utf16_length:
            return []
        # Between the halves of a surrogate pair means inside that character.
        cp = self._offsets.to_code_point(u16_position)
        block = bisect_right(self._block_u16, u16_position) - 1
        hits = {}
        for number in self._candidates(cp, cp + 1, block):
            annotation, style = self._items[number]
            if any(f.start <= cp < f.end for f in annotation.fragments):
                total = sum(end - start for start, end in self._u16(annotation.fragments))
                hits[annotation.id] = (total, KIND_RANK[style.kind], annotation.id)
        return [hit[2] for hit in sorted(hits.values())]
