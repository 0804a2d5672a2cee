"""Project-wide reports: the counts behind ``annotator stats`` and the findings of ``check``."""

from typing import Any

from annotator.store import Store


def project_stats(store: Store) -> dict[str, Any]:
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
