"""Migration 0002: released, so never edited; a change is a new migration. Its SQL is
spelled out as it went into users' files, which is why the function is as long as it is."""

from sqlite_utils import Database

from annotator.store.migrations.registry import migrations, run_statements


@migrations(name="0002_rejected_suggestions")
def m0002_rejected_suggestions(db: Database) -> None:
    """Suggestions a coder rejected, so they are never suggested again for that article. The
    key is the suggestion's own (kind and offsets), not an id: suggestions are computed, not
    stored, and the text they point into never changes."""
    run_statements(
        db,
        """CREATE TABLE rejected_suggestions (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            key TEXT NOT NULL CHECK (length(key) > 0),
            kind TEXT NOT NULL CHECK (kind IN ('claim', 'speaker')),
            text TEXT NOT NULL DEFAULT '',
            annotator TEXT NOT NULL DEFAULT '',
            rejected_at TEXT NOT NULL,
            PRIMARY KEY (article_id, key)
        ) WITHOUT ROWID""",
        "PRAGMA user_version = 2",
    )
