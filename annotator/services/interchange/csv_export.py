"""Exporting annotations as CSV: one row per annotation, joined with its article and source.

The header is a contract that researchers' R and pandas scripts depend on: change it only by
appending columns. Rows are built article by article (``annotation_rows``), so a large project
is never held in memory at once, and written to a temporary file beside the target that is
moved into place only when complete (``atomic_text_file``): an interrupted export leaves
neither a half file under the final name nor a stray temporary file.
"""

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import ValidationError
from annotator.core.model import Annotation, AnnotationKind, ArticleSummary, Code
from annotator.services.interchange.files import (
    atomic_text_file,
    neutralise,
    refuse_project_file,
)
from annotator.store import Store

CSV_COLUMNS = (
    "annotation_id", "article_id", "article_title", "source", "published", "kind", "code",
    "speaker", "issues", "stance", "fragments", "text", "note", "annotator", "created_at",
    "updated_at",
)  # fmt: skip


#: Called with (articles done, articles in total); raising from it cancels the export cleanly.
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class ExportFilter:
    """Which articles and annotations an export covers; an empty set means all."""

    sources: frozenset[str] = frozenset()  # source names, casefolded
    annotators: frozenset[str] = frozenset()  # annotator names, casefolded
    kinds: frozenset[AnnotationKind] = frozenset()

    def takes_article(self, summary: ArticleSummary) -> bool:
        return not self.sources or summary.source_name.casefold() in self.sources

    def takes(self, annotation: Annotation) -> bool:
        return (not self.annotators or annotation.annotator.casefold() in self.annotators) and (
            not self.kinds or annotation.kind in self.kinds
        )


def make_filter(
    store: Store,
    *,
    sources: Iterable[str] = (),
    annotators: Iterable[str] = (),
    kinds: Iterable[AnnotationKind | str] = (),
) -> ExportFilter:
    """A checked filter. An unknown source is refused (almost always a typo that would
    silently give an empty file); an annotator who has coded nothing yet simply matches
    nothing, so a script looping over a team's names keeps working."""
    wanted_sources = {name.strip().casefold(): name.strip() for name in sources}
    known = {s.name.casefold(): s.name for s in store.sources.all()}
    unknown = [name for key, name in wanted_sources.items() if key not in known]
    if unknown:
        listed = ", ".join(sorted(known.values())) or "none yet"
        raise ValidationError(f"No source named {unknown[0]!r} (sources: {listed}).")
    try:
        wanted_kinds = frozenset(AnnotationKind(str(k).strip().lower()) for k in kinds)
    except ValueError as exc:
        choices = ", ".join(k.value for k in AnnotationKind)
        raise ValidationError(f"Unknown annotation kind ({exc}); use {choices}.") from exc
    return ExportFilter(
        sources=frozenset(wanted_sources),  # the casefolded keys
        annotators=frozenset(name.strip().casefold() for name in annotators),
        kinds=wanted_kinds,
    )


def unknown_coders_warning(store: Store, names: Iterable[str]) -> str | None:
    """A warning when a coder filter names someone with no annotations (names match ignoring
    case, as every filter does), listing the coders there are. A warning, not an error: such
    a name matches nothing, so a script looping over a team's names keeps working, but a
    typo should not pass for "this coder marked nothing"."""
    coders = store.annotations.annotators()
    known = {name.casefold() for name in coders}
    unknown = [name.strip() for name in names if name.strip().casefold() not in known]
    if not unknown:
        return None
    listed = ", ".join(sorted(coders, key=lambda n: (n.casefold(), n))) or "none yet"
    missing = " or ".join(repr(name) for name in dict.fromkeys(unknown))
    return f"No annotations by {missing} (coders: {listed}); that filter matches nothing."


def selected_articles(store: Store, chosen: ExportFilter) -> list[ArticleSummary]:
    """The filter's articles in export order: source name, published date (undated first,
    as in the article list), title, and the id so that equal titles keep a stable order."""
    return sorted(
        (s for s in store.articles.summaries() if chosen.takes_article(s)),
        key=lambda s: (s.source_name.casefold(), s.published or "", s.title, s.id),
    )


def article_annotations(store: Store, article_id: str, chosen: ExportFilter) -> list[Annotation]:
    """The article's annotations that pass the filter, by start (then end, then age)."""
    return sorted(
        (a for a in store.annotations.for_article(article_id) if chosen.takes(a)),
        key=lambda a: (a.start, a.end, a.created_at, a.id) if a.fragments else (-1, -1, "", a.id),
    )


def annotation_rows(
    store: Store,
    *,
    sources: Iterable[str] = (),
    annotators: Iterable[str] = (),
    kinds: Iterable[AnnotationKind | str] = (),
    on_progress: Progress | None = None,
) -> Iterator[dict[str, str]]:
    """One dict per annotation, keyed by ``CSV_COLUMNS``, every value a plain (unneutralised)
    string, loaded one article at a time. The window can show these in a preview table.
    The filters are checked at the call, before the first row is asked for."""
    chosen = make_filter(store, sources=sources, annotators=annotators, kinds=kinds)
    return _rows(store, chosen, on_progress)


def _rows(
    store: Store, chosen: ExportFilter, on_progress: Progress | None
) -> Iterator[dict[str, str]]:
    articles = selected_articles(store, chosen)
    codes = {code.id: code for code in store.codes.all()}
    if on_progress:
        on_progress(0, len(articles))
    for done, summary in enumerate(articles, start=1):
        for annotation in article_annotations(store, summary.id, chosen):
            yield _row(summary, annotation, codes)
        if on_progress:
            on_progress(done, len(articles))


def _row(summary: ArticleSummary, a: Annotation, codes: dict[str, Code]) -> dict[str, str]:
    def name(code_id: str | None) -> str:
        return codes[code_id].name if code_id in codes else ""

    issues = sorted((name(i) for i in a.issue_ids), key=lambda n: (n.casefold(), n))
    return {
        "annotation_id": a.id,
        "article_id": summary.id,
        "article_title": summary.title,
        "source": summary.source_name,
        "published": summary.published or "",
        "kind": a.kind.value,
        "code": name(a.code_id),
        "speaker": name(a.speaker_id),
        "issues": ";".join(issues),
        "stance": a.stance.value if a.stance else "",
        "fragments": ";".join(f"{f.start}-{f.end}" for f in a.fragments),
        "text": a.quote,
        "note": a.note,
        "annotator": a.annotator,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    }


def export_annotations_csv(
    store: Store,
    path: Path,
    *,
    raw: bool = False,
    sources: Iterable[str] = (),
    annotators: Iterable[str] = (),
    kinds: Iterable[AnnotationKind | str] = (),
    on_progress: Progress | None = None,
) -> int:
    """Write the annotations to ``path`` as UTF-8 CSV (no BOM, so the header's first name
    stays ``annotation_id`` for every reader); returns the number of rows. Cells a
    spreadsheet would run are neutralised unless ``raw`` (for R and pandas users)."""
    path = Path(path)
    refuse_project_file(store, path)
    chosen = make_filter(store, sources=sources, annotators=annotators, kinds=kinds)
    count = 0
    with atomic_text_file(path) as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for batch in _row_batches(store, chosen, on_progress, neutralise_cells=not raw):
            writer.writerows(batch)
            count += len(batch)
    return count


def _same(value: str) -> str:
    return value


def _row_batches(
    store: Store, chosen: ExportFilter, on_progress: Progress | None, *, neutralise_cells: bool
) -> Iterator[list[list[str]]]:
    """The rows of ``annotation_rows`` as lists in CSV_COLUMNS order, an article at a time,
    from one query per article with fragments and issues joined by SQLite (building
    Annotation objects and sorting them in Python took most of a large export). Cells are
    neutralised where they are made: names once per code, an article's once per article,
    and never the kind or the fragments (letters; digits and dashes)."""
    fix = neutralise if neutralise_cells else _same
    articles = selected_articles(store, chosen)
    names = {code.id: code.name for code in store.codes.all()}
    fixed = {code_id: fix(name) for code_id, name in names.items()}
    issue_key: Callable[[str], tuple[str, str]] = lambda n: (n.casefold(), n)  # noqa: E731
    if on_progress:
        on_progress(0, len(articles))
    for done, summary in enumerate(articles, start=1):
        head = [fix(summary.id), fix(summary.title), fix(summary.source_name),
                fix(summary.published or "")]  # fmt: skip
        batch = []
        for row in store.annotations.export_rows(summary.id):
            (id_, kind, code, speaker, stance, note, annotator, created, updated, spans,
             quote, issue_ids) = row[:12]  # fmt: skip
            if chosen.annotators and annotator.casefold() not in chosen.annotators:
                continue
            if chosen.kinds and AnnotationKind(kind) not in chosen.kinds:
                continue
            issues = ";".join(sorted((names.get(i, "") for i in issue_ids.split()), key=issue_key))
            batch.append([fix(id_), *head, kind, fixed.get(code, ""), fixed.get(speaker, ""),
                          fix(issues), fix(stance), spans, fix(quote), fix(note),
                          fix(annotator), fix(created), fix(updated)])  # fmt: skip
        yield batch
        if on_progress:
            on_progress(done, len(articles))
