"""Exporting the articles as CSV: one row per article with its metadata, a coder's status,
its size and annotation count, and one column per article variable (``annotator export
--articles``), for joining with the annotations CSV on ``article_id`` in R or pandas.

The header is the fixed columns (``FIXED_COLUMNS``, which no variable may be named) and then
the variables sorted by name; an article without a variable has an empty cell there.
"""

import csv
from collections.abc import Iterable
from pathlib import Path

from annotator.core.variables import FIXED_COLUMNS
from annotator.services.interchange.csv_export import make_filter
from annotator.services.interchange.files import atomic_text_file, neutralise, refuse_project_file
from annotator.store import Store

__all__ = ["FIXED_COLUMNS", "article_table", "export_articles_csv"]


def article_table(
    store: Store, annotator: str, *, sources: Iterable[str] = ()
) -> tuple[list[str], list[list[str]]]:
    """The header and the rows, every cell a plain (unneutralised) string. ``annotator``
    names whose status the status column shows (statuses are per coder); an unknown source
    is refused, as in the annotations export."""
    chosen = make_filter(store, sources=sources)
    variables = store.variables.by_article()
    names = sorted({n for found in variables.values() for n in found}, key=_by_name)
    rows = sorted(
        (r for r in store.variables.article_rows(annotator)
         if not chosen.sources or r.source.casefold() in chosen.sources),
        key=lambda r: (r.source.casefold(), r.published or "", r.title, r.id),
    )  # fmt: skip
    table = []
    for row in rows:
        fixed = [
            row.id, row.title, row.source, row.published or "", row.author or "",
            row.url or "", row.status.value, str(row.characters), str(row.annotations),
        ]  # fmt: skip
        own = variables.get(row.id, {})
        table.append(fixed + [own.get(name, "") for name in names])
    return [*FIXED_COLUMNS, *names], table


def export_articles_csv(
    store: Store,
    path: Path,
    annotator: str,
    *,
    raw: bool = False,
    sources: Iterable[str] = (),
) -> int:
    """Write the article table to ``path`` as UTF-8 CSV, moved into place only when complete;
    returns the number of articles. Cells (variable names in the header too) a spreadsheet
    would run are neutralised unless ``raw``."""
    path = Path(path)
    refuse_project_file(store, path)
    header, rows = article_table(store, annotator, sources=sources)
    with atomic_text_file(path) as handle:
        writer = csv.writer(handle)
        writer.writerow(header if raw else [neutralise(cell) for cell in header])
        for row in rows:
            writer.writerow(row if raw else [neutralise(cell) for cell in row])
    return len(rows)


def _by_name(name: str) -> tuple[str, str]:
    return (name.casefold(), name)
