"""Article texts in batches, for work that reads every article once (a corpus-wide search)
without holding every text in memory at once."""

from collections.abc import Iterator, Sequence

from sqlite_utils import Database

#: Texts per query: few enough to keep memory small, many enough that queries stay few.
BATCH = 200


class ArticleTextQueries:
    def __init__(self, db: Database) -> None:
        self._db = db

    def texts(self, ids: Sequence[str], batch: int = BATCH) -> Iterator[tuple[str, str, str]]:
        """(id, title, text) of the articles ``ids``, in that order; an id that names no
        article is skipped. No statement stays open between batches, so the caller may write
        while it walks."""
        for first in range(0, len(ids), batch):
            chunk = list(ids[first : first + batch])
            marks = ", ".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT id, title, text FROM articles WHERE id IN ({marks})", chunk
            ).fetchall()
            found = {row[0]: row for row in rows}
            for article_id in chunk:
                row = found.get(article_id)
                if row is not None:
                    yield row[0], row[1], row[2]
