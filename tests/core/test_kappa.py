"""Character-level Cohen's and Fleiss' κ on hand-computed fixtures and published tables."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.agreement.kappa import Run, character_runs, cohen_kappa, fleiss_kappa
from annotator.core.agreement.unitizing import Unit

X = frozenset({"x"})
NONE: frozenset[str] = frozenset()


def test_runs_follow_unit_boundaries_and_carry_every_label():
    units = [
        Unit("A", "x", 0, 5),
        Unit("A", "y", 3, 8),
        Unit("B", "x", 2, 6),
        Unit("B", "x", 4, 6),  # nested: still just x
    ]
    runs = character_runs(units, ["A", "B"], 10)
    assert runs == [
        Run(2, (X, NONE)),
        Run(1, (X, X)),
        Run(2, (frozenset({"x", "y"}), X)),
        Run(1, (frozenset({"y"}), X)),
        Run(2, (frozenset({"y"}), NONE)),
        Run(2, (NONE, NONE)),
    ]
    assert sum(r.length for r in runs) == 10


def test_cohen_and_fleiss_by_hand():
    # A: 1111100000, B: 0011110000. Agreement 7/10; A marks 5/10, B 4/10:
    # Cohen P_e = .5·.4 + .5·.6 = .5 → κ = (.7 - .5)/.5 = .4.
    # Fleiss pools the marginals: p = 9/20, P_e = .45² + .55² = .505 → κ = .195/.495 = 13/33.
    runs = character_runs([Unit("A", "x", 0, 5), Unit("B", "x", 2, 6)], ["A", "B"], 10)
    cohen = cohen_kappa(runs, 0, 1)
    assert (cohen.observed, cohen.expected, cohen.items) == (pytest.approx(0.7), 0.5, 10)
    assert cohen.value == pytest.approx(0.4)
    fleiss = fleiss_kappa(runs)
    assert fleiss.observed == pytest.approx(0.7)
    assert fleiss.expected == pytest.approx(0.505)
    assert fleiss.value == pytest.approx(13 / 33)


def _rows(table: list[list[int]]) -> list[Run]:
    """Count tables (items × categories) as runs of one character each."""
    return [
        Run(1, tuple(frozenset({str(k)}) for k, n in enumerate(row) for _ in range(n)))
        for row in table
    ]


def test_cohen_on_the_textbook_two_by_two_table():
    # 50 items: both yes 20, A yes B no 5, A no B yes 10, both no 15 → p_o .7, p_e .5, κ .4
    yes, no = frozenset({"yes"}), frozenset({"no"})
    runs = [Run(20, (yes, yes)), Run(5, (yes, no)), Run(10, (no, yes)), Run(15, (no, no))]
    kappa = cohen_kappa(runs, 0, 1)
    assert (kappa.observed, kappa.expected) == (pytest.approx(0.7), pytest.approx(0.5))
    assert kappa.value == pytest.approx(0.4)


def test_fleiss_on_fleiss_worked_example():
    # 10 subjects, 14 raters, 5 categories (the example in Fleiss' κ's Wikipedia article):
    # P̄ = 0.378, P_e = 0.213, κ = 0.210.
    table = [
        [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ]  # fmt: skip
    kappa = fleiss_kappa(_rows(table))
    assert kappa.observed == pytest.approx(0.378, abs=5e-4)
    assert kappa.expected == pytest.approx(0.213, abs=5e-4)
    assert kappa.value == pytest.approx(0.210, abs=5e-4)
    assert (kappa.items, kappa.coders) == (10, 14)


def test_no_variation_cannot_be_measured():
    runs = character_runs([Unit("A", "x", 0, 10), Unit("B", "x", 0, 10)], ["A", "B"], 10)
    assert cohen_kappa(runs, 0, 1).value is None
    assert fleiss_kappa(runs).value is None
    assert cohen_kappa([], 0, 1).value is None
    assert fleiss_kappa([]).value is None


def test_disjoint_markings_agree_below_chance():
    runs = character_runs([Unit("A", "x", 0, 5), Unit("B", "x", 5, 10)], ["A", "B"], 10)
    assert cohen_kappa(runs, 0, 1).value == pytest.approx(-1.0)


spans = st.lists(st.tuples(st.integers(0, 29), st.integers(1, 10)), max_size=4)


@given(spans, spans)
def test_runs_give_the_same_kappa_as_counting_each_character(a, b):
    units = [Unit("A", "x", s, s + n) for s, n in a] + [Unit("B", "x", s, s + n) for s, n in b]
    length = 30
    runs = character_runs(units, ["A", "B"], length)
    per_character = [
        Run(1, tuple(
            frozenset({"x"}) if any(u.start <= i < u.end for u in units if u.coder == c) else NONE
            for c in "AB"
        ))
        for i in range(length)
    ]  # fmt: skip
    assert cohen_kappa(runs, 0, 1) == cohen_kappa(per_character, 0, 1)
    assert fleiss_kappa(runs) == fleiss_kappa(per_character)
