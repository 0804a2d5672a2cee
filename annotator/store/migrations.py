"""The schema, which exists only as this list of migrations.

Every project file, and every test database, is built by applying them in order. Each one also
sets ``user_version`` to its position, so a file written by a newer Annotator can be recognised
and refused before anything touches it. Append new migrations; never edit an applied one.
"""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("annotator")


def _run(db: Database, *statements: str) -> None:
    # db.executescript() would COMMIT and break the migration's transaction.
    for statement in statements:
        db.execute(statement)


@migrations(name="0001_initial")
def m0001_initial(db: Database) -> None:
    _run(
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


@migrations(name="0002_rejected_suggestions")
def m0002_rejected_suggestions(db: Database) -> None:
    """Suggestions a coder rejected, so they are never suggested again for that article. The
    key is the suggestion's own (kind and offsets), not an id: suggestions are computed, not
    stored, and the text they point into never changes."""
    _run(
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


@migrations(name="0003_coverage_summary")
def m0003_coverage_summary(db: Database) -> None:
    """The coverage chart's numbers, kept by the transaction that changes what they count.

    ``issue_coverage`` holds one row per article and issue (annotations, and characters as the
    union of their spans, for passages, claims and both); ``source_issue_coverage`` and
    ``source_sizes`` are their sums per source, kept by triggers, so the unfiltered chart reads
    about a thousand rows whatever the project's size. Triggers put every article whose issue
    passages or claims change into ``coverage_stale``; ``store.coverage_summary`` recomputes
    those articles before the transaction commits (and before any read, for a write that did
    not go through ``atomic()``). The union of spans is Python's job (``core.coverage``), which
    is why staleness, not the numbers, is what the triggers record. Every article starts stale
    here and opening the project computes them, so this migration never depends on code that
    may change.
    """
    _run(
        db,
        """CREATE TABLE issue_coverage (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            issue_id TEXT NOT NULL,
            source_id TEXT NOT NULL,
            passages INTEGER NOT NULL CHECK (passages >= 0),
            claims INTEGER NOT NULL CHECK (claims >= 0),
            characters INTEGER NOT NULL CHECK (characters >= 0),
            passage_characters INTEGER NOT NULL CHECK (passage_characters >= 0),
            claim_characters INTEGER NOT NULL CHECK (claim_characters >= 0),
            PRIMARY KEY (article_id, issue_id)
        ) WITHOUT ROWID""",
        """CREATE TABLE source_issue_coverage (
            source_id TEXT NOT NULL,
            issue_id TEXT NOT NULL,
            passages INTEGER NOT NULL,
            claims INTEGER NOT NULL,
            characters INTEGER NOT NULL,
            passage_characters INTEGER NOT NULL,
            claim_characters INTEGER NOT NULL,
            articles INTEGER NOT NULL,
            passage_articles INTEGER NOT NULL,
            claim_articles INTEGER NOT NULL,
            PRIMARY KEY (source_id, issue_id)
        ) WITHOUT ROWID""",
        """CREATE TABLE source_sizes (
            source_id TEXT PRIMARY KEY,
            articles INTEGER NOT NULL,
            characters INTEGER NOT NULL
        ) WITHOUT ROWID""",
        "CREATE TABLE coverage_stale (article_id TEXT PRIMARY KEY) WITHOUT ROWID",
        """CREATE TRIGGER issue_coverage_insert AFTER INSERT ON issue_coverage BEGIN
            INSERT INTO source_issue_coverage VALUES (NEW.source_id, NEW.issue_id,
                NEW.passages, NEW.claims, NEW.characters, NEW.passage_characters,
                NEW.claim_characters, 1, NEW.passages > 0, NEW.claims > 0)
            ON CONFLICT (source_id, issue_id) DO UPDATE SET passages = passages + excluded.passages, claims = claims + excluded.claims, characters = characters + excluded.characters, passage_characters = passage_characters + excluded.passage_characters, claim_characters = claim_characters + excluded.claim_characters,
                articles = articles + 1,
                passage_articles = passage_articles + excluded.passage_articles,
                claim_articles = claim_articles + excluded.claim_articles;
        END""",
        """CREATE TRIGGER issue_coverage_delete AFTER DELETE ON issue_coverage BEGIN
            UPDATE source_issue_coverage SET passages = passages - OLD.passages, claims = claims - OLD.claims, characters = characters - OLD.characters, passage_characters = passage_characters - OLD.passage_characters, claim_characters = claim_characters - OLD.claim_characters, articles = articles - 1,
                passage_articles = passage_articles - (OLD.passages > 0),
                claim_articles = claim_articles - (OLD.claims > 0)
            WHERE source_id = OLD.source_id AND issue_id = OLD.issue_id;
            DELETE FROM source_issue_coverage
            WHERE source_id = OLD.source_id AND issue_id = OLD.issue_id AND articles = 0;
        END""",
        """CREATE TRIGGER articles_size_insert AFTER INSERT ON articles BEGIN
            INSERT INTO source_sizes VALUES (NEW.source_id, 1, length(NEW.text))
            ON CONFLICT (source_id) DO UPDATE SET articles = articles + 1,
                characters = characters + excluded.characters;
        END""",
        """CREATE TRIGGER articles_size_delete AFTER DELETE ON articles BEGIN
            UPDATE source_sizes SET articles = articles - 1,
                characters = characters - length(OLD.text)
            WHERE source_id = OLD.source_id;
            DELETE FROM source_sizes WHERE source_id = OLD.source_id AND articles = 0;
        END""",
        """CREATE TRIGGER annotations_insert_stale AFTER INSERT ON annotations WHEN NEW.kind != 'speaker' BEGIN
                INSERT INTO coverage_stale (article_id) SELECT article_id FROM (SELECT NEW.article_id AS article_id)
                WHERE article_id NOT IN (SELECT article_id FROM coverage_stale);
            END""",
        """CREATE TRIGGER annotations_delete_stale AFTER DELETE ON annotations WHEN OLD.kind != 'speaker' BEGIN
                INSERT INTO coverage_stale (article_id) SELECT article_id FROM (SELECT OLD.article_id AS article_id)
                WHERE article_id NOT IN (SELECT article_id FROM coverage_stale);
            END""",
        """CREATE TRIGGER annotations_update_stale AFTER UPDATE ON annotations WHEN OLD.kind != 'speaker' OR NEW.kind != 'speaker' BEGIN
                INSERT INTO coverage_stale (article_id) SELECT article_id FROM (SELECT OLD.article_id AS article_id UNION SELECT NEW.article_id)
                WHERE article_id NOT IN (SELECT article_id FROM coverage_stale);
            END""",
        """CREATE TRIGGER fragments_insert_stale AFTER INSERT ON fragments BEGIN
                INSERT INTO coverage_stale (article_id) SELECT article_id FROM (SELECT article_id FROM annotations WHERE id = NEW.annotation_id)
                WHERE article_id NOT IN (SELECT article_id FROM coverage_stale);
            END""",
        """CREATE TRIGGER fragments_delete_stale AFTER DELETE ON fragments BEGIN
                INSERT INTO coverage_stale (article_id) SELECT article_id FROM (SELECT article_id FROM annotations WHERE id = OLD.annotation_id)
                WHERE article_id NOT IN (SELECT article_id FROM coverage_stale);
            END""",
        """CREATE TRIGGER fragments_update_stale AFTER UPDATE ON fragments BEGIN
                INSERT INTO coverage_stale (article_id) SELECT article_id FROM (SELECT article_id FROM annotations WHERE id IN (OLD.annotation_id, NEW.annotation_id))
                WHERE article_id NOT IN (SELECT article_id FROM coverage_stale);
            END""",
        """CREATE TRIGGER claim_issues_insert_stale AFTER INSERT ON claim_issues BEGIN
                INSERT INTO coverage_stale (article_id) SELECT article_id FROM (SELECT article_id FROM annotations WHERE id = NEW.annotation_id)
                WHERE article_id NOT IN (SELECT article_id FROM coverage_stale);
            END""",
        """CREATE TRIGGER claim_issues_delete_stale AFTER DELETE ON claim_issues BEGIN
                INSERT INTO coverage_stale (article_id) SELECT article_id FROM (SELECT article_id FROM annotations WHERE id = OLD.annotation_id)
                WHERE article_id NOT IN (SELECT article_id FROM coverage_stale);
            END""",
        """CREATE TRIGGER claim_issues_update_stale AFTER UPDATE ON claim_issues BEGIN
                INSERT INTO coverage_stale (article_id) SELECT article_id FROM (SELECT article_id FROM annotations WHERE id IN (OLD.annotation_id, NEW.annotation_id))
                WHERE article_id NOT IN (SELECT article_id FROM coverage_stale);
            END""",
        """INSERT INTO source_sizes SELECT source_id, count(*), sum(length(text))
           FROM articles GROUP BY source_id""",
        "INSERT INTO coverage_stale SELECT id FROM articles",
        "PRAGMA user_version = 3",
    )


@migrations(name="0004_annotator_index")
def m0004_annotator_index(db: Database) -> None:
    """The coders' names are read at every start (the panel's coder filter); with this index
    they are found by jumping from one name to the next instead of reading every annotation."""
    _run(
        db,
        "CREATE INDEX annotations_annotator ON annotations(annotator)",
        "PRAGMA user_version = 4",
    )


@migrations(name="0005_article_stats")
def m0005_article_stats(db: Database) -> None:
    """Each article's annotation count and length, kept by triggers. The article list shows
    both at every start; counting them read every annotation's index entry and every article's
    whole text (0.12 s at 10,000 articles and a million annotations)."""
    _run(
        db,
        """CREATE TABLE article_stats (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            annotations INTEGER NOT NULL CHECK (annotations >= 0),
            characters INTEGER NOT NULL CHECK (characters >= 0)
        ) WITHOUT ROWID""",
        """CREATE TRIGGER article_stats_article AFTER INSERT ON articles BEGIN
            INSERT INTO article_stats VALUES (NEW.id, 0, length(NEW.text));
        END""",
        """CREATE TRIGGER article_stats_insert AFTER INSERT ON annotations BEGIN
            UPDATE article_stats SET annotations = annotations + 1
            WHERE article_id = NEW.article_id;
        END""",
        """CREATE TRIGGER article_stats_delete AFTER DELETE ON annotations BEGIN
            UPDATE article_stats SET annotations = annotations - 1
            WHERE article_id = OLD.article_id;
        END""",
        """CREATE TRIGGER article_stats_move AFTER UPDATE OF article_id ON annotations
        WHEN OLD.article_id != NEW.article_id BEGIN
            UPDATE article_stats SET annotations = annotations - 1
            WHERE article_id = OLD.article_id;
            UPDATE article_stats SET annotations = annotations + 1
            WHERE article_id = NEW.article_id;
        END""",
        """INSERT INTO article_stats
           SELECT a.id, (SELECT count(*) FROM annotations n WHERE n.article_id = a.id),
                  length(a.text)
           FROM articles a""",
        "PRAGMA user_version = 5",
    )


@migrations(name="0006_coverage_stale_per_issue")
def m0006_coverage_stale_per_issue(db: Database) -> None:
    """Staleness per article and issue instead of per article: an edit recomputes the issues
    it touched, not the whole article (0.35 s per edit in an article with 50,000 annotations).
    The articles' index gains the code, so an issue's passages in an article are one range.
    An ``issue_id`` of '' still means the whole article (what ``check`` and a migration use)."""
    _run(
        db,
        "DROP TRIGGER annotations_insert_stale",
        "DROP TRIGGER annotations_delete_stale",
        "DROP TRIGGER annotations_update_stale",
        "DROP TRIGGER fragments_insert_stale",
        "DROP TRIGGER fragments_delete_stale",
        "DROP TRIGGER fragments_update_stale",
        "DROP TRIGGER claim_issues_insert_stale",
        "DROP TRIGGER claim_issues_delete_stale",
        "DROP TRIGGER claim_issues_update_stale",
        """CREATE TABLE coverage_stale_pairs (
            article_id TEXT NOT NULL,
            issue_id TEXT NOT NULL,
            PRIMARY KEY (article_id, issue_id)
        ) WITHOUT ROWID""",
        "INSERT INTO coverage_stale_pairs SELECT article_id, '' FROM coverage_stale",
        "DROP TABLE coverage_stale",
        "ALTER TABLE coverage_stale_pairs RENAME TO coverage_stale",
        """CREATE TRIGGER annotations_insert_stale AFTER INSERT ON annotations WHEN NEW.kind = 'issue' BEGIN
                INSERT INTO coverage_stale (article_id, issue_id)
                SELECT a, i FROM (SELECT NEW.article_id AS a, NEW.code_id AS i) AS pair WHERE a IS NOT NULL AND i IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM coverage_stale s
                                WHERE s.article_id = pair.a AND s.issue_id = pair.i);
            END""",
        """CREATE TRIGGER annotations_delete_stale BEFORE DELETE ON annotations WHEN OLD.kind != 'speaker' BEGIN
                INSERT INTO coverage_stale (article_id, issue_id)
                SELECT a, i FROM (SELECT OLD.article_id AS a, OLD.code_id AS i WHERE OLD.kind = 'issue' UNION SELECT OLD.article_id AS a, code_id AS i FROM claim_issues WHERE annotation_id = OLD.id) AS pair WHERE a IS NOT NULL AND i IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM coverage_stale s
                                WHERE s.article_id = pair.a AND s.issue_id = pair.i);
            END""",
        """CREATE TRIGGER annotations_update_stale AFTER UPDATE ON annotations WHEN OLD.kind != 'speaker' OR NEW.kind != 'speaker' BEGIN
                INSERT INTO coverage_stale (article_id, issue_id)
                SELECT a, i FROM (SELECT OLD.article_id AS a, OLD.code_id AS i WHERE OLD.kind = 'issue' UNION SELECT NEW.article_id, NEW.code_id WHERE NEW.kind = 'issue' UNION SELECT NEW.article_id AS a, code_id AS i FROM claim_issues WHERE annotation_id = NEW.id UNION SELECT OLD.article_id, code_id FROM claim_issues WHERE annotation_id = NEW.id) AS pair WHERE a IS NOT NULL AND i IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM coverage_stale s
                                WHERE s.article_id = pair.a AND s.issue_id = pair.i);
            END""",
        """CREATE TRIGGER fragments_delete_stale AFTER DELETE ON fragments BEGIN
                INSERT INTO coverage_stale (article_id, issue_id)
                SELECT a, i FROM (SELECT n.article_id AS a, n.code_id AS i FROM annotations n
        WHERE n.id = OLD.annotation_id AND n.kind = 'issue'
    UNION SELECT n.article_id, c.code_id FROM annotations n
        JOIN claim_issues c ON c.annotation_id = n.id WHERE n.id = OLD.annotation_id) AS pair WHERE a IS NOT NULL AND i IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM coverage_stale s
                                WHERE s.article_id = pair.a AND s.issue_id = pair.i);
            END""",
        """CREATE TRIGGER fragments_update_stale AFTER UPDATE ON fragments BEGIN
                INSERT INTO coverage_stale (article_id, issue_id)
                SELECT a, i FROM (SELECT n.article_id AS a, n.code_id AS i FROM annotations n
        WHERE n.id = OLD.annotation_id AND n.kind = 'issue'
    UNION SELECT n.article_id, c.code_id FROM annotations n
        JOIN claim_issues c ON c.annotation_id = n.id WHERE n.id = OLD.annotation_id UNION SELECT n.article_id AS a, n.code_id AS i FROM annotations n
        WHERE n.id = NEW.annotation_id AND n.kind = 'issue'
    UNION SELECT n.article_id, c.code_id FROM annotations n
        JOIN claim_issues c ON c.annotation_id = n.id WHERE n.id = NEW.annotation_id) AS pair WHERE a IS NOT NULL AND i IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM coverage_stale s
                                WHERE s.article_id = pair.a AND s.issue_id = pair.i);
            END""",
        """CREATE TRIGGER claim_issues_insert_stale AFTER INSERT ON claim_issues BEGIN
                INSERT INTO coverage_stale (article_id, issue_id)
                SELECT a, i FROM (SELECT article_id AS a, NEW.code_id AS i FROM annotations WHERE id = NEW.annotation_id) AS pair WHERE a IS NOT NULL AND i IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM coverage_stale s
                                WHERE s.article_id = pair.a AND s.issue_id = pair.i);
            END""",
        """CREATE TRIGGER claim_issues_delete_stale AFTER DELETE ON claim_issues BEGIN
                INSERT INTO coverage_stale (article_id, issue_id)
                SELECT a, i FROM (SELECT article_id AS a, OLD.code_id AS i FROM annotations WHERE id = OLD.annotation_id) AS pair WHERE a IS NOT NULL AND i IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM coverage_stale s
                                WHERE s.article_id = pair.a AND s.issue_id = pair.i);
            END""",
        """CREATE TRIGGER claim_issues_update_stale AFTER UPDATE ON claim_issues BEGIN
                INSERT INTO coverage_stale (article_id, issue_id)
                SELECT a, i FROM (SELECT article_id AS a, OLD.code_id AS i FROM annotations WHERE id = OLD.annotation_id UNION SELECT article_id, NEW.code_id FROM annotations WHERE id = NEW.annotation_id) AS pair WHERE a IS NOT NULL AND i IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM coverage_stale s
                                WHERE s.article_id = pair.a AND s.issue_id = pair.i);
            END""",
        "DROP INDEX annotations_article",
        "CREATE INDEX annotations_article ON annotations(article_id, kind, code_id)",
        "PRAGMA user_version = 6",
    )


@migrations(name="0007_curation")
def m0007_curation(db: Database) -> None:
    """Curation decisions, so closing and reopening the window resumes where the curator was,
    a second headless run changes nothing, and a target coder (gold) is known as such."""
    _run(
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


@migrations(name="0008_article_statuses")
def m0008_article_statuses(db: Database) -> None:
    """Article statuses per coder: once teammates' projects are merged, one coder marking an
    article done must not mark it done for everyone. "New" is the absence of a row.

    The old status becomes each coder's whose annotations are in the article: they are the ones
    who worked on it. An article marked without any annotation (read and found to have nothing
    to code) keeps its status for every coder of the project, as the one status stood for all.
    A project without any annotation names no coder, so its old statuses stay only in
    ``articles.status``. That column is kept, superseded and no longer read or written (new
    articles get its default): dropping it would rewrite every article's text, and it keeps
    the status each article had before this migration.
    """
    _run(
        db,
        """CREATE TABLE article_statuses (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            annotator TEXT NOT NULL CHECK (length(trim(annotator)) > 0),
            status TEXT NOT NULL CHECK (status IN ('in progress', 'done')),
            PRIMARY KEY (article_id, annotator)
        ) WITHOUT ROWID""",
        """INSERT INTO article_statuses (article_id, annotator, status)
           SELECT DISTINCT a.id, n.annotator, a.status
           FROM articles a JOIN annotations n ON n.article_id = a.id
           WHERE a.status != 'new' AND length(trim(n.annotator)) > 0""",
        """INSERT INTO article_statuses (article_id, annotator, status)
           SELECT a.id, c.annotator, a.status
           FROM articles a, (SELECT DISTINCT annotator FROM annotations
                             WHERE length(trim(annotator)) > 0) c
           WHERE a.status != 'new'
             AND NOT EXISTS (SELECT 1 FROM annotations n WHERE n.article_id = a.id)""",
        "PRAGMA user_version = 8",
    )


@migrations(name="0009_article_variables")
def m0009_article_variables(db: Database) -> None:
    """Article variables: name → text value per article (outlet type, country, section), from
    a manifest's extra columns or the window, to filter and group coverage by. The index on
    (name, value) serves a variable's values and the grouping by one variable."""
    _run(
        db,
        """CREATE TABLE article_variables (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            value TEXT NOT NULL,
            PRIMARY KEY (article_id, name)
        ) WITHOUT ROWID""",
        "CREATE INDEX article_variables_name ON article_variables(name, value)",
        "PRAGMA user_version = 9",
    )


def _count() -> int:
    """How many migrations there are, asked through sqlite-utils' public API: all of them
    are pending on an empty database."""
    db = Database(memory=True)
    try:
        return len(migrations.pending(db))
    finally:
        db.close()


SCHEMA_VERSION = _count()
