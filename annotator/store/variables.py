"""Queries on article variables (migration 0009), and the SQL that filters and groups
articles by them for coverage.

Names are stored as the service spelled them; matching a name ignoring case is the service's
job (SQLite's NOCASE folds only ASCII), so every query here takes the stored spelling.
"""

import json
from collections import defaultdict
from collections.abc import Collection, Iterator
from typing import NamedTuple

from sqlite_utils import Database

from annotator.core.model import ArticleStatus
from annotator.core.variables import ArticleVariable
from annotator.store.sql_types import Row

Params = dict[str, object]

#: An article passes when, for every name of the filter, its value is one of those given
#: for that name: the matching pairs are counted by distinct name (one per name at most, the
#: key being (article, name)) and compared with the number of names. One text whatever the
#: filter holds; each pair is a look-up by the table's key.
_WHERE_VARIABLES = """(SELECT count(DISTINCT v.name) FROM article_variables v
    JOIN json_each(:variable_pairs) w ON v.name = json_extract(w.value, '$[0]')
        AND v.value = json_extract(w.value, '$[1]')
    WHERE v.article_id = a.id) = :variable_names"""


class ArticleRow(NamedTuple):
    """One article as ``annotator export --articles`` writes it, before its variables."""

    id: str
    title: str
    source: str
    published: str | None
    author: str | None
    url: str | None
    status: ArticleStatus
    characters: int
    annotations: int


class VariableQueries:
    def __init__(self, db: Database) -> None:
        self._db = db

    def for_article(self, article_id: str) -> list[ArticleVariable]:
        rows = self._db.execute(
            "SELECT article_id, name, value FROM article_variables WHERE article_id = ? "
            "ORDER BY name",
            [article_id],
        ).fetchall()
        return [ArticleVariable(*row) for row in rows]

    def get(self, article_id: str, name: str) -> ArticleVariable | None:
        row = self._db.execute(
            "SELECT article_id, name, value FROM article_variables "
            "WHERE article_id = ? AND name = ?",
            [article_id, name],
        ).fetchone()
        return ArticleVariable(*row) if row else None

    def all(self) -> list[ArticleVariable]:
        """Every variable of every article (what a merge carries over)."""
        rows = self._db.execute(
            "SELECT article_id, name, value FROM article_variables ORDER BY article_id, name"
        ).fetchall()
        return [ArticleVariable(*row) for row in rows]

    def put(self, variable: ArticleVariable) -> None:
        """Set one variable of one article, replacing its value if it has one."""
        with self._db.atomic():
            self._db.execute(
                """INSERT INTO article_variables (article_id, name, value) VALUES (?, ?, ?)
                   ON CONFLICT (article_id, name) DO UPDATE SET value = excluded.value""",
                [variable.article_id, variable.name, variable.value],
            )

    def delete(self, article_id: str, name: str) -> None:
        with self._db.atomic():
            self._db.execute(
                "DELETE FROM article_variables WHERE article_id = ? AND name = ?",
                [article_id, name],
            )

    def names(self) -> list[tuple[str, int]]:
        """Every variable name with the number of articles that have it, by name (a walk
        over the name index)."""
        rows = self._db.execute(
            "SELECT name, count(*) FROM article_variables GROUP BY name ORDER BY name"
        ).fetchall()
        return [(name, count) for name, count in rows]

    def values(self, name: str) -> list[tuple[str, int]]:
        """The values of one variable with the number of articles holding each."""
        rows = self._db.execute(
            "SELECT value, count(*) FROM article_variables WHERE name = ? "
            "GROUP BY value ORDER BY value",
            [name],
        ).fetchall()
        return [(value, count) for value, count in rows]

    def values_of(self, name: str) -> dict[str, str]:
        """Article id → value, for the articles that have the variable."""
        rows = self._db.execute(
            "SELECT article_id, value FROM article_variables WHERE name = ?", [name]
        ).fetchall()
        return dict(rows)

    # -- the articles export ------------------------------------------------------------

    def by_article(self) -> dict[str, dict[str, str]]:
        """Article id → its variables (name → value)."""
        found: dict[str, dict[str, str]] = defaultdict(dict)
        for article_id, name, value in self._db.execute(
            "SELECT article_id, name, value FROM article_variables"
        ).fetchall():
            found[article_id][name] = value
        return dict(found)

    def article_rows(self, annotator: str) -> Iterator[ArticleRow]:
        """Every article with its metadata, ``annotator``'s status (new without a row), its
        length and its annotation count (all coders', as triggers keep them), in the article
        list's order. The text is not read."""
        rows = self._db.execute(
            """SELECT a.id, a.title, s.name, a.published, a.author, a.url,
                      coalesce(t.status, 'new'), k.characters, k.annotations
               FROM articles a JOIN sources s ON s.id = a.source_id
               JOIN article_stats k ON k.article_id = a.id
               LEFT JOIN article_statuses t ON t.article_id = a.id AND t.annotator = ?
               ORDER BY s.name, a.published, a.title, a.id""",
            [annotator],
        )
        for id_, title, source, published, author, url, status, length, count in rows:
            yield ArticleRow(
                id_, title, source, published, author, url, ArticleStatus(status), length, count
            )


# -- coverage ------------------------------------------------------------------------------


def variable_filter(pairs: Collection[tuple[str, str]]) -> tuple[str, Params]:
    """The condition on articles ``a`` that keeps those with, for each name among ``pairs``,
    one of its values: AND across names, OR across the values of one name."""
    ordered = sorted(set(pairs))
    params: Params = {
        "variable_pairs": json.dumps([list(pair) for pair in ordered]),
        "variable_names": len({name for name, _ in ordered}),
    }
    return _WHERE_VARIABLES, params


def group_totals(db: Database, name: str, where: str, params: Params) -> list[Row]:
    """(value or None, articles, characters) of the articles ``where`` chooses, grouped by
    their value of the variable ``name``: the denominators of coverage grouped by it. The
    lengths are the ones triggers keep (``article_stats``), so no text is read."""
    return db.execute(
        f"""SELECT v.value, count(*), coalesce(sum(k.characters), 0)
            FROM articles a JOIN article_stats k ON k.article_id = a.id
            LEFT JOIN article_variables v ON v.article_id = a.id AND v.name = :group_name
            WHERE {where} GROUP BY v.value""",
        {**params, "group_name": name},
    ).fetchall()


def group_condition(value: str | None) -> tuple[str, Params]:
    """The condition on articles ``a`` for one group: the variable named ``:group_name``
    (bound by the caller) has ``value``, or, for None, the article lacks it."""
    if value is None:
        return (
            "NOT EXISTS (SELECT 1 FROM article_variables g WHERE g.article_id = a.id "
            "AND g.name = :group_name)",
            {},
        )
    return (
        "EXISTS (SELECT 1 FROM article_variables g WHERE g.article_id = a.id "
        "AND g.name = :group_name AND g.value = :group_value)",
        {"group_value": value},
    )
