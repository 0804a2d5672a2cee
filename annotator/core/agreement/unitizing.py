"""Krippendorff's unitizing alpha (αu) over a continuum of characters.

The 2004 continuum version (Krippendorff, "Measuring the reliability of qualitative text
analysis data", Quality & Quantity 38, 2004; Content Analysis, 2nd ed., pp. 251-256), computed
as DKPro Agreement's ``KrippendorffAlphaUnitizingAgreement`` (which INCEpTION uses) computes it:

- For one category, every coder's continuum is cut into segments: the coder's units of that
  category and the gaps between them, gaps at both ends included. Gaps count: a unit one coder
  marked inside another coder's gap costs its squared length.
- Two overlapping units of two coders cost the squares of their start and end differences; a
  unit lying inside the other coder's gap costs its length squared; anything else costs 0.
  Observed disagreement D_o sums these over every pair of coders, divided by m(m-1)L².
- Expected disagreement D_e compares every unit with every other unit and every gap it fits
  in, as if units fell anywhere on the continuum (Krippendorff 2004, eq. for D_ec).
- αu of a category is 1 - D_o/D_e; over all categories 1 - ΣD_o/ΣD_e (the means' ratio).

Every sum is an integer, so the results are exact fractions rounded once at the end. One
coder's overlapping units of one category (two nested quotes marked as claims, say) are
joined into their union first: the measure assumes a coder's units of a category never overlap,
and DKPro's sweep miscounts when they do. Units touching end to start stay separate units.
"""

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import accumulate, combinations
from typing import NamedTuple


@dataclass(frozen=True, slots=True, order=True)
class Unit:
    """One coder's unit: characters [start, end) of the continuum, labelled ``category``."""

    coder: str
    category: str
    start: int
    end: int


class _Segment(NamedTuple):
    start: int
    end: int
    unit: bool  # False for a gap

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class CategoryAlpha:
    """αu of one category with the disagreements it is made of."""

    category: str
    alpha: float | None  # None where nothing can disagree (no units: D_e = 0)
    observed: float  # D_o
    expected: float  # D_e
    units: int  # after joining one coder's overlapping units


@dataclass(frozen=True, slots=True)
class UnitizingAlpha:
    """αu over all categories, and per category."""

    alpha: float | None
    observed: float  # mean D_o over the categories
    expected: float  # mean D_e over the categories
    units: int
    coders: int
    length: int
    categories: tuple[CategoryAlpha, ...]

    def category(self, name: str) -> CategoryAlpha | None:
        return next((c for c in self.categories if c.category == name), None)


def unitizing_alpha(
    units: Iterable[Unit],
    coders: Sequence[str],
    length: int,
    *,
    begin: int = 0,
    categories: Sequence[str] | None = None,
) -> UnitizingAlpha:
    """αu of ``coders`` on the continuum [begin, begin + length).

    Units are clipped to the continuum; a coder listed in ``coders`` without units marked
    nothing (one gap over everything). ``categories`` defaults to those the units use.
    """
    if len(set(coders)) < 2:
        raise ValueError("Agreement needs at least two coders.")
    if length <= 0:
        raise ValueError("The continuum must not be empty.")
    end = begin + length
    by_category: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(
        lambda: {coder: [] for coder in coders}
    )
    for unit in units:
        if unit.coder not in coders:
            raise ValueError(f"{unit.coder!r} is not one of the coders compared.")
        start, stop = max(unit.start, begin), min(unit.end, end)
        if start < stop:
            by_category[unit.category][unit.coder].append((start, stop))
    names = list(categories) if categories is not None else sorted(by_category)
    results = []
    sum_observed = sum_expected = Fraction(0)
    for name in names:
        spans = {coder: _joined(by_category[name][coder]) for coder in coders}
        segments = {coder: _segments(spans[coder], begin, end) for coder in coders}
        observed = _observed(segments, length)
        expected = _expected(segments, length)
        sum_observed += observed
        sum_expected += expected
        results.append(
            CategoryAlpha(
                category=name,
                alpha=_alpha(observed, expected),
                observed=float(observed),
                expected=float(expected),
                units=sum(len(s) for s in spans.values()),
            )
        )
    count = max(len(names), 1)
    return UnitizingAlpha(
        alpha=_alpha(sum_observed, sum_expected),
        observed=float(sum_observed / count),
        expected=float(sum_expected / count),
        units=sum(c.units for c in results),
        coders=len(set(coders)),
        length=length,
        categories=tuple(results),
    )


def _alpha(observed: Fraction, expected: Fraction) -> float | None:
    return None if expected == 0 else float(1 - observed / expected)


def _joined(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One coder's units of one category with overlapping ones joined, in order."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if joined and start < joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined


def _segments(spans: list[tuple[int, int]], begin: int, end: int) -> list[_Segment]:
    """The units and the gaps between them, tiling [begin, end)."""
    segments = []
    position = begin
    for start, stop in spans:
        if start > position:
            segments.append(_Segment(position, start, unit=False))
        segments.append(_Segment(start, stop, unit=True))
        position = stop
    if position < end:
        segments.append(_Segment(position, end, unit=False))
    return segments


def distance(a: _Segment, b: _Segment) -> int:
    """Krippendorff's squared distance δ² between two coders' segments of one category."""
    if a.unit and b.unit:
        if a.start < b.end and b.start < a.end:
            return (a.start - b.start) ** 2 + (a.end - b.end) ** 2
        return 0
    if a.unit and b.start <= a.start and a.end <= b.end:
        return a.length**2
    if b.unit and a.start <= b.start and b.end <= a.end:
        return b.length**2
    return 0


def _observed(segments: dict[str, list[_Segment]], length: int) -> Fraction:
    """D_o: both coders' segments tile the continuum, so one sweep meets every overlapping
    pair exactly once; pairs that do not overlap are at distance 0."""
    total = 0
    for first, second in combinations(segments.values(), 2):
        i = j = 0
        while i < len(first) and j < len(second):
            a, b = first[i], second[j]
            total += distance(a, b)
            if a.end <= b.end:
                i += 1
            if b.end <= a.end:
                j += 1
    m = len(segments)
    return Fraction(2 * total, m * (m - 1) * length * length)


def _expected(segments: dict[str, list[_Segment]], length: int) -> Fraction:
    """D_e: each unit against every other unit (by its length) and every gap it fits in.

    Gap sums run over the gaps sorted by length with suffix sums, so a large project costs
    O((units + gaps) log gaps) instead of units × gaps.
    """
    lengths = [s.length for coder in segments.values() for s in coder if s.unit]
    if not lengths:
        return Fraction(0)
    gaps = sorted(s.length for coder in segments.values() for s in coder if not s.unit)
    suffix = list(accumulate(reversed(gaps), initial=0))[::-1]  # suffix[k] = sum(gaps[k:])
    n = len(lengths)
    total = 0
    for size in lengths:
        within = (n - 1) * (size * (size - 1) * (2 * size - 1) // 3)
        k = bisect_left(gaps, size)  # gaps[k:] are the gaps this unit fits in
        fits = suffix[k] - (size - 1) * (len(gaps) - k)  # sum of (gap - size + 1)
        total += within + size * size * fits
    m = len(segments)
    squared = sum(size * (size - 1) for size in lengths)
    return Fraction(2 * total, length * (m * length * (m * length - 1) - squared))
