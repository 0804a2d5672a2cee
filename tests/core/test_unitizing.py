"""Krippendorff's αu, checked against the published worked examples first.

The data of ``krippendorff_2004`` is Krippendorff's example (Content Analysis, 2nd ed., 2004,
p. 254) as DKPro Agreement's ``Krippendorff2004Test.createExample`` encodes it: two coders, a
continuum from 150 to 450, categories c and k. ``krippendorff_1995`` is the example of
"On the reliability of unitizing contiguous data" (1995, p. 57) as in DKPro's
``Krippendorff1995Test``. The expected figures are theirs.
"""

from fractions import Fraction
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.agreement.unitizing import (
    Unit,
    _expected,
    _joined,
    _observed,
    _segments,
    distance,
    unitizing_alpha,
)


def krippendorff_2004() -> list[Unit]:
    def unit(coder: str, category: str, offset: int, length: int) -> Unit:
        return Unit(coder, category, offset, offset + length)

    return [
        unit("i", "c", 225, 70), unit("i", "c", 370, 30),
        unit("j", "c", 220, 80), unit("j", "c", 355, 20), unit("j", "c", 400, 20),
        unit("i", "k", 180, 60), unit("i", "k", 300, 50),
        unit("j", "k", 180, 60), unit("j", "k", 300, 50),
    ]  # fmt: skip


def test_the_published_2004_example():
    result = unitizing_alpha(krippendorff_2004(), ["i", "j"], 300, begin=150)
    c, k = result.category("c"), result.category("k")
    assert c.observed == pytest.approx(0.0144, abs=1e-4)
    assert c.expected == pytest.approx(0.0532, abs=1e-4)
    assert c.alpha == pytest.approx(0.7286, abs=1e-4)
    assert k.observed == 0.0
    assert k.expected == pytest.approx(0.0490, abs=1e-4)
    assert k.alpha == 1.0
    assert result.alpha == pytest.approx(0.8591, abs=5e-4)  # DKPro's figure and tolerance
    assert result.alpha == pytest.approx(0.8587, abs=5e-5)  # what it computes to exactly
    assert result.units == 9 and result.coders == 2 and result.length == 300
    swapped = unitizing_alpha(krippendorff_2004(), ["j", "i"], 300, begin=150)
    assert swapped.alpha == result.alpha  # the order of the coders does not matter


def test_observed_disagreement_of_the_2004_example_by_hand():
    # c: (225,295) vs (220,300): 5² + 5²; (370,400) vs (355,375): 15² + 25²;
    # j's (400,420) inside i's gap (400,450): 20². Sum 1300, over m(m-1)L² / 2 = 90,000.
    result = unitizing_alpha(krippendorff_2004(), ["i", "j"], 300, begin=150)
    assert result.category("c").observed == pytest.approx(1300 / 90_000)


def krippendorff_1995(stretch: float) -> tuple[list[Unit], int]:
    rows = {
        "A": [(0, 2, 8), (0, 14, 6), (1, 4, 4), (1, 15, 2)],
        "B": [(0, 0, 18), (1, 0, 2), (1, 2, 1), (1, 3, 1), (1, 4, 1), (1, 5, 1), (1, 6, 3),
              (1, 9, 1)],
        "C": [(0, 2, 6), (0, 10, 2), (0, 14, 4), (0, 20, 2), (1, 0, 2), (1, 4, 4), (1, 10, 4),
              (1, 16, 2), (1, 20, 2)],
        "D": [(0, 0, 2), (0, 2, 8), (0, 10, 4), (0, 14, 6), (0, 20, 4), (1, 0, 4), (1, 4, 4),
              (1, 8, 7), (1, 15, 2), (1, 17, 7)],
    }  # fmt: skip
    units = [
        Unit(str(coder), category, int(offset * stretch), int(offset * stretch) + int(n * stretch))
        for category, spans in rows.items()
        for coder, offset, n in spans
    ]
    return units, int(24 * stretch)


def test_the_published_1995_example():
    units, length = krippendorff_1995(1)
    result = unitizing_alpha(units, ["0", "1"], length)
    observed = {c.category: c.observed for c in result.categories}
    assert observed == pytest.approx(
        {"A": 0.03125, "B": 2.26736, "C": 0.02777, "D": 0.38715}, abs=1e-5
    )
    units, length = krippendorff_1995(50_000)
    result = unitizing_alpha(units, ["0", "1"], length)
    expected = {c.category: c.expected for c in result.categories}
    alpha = {c.category: c.alpha for c in result.categories}
    assert expected == pytest.approx(
        {"A": 0.06990, "B": 1.17731, "C": 0.08642, "D": 0.41445}, abs=5e-3
    )
    assert alpha == pytest.approx({"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}, abs=0.02)


def test_the_1995_example_at_half_scale():
    units, length = krippendorff_1995(0.5)
    result = unitizing_alpha(units, ["0", "1"], length)
    assert result.category("C").expected == pytest.approx(0.05494, abs=1e-5)
    assert result.category("C").alpha == pytest.approx(0.494, abs=0.02)


def test_a_short_unit_inside_a_long_one():
    # DKPro's UnitizingAgreementTest: r0 -11111111-, r1 --1-1-1---
    units = [Unit("r0", "A", 1, 9)] + [Unit("r1", "A", s, s + 1) for s in (2, 4, 6)]
    result = unitizing_alpha(units, ["r0", "r1"], 10)
    assert result.observed == pytest.approx(0.9100, abs=1e-4)
    assert result.expected == pytest.approx(0.5351, abs=1e-4)
    assert result.alpha == pytest.approx(-0.7003, abs=1e-4)


def test_three_coders_by_hand():
    # A and B mark [2, 6) of 10 characters, C marks nothing.
    # D_o: A and B agree; A's and B's unit each lie in C's gap: 2 × 4² = 32, doubled over
    #      m(m-1)L² = 600 → 64/600. D_e: units 4, 4; gaps 2, 4, 2, 4, 10. Per unit
    #      (2-1)·4·3·7/3 = 28 plus 4²·((4-4+1) + (4-4+1) + (10-4+1)) = 144, so 2·344 / (10 ·
    #      (30·29 − 2·4·3)) = 688/8460. αu = 1 − (64/600)/(688/8460) = −67/215.
    result = unitizing_alpha([Unit("A", "x", 2, 6), Unit("B", "x", 2, 6)], ["A", "B", "C"], 10)
    assert result.observed == pytest.approx(64 / 600)
    assert result.expected == pytest.approx(688 / 8460)
    assert result.alpha == pytest.approx(-67 / 215)


def test_identical_codings_agree_perfectly_and_no_units_cannot_be_measured():
    units = [Unit(c, "x", 3, 7) for c in "ABC"] + [Unit(c, "x", 12, 20) for c in "ABC"]
    assert unitizing_alpha(units, list("ABC"), 30).alpha == 1.0
    empty = unitizing_alpha([], ["A", "B"], 30, categories=["x"])
    assert empty.alpha is None and empty.category("x").alpha is None


def test_a_coders_overlapping_units_are_joined_and_units_are_clipped():
    assert _joined([(5, 9), (0, 6), (9, 12), (20, 30), (21, 22)]) == [
        (0, 9), (9, 12), (20, 30),
    ]  # fmt: skip
    nested = [Unit("A", "x", 0, 10), Unit("A", "x", 2, 4), Unit("B", "x", 0, 10)]
    assert unitizing_alpha(nested, ["A", "B"], 20).alpha == 1.0
    clipped = unitizing_alpha([Unit("A", "x", -5, 4), Unit("B", "x", 0, 40)], ["A", "B"], 4)
    assert clipped.alpha == 1.0


def test_refuses_what_it_cannot_measure():
    with pytest.raises(ValueError, match="two coders"):
        unitizing_alpha([], ["A"], 10)
    with pytest.raises(ValueError, match="not one of"):
        unitizing_alpha([Unit("Z", "x", 0, 1)], ["A", "B"], 10)
    with pytest.raises(ValueError, match="empty"):
        unitizing_alpha([], ["A", "B"], 0)


def test_distance_cases_from_krippendorff_2004():
    def seg(start: int, length: int, unit: bool):
        return _segments([(start, start + length)], start, start + length)[0]._replace(unit=unit)

    assert distance(seg(225, 70, True), seg(220, 80, True)) == 50
    assert distance(seg(370, 30, True), seg(355, 20, True)) == 850
    assert distance(seg(400, 50, False), seg(400, 20, True)) == 400
    assert distance(seg(400, 20, True), seg(400, 50, False)) == 400  # either way round
    assert distance(seg(430, 20, True), seg(400, 50, False)) == 400  # flush with the gap's end
    assert distance(seg(1, 8, True), seg(0, 2, False)) == 0  # a gap inside no unit costs 0


# -- the fast sums against the formulas written out pair by pair -----------------------------

coders_units = st.lists(
    st.lists(st.tuples(st.integers(0, 39), st.integers(1, 12)), max_size=5), min_size=2,
    max_size=4,
)  # fmt: skip


def _brute(segments: dict, length: int) -> tuple[Fraction, Fraction]:
    m = len(segments)
    pair_sum = sum(
        distance(a, b) for x, y in combinations(segments.values(), 2) for a in x for b in y
    )
    units = [s for coder in segments.values() for s in coder if s.unit]
    gaps = [s for coder in segments.values() for s in coder if not s.unit]
    total = 0
    for u in units:
        size = u.length
        total += (len(units) - 1) * Fraction(2 * size**3 - 3 * size**2 + size, 3)
        total += size**2 * sum(g.length - size + 1 for g in gaps if g.length >= size)
    squared = sum(u.length * (u.length - 1) for u in units)
    observed = Fraction(2 * pair_sum, m * (m - 1) * length**2)
    expected = Fraction(2 * total, length * (m * length * (m * length - 1) - squared))
    return observed, expected


@given(coders_units)
def test_sweep_and_sorted_gap_sums_equal_the_pairwise_formulas(coded):
    length = 50
    segments = {
        str(i): _segments(_joined([(s, min(s + n, length)) for s, n in spans]), 0, length)
        for i, spans in enumerate(coded)
    }
    assert (_observed(segments, length), _expected(segments, length)) == _brute(segments, length)
