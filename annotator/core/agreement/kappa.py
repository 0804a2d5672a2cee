"""Character-level Cohen's κ (each pair of coders) and Fleiss' κ (all coders at once).

Every character of the continuum is one item; a coder's label for it is the set of categories
of that coder's units covering it (the empty set where the coder marked nothing), so a
character inside two issue passages of different issues carries both. Labels change only at
unit boundaries, so characters are handled as runs of equal labels weighted by their length:
a million-character continuum with a thousand units costs a few thousand steps, not a million.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from typing import NamedTuple

from annotator.core.agreement.unitizing import Unit

Label = frozenset[str]


class Run(NamedTuple):  # a tuple: there are as many as unit boundaries
    """``length`` consecutive characters on which every coder's label stays the same."""

    length: int
    labels: tuple[Label, ...]  # one per coder, in the order the coders were given


@dataclass(frozen=True, slots=True)
class Kappa:
    """A κ with the agreements it is made of; ``value`` is None when chance agreement is
    already perfect (every coder gave one and the same label everywhere) or nothing was rated."""

    value: float | None
    observed: float  # observed agreement P_o (Fleiss: mean pairwise agreement P̄)
    expected: float  # chance agreement P_e
    items: int  # characters rated
    coders: int


def character_runs(
    units: Iterable[Unit], coders: Sequence[str], length: int, *, begin: int = 0
) -> list[Run]:
    """The continuum [begin, begin + length) as runs of equal labels for ``coders``."""
    end = begin + length
    index = {coder: i for i, coder in enumerate(coders)}
    # position -> [(coder index, category, +1 where a unit starts / -1 where it ends)]
    events: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for unit in units:
        if unit.coder not in index:
            raise ValueError(f"{unit.coder!r} is not one of the coders compared.")
        start, stop = max(unit.start, begin), min(unit.end, end)
        if start < stop:
            events[start].append((index[unit.coder], unit.category, 1))
            events[stop].append((index[unit.coder], unit.category, -1))
    active: list[Counter[str]] = [Counter() for _ in coders]
    labels: list[Label] = [frozenset() for _ in coders]
    runs: list[Run] = []
    for start, stop in pairwise(sorted({begin, end, *events})):
        changed = set()
        for i, category, delta in events.get(start, ()):
            active[i][category] += delta
            changed.add(i)
        for i in changed:  # only the coders whose units start or end here
            labels[i] = frozenset(k for k, n in active[i].items() if n > 0)
        current = tuple(labels)
        if runs and runs[-1].labels == current:  # a nested unit's edge changes nothing
            runs[-1] = Run(runs[-1].length + stop - start, current)
        else:
            runs.append(Run(stop - start, current))
    return runs


def cohen_kappa(runs: Sequence[Run], first: int, second: int) -> Kappa:
    """Cohen's κ of the coders at positions ``first`` and ``second`` of the runs' labels:
    chance agreement from each coder's own label distribution."""
    items = sum(r.length for r in runs)
    agree = sum(r.length for r in runs if r.labels[first] == r.labels[second])
    left: Counter[Label] = Counter()
    right: Counter[Label] = Counter()
    for run in runs:
        left[run.labels[first]] += run.length
        right[run.labels[second]] += run.length
    if items == 0:
        return Kappa(None, 0.0, 0.0, 0, 2)
    observed = Fraction(agree, items)
    expected = Fraction(sum(n * right[label] for label, n in left.items()), items * items)
    return _kappa(observed, expected, items, 2)


def fleiss_kappa(runs: Sequence[Run]) -> Kappa:
    """Fleiss' κ over every coder of the runs (each character rated by all of them): the
    mean share of agreeing coder pairs against the pooled label distribution."""
    if not runs:
        return Kappa(None, 0.0, 0.0, 0, 0)
    raters = len(runs[0].labels)
    if raters < 2:
        raise ValueError("Fleiss' κ needs at least two coders.")
    items = sum(r.length for r in runs)
    agreeing_pairs = 0
    totals: Counter[Label] = Counter()
    for run in runs:
        counts = Counter(run.labels)
        agreeing_pairs += run.length * sum(n * (n - 1) for n in counts.values())
        for label, n in counts.items():
            totals[label] += run.length * n
    observed = Fraction(agreeing_pairs, items * raters * (raters - 1))
    expected = sum(Fraction(n, items * raters) ** 2 for n in totals.values())
    return _kappa(observed, Fraction(expected), items, raters)


def _kappa(observed: Fraction, expected: Fraction, items: int, coders: int) -> Kappa:
    value = None if expected == 1 else float((observed - expected) / (1 - expected))
    return Kappa(value, float(observed), float(expected), items, coders)
