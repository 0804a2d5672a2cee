"""The statements table: one row per claim and issue, what the Discourse Network Analyzer
calls statements (actor, concept, agreement), for R and pandas.

A claim without issues is one row with an empty issue, so no claim is lost from a count of
claims per speaker. The header is a contract, like the annotations CSV's: the fixed columns
(``STATEMENT_COLUMNS``), then one column per article variable, sorted by name.
"""

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.core.model import Annotation, AnnotationKind, ArticleSummary, Code
from annotator.services.interchange.csv_export import (
    ExportFilter,
    article_annotations,
    make_filter,
    selected_articles,
)
from annotator.services.interchange.files import atomic_text_file, neutralise, refuse_project_file
from annotator.store import Store

__all__ = ["STATEMENT_COLUMNS", "export_statements_csv", "statement_table"]

STATEMENT_COLUMNS = (
    "claim_id", "article_id", "article_title", "source", "published", "speaker",
    "organisation", "issue", "parent_issue", "stance", "text", "annotator",
)  # fmt: skip


def statement_table(
    store: Store,
    *,
    sources: Iterable[str] = (),
    annotators: Iterable[str] = (),
) -> tuple[list[str], list[list[str]]]:
    """The header and the rows, every cell a plain (unneutralised) string."""
    chosen = make_filter(store, sources=sources, annotators=annotators, kinds=["claim"])
    variables = store.variables.by_article()
    names = sorted(
        {n for found in variables.values() for n in found}, key=lambda n: (n.casefold(), n)
    )
    codes = {code.id: code for code in store.codes.all()}
    rows = []
    for fixed in _statements(store, chosen, codes):
        own = variables.get(fixed[1], {})
        rows.append(fixed + [own.get(name, "") for name in names])
    return [*STATEMENT_COLUMNS, *names], rows


def _statements(store: Store, chosen: ExportFilter, codes: dict[str, Code]) -> Iterator[list[str]]:
    for summary in selected_articles(store, chosen):
        for claim in article_annotations(store, summary.id, chosen):
            if claim.kind is AnnotationKind.CLAIM:
                yield from _claim_rows(summary, claim, codes)


def _claim_rows(
    summary: ArticleSummary, claim: Annotation, codes: dict[str, Code]
) -> Iterator[list[str]]:
    speaker = codes.get(claim.speaker_id or "")
    issues = sorted(
        (codes[i] for i in claim.issue_ids if i in codes), key=lambda c: (c.name.casefold(), c.name)
    )
    choices: list[Code | None] = [*issues] or [None]
    for issue in choices:
        parent = codes.get(issue.parent_id or "") if issue else None
        yield [
            claim.id, summary.id, summary.title, summary.source_name, summary.published or "",
            speaker.name if speaker else "", (speaker.organisation or "") if speaker else "",
            issue.name if issue else "", parent.name if parent else "",
            claim.stance.value if claim.stance else "", claim.quote, claim.annotator,
        ]  # fmt: skip


def export_statements_csv(
    store: Store,
    path: Path,
    *,
    raw: bool = False,
    sources: Iterable[str] = (),
    annotators: Iterable[str] = (),
) -> int:
    """Write the statements to ``path`` as UTF-8 CSV, moved into place only when complete;
    returns the number of rows. Cells a spreadsheet would run are neutralised unless ``raw``."""
    path = Path(path)
    refuse_project_file(store, path)
    header, rows = statement_table(store, sources=sources, annotators=annotators)
    with atomic_text_file(path) as handle:
        writer = csv.writer(handle)
        writer.writerow(header if raw else [neutralise(cell) for cell in header])
        for row in rows:
            writer.writerow(row if raw else [neutralise(cell) for cell in row])
    return len(rows)
