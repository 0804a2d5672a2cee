"""Read-only summaries of a whole project: counts for ``stats`` and findings for ``check``."""

import sqlite3
from dataclasses import dataclass, field

from sqlite_utils import Database

from annotator.core.model import AnnotationKind
from annotator.core.text import text_sha256
from annotator.store.coverage_summary import CoverageSummary
from annotator.store.files.errors import ProjectFileError


@dataclass(frozen=True, slots=True)
class SourceCounts:
    articles: int
    annotations: int


@dataclass(frozen=True, slots=True)
class ProjectCounts:
    articles: int
    sources: int
    codes: dict[str, int]
    annotations: dict[str, int]
    per_source: dict[str, SourceCounts] = field(default_factory=dict)
    annotators: dict[str, int] = field(default_factory=dict)


class ReportQueries:
    def __init__(self, db: Database) -> None:
        self._db = db

    def counts(self) -> ProjectCounts:
        try:
            return self._counts()
        except sqlite3.DatabaseError as exc:
            raise ProjectFileError(f"The project file is damaged: {exc}. Run 'check'.") from exc

    def _counts(self) -> ProjectCounts:
        """Counted by seeking indexes and reading kept counts, never by reading every
        annotation's row or grouping a million of them (1.5 s at a million annotations):
        a claim is the one kind without a code (a CHECK says so), the other kinds are their
        codes' kinds, and each article's annotations are kept in ``article_stats``; ``check``
        confirms both of the latter."""

        def one(sql: str) -> int:
            return int(self._db.execute(sql).fetchone()[0])

        by_kind = dict.fromkeys((k.value for k in AnnotationKind), 0)
        by_kind[AnnotationKind.CLAIM.value] = one(
            "SELECT count(*) FROM annotations WHERE code_id IS NULL"
        )
        for kind, count in self._db.execute(
            """SELECT c.kind, (SELECT count(*) FROM annotations n WHERE n.code_id = c.id)
               FROM codes c"""
        ).fetchall():
            by_kind[kind] += count
        codes = {"issue": 0, "speaker": 0}
        codes.update(self._db.execute("SELECT kind, count(*) FROM codes GROUP BY kind").fetchall())
        per_source = {
            name: SourceCounts(articles, annotations)
            for name, articles, annotations in self._db.execute(
                """SELECT s.name, count(a.id), coalesce(sum(t.annotations), 0)
                   FROM sources s LEFT JOIN articles a ON a.source_id = s.id
                   LEFT JOIN article_stats t ON t.article_id = a.id
                   GROUP BY s.id ORDER BY s.name"""
            ).fetchall()
        }
        annotators = dict(  # the walk of AnnotationQueries.annotators, then a count per coder
            self._db.execute(
                """WITH RECURSIVE coder(name) AS (
                       SELECT min(annotator) FROM annotations
                       UNION ALL
                       SELECT (SELECT min(annotator) FROM annotations WHERE annotator > coder.name)
                       FROM coder WHERE coder.name IS NOT NULL)
                   SELECT name, (SELECT count(*) FROM annotations WHERE annotator = name)
                   FROM coder WHERE name IS NOT NULL"""
            ).fetchall()
        )
        return ProjectCounts(
            articles=one("SELECT count(*) FROM articles"),
            sources=one("SELECT count(*) FROM sources"),
            codes=codes,
            annotations=by_kind,
            per_source=per_source,
            annotators=annotators,
        )

    def problems(self) -> list[str]:
        """Every inconsistency found, one readable line each; empty means the project is sound."""
        try:
            return self._problems()
        except sqlite3.DatabaseError as exc:
            return [f"SQLite: {exc}; the file is damaged (restore a backup)"]

    def _problems(self) -> list[str]:
        found: list[str] = []
        integrity = [row[0] for row in self._db.execute("PRAGMA integrity_check").fetchall()]
        if integrity != ["ok"]:
            found.extend(f"SQLite integrity: {line}" for line in integrity)
        for table, rowid, parent, _ in self._db.execute("PRAGMA foreign_key_check").fetchall():
            # fragments and claim_issues have no rowid; the table names the problem enough.
            where = f"{table} row {rowid}" if rowid is not None else f"a {table} row"
            found.append(f"{where} refers to a missing {parent} row")
        for annotation_id, ordinal, start, end in self._db.execute(
            """SELECT f.annotation_id, f.ordinal, f.start, f."end"
               FROM fragments f JOIN annotations n ON n.id = f.annotation_id
               JOIN articles a ON a.id = n.article_id
               WHERE f."end" > length(a.text)
                  OR substr(a.text, f.start + 1, f."end" - f.start) != f.quote"""
        ).fetchall():
            found.append(
                f"annotation {annotation_id} fragment {ordinal} ({start}..{end}): "
                "stored quote differs from the article text"
            )
        for (annotation_id,) in self._db.execute(
            """SELECT id FROM annotations n
               WHERE NOT EXISTS (SELECT 1 FROM fragments f WHERE f.annotation_id = n.id)"""
        ).fetchall():
            found.append(f"annotation {annotation_id} has no fragment")
        for annotation_id, kind in self._db.execute(
            """SELECT n.id, n.kind FROM annotations n JOIN codes c ON c.id = n.code_id
               WHERE c.kind != n.kind
               UNION ALL
               SELECT n.id, 'claim speaker' FROM annotations n JOIN codes c ON c.id = n.speaker_id
               WHERE c.kind != 'speaker'
               UNION ALL
               SELECT i.annotation_id, 'claim issue' FROM claim_issues i
               JOIN codes c ON c.id = i.code_id JOIN annotations n ON n.id = i.annotation_id
               WHERE c.kind != 'issue' OR n.kind != 'claim'"""
        ).fetchall():
            found.append(f"annotation {annotation_id}: {kind} refers to a code of the wrong kind")
        for (annotation_id,) in self._db.execute(
            """SELECT n.id FROM annotations n JOIN annotations m ON m.id = n.speaker_mention_id
               WHERE m.kind != 'speaker' OR m.article_id != n.article_id
                  OR m.code_id IS NOT n.speaker_id"""
        ).fetchall():
            found.append(
                f"claim {annotation_id}: its speaker mention is not a mention of its speaker "
                "in the same article"
            )
        for article_id, text, sha256 in self._db.execute(
            "SELECT id, text, sha256 FROM articles"
        ).fetchall():
            if text_sha256(text) != sha256:
                found.append(f"article {article_id}: text does not match its SHA-256")
        for article_id, kept, counted in self._db.execute(
            """SELECT a.id, s.annotations || ' annotations, ' || s.characters || ' characters',
                      (SELECT count(*) FROM annotations n WHERE n.article_id = a.id)
                      || ' annotations, ' || length(a.text) || ' characters'
               FROM articles a LEFT JOIN article_stats s ON s.article_id = a.id"""
        ).fetchall():
            if kept != counted:
                found.append(f"article {article_id}: kept counts ({kept}) differ from {counted}")
        found.extend(CoverageSummary(self._db).differences())
        return found
