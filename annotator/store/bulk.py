"""Bulk writes: many rows in one statement each, through ``executemany``.

For generated or already-validated data (the benchmark's synthetic projects, a brat file's
checked annotations), where one ``INSERT`` per row through the services would take minutes for
a million annotations. Nothing is checked here beyond the schema's own constraints: callers
hand in values that are valid by construction (fragments inside the text, quotes taken from
it, codes of the right kind), and ``annotator check`` confirms it afterwards.

Annotations go in with the summary's insert triggers paused (migration 0010): rather than a
trigger per row marking its (article, issue) pairs stale and counting it in ``article_stats``,
the call marks the pairs of all its rows and adds each article's count once, from the rows in
memory, in the same savepoint. The pairs are recomputed before the outermost transaction
commits, as for any edit, so the chart stays exact.
"""

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

from sqlite_utils import Database

from annotator.core.errors import ConflictError
from annotator.core.model import Annotation, AnnotationKind, Article, Code, Source
from annotator.store.sql_types import SqlValue

_INSERT_ANNOTATIONS = """INSERT INTO annotations (id, article_id, kind, code_id, speaker_id,
    speaker_mention_id, stance, note, annotator, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
_INSERT_FRAGMENTS = (
    'INSERT INTO fragments (annotation_id, ordinal, start, "end", quote) VALUES (?, ?, ?, ?, ?)'
)
_INSERT_CLAIM_ISSUES = "INSERT INTO claim_issues (annotation_id, code_id) VALUES (?, ?)"


class BulkQueries:
    def __init__(self, db: Database) -> None:
        self._db = db

    def insert(
        self,
        *,
        sources: Iterable[Source] = (),
        codes: Iterable[Code] = (),
        articles: Iterable[Article] = (),
        annotations: Iterable[Annotation] = (),
    ) -> None:
        """Insert everything given, all or nothing, in that order (so references resolve)."""
        conn = self._db.conn
        with self._db.atomic():
            conn.executemany(
                "INSERT INTO sources (id, name, url) VALUES (?, ?, ?)",
                [(s.id, s.name, s.url) for s in sources],
            )
            conn.executemany(
                """INSERT INTO codes (id, kind, name, colour, description, shortcut, parent_id,
                       organisation, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    (c.id, c.kind.value, c.name, c.colour, c.description, c.shortcut,
                     c.parent_id, c.organisation, c.created_at)
                    for c in codes
                ],
            )  # fmt: skip
            conn.executemany(
                """INSERT INTO articles (id, source_id, title, published, author, url, text,
                       sha256, imported_from, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    (a.id, a.source_id, a.title, a.published, a.author, a.url, a.text,
                     a.sha256, a.imported_from, a.created_at)
                    for a in articles
                ],
            )  # fmt: skip
            self._annotations(list(annotations))

    def in_transaction(self) -> bool:
        """Whether a transaction is open: an error such as a full disk can end one early."""
        return self._db.conn.in_transaction

    def add_annotations(
        self, annotations: Sequence[Annotation], *, per_row_triggers: bool = False
    ) -> None:
        """Add validated annotations in their order (a claim after the speaker mention it is
        attributed through), all or none. Call it inside ``Store.atomic()``.

        References are checked as each row goes in (nothing in an import defers them;
        ``apply_change`` writes in an order where they resolve), so a batch of imported files
        learns of a bad row while it can still refuse that one file, not at the batch's
        COMMIT, which would refuse them all. A row the schema refuses raises RefusedRowError.
        ``per_row_triggers`` leaves the summary to the triggers, as every other write does:
        slower, the same rows (what the bulk path is tested against).
        """
        conn = self._db.conn
        with self._db.atomic():
            with self._triggers_paused(not per_row_triggers):
                for table, sql, rows_of in _PARTS:
                    try:
                        conn.executemany(sql, (row for a in annotations for row in rows_of(a)))
                    except sqlite3.IntegrityError as exc:
                        index = self._first_missing(table, annotations, rows_of)
                        raise RefusedRowError(str(exc), index) from exc
            if not per_row_triggers:
                self._keep_summary(annotations)

    def _annotations(self, annotations: Sequence[Annotation]) -> None:
        with self._triggers_paused(True):
            for _, sql, rows_of in _PARTS:
                self._db.conn.executemany(sql, (row for a in annotations for row in rows_of(a)))
        self._keep_summary(annotations)

    @contextmanager
    def _triggers_paused(self, paused: bool) -> Iterator[None]:
        """The summary's insert triggers off for the inserts inside. The guard row is written
        inside the caller's savepoint and deleted before it ends, so it is never committed: an
        error unwinds the savepoint, and the row with it, and the next write has its triggers."""
        if not paused:
            yield
            return
        conn = self._db.conn
        # OR IGNORE: a row committed by something else (``check`` reports it) must not stop
        # an import; this call's own deletion clears it.
        conn.execute("INSERT OR IGNORE INTO summary_paused (paused) VALUES (1)")
        try:
            yield
        finally:
            if conn.in_transaction:  # else an error ended the transaction, the row with it
                conn.execute("DELETE FROM summary_paused")

    def _keep_summary(self, annotations: Iterable[Annotation]) -> None:
        """What the paused triggers would have done for these new annotations: their
        (article, issue) pairs marked stale, and each article's count raised by its own."""
        pairs: set[tuple[str, str]] = set()
        counts: Counter[str] = Counter()
        for a in annotations:
            counts[a.article_id] += 1
            if a.kind is AnnotationKind.ISSUE and a.code_id is not None:
                pairs.add((a.article_id, a.code_id))
            pairs.update((a.article_id, issue_id) for issue_id in a.issue_ids)
        conn = self._db.conn
        conn.executemany(
            "INSERT OR IGNORE INTO coverage_stale (article_id, issue_id) VALUES (?, ?)",
            sorted(pairs),
        )
        conn.executemany(
            "UPDATE article_stats SET annotations = annotations + ? WHERE article_id = ?",
            [(count, article_id) for article_id, count in sorted(counts.items())],
        )

    def _first_missing(
        self, table: str, annotations: Sequence[Annotation], rows_of: "_Rows"
    ) -> int:
        """The position of the first annotation with no rows in ``table``: executemany stops at
        the refused row, and the rows before it are still there until the savepoint unwinds."""
        column = "id" if table == "annotations" else "annotation_id"
        present: set[str] = set()
        ids = [a.id for a in annotations]
        for start in range(0, len(ids), 500):  # under SQLite's bound-parameter limit
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            present.update(
                row[0]
                for row in self._db.execute(
                    f"SELECT {column} FROM {table} WHERE {column} IN ({marks})", chunk
                ).fetchall()
            )
        return next((i for i, a in enumerate(annotations) if a.id not in present and rows_of(a)), 0)


class RefusedRowError(ConflictError):
    """The schema refused an annotation of a bulk call (a constraint or a trigger's RAISE);
    ``index`` is its position in the call, so the caller can name it in its own terms."""

    def __init__(self, reason: str, index: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.index = index


_Rows = Callable[[Annotation], list[tuple[SqlValue, ...]]]


def _annotation_row(a: Annotation) -> list[tuple[SqlValue, ...]]:
    return [
        (a.id, a.article_id, a.kind.value, a.code_id, a.speaker_id, a.speaker_mention_id,
         a.stance.value if a.stance else None, a.note, a.annotator, a.created_at, a.updated_at)
    ]  # fmt: skip


def _fragment_rows(a: Annotation) -> list[tuple[SqlValue, ...]]:
    return [(a.id, i, f.start, f.end, f.quote) for i, f in enumerate(a.fragments)]


def _claim_issue_rows(a: Annotation) -> list[tuple[SqlValue, ...]]:
    return [(a.id, code_id) for code_id in a.issue_ids]


#: Each table an annotation is written to, in the order references need.
_PARTS: tuple[tuple[str, str, _Rows], ...] = (
    ("annotations", _INSERT_ANNOTATIONS, _annotation_row),
    ("fragments", _INSERT_FRAGMENTS, _fragment_rows),
    ("claim_issues", _INSERT_CLAIM_ISSUES, _claim_issue_rows),
)
