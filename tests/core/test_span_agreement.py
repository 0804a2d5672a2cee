"""Span F1 (exact and overlap) and speaker attribution agreement on hand-computed fixtures."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.agreement.spans import (
    NO_SPANS,
    Span,
    SpanF1,
    fragments_overlap,
    overlapping_pairs,
    span_f1,
    speaker_attribution,
)


def span(coder: str, *fragments: tuple[int, int], category: str = "claim", **kw) -> Span:
    return Span(coder, tuple(fragments), category=category, group=kw.pop("group", "art"), **kw)


def test_f1_by_hand():
    # A: [0,10) [20,30) [40,50) [60,70);  B: [0,10) [22,30) [80,90)
    # exact: one match each side → P = 1/3, R = 1/4, F1 = 2/7.
    # overlap: A matches 2 of 4, B 2 of 3 → P = 2/3, R = 1/2, F1 = 4/7.
    a = [span("A", (s, s + 10)) for s in (0, 20, 40, 60)]
    b = [span("B", (0, 10)), span("B", (22, 30)), span("B", (80, 90))]
    exact = span_f1(a, b, exact=True)
    assert exact == SpanF1(a_spans=4, b_spans=3, a_matched=1, b_matched=1)
    assert exact.f1 == pytest.approx(2 / 7)
    overlap = span_f1(a, b, exact=False)
    assert (overlap.precision, overlap.recall) == (pytest.approx(2 / 3), 0.5)
    assert overlap.f1 == pytest.approx(4 / 7)
    assert span_f1(b, a, exact=False).f1 == pytest.approx(4 / 7)  # symmetric


def test_categories_groups_and_fragments_must_agree():
    a = [span("A", (0, 5), (9, 12)), span("A", (20, 25), category="Taiwan")]
    b = [span("B", (0, 5)), span("B", (20, 25), category="Trade"), span("B", (0, 5), group="x")]
    assert span_f1(a, b, exact=True).a_matched == 0
    overlap = span_f1(a, b, exact=False)
    assert (overlap.a_matched, overlap.b_matched) == (1, 1)  # the claim, in its own article


def test_f1_of_nothing_is_unknown_and_of_one_side_zero():
    assert span_f1([], [], exact=True).f1 is None
    assert span_f1([span("A", (0, 1))], [], exact=False).f1 == 0.0
    pooled = SpanF1(2, 2, 1, 1) + SpanF1(2, 0, 0, 0) + NO_SPANS
    assert pooled == SpanF1(4, 2, 1, 1)
    assert pooled.f1 == pytest.approx(2 * 0.5 * 0.25 / 0.75)


def test_fragments_overlap_across_gaps():
    assert not fragments_overlap(((0, 5), (10, 15)), ((5, 10),))
    assert fragments_overlap(((0, 5), (10, 15)), ((5, 11),))
    assert not fragments_overlap(((0, 5),), ((5, 6),))


def test_speakers_agree_on_the_span_but_not_the_speaker():
    # Both coders mark the same claim; A gives it to Xi, B to Biden: the span agrees, the
    # attribution does not. The second claim agrees through overlapping speaker mentions,
    # the third through the same speaker code without any mention.
    a = [
        span("A", (0, 40), speaker="xi"),
        span("A", (50, 90), speaker="biden", mention=((92, 97),)),
        span("A", (100, 130), speaker="aide"),
    ]
    b = [
        span("B", (0, 40), speaker="biden"),
        span("B", (52, 90), speaker="biden", mention=((92, 100),)),
        span("B", (100, 125), speaker="aide"),
    ]
    assert span_f1(a, b, exact=False).f1 == 1.0
    result = speaker_attribution(a, b)
    assert (result.pairs, result.agreeing, result.unattributed) == (3, 2, 0)
    assert result.share == pytest.approx(2 / 3)


def test_mentions_decide_when_both_claims_have_one():
    a = [span("A", (0, 40), speaker="xi", mention=((41, 43),))]
    b = [span("B", (0, 40), speaker="xi", mention=((60, 62),))]
    assert speaker_attribution(a, b).agreeing == 0  # same code, different place in the text
    c = [span("B", (0, 40), speaker="xi")]
    assert speaker_attribution(a, c).agreeing == 1  # one without a mention: codes decide


def test_claims_without_speakers_are_not_compared():
    a = [span("A", (0, 40)), span("A", (50, 60))]
    b = [span("B", (0, 40)), span("B", (50, 60), speaker="xi")]
    result = speaker_attribution(a, b)
    assert (result.pairs, result.agreeing, result.unattributed) == (1, 0, 1)
    assert speaker_attribution([], b).share is None


spans = st.lists(
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 15)), min_size=1, max_size=3),
    max_size=6,
)


def _spans(coder: str, raw: list) -> list[Span]:
    result = []
    for fragments in raw:
        merged: list[tuple[int, int]] = []
        for start, n in sorted(fragments):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], start + n))
            else:
                merged.append((start, start + n))
        result.append(Span(coder, tuple(merged), group="g"))
    return result


@given(spans, spans)
def test_the_sweep_finds_exactly_the_overlapping_pairs(raw_a, raw_b):
    a, b = _spans("A", raw_a), _spans("B", raw_b)
    position = {id(s): i for side in (a, b) for i, s in enumerate(side)}
    found = sorted((position[id(x)], position[id(y)]) for x, y in overlapping_pairs(a, b))
    every = sorted(
        (i, j)
        for i, x in enumerate(a)
        for j, y in enumerate(b)
        if any(s < f and t < e for s, e in x.fragments for t, f in y.fragments)
    )
    assert found == every
