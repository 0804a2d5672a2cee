"""The bulk-loaded, lazily queried SpanIndex: sorted starts, loose long spans, runs()."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.model import Annotation, AnnotationKind, Fragment
from annotator.core.spans import span_index
from annotator.core.spans.offsets import OffsetMap
from annotator.core.spans.span_index import SpanIndex
from annotator.core.spans.span_style import Segment, SpanStyle
from tests.conftest import loose_annotation

CLAIM, SPEAKER, ISSUE = AnnotationKind.CLAIM, AnnotationKind.SPEAKER, AnnotationKind.ISSUE
RED = SpanStyle(ISSUE, "#e15759")
BLUE = SpanStyle(CLAIM, "#4e79a7")
GREEN = SpanStyle(SPEAKER, "#59a14f")

TEXT = (
    "“Tariffs 😠 stay,” Xi said.\n"  # block 0: curly quotes and an emoji
    "Flags 🇺🇸🇨🇳 flew, and Biden’s aide replied.\n"  # block 1: four astral characters
    "\n"  # block 2, empty
    "No emoji here at all."  # block 3
)


def note(annotation_id: str, kind: AnnotationKind, *spans: tuple[int, int], text: str = TEXT):
    return loose_annotation(text, annotation_id, kind, spans)


def span_of(needle: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def covering(text: str, notes: list[tuple[Annotation, SpanStyle]], block: int) -> list[set[str]]:
    """Per UTF-16 unit of a block, the ids covering it, straight from the definition."""
    offsets = OffsetMap(text)
    lines = text.split("\n")
    start_cp = sum(len(line) + 1 for line in lines[:block])
    start = offsets.to_utf16(start_cp)
    end = offsets.to_utf16(start_cp + len(lines[block]))
    return [
        {
            a.id
            for a, _ in notes
            for f in a.fragments
            if offsets.to_utf16(f.start) <= position < offsets.to_utf16(f.end)
        }
        for position in range(start, end)
    ]


@pytest.fixture(params=[4096, 3], ids=["sorted", "loose"])
def long_span(request, monkeypatch):
    """Runs a test with LONG_SPAN as shipped and so small that nearly every span is loose."""
    monkeypatch.setattr(span_index, "LONG_SPAN", request.param)
    return request.param


def test_a_span_across_paragraphs_after_emoji_is_clipped_per_block(long_span):
    start = TEXT.index("said")
    end = TEXT.index("No emoji") + 2
    index = SpanIndex(TEXT)
    index.set_annotations([(note("long", ISSUE, (start, end)), RED)])
    line0, line1 = TEXT.split("\n")[:2]
    said = u16(line0[: line0.index("said")])
    assert said == line0.index("said") + 1  # 😠 is two units
    assert index.segments(0) == [Segment(said, u16(line0) - said, (RED,), ("long",))]
    assert index.segments(1) == [Segment(0, u16(line1), (RED,), ("long",))]
    assert u16(line1) == len(line1) + 4
    assert index.segments(2) == []
    assert index.segments(3) == [Segment(0, 2, (RED,), ("long",))]
    assert index.at(index.offsets.to_utf16(TEXT.index("Biden"))) == ["long"]


def test_overlaps_reaching_across_a_paragraph_boundary(long_span):
    first = span_of("Xi said.\nFlags")
    second = span_of("said.\nFlags 🇺🇸🇨🇳 flew")
    index = SpanIndex(TEXT)
    index.set_annotations([(note("c", CLAIM, first), BLUE), (note("i", ISSUE, second), RED)])
    line0 = TEXT.split("\n")[0]
    xi, said = line0.index("Xi"), line0.index("said")
    assert [(s.start, s.length, s.annotation_ids) for s in index.segments(0)] == [
        (xi + 1, said - xi, ("c",)),
        (said + 1, len(line0) - said, ("i", "c")),
    ]
    flags = u16("Flags")
    assert [(s.start, s.length, s.annotation_ids) for s in index.segments(1)] == [
        (0, flags, ("i", "c")),
        (flags, u16(" 🇺🇸🇨🇳 flew"), ("i",)),
    ]
    assert index.at(index.offsets.to_utf16(TEXT.index("\nFlags"))) == ["c", "i"]


def test_a_click_between_the_halves_of_an_emoji_hits_it():
    index = SpanIndex(TEXT)
    index.set_annotations([(note("e", SPEAKER, span_of("😠")), GREEN)])
    start = index.offsets.to_utf16(TEXT.index("😠"))
    assert index.at(start) == index.at(start + 1) == ["e"]
    assert index.at(start + 2) == []


def test_adds_and_removes_after_a_bulk_load(long_span):
    index = SpanIndex(TEXT)
    index.set_annotations(
        [(note("xi", SPEAKER, span_of("Xi")), GREEN), (note("q", CLAIM, span_of("Tariffs")), BLUE)]
    )
    assert len(index) == 2 and "xi" in index
    assert index.remove("q") == {0}
    assert [s.annotation_ids for s in index.segments(0)] == [("xi",)]
    assert index.add(note("aide", SPEAKER, span_of("aide")), GREEN) == {1}
    assert index.update(note("xi", SPEAKER, span_of("No")), GREEN) == {0, 3}
    assert index.segments(0) == []
    assert index.segments(3) == [Segment(0, 2, (GREEN,), ("xi",))]
    start = index.offsets.to_utf16(TEXT.index("No"))
    assert index.fragments_u16("xi") == [(start, start + 2)]
    assert len(index) == 2 and "q" not in index


def test_a_repeated_id_keeps_the_last_one(long_span):
    index = SpanIndex(TEXT)
    index.set_annotations(
        [(note("x", ISSUE, span_of("Tariffs")), RED), (note("x", CLAIM, span_of("aide")), BLUE)]
    )
    assert len(index) == 1
    assert index.style_of("x") == BLUE
    assert index.segments(0) == []
    assert [s.annotation_ids for s in index.segments(1)] == [("x",)]


def test_a_bad_inner_fragment_is_refused_and_leaves_the_index_empty():
    good = note("good", ISSUE, span_of("Tariffs"))
    bad = Annotation(
        id="bad",
        article_id="a",
        kind=CLAIM,
        fragments=(Fragment(0, 3), Fragment(5, 4), Fragment(8, 9)),  # the middle one is empty
        annotator="t",
        created_at="",
        updated_at="",
    )
    index = SpanIndex(TEXT)
    with pytest.raises(ValueError, match=r"bad: fragment 5\.\.4"):
        index.set_annotations([(good, RED), (bad, BLUE)])
    assert len(index) == 0 and index.segments(0) == []


def test_fragments_out_of_order_still_paint():
    """make_fragments sorts them, but an Annotation built directly may not be."""
    claim = Annotation(
        id="c",
        article_id="a",
        kind=CLAIM,
        fragments=(Fragment(*span_of("No emoji")), Fragment(*span_of("Tariffs"))),
        annotator="t",
        created_at="",
        updated_at="",
    )
    index = SpanIndex(TEXT)
    index.set_annotations([(claim, BLUE)])
    assert [s.annotation_ids for s in index.segments(0)] == [("c",)]
    assert [s.annotation_ids for s in index.segments(3)] == [("c",)]


def test_runs_sum_the_weights_and_merge_equal_neighbours():
    text = "0123456789"
    index = SpanIndex(text)
    other_red = SpanStyle(ISSUE, "#e15759")  # an equal style of another annotation
    index.set_annotations(
        [
            (note("a", ISSUE, (0, 4), text=text), RED),
            (note("b", ISSUE, (4, 6), text=text), other_red),
            (note("c", CLAIM, (2, 8), text=text), BLUE),
        ]
    )
    weights = {RED: 1, BLUE: 10}
    # a and b weigh the same: [0, 2) and [4, 6) differ only in ids, not in total.
    assert index.runs(0, weights.__getitem__) == [(0, 2, 1), (2, 4, 11), (6, 2, 10)]
    assert index.runs(5, weights.__getitem__) == []


alphabet = st.sampled_from(["a", "b", " ", "\n", "😠", "🇺", "“", "”", "’", "…"])


@settings(max_examples=150, deadline=None)
@given(st.lists(alphabet, min_size=1, max_size=50).map("".join), st.data(), st.booleans())
def test_segments_runs_and_hits_agree_with_brute_force(text, data, small_long_span):
    """Both storage paths (sorted starts, loose per block), with adds and removes after a
    bulk load, against the definition; runs() against segments()."""
    rng = random.Random(data.draw(st.integers(0, 2**32)))
    kinds = [ISSUE, CLAIM, SPEAKER]
    notes = []
    for n in range(rng.randint(0, 8)):
        cuts = sorted(rng.sample(range(len(text) + 1), k=min(len(text) + 1, 2 * rng.randint(1, 2))))
        spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]
        if spans:
            kind = rng.choice(kinds)
            style = SpanStyle(kind, f"#{rng.randrange(4):06x}")
            notes.append((note(f"n{n}", kind, *spans, text=text), style))
    old = span_index.LONG_SPAN
    span_index.LONG_SPAN = 4 if small_long_span else old
    try:
        index = SpanIndex(text)
        split = rng.randint(0, len(notes))
        index.set_annotations([*notes[:split], (note("gone", ISSUE, (0, 1), text=text), RED)])
        for item in notes[split:]:
            index.add(*item)
        index.remove("gone")
    finally:
        span_index.LONG_SPAN = old
    weights = {}
    for _, style in notes:
        weights.setdefault(style, 1 << (8 * len(weights)))
    for block in range(index.block_count):
        expected = covering(text, notes, block)
        painted: list[set[str]] = [set() for _ in expected]
        for segment in index.segments(block):
            for position in range(segment.start, segment.start + segment.length):
                painted[position] = set(segment.annotation_ids)
        assert painted == expected
        totals = [0] * len(expected)
        previous_end = -1
        for start, length, total in index.runs(block, weights.__getitem__):
            assert length > 0 and total > 0 and start >= previous_end
            previous_end = start + length
            totals[start : start + length] = [total] * length
        style_of = {a.id: s for a, s in notes}
        assert totals == [sum(weights[style_of[i]] for i in ids) for ids in expected]
    for position in range(index.offsets.utf16_length):
        expected_ids = {
            a.id
            for a, _ in notes
            for f in a.fragments
            if index.offsets.to_utf16(f.start) <= position < index.offsets.to_utf16(f.end)
        }
        assert set(index.at(position)) == expected_ids
