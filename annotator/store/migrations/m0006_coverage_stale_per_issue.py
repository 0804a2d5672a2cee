"""Migration 0006: released, so never edited; a change is a new migration. Its SQL is
spelled out as it went into users' files, which is why the function is as long as it is."""

from sqlite_utils import Database

from annotator.store.migrations.registry import migrations, run_statements


@migrations(name="0006_coverage_stale_per_issue")
def m0006_coverage_stale_per_issue(db: Database) -> None:
    """Staleness per article and issue instead of per article: an edit recomputes the issues
    it touched, not the whole article (0.35 s per edit in an article with 50,000 annotations).
    The articles' index gains the code, so an issue's passages in an article are one range.
    An ``issue_id`` of '' still means the whole article (what ``check`` and a migration use)."""
    run_statements(
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
