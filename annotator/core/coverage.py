"""Issue coverage per source: the numbers behind the Coverage chart and ``annotator coverage``.

Pure aggregation. The store hands over one row per labelled fragment (``LabelledSpan``) and
the size of each source; this module counts annotations and articles per source and label, and
measures characters as the union of the spans within each article, so that an issue passage
and a claim on the same sentence, or two coders' passages, count each character once.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cached_property
from typing import NamedTuple

from annotator.core.errors import ValidationError
from annotator.core.model import AnnotationKind, ArticleStatus, Code

#: What coverage counts: issue passages and the claims tagged with an issue.
COUNTED_KINDS = frozenset({AnnotationKind.ISSUE, AnnotationKind.CLAIM})

#: Column names of the tidy table (and of the coverage CSV's header), in order.
TIDY_COLUMNS = ("source", "issue", "annotations", "characters", "articles", "share_of_text")

_ISO_PREFIX = re.compile(r"\d{4}(-\d{2}(-\d{2}.*)?)?")


class Measure(StrEnum):
    ANNOTATIONS = "annotations"
    CHARACTERS = "characters"
    SHARE = "share"
    PER_ARTICLE = "per-article"  # annotations / the source's articles in the filtered set

    @property
    def label(self) -> str:
        return {
            Measure.ANNOTATIONS: "annotations",
            Measure.CHARACTERS: "characters covered",
            Measure.SHARE: "share of the source's text",
            Measure.PER_ARTICLE: "annotations per article",
        }[self]

    def format(self, value: float) -> str:  # type: ignore[override]  # formats a number, not a template
        """The value as a reader wants it: counts whole, share in percent, rates to 2 places."""
        if self is Measure.SHARE:
            return f"{value * 100:.1f}%"
        if self is Measure.PER_ARTICLE:
            return f"{value:.2f}"
        return f"{round(value):,}"


def _check_iso(name: str, value: str | None) -> None:
    """Dates are compared as ISO text, so a bound must be one (a year, a month or a day, with an
    optional time); anything else would silently select the wrong articles."""
    if value is None:
        return
    try:
        if not _ISO_PREFIX.fullmatch(value):
            raise ValueError(value)
        if len(value) == 7:
            date.fromisoformat(value + "-01")
        elif len(value) > 4:
            datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            f"{name} date {value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)."
        ) from None


@dataclass(frozen=True)
class CoverageFilter:
    """Which annotations count. An empty ``annotators`` or ``statuses`` means all; an empty
    ``kinds`` counts nothing (the window's two boxes both unticked). Annotator names match
    ignoring case. A date bound keeps only dated articles, both bounds inclusive and compared
    as ISO prefixes, so ``date_to="2024-05"`` takes all of May. Statuses are per coder: an
    article passes when one of the ``annotators`` (anyone, when that is empty) has it in one of
    ``statuses``; with no coder named, "new" means no one has started it. ``variables`` keeps
    articles whose variables match: for every name among its (name, value) pairs, one of that
    name's values. ``group_by`` counts by a variable's values instead of by source (the rows
    are then groups: a value each, and ``NO_VALUE`` for the articles without the variable).
    Variable names are the stored spellings (``VariableService.resolve``)."""

    kinds: frozenset[AnnotationKind] = COUNTED_KINDS
    annotators: frozenset[str] = frozenset()
    date_from: str | None = None
    date_to: str | None = None
    statuses: frozenset[ArticleStatus] = frozenset()
    roll_up: bool = False  # count child issues under their top-level ancestor
    variables: frozenset[tuple[str, str]] = frozenset()
    group_by: str | None = None

    def __post_init__(self) -> None:
        extra = set(self.kinds) - COUNTED_KINDS
        if extra:
            names = ", ".join(sorted(str(k) for k in extra))
            raise ValidationError(f"Coverage counts issue passages and claims, not {names}.")
        _check_iso("From", self.date_from)
        _check_iso("To", self.date_to)
        if self.date_from and self.date_to:
            shorter = min(len(self.date_from), len(self.date_to))
            if self.date_from[:shorter] > self.date_to[:shorter]:
                raise ValidationError(f"From {self.date_from} is after to {self.date_to}.")

    @property
    def dated(self) -> bool:
        return self.date_from is not None or self.date_to is not None


NO_FILTER = CoverageFilter()

#: The row of the articles without the ``group_by`` variable: its name (its id is "").
NO_VALUE = "(none)"


@dataclass(frozen=True, slots=True)
class SourceTotals:
    """A source's articles in the filtered set and their characters: the denominators."""

    id: str
    name: str
    articles: int
    characters: int


@dataclass(frozen=True, slots=True)
class CoverageCell:
    source_id: str
    issue_id: str  # an issue code, or a speaker code in the speaker view
    annotations: int
    characters: int
    articles: int
    share_of_text: float

    def value(self, measure: Measure, source: SourceTotals) -> float:
        match measure:
            case Measure.ANNOTATIONS:
                return float(self.annotations)
            case Measure.CHARACTERS:
                return float(self.characters)
            case Measure.SHARE:
                return self.share_of_text
            case Measure.PER_ARTICLE:
                return self.annotations / source.articles if source.articles else 0.0


@dataclass(frozen=True)
class CoverageTable:
    """Sources (sorted by name, with or without annotations) by issues (those that appear,
    sorted by name); ``cells`` holds only the pairs that have annotations."""

    sources: tuple[SourceTotals, ...] = ()
    issues: tuple[Code, ...] = ()
    cells: tuple[CoverageCell, ...] = ()

    @cached_property
    def _by_pair(self) -> dict[tuple[str, str], CoverageCell]:
        return {(c.source_id, c.issue_id): c for c in self.cells}

    @cached_property
    def _sources(self) -> dict[str, SourceTotals]:
        return {s.id: s for s in self.sources}

    def cell(self, source_id: str, issue_id: str) -> CoverageCell | None:
        return self._by_pair.get((source_id, issue_id))

    def value(self, measure: Measure, source_id: str, issue_id: str) -> float:
        found = self.cell(source_id, issue_id)
        return found.value(measure, self._sources[source_id]) if found else 0.0

    def tidy_rows(self) -> list[dict[str, object]]:
        """Every source by every issue, zeros included, so that R and pandas see explicit
        absences rather than missing rows; named, not by id, for reading."""
        rows: list[dict[str, object]] = []
        for source in self.sources:
            for issue in self.issues:
                found = self.cell(source.id, issue.id)
                counts = (
                    (found.annotations, found.characters, found.articles, found.share_of_text)
                    if found
                    else (0, 0, 0, 0.0)
                )
                rows.append(
                    dict(zip(TIDY_COLUMNS, (source.name, issue.name, *counts), strict=True))
                )
        return rows

    @property
    def is_empty(self) -> bool:
        """Nothing counted: no bars to draw (sources may still be listed)."""
        return not self.cells


class LabelledSpan(NamedTuple):
    """One fragment of one counted annotation under one label (a claim with three issues gives
    three rows per fragment): what the store returns for the aggregation."""

    source_id: str
    article_id: str
    label_id: str
    annotation_id: str
    start: int
    end: int


def union_length(spans: Iterable[tuple[int, int]]) -> int:
    """Characters covered by at least one half-open span: overlaps count once."""
    total, covered_to = 0, 0
    for start, end in sorted(spans):
        start = max(start, covered_to)
        if end > start:
            total += end - start
            covered_to = end
    return total


class ArticleIssueCoverage(NamedTuple):
    """One article's numbers for one issue, as the store keeps them (``issue_coverage``):
    counts and covered characters for issue passages, for claims, and for both together."""

    issue_id: str
    passages: int
    claims: int
    characters: int
    passage_characters: int
    claim_characters: int


def summarise_article(
    spans: Iterable[tuple[str, str, str, int, int]],
) -> list[ArticleIssueCoverage]:
    """Rows of (issue_id, kind, annotation_id, start, end) for one article, one per fragment
    and issue, summed per issue; ``kind`` is ``"issue"`` or ``"claim"``. Sorted by issue."""
    ids: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    found: dict[str, tuple[list[tuple[int, int]], list[tuple[int, int]]]] = defaultdict(
        lambda: ([], [])
    )
    for issue_id, kind, annotation_id, start, end in spans:
        side = 0 if kind == AnnotationKind.ISSUE else 1
        ids[issue_id][side].add(annotation_id)
        found[issue_id][side].append((start, end))
    rows = []
    for issue_id in sorted(found):
        passages, claims = found[issue_id]
        rows.append(
            ArticleIssueCoverage(
                issue_id, len(ids[issue_id][0]), len(ids[issue_id][1]),
                union_length(passages + claims), union_length(passages), union_length(claims),
            )
        )  # fmt: skip
    return rows


def top_levels(codes: Iterable[Code]) -> dict[str, str]:
    """Each code's top-level ancestor (itself when it has no parent). A parent cycle, which
    the codebook refuses but an old file might hold, stops at the code where it closes."""
    parent = {c.id: c.parent_id for c in codes}
    top: dict[str, str] = {}
    for code_id in parent:
        node, seen = code_id, {code_id}
        while (up := parent.get(node)) is not None and up in parent and up not in seen:
            node = up
            seen.add(up)
        top[code_id] = node
    return top


def with_descendants(codes: Iterable[Code], code_id: str) -> frozenset[str]:
    """The code and every code below it, as one rolled-up bar stands for them all."""
    children: dict[str | None, list[str]] = defaultdict(list)
    for c in codes:
        children[c.parent_id].append(c.id)
    found, todo = {code_id}, [code_id]
    while todo:
        for child in children[todo.pop()]:
            if child not in found:
                found.add(child)
                todo.append(child)
    return frozenset(found)


def build_table(
    sources: Sequence[SourceTotals],
    labels: Iterable[Code],
    spans: Iterable[LabelledSpan],
    merge: Mapping[str, str] | None = None,
) -> CoverageTable:
    """Aggregate the spans into cells. ``merge`` maps a label to the one it counts under (roll
    up): an annotation tagged with a child and its parent then counts once, and characters are
    the union across the merged labels within each article. Labels not in ``labels`` and
    sources not in ``sources`` are left out."""
    codes = {c.id: c for c in labels}
    totals = {s.id: s for s in sources}
    merge = merge or {}
    annotations: dict[tuple[str, str], set[str]] = defaultdict(set)
    fragments: dict[tuple[str, str], dict[str, list[tuple[int, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for span in spans:
        label = merge.get(span.label_id, span.label_id)
        if label not in codes or span.source_id not in totals:
            continue
        key = (span.source_id, label)
        annotations[key].add(span.annotation_id)
        fragments[key][span.article_id].append((span.start, span.end))
    sums = [
        CellSums(
            source_id, label, len(annotations[source_id, label]),
            sum(union_length(found) for found in by_article.values()), len(by_article),
        )
        for (source_id, label), by_article in fragments.items()
    ]  # fmt: skip
    return table_from_sums(sources, codes.values(), sums)


class CellSums(NamedTuple):
    """A cell before its share is known: what the stored summary sums to."""

    source_id: str
    issue_id: str
    annotations: int
    characters: int
    articles: int


def table_from_sums(
    sources: Sequence[SourceTotals], labels: Iterable[Code], sums: Iterable[CellSums]
) -> CoverageTable:
    """The table of already-summed cells (empty ones and those of labels not in ``labels`` or
    sources not in ``sources`` left out), in the table's order."""
    codes = {c.id: c for c in labels}
    totals = {s.id: s for s in sources}
    cells = []
    for found in sums:
        source = totals.get(found.source_id)
        if source is None or found.issue_id not in codes or not found.annotations:
            continue
        share = found.characters / source.characters if source.characters else 0.0
        cells.append(CoverageCell(*found[:4], found.articles, share))
    # A variable's "(none)" row (id "": no source has it) comes after the values.
    ordered_sources = sorted(
        totals.values(), key=lambda s: (s.id == "", s.name.casefold(), s.name, s.id)
    )
    issues = sorted({codes[c.issue_id] for c in cells}, key=lambda c: (c.name.casefold(), c.id))
    source_rank = {s.id: i for i, s in enumerate(ordered_sources)}
    issue_rank = {c.id: i for i, c in enumerate(issues)}
    cells.sort(key=lambda c: (source_rank[c.source_id], issue_rank[c.issue_id]))
    return CoverageTable(tuple(ordered_sources), tuple(issues), tuple(cells))
