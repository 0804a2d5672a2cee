"""Queries on curation decisions (migration 0007)."""

import json

from sqlite_utils import Database

from annotator.core.model import CurationDecision, Decision
from annotator.store.sql_types import Row

_COLUMNS = "id, article_id, target, coder_a, coder_b, item_key, decision, copies, decided_at"
_DECISIONS = {d.value: d for d in Decision}


def _decision(row: Row) -> CurationDecision:
    return CurationDecision(
        id=row[0],
        article_id=row[1],
        target=row[2],
        coder_a=row[3],
        coder_b=row[4],
        item_key=row[5],
        decision=_DECISIONS[row[6]],
        copies=tuple((str(s), str(c)) for s, c in json.loads(row[7])),
        decided_at=row[8],
    )


class CurationQueries:
    def __init__(self, db: Database) -> None:
        self._db = db

    def for_article(
        self, article_id: str, target: str, coder_a: str, coder_b: str
    ) -> list[CurationDecision]:
        rows = self._db.execute(
            f"""SELECT {_COLUMNS} FROM curation_decisions
                WHERE article_id = ? AND target = ? AND coder_a = ? AND coder_b = ?""",
            [article_id, target, coder_a, coder_b],
        ).fetchall()
        return [_decision(row) for row in rows]

    def targets(self) -> list[str]:
        """Every coder that curation has written into: the project's gold coders."""
        rows = self._db.execute("SELECT DISTINCT target FROM curation_decisions ORDER BY target")
        return [row[0] for row in rows.fetchall()]

    def upsert(self, d: CurationDecision) -> None:
        self._db.execute(
            f"""INSERT INTO curation_decisions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET decision = excluded.decision,
                    copies = excluded.copies, decided_at = excluded.decided_at""",
            [
                d.id, d.article_id, d.target, d.coder_a, d.coder_b, d.item_key,
                d.decision.value, json.dumps([list(pair) for pair in d.copies]), d.decided_at,
            ],
        )  # fmt: skip

    def delete(self, decision_id: str) -> None:
        self._db.execute("DELETE FROM curation_decisions WHERE id = ?", [decision_id])
