"""Migration 0003: released, so never edited; a change is a new migration. Its SQL is
spelled out as it went into users' files, which is why the function is as long as it is."""

from sqlite_utils import Database

from annotator.store.migrations.registry import migrations, run_statements


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
    run_statements(
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
