"""Queries on annotations, their fragments and a claim's issues."""

from collections import defaultdict
from collections.abc import Iterable

from sqlite_utils import Database

from annotator.core.errors import NotFoundError
from annotator.core.model import Annotation, AnnotationKind, Fragment, Stance
from annotator.core.spans.reading_order import reading_key
from annotator.store.sql_types import SqlValue

_COLUMNS = (
    "id, article_id, kind, code_id, speaker_id, speaker_mention_id, stance, note, annotator, "
    "created_at, updated_at"
)


#: Enum members by stored value: a dict lookup per row is far cheaper than calling the enum.
_KINDS = {kind.value: kind for kind in AnnotationKind}
_STANCES = {stance.value: stance for stance in Stance}


#: One row per annotation of an article for the CSV export, in the export's order (by first
#: start, last end, age; those without fragments first), fragments and issue ids already
#: joined: (id, kind, code_id, speaker_id, stance, note, annotator, created_at, updated_at,
#: "start-end;…", quotes joined by " … ", issue ids joined by spaces). One pass over the
#: fragments' primary key (annotation, ordinal) feeds the concatenations in ordinal order;
#: fragments are sorted and disjoint (core.fragments), so the first start is the least and
#: the last end the greatest. (A subquery per column took twice as long.)
_EXPORT_ROWS = """
SELECT n.id, n.kind, n.code_id, n.speaker_id, coalesce(n.stance, ''), coalesce(n.note, ''),
       n.annotator, n.created_at, n.updated_at,
       coalesce(group_concat(f.start || '-' || f."end", ';'), ''),
       coalesce(group_concat(f.quote, ' … '), ''),
       coalesce((SELECT group_concat(code_id, ' ') FROM claim_issues
                 WHERE annotation_id = n.id), ''),
       min(f.start) AS first_start, max(f."end") AS last_end
FROM annotations n LEFT JOIN fragments f ON f.annotation_id = n.id
WHERE n.article_id = ?
GROUP BY n.id
ORDER BY coalesce(first_start, -1), coalesce(last_end, -1),
         CASE WHEN first_start IS NULL THEN '' ELSE n.created_at END, n.id"""


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
    def _values(a: Annotation) -> list[SqlValue]:
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

    def export_rows(self, article_id: str) -> list[tuple[str, ...]]:
        """The article's annotations as the CSV export writes them (see _EXPORT_ROWS): one
        query, no Annotation objects, no sorting in Python. Every cell is text but the code
        and speaker ids (None when absent) and the two sort keys after the twelfth."""
        rows: list[tuple[str, ...]] = self._db.execute(_EXPORT_ROWS, [article_id]).fetchall()
        return rows

    def count_for_article(self, article_id: str) -> int:
        row = self._db.execute(
            "SELECT count(*) FROM annotations WHERE article_id = ?", [article_id]
        ).fetchone()
        return int(row[0])

    def _load(
        self, where: str, params: Iterable[SqlValue] | dict[str, SqlValue]
    ) -> list[Annotation]:
        """The annotations matching ``where`` (on ``a``), in reading order. Three queries
        whatever their number: the parts are joined to the same condition rather than listed
        by id, which grows with every id listed."""
        params = params if isinstance(params, dict) else list(params)
        rows = self._db.execute(
            f"SELECT {_COLUMNS.replace('id,', 'a.id,', 1)} FROM annotations a WHERE {where}",
            params,
        ).fetchall()
        if not rows:
            return []
        fragments: dict[str, list[Fragment]] = defaultdict(list)
        for annotation_id, start, end, quote in self._db.execute(
            f"""SELECT f.annotation_id, f.start, f."end", f.quote
                FROM annotations a JOIN fragments f ON f.annotation_id = a.id
                WHERE {where} ORDER BY f.annotation_id, f.ordinal""",
            params,
        ).fetchall():
            fragments[annotation_id].append(Fragment(start, end, quote))
        issues: dict[str, list[str]] = defaultdict(list)
        for annotation_id, code_id in self._db.execute(
            f"""SELECT i.annotation_id, i.code_id
                FROM annotations a JOIN claim_issues i ON i.annotation_id = a.id
                WHERE {where} ORDER BY i.annotation_id, i.code_id""",
            params,
        ).fetchall():
            issues[annotation_id].append(code_id)
        no_issues: tuple[str, ...] = ()
        result = [
            Annotation(
                id=row[0],
                article_id=row[1],
                kind=_KINDS[row[2]],
                code_id=row[3],
                speaker_id=row[4],
                speaker_mention_id=row[5],
                stance=_STANCES[row[6]] if row[6] else None,
                note=row[7],
                annotator=row[8],
                created_at=row[9],
                updated_at=row[10],
                fragments=tuple(fragments[row[0]]),
                issue_ids=tuple(issues[row[0]]) if row[0] in issues else no_issues,
            )
            for row in rows
        ]
        result.sort(key=reading_key)
        return result

    def upsert(self, annotation: Annotation) -> None:
        exists = self._db.execute(
            "SELECT 1 FROM annotations WHERE id = ?", [annotation.id]
        ).fetchone()
        if exists:
            self.update(annotation)
        else:
            self.add(annotation)
