"""The schema, which exists only as this list of migrations, one module each.

Every project file, and every test database, is built by applying them in order. Each one also
sets ``user_version`` to its position, so a file written by a newer Annotator can be recognised
and refused before anything touches it. Append new migrations; never edit an applied one.
"""

from sqlite_utils import Database

# Imported in order: each registers itself, and the order is the order they apply in.
from annotator.store.migrations import (
    m0001_initial,  # noqa: F401
    m0002_rejected_suggestions,  # noqa: F401
    m0003_coverage_summary,  # noqa: F401
    m0004_annotator_index,  # noqa: F401
    m0005_article_stats,  # noqa: F401
    m0006_coverage_stale_per_issue,  # noqa: F401
    m0007_curation,  # noqa: F401
    m0008_article_statuses,  # noqa: F401
    m0009_article_variables,  # noqa: F401
    m0010_summary_paused,  # noqa: F401
)
from annotator.store.migrations.registry import migrations


def _count() -> int:
    """How many migrations there are, asked through sqlite-utils' public API: all of them
    are pending on an empty database."""
    db = Database(memory=True)
    try:
        return len(migrations.pending(db))
    finally:
        db.close()


SCHEMA_VERSION = _count()

__all__ = ["SCHEMA_VERSION", "migrations"]
