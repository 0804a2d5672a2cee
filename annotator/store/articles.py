"""Queries on sources and articles, and the coders' statuses of articles."""

from collections.abc import Iterator

from sqlite_utils import Database

from annotator.core.errors import NotFoundError
from annotator.core.ids import new_id
from annotator.core.model import Article, ArticleStatus, ArticleStatusRow, ArticleSummary, Source
from annotator.store.sql_types import RowDict


def _article(row: RowDict) -> Article:
    return Article(
        id=row["id"],
        source_id=row["source_id"],
        title=row["title"],
        text=row["text"],
        sha256=row["sha256"],
        published=row["published"],
        author=row["author"],
        url=row["url"],
        imported_from=row["imported_from"],
        created_at=row["created_at"],
    )


class SourceQueries:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, source_id: str) -> Source:
        row = self._db.execute(
            "SELECT id, name, url FROM sources WHERE id = ?", [source_id]
        ).fetchone()
        if row is None:
            raise NotFoundError(f"No source with id {source_id}.")
        return Source(*row)

    def by_name(self, name: str) -> Source | None:
        """Matched ignoring case in every script (SQLite's NOCASE folds only ASCII)."""
        key = name.strip().casefold()
        rows = self._db.execute("SELECT id, name, url FROM sources").fetchall()
        return next((Source(*row) for row in rows if row[1].casefold() == key), None)

    def get_or_create(self, name: str, url: str | None = None) -> Source:
        """Outlets are matched by name, ignoring case, so "AFP" and "afp" are one source."""
        existing = self.by_name(name)
        if existing:
            return existing
        source = Source(new_id(), name.strip(), url)
        with self._db.atomic():
            self._db.execute(
                "INSERT INTO sources (id, name, url) VALUES (?, ?, ?)",
                [source.id, source.name, source.url],
            )
        return source

    def all(self) -> list[Source]:
        rows = self._db.execute("SELECT id, name, url FROM sources ORDER BY name").fetchall()
        return [Source(*row) for row in rows]


class ArticleQueries:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, article: Article) -> None:
        """``articles.status`` is left to its default: statuses are per coder since 0008."""
        with self._db.atomic():
            self._db.execute(
                """INSERT INTO articles (id, source_id, title, published, author, url, text,
                       sha256, imported_from, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    article.id, article.source_id, article.title, article.published,
                    article.author, article.url, article.text, article.sha256,
                    article.imported_from, article.created_at,
                ],
            )  # fmt: skip

    def get(self, article_id: str) -> Article:
        rows = list(self._db.query("SELECT * FROM articles WHERE id = ?", [article_id]))
        if not rows:
            raise NotFoundError(f"No article with id {article_id}.")
        return _article(rows[0])

    def by_sha256(self, sha256: str) -> Article | None:
        rows = list(self._db.query("SELECT * FROM articles WHERE sha256 = ?", [sha256]))
        return _article(rows[0]) if rows else None

    def iter_all(self) -> Iterator[Article]:
        for row in self._db.query("SELECT * FROM articles ORDER BY created_at, id"):
            yield _article(row)

    def summaries(self, annotator: str | None = None) -> list[ArticleSummary]:
        """Every article with its source and annotation count, in the order of the list:
        by source, then date, then title. Counts and lengths are the ones triggers keep
        (``article_stats``): counting them read every annotation and every article's text.
        The status is ``annotator``'s, joined in the same query (one look-up by key per
        article); without a coder every article reads as new, for callers that show none."""
        rows = self._db.execute(
            """SELECT a.id, a.title, a.source_id, s.name, a.published,
                      coalesce(t.status, 'new'), k.annotations, k.characters
               FROM articles a JOIN sources s ON s.id = a.source_id
               JOIN article_stats k ON k.article_id = a.id
               LEFT JOIN article_statuses t ON t.article_id = a.id AND t.annotator = ?
               ORDER BY s.name, a.published, a.title""",
            [annotator or ""],
        ).fetchall()
        status = {s.value: s for s in ArticleStatus}  # a dict lookup per row, cheaper than the enum
        return [
            ArticleSummary(r[0], r[1], r[2], r[3], r[4], status[r[5]], r[6], r[7]) for r in rows
        ]

    # -- statuses, per coder ------------------------------------------------------------

    def status_row(self, article_id: str, annotator: str) -> ArticleStatusRow | None:
        """The coder's status row of the article; None when it is new to them."""
        row = self._db.execute(
            "SELECT status FROM article_statuses WHERE article_id = ? AND annotator = ?",
            [article_id, annotator],
        ).fetchone()
        return ArticleStatusRow(article_id, annotator, ArticleStatus(row[0])) if row else None

    def status_of(self, article_id: str, annotator: str) -> ArticleStatus:
        row = self.status_row(article_id, annotator)
        return row.status if row else ArticleStatus.NEW

    def statuses(self) -> list[ArticleStatusRow]:
        """Every coder's status of every article (what a merge carries over)."""
        rows = self._db.execute(
            "SELECT article_id, annotator, status FROM article_statuses "
            "ORDER BY article_id, annotator"
        ).fetchall()
        return [ArticleStatusRow(a, n, ArticleStatus(s)) for a, n, s in rows]

    def put_status(self, row: ArticleStatusRow) -> None:
        """Set one coder's status of one article, replacing only that coder's row."""
        with self._db.atomic():
            self._db.execute(
                """INSERT INTO article_statuses (article_id, annotator, status) VALUES (?, ?, ?)
                   ON CONFLICT (article_id, annotator) DO UPDATE SET status = excluded.status""",
                [row.article_id, row.annotator, row.status.value],
            )

    def delete_status(self, article_id: str, annotator: str) -> None:
        """Make the article new again for the coder."""
        with self._db.atomic():
            self._db.execute(
                "DELETE FROM article_statuses WHERE article_id = ? AND annotator = ?",
                [article_id, annotator],
            )

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])
