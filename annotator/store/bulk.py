"""Bulk writes: many rows in one transaction through ``executemany``.

For generated or already-validated data (the benchmark's synthetic projects), where one
``INSERT`` per row through the services would take minutes for a million annotations. Nothing
is checked here beyond the schema's own constraints: callers hand in values that are valid by
construction (fragments inside the text, quotes taken from it, codes of the right kind), and
``annotator check`` confirms it afterwards.
"""

from collections.abc import Iterable

from sqlite_utils import Database

from annotator.core.model import Annotation, Article, Code, Source


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
        annotations = list(annotations)
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
                       sha256, imported_from, status, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    (a.id, a.source_id, a.title, a.published, a.author, a.url, a.text,
                     a.sha256, a.imported_from, a.status.value, a.created_at)
                    for a in articles
                ],
            )  # fmt: skip
            conn.executemany(
                """INSERT INTO annotations (id, article_id, kind, code_id, speaker_id,
                       speaker_mention_id, stance, note, annotator, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    (a.id, a.article_id, a.kind.value, a.code_id, a.speaker_id,
                     a.speaker_mention_id, a.stance.value if a.stance else None, a.note,
                     a.annotator, a.created_at, a.updated_at)
                    for a in annotations
                ],
            )  # fmt: skip
            conn.executemany(
                'INSERT INTO fragments (annotation_id, ordinal, start, "end", quote) '
                "VALUES (?, ?, ?, ?, ?)",
                (
                    (a.id, i, f.start, f.end, f.quote)
                    for a in annotations
                    for i, f in enumerate(a.fragments)
                ),
            )
            conn.executemany(
                "INSERT INTO claim_issues (annotation_id, code_id) VALUES (?, ?)",
                ((a.id, code_id) for a in annotations for code_id in a.issue_ids),
            )
