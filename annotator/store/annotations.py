"""Queries on annotations, their fragments and a claim's issues."""

from collections import defaultdict
from collections.abc import Iterable

from sqlite_utils import Database

from annotator.core.errors import NotFoundError
from annotator.core.model import Annotation, AnnotationKind, Fragment, Stance

_COLUMNS = (
    "id, article_id, kind, code_id, speaker_id, speaker_mention_id, stance, note, annotator, "
    "created_at, updated_at"
)


class AnnotationQueries:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, annotation: Annotation) -> None:
        with self._db.atomic():
            self._db.execute(
                f"INSERT INTO annotations ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self._values(annotation),
            )
            self._write_parts(annotation)

    def update(self, annotation: Annotation) -> None:
        with self._db.atomic():
            cursor = self._db.execute(
                """UPDATE annotations SET article_id = ?, kind = ?, code_id = ?, speaker_id = ?,
                       speaker_mention_id = ?, stance = ?, note = ?, annotator = ?,
                       created_at = ?, updated_at = ?
                   WHERE id = ?""",
                [*self._values(annotation)[1:], annotation.id],
            )
            if cursor.rowcount == 0:
                raise NotFoundError(f"No annotation with id {annotation.id}.")
            self._db.execute("DELETE FROM fragments WHERE annotation_id = ?", [annotation.id])
            self._db.execute("DELETE FROM claim_issues WHERE annotation_id = ?", [annotation.id])
            self._write_parts(annotation)

    def delete(self, annotation_id: str) -> None:
        """Fragments and issue links go with it (ON DELETE CASCADE); claims that were attributed
        through this mention keep their speaker and lose only the link (SET NULL)."""
        with self._db.atomic():
            cursor = self._db.execute("DELETE FROM annotations WHERE id = ?", [annotation_id])
        if cursor.rowcount == 0:
            raise NotFoundError(f"No annotation with id {annotation_id}.")

    @staticmethod
    def _values(a: Annotation) -> list:
        return [
            a.id, a.article_id, a.kind.value, a.code_id, a.speaker_id, a.speaker_mention_id,
            a.stance.value if a.stance else None, a.note, a.annotator, a.created_at, a.updated_at,
        ]  # fmt: skip

    def _write_parts(self, a: Annotation) -> None:
        self._db.conn.executemany(
            'INSERT INTO fragments (annotation_id, ordinal, start, "end", quote) '
            "VALUES (?, ?, ?, ?, ?)",
            [(a.id, i, f.start, f.end, f.quote) for i, f in enumerate(a.fragments)],
        )
        self._db.conn.executemany(
            "INSERT INTO claim_issues (annotation_id, code_id) VALUES (?, ?)",
            [(a.id, code_id) for code_id in a.issue_ids],
        )

    def get(self, annotation_id: str) -> Annotation:
        found = self._load("a.id = ?", [annotation_id])
        if not found:
            raise NotFoundError(f"No annotation with id {annotation_id}.")
        return found[0]

    def for_article(self, article_id: str) -> list[Annotation]:
        """The article's annotations in reading order (by first fragment)."""
        return self._load("a.article_id = ?", [article_id])

    def using_code(self, code_id: str) -> list[Annotation]:
        """Every annotation that refers to the code: as label, as claim speaker or claim issue."""
        return self._load(
            """a.code_id = :c OR a.speaker_id = :c
               OR a.id IN (SELECT annotation_id FROM claim_issues WHERE code_id = :c)""",
            {"c": code_id},
        )

    def annotators(self) -> list[str]:
        """Every coder's name as stored, each once: a walk over the annotator index, one
        lookup per name (migration 0004), however many annotations there are."""
        rows = self._db.execute(
            """WITH RECURSIVE coder(name) AS (
                   SELECT min(annotator) FROM annotations
                   UNION ALL
                   SELECT (SELECT min(annotator) FROM annotations WHERE annotator > coder.name)
                   FROM coder WHERE coder.name IS NOT NULL)
               SELECT name FROM coder WHERE name IS NOT NULL"""
        ).fetchall()
        return [name for (name,) in rows]

    def count_for_article(self, article_id: str) -> int:
        row = self._db.execute(
            "SELECT count(*) FROM annotations WHERE article_id = ?", [article_id]
        ).fetchone()
        return int(row[0])

    def labelled_with(self, code_id: str) -> list[str]:
        """Ids of the speaker mentions or issue passages whose label is this code."""
        rows = self._db.execute("SELECT id FROM annotations WHERE code_id = ?", [code_id])
        return [row[0] for row in rows.fetchall()]

    def _load(self, where: str, params: Iterable | dict) -> list[Annotation]:
        rows = self._db.execute(
            f"SELECT {_COLUMNS.replace('id,', 'a.id,', 1)} FROM annotations a WHERE {where}",
            params,
        ).fetchall()
        if not rows:
            return []
        ids = [row[0] for row in rows]
        fragments: dict[str, list[Fragment]] = defaultdict(list)
        issues: dict[str, list[str]] = defaultdict(list)
        # Chunked so a large article stays under SQLite's bound-parameter limit.
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start : chunk_start + 500]
            marks = ",".join("?" * len(chunk))
            for annotation_id, start, end, quote in self._db.execute(
                f'SELECT annotation_id, start, "end", quote FROM fragments '
                f"WHERE annotation_id IN ({marks}) ORDER BY annotation_id, ordinal",
                chunk,
            ).fetchall():
                fragments[annotation_id].append(Fragment(start, end, quote))
            for annotation_id, code_id in self._db.execute(
                f"SELECT annotation_id, code_id FROM claim_issues "
                f"WHERE annotation_id IN ({marks}) ORDER BY annotation_id, code_id",
                chunk,
            ).fetchall():
                issues[annotation_id].append(code_id)
        result = [
            Annotation(
                id=row[0],
                article_id=row[1],
                kind=AnnotationKind(row[2]),
                code_id=row[3],
                speaker_id=row[4],
                speaker_mention_id=row[5],
                stance=Stance(row[6]) if row[6] else None,
                note=row[7],
                annotator=row[8],
                created_at=row[9],
                updated_at=row[10],
                fragments=tuple(fragments[row[0]]),
                issue_ids=tuple(issues[row[0]]),
            )
            for row in rows
        ]
        result.sort(key=lambda a: (a.start, a.end, a.created_at) if a.fragments else (-1, -1, ""))
        return result

    def upsert(self, annotation: Annotation) -> None:
        exists = self._db.execute(
            "SELECT 1 FROM annotations WHERE id = ?", [annotation.id]
        ).fetchone()
        if exists:
            self.update(annotation)
        else:
            self.add(annotation)
