"""What merging projects and measuring agreement need from SQLite beyond the other queries:
a safe copy of another project to read from, and look-ups over many rows at once."""

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from sqlite_utils import Database

from annotator.store.files.backups import write_backup
from annotator.store.files.project_file import (
    ProjectFileError,
    connect_read_only,
    inspect_project_file,
    vet_schema,
)

#: The tables whose ids a merge keeps, so that a second merge of the same file finds them.
_ID_TABLES = frozenset({"articles", "codes", "annotations"})
_CHUNK = 500  # under SQLite's bound-parameter limit


def copy_project_file(source: Path, target: Path) -> int:
    """Copy the project at ``source`` to the new file ``target`` and return its schema version.

    The source is checked like any project (an Annotator file of this or an older version,
    whose every table, index, trigger and view is exactly what the migrations create) before
    any row of it is read, and again through the connection that copies it, in case it was
    replaced in between. It is read with SQLite's backup API through a read-only connection,
    so not a byte of it changes; the copy is checked with ``quick_check`` and may then be
    migrated and read like any project (opening it vets it once more).
    """
    version = inspect_project_file(source)
    if version == 0:
        raise ProjectFileError(f"{source} is not an Annotator project (it is empty or missing).")
    try:
        conn = connect_read_only(source)
    except sqlite3.Error as exc:
        raise ProjectFileError(f"Cannot read {source}: {exc}.") from exc
    try:
        vet_schema(conn, source, version)
        write_backup(conn, target)
    except sqlite3.DatabaseError as exc:
        raise ProjectFileError(f"Cannot read {source}: {exc}.") from exc
    finally:
        conn.close()
    return version


class MergeQueries:
    def __init__(self, db: Database) -> None:
        self._db = db

    def existing_ids(self, table: str, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` name a row of ``table`` (articles, codes or annotations)."""
        if table not in _ID_TABLES:
            raise ValueError(f"No ids to look up in {table!r}.")
        ids = list(dict.fromkeys(ids))
        found: set[str] = set()
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT id FROM {table} WHERE id IN ({marks})", chunk)
            found.update(row[0] for row in rows.fetchall())
        return found

    def coders_by_article(self) -> dict[str, set[str]]:
        """For each article with annotations, the names of everyone who annotated it."""
        coders: dict[str, set[str]] = defaultdict(set)
        for article_id, annotator in self._db.execute(
            "SELECT DISTINCT article_id, annotator FROM annotations"
        ).fetchall():
            coders[article_id].add(annotator)
        return dict(coders)
