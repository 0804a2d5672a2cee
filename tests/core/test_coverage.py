"""The coverage aggregation on hand-made rows: union of spans, roll-up, zeros, the measures."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.coverage import (
    CoverageCell,
    CoverageFilter,
    CoverageTable,
    LabelledSpan,
    Measure,
    SourceTotals,
    build_table,
    top_levels,
    union_length,
    with_descendants,
)
from annotator.core.errors import ValidationError
from annotator.core.model import AnnotationKind, Code, CodeKind


def issue(code_id: str, name: str, parent: str | None = None) -> Code:
    return Code(code_id, CodeKind.ISSUE, name, "#000000", parent_id=parent)


TRADE, TAIWAN, ARMS = issue("t", "trade"), issue("w", "Taiwan"), issue("a", "arms", parent="w")
ISSUES = (TRADE, TAIWAN, ARMS)
AFP = SourceTotals("afp", "AFP", articles=2, characters=400)
BBC = SourceTotals("bbc", "bbc", articles=1, characters=100)
CNN = SourceTotals("cnn", "CNN", articles=4, characters=1000)  # never annotated


def span(source: str, article: str, label: str, annotation: str, start: int, end: int):
    return LabelledSpan(source, article, label, annotation, start, end)


SPANS = [
    # AFP article 1: two overlapping Taiwan passages and a claim on Taiwan and arms.
    span("afp", "a1", "w", "p1", 0, 40),
    span("afp", "a1", "w", "p2", 30, 60),
    span("afp", "a1", "w", "k1", 50, 70),
    span("afp", "a1", "a", "k1", 50, 70),
    # AFP article 2: a claim of two fragments on arms; the same span as in a1 counts again.
    span("afp", "a2", "a", "k2", 0, 40),
    span("afp", "a2", "a", "k2", 60, 80),
    # BBC: trade.
    span("bbc", "b1", "t", "p3", 10, 35),
]


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ([], 0),
        ([(0, 10)], 10),
        ([(0, 10), (5, 15)], 15),  # overlap counts once
        ([(0, 10), (10, 20)], 20),  # touching
        ([(20, 30), (0, 10)], 20),  # any order
        ([(0, 100), (10, 20), (30, 40)], 100),  # nested
        ([(0, 10), (0, 10)], 10),  # the same span twice
        ([(5, 5), (8, 6)], 0),  # empty or reversed spans cover nothing
    ],
)
def test_union_length(spans, expected):
    assert union_length(spans) == expected


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=12))
def test_union_length_counts_each_covered_character_once(spans):
    covered = {i for start, end in spans for i in range(start, end)}
    assert union_length(spans) == len(covered)


def test_table_counts_annotations_characters_and_articles():
    table = build_table([CNN, BBC, AFP], ISSUES, SPANS)
    assert [s.name for s in table.sources] == ["AFP", "bbc", "CNN"]  # by name, any case
    assert [i.name for i in table.issues] == ["arms", "Taiwan", "trade"]
    assert table.cell("afp", "w") == CoverageCell("afp", "w", 3, 70, 1, 70 / 400)
    # k1 counts under each of its issues; a2's two fragments are one annotation.
    assert table.cell("afp", "a") == CoverageCell("afp", "a", 2, 20 + 40 + 20, 2, 80 / 400)
    assert table.cell("bbc", "t") == CoverageCell("bbc", "t", 1, 25, 1, 0.25)
    assert table.cell("afp", "t") is None
    assert [(c.source_id, c.issue_id) for c in table.cells] == [
        ("afp", "a"), ("afp", "w"), ("bbc", "t"),
    ]  # fmt: skip


def test_sources_without_annotations_are_listed_with_zeros():
    table = build_table([CNN, AFP], ISSUES, SPANS[:1])
    assert [s.id for s in table.sources] == ["afp", "cnn"]
    assert all(table.value(m, "cnn", "w") == 0 for m in Measure)
    assert build_table([CNN], ISSUES, []).is_empty
    assert not table.is_empty


def test_roll_up_merges_children_into_their_top_level_issue():
    table = build_table([AFP], ISSUES, SPANS, merge=top_levels(ISSUES))
    assert [i.id for i in table.issues] == ["w"]
    # p1, p2, k1 (once, though tagged with both), k2; a1 union [0, 70), a2 40 + 20.
    assert table.cell("afp", "w") == CoverageCell("afp", "w", 4, 70 + 60, 2, 130 / 400)


def test_spans_of_unknown_labels_or_sources_are_left_out():
    table = build_table([BBC], [TAIWAN], SPANS)
    assert table.cells == ()
    assert table.issues == ()


def test_measures():
    table = build_table([AFP, BBC], ISSUES, SPANS)
    assert table.value(Measure.ANNOTATIONS, "afp", "w") == 3
    assert table.value(Measure.CHARACTERS, "afp", "w") == 70
    assert table.value(Measure.SHARE, "afp", "w") == pytest.approx(0.175)
    assert table.value(Measure.PER_ARTICLE, "afp", "w") == 1.5  # 3 annotations / 2 articles
    assert table.value(Measure.PER_ARTICLE, "bbc", "t") == 1.0
    assert table.value(Measure.SHARE, "bbc", "w") == 0.0
    empty = SourceTotals("x", "x", 0, 0)
    assert CoverageCell("x", "w", 3, 0, 0, 0.0).value(Measure.PER_ARTICLE, empty) == 0.0


def test_measure_format():
    assert Measure.SHARE.format(0.1754) == "17.5%"
    assert Measure.PER_ARTICLE.format(1.5) == "1.50"
    assert Measure.CHARACTERS.format(12345.0) == "12,345"
    assert Measure("per-article") is Measure.PER_ARTICLE


def test_tidy_rows_are_every_source_by_every_issue():
    rows = build_table([AFP, BBC], ISSUES, SPANS).tidy_rows()
    assert len(rows) == 2 * 3
    assert rows[0] == {
        "source": "AFP", "issue": "arms", "annotations": 2, "characters": 80, "articles": 2,
        "share_of_text": 0.2,
    }  # fmt: skip
    assert rows[2] == {
        "source": "AFP", "issue": "trade", "annotations": 0, "characters": 0, "articles": 0,
        "share_of_text": 0.0,
    }  # fmt: skip
    assert CoverageTable().tidy_rows() == []


def test_top_levels_and_descendants():
    grand = issue("g", "grandchild", parent="a")
    codes = [*ISSUES, grand]
    assert top_levels(codes) == {"t": "t", "w": "w", "a": "w", "g": "w"}
    assert with_descendants(codes, "w") == {"w", "a", "g"}
    assert with_descendants(codes, "a") == {"a", "g"}
    assert with_descendants(codes, "t") == {"t"}
    # A cycle an old file might hold ends the walk instead of looping.
    loop = [issue("x", "x", parent="y"), issue("y", "y", parent="x")]
    assert set(top_levels(loop).values()) <= {"x", "y"}
    assert with_descendants(loop, "x") == {"x", "y"}


def test_filter_defaults_and_checks():
    flt = CoverageFilter()
    assert flt.kinds == {AnnotationKind.ISSUE, AnnotationKind.CLAIM}
    assert not flt.dated and not flt.roll_up
    assert CoverageFilter(date_to="2024").dated
    for good in ("2024", "2024-05", "2024-05-31", "2024-05-31T10:00:00+02:00"):
        CoverageFilter(date_from=good)
    for bad in ("May 2024", "2024-13", "2024-02-30", "24-05-01", ""):
        with pytest.raises(ValidationError, match="not an ISO date"):
            CoverageFilter(date_to=bad)
    with pytest.raises(ValidationError, match="after"):
        CoverageFilter(date_from="2024-06", date_to="2024-05-31")
    CoverageFilter(date_from="2024-05-31", date_to="2024-05")  # the same month: fine
    with pytest.raises(ValidationError, match="not speaker"):
        CoverageFilter(kinds=frozenset({AnnotationKind.SPEAKER}))
