"""Migration 0001: released, so never edited; a change is a new migration. Its SQL is
spelled out as it went into users' files, which is why the function is as long as it is."""

from sqlite_utils import Database

from annotator.store.migrations.registry import migrations, run_statements


@migrations(name="0001_initial")
def m0001_initial(db: Database) -> None:
    run_statements(
        db,
        """CREATE TABLE sources (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
            url TEXT
        )""",
        """CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            source_id TEXT NOT NULL REFERENCES sources(id),
            title TEXT NOT NULL,
            published TEXT,
            author TEXT,
            url TEXT,
            text TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            imported_from TEXT,
            status TEXT NOT NULL DEFAULT 'new'
                CHECK (status IN ('new', 'in progress', 'done')),
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX articles_source ON articles(source_id)",
        """CREATE TABLE codes (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('issue', 'speaker')),
            name TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(name)) > 0),
            colour TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            shortcut TEXT,
            parent_id TEXT REFERENCES codes(id),
            organisation TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (kind, name)
        )""",
        "CREATE INDEX codes_parent ON codes(parent_id)",
        """CREATE TABLE annotations (
            id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('claim', 'speaker', 'issue')),
            code_id TEXT REFERENCES codes(id),
            speaker_id TEXT REFERENCES codes(id),
            speaker_mention_id TEXT REFERENCES annotations(id) ON DELETE SET NULL,
            stance TEXT CHECK (stance IN ('supports', 'opposes', 'neutral')),
            note TEXT NOT NULL DEFAULT '',
            annotator TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK ((kind = 'claim') = (code_id IS NULL)),
            CHECK (kind = 'claim' OR (speaker_id IS NULL AND speaker_mention_id IS NULL
                                      AND stance IS NULL))
        )""",
        "CREATE INDEX annotations_article ON annotations(article_id, kind)",
        "CREATE INDEX annotations_code ON annotations(code_id)",
        "CREATE INDEX annotations_speaker ON annotations(speaker_id)",
        "CREATE INDEX annotations_mention ON annotations(speaker_mention_id)",
        """CREATE TABLE fragments (
            annotation_id TEXT NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL CHECK (ordinal >= 0),
            start INTEGER NOT NULL CHECK (start >= 0),
            "end" INTEGER NOT NULL CHECK ("end" > start),
            quote TEXT NOT NULL,
            PRIMARY KEY (annotation_id, ordinal)
        ) WITHOUT ROWID""",
        """CREATE TABLE claim_issues (
            annotation_id TEXT NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            code_id TEXT NOT NULL REFERENCES codes(id),
            PRIMARY KEY (annotation_id, code_id)
        ) WITHOUT ROWID""",
        "CREATE INDEX claim_issues_code ON claim_issues(code_id)",
        "PRAGMA user_version = 1",
    )
