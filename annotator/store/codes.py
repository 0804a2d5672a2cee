"""Queries on the codebook: issue and speaker codes."""

from dataclasses import dataclass

from sqlite_utils import Database

from annotator.core.clock import now_iso
from annotator.core.errors import ConflictError, NotFoundError
from annotator.core.model import Code, CodeKind
from annotator.store.sql_types import Row, SqlValue

_COLUMNS = "id, kind, name, colour, description, shortcut, parent_id, organisation, created_at"


def _code(row: Row) -> Code:
    return Code(row[0], CodeKind(row[1]), *row[2:])


@dataclass(frozen=True, slots=True)
class CodeUsage:
    """Where a code is used; the codebook's delete rule is decided from this."""

    annotations: int  # speaker mentions or issue passages labelled with it
    claim_speaker: int  # claims attributed to it
    claim_issue: int  # claims tagged with it
    children: int  # issues that have it as parent

    @property
    def coded(self) -> int:
        """Annotations coded with it: what the codebook's "uses" column counts."""
        return self.annotations + self.claim_speaker + self.claim_issue

    @property
    def total(self) -> int:
        return self.coded + self.children


class CodeQueries:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, code_id: str) -> Code:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM codes WHERE id = ?", [code_id]).fetchone()
        if row is None:
            raise NotFoundError(f"No code with id {code_id}.")
        return _code(row)

    def by_name(self, kind: CodeKind, name: str) -> Code | None:
        """Matched ignoring case in every script (SQLite's NOCASE folds only ASCII)."""
        key = name.strip().casefold()
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM codes WHERE kind = ?", [kind.value]
        ).fetchall()
        return next((_code(row) for row in rows if row[2].casefold() == key), None)

    def all(self, kind: CodeKind | None = None) -> list[Code]:
        if kind is None:
            rows = self._db.execute(f"SELECT {_COLUMNS} FROM codes ORDER BY kind, name")
        else:
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM codes WHERE kind = ? ORDER BY name", [kind.value]
            )
        return [_code(row) for row in rows.fetchall()]

    def colours(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT colour FROM codes").fetchall()]

    def add(self, code: Code) -> None:
        self._check_name_free(code)
        with self._db.atomic():
            self._db.execute(
                f"INSERT INTO codes ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [*self._values(code), code.created_at or now_iso()],
            )

    def update(self, code: Code) -> None:
        self._check_name_free(code)
        with self._db.atomic():
            cursor = self._db.execute(
                """UPDATE codes SET kind = ?, name = ?, colour = ?, description = ?,
                       shortcut = ?, parent_id = ?, organisation = ?
                   WHERE id = ?""",
                [*self._values(code)[1:], code.id],
            )
        if cursor.rowcount == 0:
            raise NotFoundError(f"No code with id {code.id}.")

    def _check_name_free(self, code: Code) -> None:
        clash = self.by_name(code.kind, code.name)
        if clash and clash.id != code.id:
            raise ConflictError(f"There is already a {code.kind.value} code named {clash.name!r}.")

    @staticmethod
    def _values(code: Code) -> list[SqlValue]:
        return [
            code.id, code.kind.value, code.name.strip(), code.colour, code.description,
            code.shortcut, code.parent_id, code.organisation,
        ]  # fmt: skip

    def ancestors(self, code_id: str) -> list[str]:
        """Ids from the code's parent up to the root, to refuse a cycle when re-parenting."""
        rows = self._db.execute(
            """WITH RECURSIVE up(id, parent_id) AS (
                   SELECT id, parent_id FROM codes WHERE id = ?
                   UNION SELECT c.id, c.parent_id FROM codes c JOIN up ON c.id = up.parent_id
               ) SELECT id FROM up WHERE id != ?""",
            [code_id, code_id],
        ).fetchall()
        return [row[0] for row in rows]

    def usage(self, code_id: str) -> CodeUsage:
        row = self._db.execute(
            """SELECT (SELECT count(*) FROM annotations WHERE code_id = :id),
                      (SELECT count(*) FROM annotations WHERE speaker_id = :id),
                      (SELECT count(*) FROM claim_issues WHERE code_id = :id),
                      (SELECT count(*) FROM codes WHERE parent_id = :id)""",
            {"id": code_id},
        ).fetchone()
        return CodeUsage(*row)

    def usages(self, kind: CodeKind | None = None) -> dict[str, CodeUsage]:
        """Every code's usage in one query (the codebook manager shows them all at once)."""
        rows = self._db.execute(
            """SELECT c.id,
                      (SELECT count(*) FROM annotations a WHERE a.code_id = c.id),
                      (SELECT count(*) FROM annotations a WHERE a.speaker_id = c.id),
                      (SELECT count(*) FROM claim_issues i WHERE i.code_id = c.id),
                      (SELECT count(*) FROM codes p WHERE p.parent_id = c.id)
               FROM codes c WHERE :kind IS NULL OR c.kind = :kind""",
            {"kind": kind.value if kind else None},
        ).fetchall()
        return {row[0]: CodeUsage(*row[1:]) for row in rows}

    def delete(self, code_id: str) -> None:
        with self._db.atomic():
            self._db.execute("DELETE FROM codes WHERE id = ?", [code_id])

    def upsert(self, code: Code) -> None:
        if self._db.execute("SELECT 1 FROM codes WHERE id = ?", [code.id]).fetchone():
            self.update(code)
        else:
            self.add(code)
