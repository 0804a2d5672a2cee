"""What merging projects and measuring agreement need from SQLite beyond the other queries:
a safe copy of another project to read from, its rows as they are, and look-ups over many
rows at once."""

import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from annotator.store.files.errors import ProjectFileError
from annotator.store.files.project_file import connect_read_only, inspect_project_file
from annotator.store.files.schema_vetting import vet_schema
from annotator.store.sql_types import Row

#: The tables whose ids a merge keeps, so that a second merge of the same file finds them.
_ID_TABLES = frozenset({"articles", "codes", "annotations"})
_CHUNK = 500  # under SQLite's bound-parameter limit
#: What ``quick_check`` says of a row that breaks a column's rule (a CHECK, NOT NULL or a
#: STRICT type) rather than of a damaged page: such rows are the merge's to refuse, one by one.
_ROW_RULES = re.compile(r"(CHECK constraint failed in|NULL value in|non-\w+ value in) ")

#: The columns a merge reads; every schema version since the first has them as they are.
SOURCE_COLUMNS = ("id", "name", "url")
CODE_COLUMNS = (
    "id", "kind", "name", "colour", "description", "shortcut", "parent_id", "organisation",
    "created_at",
)  # fmt: skip
ARTICLE_COLUMNS = (
    "id", "source_id", "title", "published", "author", "url", "text", "sha256",
    "imported_from", "status", "created_at",
)  # fmt: skip
ANNOTATION_COLUMNS = (
    "id", "article_id", "kind", "code_id", "speaker_id", "speaker_mention_id", "stance", "note",
    "annotator", "created_at", "updated_at",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class MergeRows:
    """Every row of another project a merge may use, as SQLite holds it: values of any type,
    in the order of the ``*_COLUMNS`` above, for the merge to check before it trusts any."""

    sources: list[Row]
    codes: list[Row]
    articles: list[Row]
    annotations: list[Row]
    fragments: list[Row]  # annotation_id, start, end, quote; by annotation, then ordinal
    claim_issues: list[Row]  # annotation_id, code_id
    statuses: list[Row]  # article_id, annotator, status: each coder's status of an article
    variables: list[Row]  # article_id, name, value (none in a file older than schema 9)


def copy_project_file(source: Path, target: Path) -> int:
    """Copy the project at ``source`` to the new file ``target`` and return its schema version.

    The source is checked like any project (an Annotator file of this or an older version,
    whose every table, index, trigger and view is exactly what the migrations create) before
    any row of it is read, and again through the connection that copies it, in case it was
    replaced in between. It is read with SQLite's backup API through a read-only connection,
    so not a byte of it changes; the copy is checked with ``quick_check``. A copy whose only
    findings are rows that break a column's rule (a status outside the allowed set, say) is
    kept: those rows are refused one by one when the merge reads them (``read_merge_rows``).
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
        _copy(conn, target)
    except sqlite3.DatabaseError as exc:
        target.unlink(missing_ok=True)
        raise ProjectFileError(f"Cannot read {source}: {exc}.") from exc
    finally:
        conn.close()
    verdict = _quick_check(target)
    damage = [line for line in verdict if line != "ok" and not _ROW_RULES.match(line)]
    if damage:
        target.unlink(missing_ok=True)
        raise ProjectFileError(f"{source} is damaged ({damage[0]}); it cannot be merged.")
    return version


def _copy(conn: sqlite3.Connection, target: Path) -> None:
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")  # one file, read through immutable=1
    finally:
        dest.close()


def _quick_check(path: Path) -> list[str]:
    conn = connect_read_only(path)
    try:
        return [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        conn.close()


_VARIABLE_ROWS = "SELECT article_id, name, value FROM article_variables"
_STATUS_ROWS = "SELECT article_id, annotator, status FROM article_statuses"
#: A file from before per-coder statuses (schema 7 or older): its one status per article
#: belongs to every coder with annotations in it, as migration 0008 carries it over.
_OLD_STATUS_ROWS = """SELECT a.id, n.annotator, a.status FROM articles a
    JOIN (SELECT DISTINCT article_id, annotator FROM annotations) n ON n.article_id = a.id
    WHERE a.status != 'new'"""


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]
    ).fetchone()
    return found is not None


def read_merge_rows(path: Path) -> MergeRows:
    """The rows of the copy ``copy_project_file`` wrote, unconverted: nothing in them is
    trusted yet, not even a value's type."""
    conn = connect_read_only(path)
    try:

        def rows(sql: str) -> list[Row]:
            return conn.execute(sql).fetchall()

        return MergeRows(
            sources=rows(f"SELECT {', '.join(SOURCE_COLUMNS)} FROM sources"),
            codes=rows(f"SELECT {', '.join(CODE_COLUMNS)} FROM codes"),
            articles=rows(
                f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles ORDER BY created_at, id"
            ),
            annotations=rows(f"SELECT {', '.join(ANNOTATION_COLUMNS)} FROM annotations"),
            fragments=rows(
                'SELECT annotation_id, start, "end", quote FROM fragments '
                "ORDER BY annotation_id, ordinal"
            ),
            claim_issues=rows("SELECT annotation_id, code_id FROM claim_issues"),
            variables=rows(_VARIABLE_ROWS) if _has_table(conn, "article_variables") else [],
            statuses=rows(
                _STATUS_ROWS if _has_table(conn, "article_statuses") else _OLD_STATUS_ROWS
            ),
        )
    except sqlite3.DatabaseError as exc:
        raise ProjectFileError(f"Cannot read the copy of the other project: {exc}.") from exc
    finally:
        conn.close()


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
