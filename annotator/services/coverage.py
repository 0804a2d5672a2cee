"""Issue coverage per source, and whom each source lets speak: the Coverage view's and
``annotator coverage``'s one entry point.

Per source and issue: ``annotations`` (issue passages with the issue plus claims tagged with
it), ``characters`` (what those annotations cover, overlaps within an article counted once),
``articles`` (the source's articles with at least one) and ``share_of_text`` (characters over
all the source's filtered articles' characters). The speaker view is the same table with
speaker codes for issues and claims for annotations.

Article variables filter (``variable_pairs``: ``--where outlet_type=tabloid``) and group
(``CoverageFilter.group_by``: ``--by outlet_type``, rows by value instead of by source). A
grouped table is counted from the spans, as the kept summary is per source; a variable filter
is an article filter like a date, which the summary's per-article rows answer.
"""

import csv
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from annotator.core.coverage import (
    NO_FILTER,
    TIDY_COLUMNS,
    CoverageCell,
    CoverageFilter,
    CoverageTable,
    Measure,
    SourceTotals,
    build_table,
    table_from_sums,
    top_levels,
    with_descendants,
)
from annotator.core.errors import ValidationError
from annotator.core.model import Annotation, CodeKind
from annotator.services.annotations import project_coders
from annotator.services.interchange.files import atomic_text_file, neutralise
from annotator.services.variables import VariableService
from annotator.store import Store

__all__ = [
    "TIDY_COLUMNS",
    "CoverageCell",
    "CoverageFilter",
    "CoverageTable",
    "Measure",
    "SourceTotals",
    "annotations_behind",
    "claims_behind",
    "counted_coders",
    "coverage_table",
    "speaker_table",
    "unmatched_values_warning",
    "variable_pairs",
    "write_coverage_csv",
]


def coverage_table(store: Store, flt: CoverageFilter = NO_FILTER) -> CoverageTable:
    """Sources by issues. With ``flt.roll_up`` every issue counts under its top-level
    ancestor, and only top-level issues are columns. Read from the summary the store keeps
    when it can answer the filter; from every counted span when not (a coder filter, a
    roll-up), with the same result. A coder filter naming every coder in the project is
    no filter (one coder's project, say), so it keeps the summary's speed."""
    flt = _every_coder_is_no_filter(store, flt)
    issues = store.codes.all(CodeKind.ISSUE)
    if store.coverage.summarised(flt):
        return table_from_sums(
            store.coverage.source_totals(flt), issues, store.coverage.issue_sums(flt)
        )
    return build_table(
        store.coverage.source_totals(flt),
        issues,
        store.coverage.issue_spans(flt),
        top_levels(issues) if flt.roll_up else None,
    )


def coverage_is_quick(store: Store, flt: CoverageFilter = NO_FILTER) -> bool:
    """Whether ``coverage_table`` answers ``flt`` from the kept summary (milliseconds at any
    size) rather than from every counted span (seconds at a million annotations): the
    window computes the slow kind on a worker."""
    return store.coverage.summarised(_every_coder_is_no_filter(store, flt))


def counted_coders(store: Store) -> tuple[list[str], str]:
    """Every coder with annotations (alphabetical), and whose annotations coverage should
    count unless told otherwise: the first gold coder curation wrote into, since after a
    merge and curation counting everyone counts each passage once per coder; "" (everyone)
    when the project has no gold coder with annotations."""
    from annotator.services.team.adjudication import gold_coders  # the window's; not a report's

    coders = project_coders(store)
    gold = next((name for name in gold_coders(store) if name in coders), "")
    return coders, gold


def _every_coder_is_no_filter(store: Store, flt: CoverageFilter) -> CoverageFilter:
    """``flt`` without its coder filter when that names every coder there is: the same
    counts, and the summary (which has no coder dimension) can then answer."""
    if not flt.annotators:
        return flt
    wanted = {name.strip().casefold() for name in flt.annotators}
    coders = store.annotations.annotators()  # a walk over the annotator index
    if coders and all(name.casefold() in wanted for name in coders):
        return replace(flt, annotators=frozenset())
    return flt


def annotations_behind(
    store: Store, source_id: str, issue_id: str, flt: CoverageFilter = NO_FILTER
) -> list[Annotation]:
    """What one bar of ``coverage_table`` counts, in reading order; with ``roll_up`` the
    annotations of the issue and of every issue below it."""
    return store.coverage.issue_annotations(flt, source_id, _issues_meant(store, issue_id, flt))


def speaker_table(
    store: Store, flt: CoverageFilter = NO_FILTER, issue_id: str | None = None
) -> CoverageTable:
    """Sources by speakers: the claims each source attributes to each speaker (claims whose
    speaker is not yet set are left out); with ``issue_id``, only claims tagged with that issue
    (and, with ``roll_up``, with any issue below it). ``flt.kinds`` does not apply."""
    about = None if issue_id is None else _issues_meant(store, issue_id, flt)
    return build_table(
        store.coverage.source_totals(flt),
        store.codes.all(CodeKind.SPEAKER),
        store.coverage.speaker_spans(flt, about),
    )


def claims_behind(
    store: Store,
    source_id: str,
    speaker_id: str,
    flt: CoverageFilter = NO_FILTER,
    issue_id: str | None = None,
) -> list[Annotation]:
    """What one bar of ``speaker_table`` counts, in reading order."""
    about = None if issue_id is None else _issues_meant(store, issue_id, flt)
    return store.coverage.speaker_claims(flt, source_id, speaker_id, about)


def _issues_meant(store: Store, issue_id: str, flt: CoverageFilter) -> frozenset[str]:
    issue = store.codes.get(issue_id)  # NotFoundError for an unknown id
    if issue.kind is not CodeKind.ISSUE:
        raise ValidationError(f"{issue.name!r} is a {issue.kind.value} code, not an issue.")
    if not flt.roll_up:
        return frozenset({issue_id})
    return with_descendants(store.codes.all(CodeKind.ISSUE), issue_id)


def variable_pairs(store: Store, conditions: Iterable[str]) -> frozenset[tuple[str, str]]:
    """``NAME=VALUE`` conditions as a filter's (name, value) pairs, each name the stored
    spelling of an existing variable (matched ignoring case); a ValidationError for a
    condition without ``=`` or a value, and for an unknown name (listing the variables)."""
    variables = VariableService(store)
    pairs = set()
    for condition in conditions:
        name, equals, value = condition.partition("=")
        if not equals or not name.strip() or not value.strip():
            raise ValidationError(f"A variable condition is NAME=VALUE, not {condition!r}.")
        pairs.add((variables.resolve(name), value.strip()))
    return frozenset(pairs)


def unmatched_values_warning(store: Store, pairs: Iterable[tuple[str, str]]) -> str | None:
    """A warning for each value no article has (a typo matches nothing), listing the values
    there are; a warning, not an error, like an unknown coder."""
    lines = []
    for name, value in sorted(pairs):
        values = [v for v, _ in store.variables.values(name)]
        if value not in values:
            lines.append(f"No article has {name} = {value!r} ({name}: {', '.join(values)}).")
    return " ".join(lines) or None


def write_coverage_csv(
    table: CoverageTable, path: Path, *, raw: bool = False, rows: str = "source"
) -> None:
    """The tidy table (one row per source and issue, zeros included) as UTF-8 CSV with the
    header ``source,issue,annotations,characters,articles,share_of_text``, moved into place
    only when complete; grouped by a variable (``rows`` its name), the first column is named
    after it. Names a spreadsheet would run as a formula get a leading ``'`` unless ``raw``,
    as in the annotation export."""
    first = rows if rows.casefold() not in TIDY_COLUMNS[1:] else f"{rows} (variable)"
    header = [first, *TIDY_COLUMNS[1:]]
    with atomic_text_file(Path(path)) as handle:
        writer = csv.writer(handle)
        writer.writerow(header if raw else [neutralise(name) for name in header])
        for row in table.tidy_rows():
            if not raw:
                row = {**row, "source": neutralise(str(row["source"]))}
                row["issue"] = neutralise(str(row["issue"]))
            writer.writerow([row[column] for column in TIDY_COLUMNS])
