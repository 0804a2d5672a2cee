"""Project-wide reports: the counts behind ``annotator stats`` and the findings of ``check``."""

from typing import TypedDict

from annotator.store import Store


class SourceStats(TypedDict):
    articles: int
    annotations: int


class ProjectStats(TypedDict):
    """What ``annotator stats --json`` prints; counts by kind are keyed by the kind's value."""

    articles: int
    sources: int
    annotations: dict[str, int]  # by annotation kind
    codes: dict[str, int]  # by code kind
    annotators: dict[str, int]  # annotations by coder
    per_source: dict[str, SourceStats]  # by source name


def project_stats(store: Store) -> ProjectStats:
    """Counts in the JSON shape ``annotator stats --json`` prints."""
    counts = store.reports.counts()
    return {
        "articles": counts.articles,
        "sources": counts.sources,
        "annotations": counts.annotations,
        "codes": counts.codes,
        "annotators": counts.annotators,
        "per_source": {
            name: {"articles": c.articles, "annotations": c.annotations}
            for name, c in counts.per_source.items()
        },
    }


def check_project(store: Store) -> list[str]:
    """Problems found in the file; an empty list means it is sound."""
    return store.reports.problems()
