import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.model import Annotation, AnnotationKind
from annotator.core.spans.offsets import OffsetMap
from annotator.core.spans.span_index import SpanIndex
from annotator.core.spans.span_style import Segment, SpanStyle
from tests.conftest import loose_annotation

CLAIM, SPEAKER, ISSUE = AnnotationKind.CLAIM, AnnotationKind.SPEAKER, AnnotationKind.ISSUE
RED = SpanStyle(ISSUE, "#e15759")
BLUE = SpanStyle(CLAIM, "#4e79a7")
GREEN = SpanStyle(SPEAKER, "#59a14f")

TEXT = (
    "Flags 🇺🇸🇨🇳 first.\n"  # block 0
    "“We will not sit back,” Xi said 😠 — and Biden’s aide replied.\n"  # block 1
    "\n"  # block 2, empty
    "Done."  # block 3
)


def note(text: str, annotation_id: str, kind: AnnotationKind, *spans: tuple[int, int]):
    return loose_annotation(text, annotation_id, kind, spans)


def span_of(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def u16(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


def block_start(text: str, block: int) -> int:
    """UTF-16 start of a block, the way Qt counts it."""
    cp = 0
    for _ in range(block):
        cp = text.index("\n", cp) + 1
    return u16(text, cp)


def test_blocks_follow_the_newlines():
    index = SpanIndex(TEXT)
    assert index.block_count == 4
    assert index.block_of(0) == 0
    first_newline = u16(TEXT, TEXT.index("\n"))
    assert index.block_of(first_newline) == 0  # the newline's position ends block 0
    assert index.block_of(first_newline + 1) == 1
    assert index.block_of(index.offsets.utf16_length) == 3
    with pytest.raises(ValueError, match="outside"):
        index.block_of(index.offsets.utf16_length + 1)


def test_a_span_after_emoji_is_shifted_to_utf16():
    index = SpanIndex(TEXT)
    start, end = span_of(TEXT, "first")
    assert index.add(note(TEXT, "n1", ISSUE, (start, end)), RED) == {0}
    # "Flags " + two flags (four astral characters, eight units) + " "
    assert index.segments(0) == [Segment(15, 5, (RED,), ("n1",))]
    assert index.fragments_u16("n1") == [(15, 20)]


def test_span_after_an_emoji_in_a_later_block_is_relative_to_that_block():
    index = SpanIndex(TEXT)
    start, end = span_of(TEXT, "and Biden")
    index.add(note(TEXT, "n1", SPEAKER, (start, end)), GREEN)
    [segment] = index.segments(1)
    line = TEXT.split("\n")[1]
    assert segment.start == u16(line, line.index("and Biden"))
    assert segment.start == line.index("and Biden") + 1  # one emoji before it
    assert segment.length == 9


def test_overlaps_give_separate_segments_with_every_covering_style():
    text = "0123456789"
    index = SpanIndex(text)
    index.add(note(text, "claim", CLAIM, (2, 8)), BLUE)
    index.add(note(text, "issue", ISSUE, (0, 5)), RED)
    index.add(note(text, "who", SPEAKER, (4, 6)), GREEN)
    assert index.segments(0) == [
        Segment(0, 2, (RED,), ("issue",)),
        Segment(2, 2, (RED, BLUE), ("issue", "claim")),
        Segment(4, 1, (RED, BLUE, GREEN), ("issue", "claim", "who")),
        Segment(5, 1, (BLUE, GREEN), ("claim", "who")),
        Segment(6, 2, (BLUE,), ("claim",)),
    ]


def test_same_kind_overlaps_are_ordered_by_id():
    text = "0123456789"
    index = SpanIndex(text)
    other = SpanStyle(ISSUE, "#000000")
    index.add(note(text, "b", ISSUE, (0, 4)), RED)
    index.add(note(text, "a", ISSUE, (2, 6)), other)
    assert index.segments(0)[1] == Segment(2, 2, (other, RED), ("a", "b"))


def test_a_fragment_across_blocks_is_clipped_and_skips_the_newlines():
    index = SpanIndex(TEXT)
    start = TEXT.index("first")
    end = TEXT.index("Done") + 2
    touched = index.add(note(TEXT, "long", ISSUE, (start, end)), RED)
    assert touched == {0, 1, 2, 3}
    assert index.segments(0) == [Segment(15, 6, (RED,), ("long",))]  # "first." to the newline
    line = TEXT.split("\n")[1]
    assert index.segments(1) == [Segment(0, u16(line, len(line)), (RED,), ("long",))]
    assert index.segments(2) == []  # an empty block has no text to paint
    assert index.segments(3) == [Segment(0, 2, (RED,), ("long",))]


def test_a_multi_fragment_claim_paints_only_its_fragments():
    text = "“We act,” Flynn said, “now.”"
    index = SpanIndex(text)
    claim = note(text, "c", CLAIM, span_of(text, "“We act,”"), span_of(text, "“now.”"))
    assert index.add(claim, BLUE) == {0}
    assert index.segments(0) == [
        Segment(0, 9, (BLUE,), ("c",)),
        Segment(22, 6, (BLUE,), ("c",)),
    ]
    assert index.at(text.index("Flynn")) == []
    assert index.at(0) == ["c"]


def test_touching_fragments_of_one_annotation_read_as_one_run():
    text = "0123456789"
    index = SpanIndex(text)
    index.add(note(text, "c", CLAIM, (0, 3), (3, 6)), BLUE)
    assert index.segments(0) == [Segment(0, 6, (BLUE,), ("c",))]


def test_fragments_in_two_blocks_touch_both_but_not_between():
    text = "one\ntwo\nthree\nfour"
    index = SpanIndex(text)
    claim = note(text, "c", CLAIM, span_of(text, "one"), span_of(text, "four"))
    assert index.add(claim, BLUE) == {0, 3}
    assert index.segments(1) == index.segments(2) == []
    assert index.segments(3) == [Segment(0, 4, (BLUE,), ("c",))]


def test_add_remove_and_update_report_the_blocks_to_repaint():
    text = "one\ntwo\nthree\nfour"
    index = SpanIndex(text)
    assert index.add(note(text, "x", ISSUE, span_of(text, "two")), RED) == {1}
    assert index.segments(1)  # cached now
    assert index.update(note(text, "x", ISSUE, span_of(text, "four")), RED) == {1, 3}
    assert index.segments(1) == []  # the cache was dropped
    assert index.segments(3) == [Segment(0, 4, (RED,), ("x",))]
    assert index.remove("x") == {3}
    assert index.segments(3) == []
    assert index.remove("x") == set()
    assert index.remove("never") == set()
    assert len(index) == 0


def test_adding_an_existing_id_replaces_it():
    text = "one\ntwo"
    index = SpanIndex(text)
    index.add(note(text, "x", ISSUE, span_of(text, "one")), RED)
    assert index.add(note(text, "x", ISSUE, span_of(text, "two")), RED) == {0, 1}
    assert index.segments(0) == []
    assert index.fragments_u16("x") == [(4, 7)]


def test_a_span_of_only_a_newline_belongs_to_the_block_it_ends():
    text = "one\ntwo"
    index = SpanIndex(text)
    assert index.add(note(text, "nl", ISSUE, (3, 4)), RED) == {0}
    assert index.segments(0) == []  # nothing visible to paint
    assert index.at(3) == ["nl"]


def test_a_span_ending_on_a_newline_does_not_touch_the_next_block():
    text = "one\ntwo"
    index = SpanIndex(text)
    assert index.add(note(text, "x", ISSUE, (0, 4)), RED) == {0}
    assert index.segments(0) == [Segment(0, 3, (RED,), ("x",))]


def test_at_lists_the_innermost_first():
    text = "Xi said the tariffs hurt."
    index = SpanIndex(text)
    index.add(note(text, "passage", ISSUE, (0, len(text))), RED)
    index.add(note(text, "claim", CLAIM, span_of(text, "the tariffs hurt")), BLUE)
    index.add(note(text, "xi", SPEAKER, span_of(text, "Xi")), GREEN)
    assert index.at(0) == ["xi", "passage"]
    assert index.at(text.index("tariffs")) == ["claim", "passage"]
    assert index.at(len(text) - 1) == ["passage"]
    assert index.at(len(text)) == []  # past the last character
    assert index.at(-1) == []


def test_at_counts_utf16_positions():
    index = SpanIndex(TEXT)
    start, end = span_of(TEXT, "first")
    index.add(note(TEXT, "n1", ISSUE, (start, end)), RED)
    assert index.at(start) == []  # code point `start` is a different character in UTF-16
    assert index.at(u16(TEXT, start)) == ["n1"]
    assert index.at(u16(TEXT, end) - 1) == ["n1"]
    assert index.at(u16(TEXT, end)) == []


def test_set_annotations_replaces_everything():
    text = "one\ntwo\nthree"
    index = SpanIndex(text)
    index.add(note(text, "old", ISSUE, span_of(text, "one")), RED)
    assert index.segments(0)
    index.set_annotations(
        [
            (note(text, "a", CLAIM, span_of(text, "two")), BLUE),
            (note(text, "b", SPEAKER, span_of(text, "three")), GREEN),
        ]
    )
    assert "old" not in index and len(index) == 2
    assert index.segments(0) == []
    assert index.segments(1) == [Segment(0, 3, (BLUE,), ("a",))]
    assert index.segments(2) == [Segment(0, 5, (GREEN,), ("b",))]
    assert index.style_of("b") == GREEN


def test_unknown_blocks_and_ids_are_empty():
    index = SpanIndex("one")
    assert index.segments(5) == []
    assert index.segments(-1) == []
    assert index.fragments_u16("nope") == []
    assert index.style_of("nope") is None


def test_segments_returns_a_copy_of_the_cache():
    text = "0123"
    index = SpanIndex(text)
    index.add(note(text, "x", ISSUE, (0, 2)), RED)
    index.segments(0).clear()
    assert index.segments(0) == [Segment(0, 2, (RED,), ("x",))]


def test_annotations_outside_the_text_are_refused():
    index = SpanIndex("short")
    bad = note("a much longer text", "x", ISSUE, (0, 10))
    with pytest.raises(ValueError, match="outside"):
        index.add(bad, RED)


# -- against a brute-force model --------------------------------------------------------------

alphabet = st.sampled_from(["a", "b", " ", "\n", "😠", "🇺", "“", "…"])


def brute_force(text: str, notes: list[tuple[Annotation, SpanStyle]], block: int):
    """Per UTF-16 unit of the block: the ids covering it, straight from the definition."""
    offsets = OffsetMap(text)
    lines = text.split("\n")
    start_cp = sum(len(line) + 1 for line in lines[:block])
    start = offsets.to_utf16(start_cp)
    end = offsets.to_utf16(start_cp + len(lines[block]))
    covering = []
    for position in range(start, end):
        ids = {
            a.id
            for a, _ in notes
            for f in a.fragments
            if offsets.to_utf16(f.start) <= position < offsets.to_utf16(f.end)
        }
        covering.append(ids)
    return covering


@settings(max_examples=150)
@given(st.lists(alphabet, min_size=1, max_size=40).map("".join), st.data())
def test_segments_agree_with_brute_force(text, data):
    rng = random.Random(data.draw(st.integers(0, 2**32)))
    kinds = [ISSUE, CLAIM, SPEAKER]
    notes = []
    for n in range(rng.randint(0, 6)):
        cuts = sorted(rng.sample(range(len(text) + 1), k=min(len(text) + 1, 2 * rng.randint(1, 2))))
        spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]
        if spans:
            kind = rng.choice(kinds)
            notes.append((note(text, f"n{n}", kind, *spans), SpanStyle(kind, "#123456")))
    index = SpanIndex(text)
    index.set_annotations(notes)
    for block in range(index.block_count):
        expected = brute_force(text, notes, block)
        painted: list[set[str]] = [set() for _ in expected]
        previous_end = 0
        for segment in index.segments(block):
            assert segment.start >= previous_end and segment.length > 0
            previous_end = segment.start + segment.length
            assert len(segment.styles) == len(segment.annotation_ids)
            for position in range(segment.start, segment.start + segment.length):
                painted[position] = set(segment.annotation_ids)
        assert painted == expected
    for position in range(index.offsets.utf16_length):
        expected_ids = {
            a.id
            for a, _ in notes
            for f in a.fragments
            if index.offsets.to_utf16(f.start) <= position < index.offsets.to_utf16(f.end)
        }
        assert set(index.at(position)) == expected_ids
