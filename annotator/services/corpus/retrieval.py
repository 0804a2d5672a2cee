"""Retrieved segments: every passage coded with one code across the project, with where it
comes from, who coded it and a line of context on each side, as a QDA program lists them.

An issue's segments are its issue passages and the claims tagged with it; a speaker's are its
speaker mentions and the claims by it. Segments come in the article list's order (by source,
date, title), then in reading order within an article.
"""

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from annotator.core.model import Annotation, AnnotationKind, Code
from annotator.core.search import context
from annotator.services.interchange.csv_export import make_filter
from annotator.services.interchange.files import atomic_text_file, neutralise, refuse_project_file
from annotator.store import Store

CSV_COLUMNS = (
    "annotation_id", "article_id", "article_title", "source", "published", "kind", "code",
    "annotator", "before", "text", "after",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Segment:
    annotation_id: str
    article_id: str
    article_title: str
    source: str
    published: str  # "" when the article has no date
    kind: AnnotationKind
    code: str  # the code's name
    annotator: str
    before: str
    text: str  # the quote; a claim's fragments joined with " … "
    after: str
    start: int  # code points: where the passage begins and ends in its article
    end: int

    def row(self) -> list[str]:
        """The CSV row, in CSV_COLUMNS' order."""
        return [
            self.annotation_id, self.article_id, self.article_title, self.source,
            self.published, self.kind.value, self.code, self.annotator, self.before,
            self.text, self.after,
        ]  # fmt: skip


def retrieve(
    store: Store,
    code: Code,
    *,
    sources: Iterable[str] = (),
    annotators: Iterable[str] = (),
) -> list[Segment]:
    """Every segment coded with ``code``, from the given sources and coders (names, any
    case; none means all). An unknown source is refused, like an export's."""
    wanted = make_filter(store, sources=sources, annotators=annotators)
    by_article: dict[str, list[Annotation]] = defaultdict(list)
    for annotation in store.annotations.using_code(code.id):  # as label, speaker or issue
        if wanted.takes(annotation):
            by_article[annotation.article_id].append(annotation)
    summaries = [
        s for s in store.articles.summaries() if s.id in by_article and wanted.takes_article(s)
    ]
    about = {s.id: s for s in summaries}
    segments = []
    for article_id, _title, text in store.texts.texts([s.id for s in summaries]):
        summary = about[article_id]
        for a in by_article[article_id]:
            before, after = context(text, a.start, a.end)
            segments.append(
                Segment(
                    annotation_id=a.id,
                    article_id=article_id,
                    article_title=summary.title,
                    source=summary.source_name,
                    published=summary.published or "",
                    kind=a.kind,
                    code=code.name,
                    annotator=a.annotator,
                    before=before,
                    text=a.quote,
                    after=after,
                    start=a.start,
                    end=a.end,
                )
            )
    return segments


def write_segments_csv(
    store: Store, segments: Iterable[Segment], path: Path, *, raw: bool = False
) -> int:
    """Write the segments under the fixed header, never over the project file; cells a
    spreadsheet would run as formulas get a leading ' unless ``raw``. Returns the rows."""
    refuse_project_file(store, path)
    count = 0
    with atomic_text_file(path) as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for segment in segments:
            row = segment.row()
            writer.writerow(row if raw else [neutralise(cell) for cell in row])
            count += 1
    return count
