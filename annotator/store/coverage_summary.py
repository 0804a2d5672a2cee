"""The stored coverage summary (migration 0003): recomputing stale articles, and reading sums.

Triggers record which articles changed; ``refresh_stale`` recomputes exactly those, inside
the transaction that changed them (``ProjectDatabase.atomic`` calls it before committing), so
a chart read right after an edit sums a small table instead of every span in the project.
Only what can be summed is summarised: all coders' issue passages and claims, per article and
issue. A coder filter or a roll-up of child issues needs the union of spans across rows, so
those tables are still computed from the spans (``CoverageQueries``).
"""

import json
from collections import defaultdict
from collections.abc import Iterator

from sqlite_utils import Database

from annotator.core.coverage import CellSums, CoverageFilter, SourceTotals, summarise_article
from annotator.core.model import AnnotationKind
from annotator.store.sql_types import Row

#: Articles recomputed per round: bounds the memory of a project-wide refresh (a migration).
_BATCH = 500

#: An article with this many stale issues is recomputed whole. Its spans are found through
#: its own rows; narrowed to some issues, a claim's are found through the issue's links across
#: the whole project (no index holds article and issue together), which is the cheaper way for
#: the one or two issues of an edit, and far the dearer for the twenty of an imported article.
_WHOLE_FROM = 3

#: The issue-labelled fragments of some articles: {passages} and {claims} narrow them to some
#: issues (an edit's), or are left empty (a whole article, as after a migration).
_SPANS = """SELECT n.article_id, n.code_id, 'issue', n.id, f.start, f."end"
    FROM annotations n JOIN fragments f ON f.annotation_id = n.id
    WHERE n.kind = 'issue' AND n.article_id IN (SELECT value FROM json_each(:ids)) {passages}
    UNION ALL
    SELECT n.article_id, i.code_id, 'claim', n.id, f.start, f."end"
    FROM annotations n JOIN claim_issues i ON i.annotation_id = n.id
    JOIN fragments f ON f.annotation_id = n.id
    WHERE n.kind = 'claim' AND n.article_id IN (SELECT value FROM json_each(:ids)) {claims}"""
_ALL_SPANS = _SPANS.format(passages="", claims="")
_ISSUE_SPANS = _SPANS.format(
    passages="AND n.code_id IN (SELECT value FROM json_each(:issues))",
    claims="AND i.code_id IN (SELECT value FROM json_each(:issues))",
)

#: Per kind selection: (annotations, characters, articles) as columns of the per-source sums.
_SUMS = {
    frozenset({AnnotationKind.ISSUE, AnnotationKind.CLAIM}): (
        "passages + claims", "characters", "articles"),
    frozenset({AnnotationKind.ISSUE}): (
        "passages", "passage_characters", "passage_articles"),
    frozenset({AnnotationKind.CLAIM}): ("claims", "claim_characters", "claim_articles"),
}  # fmt: skip

#: The same, summed per article from ``issue_coverage`` (for a status or date filter).
_ARTICLE_SUMS = {
    frozenset({AnnotationKind.ISSUE, AnnotationKind.CLAIM}): (
        "passages + claims", "characters", "1"),
    frozenset({AnnotationKind.ISSUE}): (
        "passages", "passage_characters", "passages > 0"),
    frozenset({AnnotationKind.CLAIM}): ("claims", "claim_characters", "claims > 0"),
}  # fmt: skip


def refresh_stale(db: Database) -> int:
    """Recompute every (article, issue) marked stale, an issue of '' meaning every issue of
    the article (and so does a long list of them); returns how many articles. Call inside a
    transaction."""
    done = 0
    while pairs := db.execute(
        "SELECT article_id, issue_id FROM coverage_stale LIMIT ?", [_BATCH]
    ).fetchall():
        issues: dict[str, set[str]] = defaultdict(set)
        for article_id, issue_id in pairs:
            issues[article_id].add(issue_id)
        whole = [a for a, found in issues.items() if "" in found or len(found) >= _WHOLE_FROM]
        if whole:
            _recompute(db, whole)
        for article_id, found in issues.items():
            if "" not in found and len(found) < _WHOLE_FROM:  # only the issues an edit touched
                _recompute(db, [article_id], sorted(found))
        db.conn.executemany(
            "DELETE FROM coverage_stale WHERE article_id = ? AND issue_id = ?", pairs
        )
        done += len(issues)
    return done


def _recompute(db: Database, article_ids: list[str], issue_ids: list[str] | None = None) -> None:
    """The rows of these articles, of every issue or only of ``issue_ids``."""
    params = {"ids": json.dumps(article_ids), "issues": json.dumps(issue_ids or [])}
    source_of = dict(
        db.execute(
            "SELECT id, source_id FROM articles WHERE id IN (SELECT value FROM json_each(:ids))",
            params,
        ).fetchall()
    )
    spans: dict[str, list[tuple[str, str, str, int, int]]] = defaultdict(list)
    query = _ALL_SPANS if issue_ids is None else _ISSUE_SPANS
    for article_id, *span in db.execute(query, params).fetchall():
        spans[article_id].append(tuple(span))
    only = "" if issue_ids is None else " AND issue_id IN (SELECT value FROM json_each(:issues))"
    conn = db.conn
    conn.execute(
        "DELETE FROM issue_coverage WHERE article_id IN (SELECT value FROM json_each(:ids))" + only,
        params,
    )
    conn.executemany(
        "INSERT INTO issue_coverage VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (article_id, row.issue_id, source_of[article_id], *row[1:])
            for article_id, found in spans.items()
            if article_id in source_of  # a deleted article leaves nothing to count
            for row in summarise_article(found)
        ),
    )


class CoverageSummary:
    """Reads of the summary. Each read first brings stale articles up to date, for a write
    that did not pass through ``atomic()``; normally there are none and this costs one probe."""

    def __init__(self, db: Database) -> None:
        self._db = db

    @staticmethod
    def serves(flt: CoverageFilter) -> bool:
        """Whether the summary can answer ``flt``: every coder, no roll-up, some kinds, and
        rows by source (it has no variable dimension; a variable filter is an article filter
        like a date, which its per-article rows answer)."""
        return not flt.annotators and not flt.roll_up and flt.kinds in _SUMS and not flt.group_by

    def source_totals(self) -> list[SourceTotals]:
        """Every source with articles, unfiltered: the kept per-source sizes."""
        rows = self._db.execute(
            """SELECT s.id, s.name, z.articles, z.characters
               FROM source_sizes z JOIN sources s ON s.id = z.source_id
               WHERE z.articles > 0"""
        ).fetchall()
        return [SourceTotals(*row) for row in rows]

    def cell_sums(
        self, flt: CoverageFilter, article_filter: tuple[str, dict[str, object]]
    ) -> list[CellSums]:
        """Per source and issue, for a filter ``serves`` accepts. Without a status or date
        condition this reads the per-source sums; with one, the chosen articles' rows."""
        self._fresh()
        where, params = article_filter
        if where == "1":
            annotations, characters, articles = _SUMS[flt.kinds]
            rows = self._db.execute(
                f"""SELECT source_id, issue_id, {annotations}, {characters}, {articles}
                    FROM source_issue_coverage WHERE {articles} > 0"""
            )
        else:
            annotations, characters, articles = _ARTICLE_SUMS[flt.kinds]
            rows = self._db.execute(
                f"""SELECT c.source_id, c.issue_id, sum({annotations}), sum({characters}),
                        sum({articles})
                    FROM issue_coverage c
                    WHERE c.article_id IN (SELECT a.id FROM articles a WHERE {where})
                    GROUP BY c.source_id, c.issue_id HAVING sum({articles}) > 0""",
                params,
            )
        return [CellSums(*row) for row in rows.fetchall()]

    def differences(self) -> Iterator[str]:
        """Where the kept summary differs from what it summarises: ``annotator check``'s test
        that no write went around the triggers. The per-article rows are recomputed in a
        savepoint that is rolled back; the per-source sums are compared with fresh sums."""
        queries = {
            "source_issue_coverage": (
                "SELECT * FROM source_issue_coverage",
                """SELECT source_id, issue_id, sum(passages), sum(claims), sum(characters),
                       sum(passage_characters), sum(claim_characters), count(*),
                       sum(passages > 0), sum(claims > 0)
                   FROM issue_coverage GROUP BY source_id, issue_id""",
            ),
            "source_sizes": (
                "SELECT * FROM source_sizes",
                "SELECT source_id, count(*), sum(length(text)) FROM articles GROUP BY source_id",
            ),
        }
        if self._db.execute("SELECT 1 FROM summary_paused").fetchone():
            yield "coverage summary: its insert triggers are paused (summary_paused has a row)"
        for table, (kept, fresh) in queries.items():
            yield from _compare(table, self._rows(kept), self._rows(fresh))
        kept_rows = self._rows("SELECT * FROM issue_coverage")
        self._db.execute("SAVEPOINT coverage_check")
        try:
            self._db.execute("INSERT OR IGNORE INTO coverage_stale SELECT id, '' FROM articles")
            refresh_stale(self._db)
            fresh_rows = self._rows("SELECT * FROM issue_coverage")
        finally:
            self._db.execute("ROLLBACK TO coverage_check")
            self._db.execute("RELEASE coverage_check")
        yield from _compare("issue_coverage", kept_rows, fresh_rows)

    def _rows(self, sql: str) -> dict[Row, Row]:
        """Rows by their first two columns (the key; ``source_sizes`` pads with its one)."""
        return {tuple(row[:2]): tuple(row[2:]) for row in self._db.execute(sql).fetchall()}

    def _fresh(self) -> None:
        if self._db.execute("SELECT 1 FROM coverage_stale LIMIT 1").fetchone():
            with self._db.atomic():
                refresh_stale(self._db)


def _compare(table: str, kept: dict[Row, Row], fresh: dict[Row, Row]) -> Iterator[str]:
    for key in sorted(set(kept) | set(fresh), key=str):
        if kept.get(key) != fresh.get(key):
            yield (
                f"coverage summary ({table}) for {' / '.join(map(str, key))}: "
                f"kept {kept.get(key)}, recomputed {fresh.get(key)}"
            )
