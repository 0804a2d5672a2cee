"""Migration 0007: released, so never edited; a change is a new migration. Its SQL is
spelled out as it went into users' files, which is why the function is as long as it is."""

from sqlite_utils import Database

from annotator.store.migrations.registry import migrations, run_statements


@migrations(name="0007_curation")
def m0007_curation(db: Database) -> None:
    """Curation decisions, so closing and reopening the window resumes where the curator was,
    a second headless run changes nothing, and a target coder (gold) is known as such."""
    run_statements(
        db,
        """CREATE TABLE curation_decisions (
            id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            target TEXT NOT NULL CHECK (length(trim(target)) > 0),
            coder_a TEXT NOT NULL,
            coder_b TEXT NOT NULL,
            item_key TEXT NOT NULL,
            decision TEXT NOT NULL
                CHECK (decision IN ('agreed', 'A', 'B', 'both', 'edited', 'rejected')),
            copies TEXT NOT NULL DEFAULT '[]',
            decided_at TEXT NOT NULL,
            CHECK (target != coder_a AND target != coder_b AND coder_a != coder_b),
            UNIQUE (article_id, target, coder_a, coder_b, item_key)
        )""",
        "CREATE INDEX curation_decisions_target ON curation_decisions(target)",
        "PRAGMA user_version = 7",
    )
