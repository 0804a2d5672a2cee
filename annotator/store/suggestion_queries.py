"""Queries on rejected suggestions: what a coder said no to, per article."""

from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class Rejection:
    article_id: str
    key: str
    kind: str
    text: str
    annotator: str
    rejected_at: str

    @property
    def id(self) -> str:
        """The row's key as one string, so ``compose()`` treats it like every other row."""
        return f"{self.article_id}|{self.key}"


class SuggestionQueries:
    def __init__(self, db: Database) -> None:
        self._db = db

    def reject(self, rejection: Rejection) -> None:
        """Remember a rejection; rejecting the same suggestion again keeps the first record."""
        with self._db.atomic():
            self._db.execute(
                """INSERT OR IGNORE INTO rejected_suggestions
                       (article_id, key, kind, text, annotator, rejected_at)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                [
                    rejection.article_id, rejection.key, rejection.kind, rejection.text,
                    rejection.annotator, rejection.rejected_at,
                ],
            )  # fmt: skip

    def unreject(self, article_id: str, key: str) -> bool:
        """Forget a rejection (its undo); False when there was none."""
        with self._db.atomic():
            cursor = self._db.execute(
                "DELETE FROM rejected_suggestions WHERE article_id = ? AND key = ?",
                [article_id, key],
            )
        return cursor.rowcount > 0

    def get(self, article_id: str, key: str) -> Rejection | None:
        """The stored rejection of this suggestion, so a Change can say what was there."""
        row = self._db.execute(
            """SELECT article_id, key, kind, text, annotator, rejected_at
               FROM rejected_suggestions WHERE article_id = ? AND key = ?""",
            [article_id, key],
        ).fetchone()
        return Rejection(*row) if row else None

    def rejected_keys(self, article_id: str) -> frozenset[str]:
        rows = self._db.execute(
            "SELECT key FROM rejected_suggestions WHERE article_id = ?", [article_id]
        ).fetchall()
        return frozenset(row[0] for row in rows)

    def for_article(self, article_id: str) -> list[Rejection]:
        rows = self._db.execute(
            """SELECT article_id, key, kind, text, annotator, rejected_at
               FROM rejected_suggestions WHERE article_id = ? ORDER BY rejected_at, key""",
            [article_id],
        ).fetchall()
        return [Rejection(*row) for row in rows]
