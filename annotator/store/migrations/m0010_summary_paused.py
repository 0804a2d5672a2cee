"""Migration 0010: released, so never edited; a change is a new migration. Its SQL is
spelled out as it went into users' files, which is why the function is as long as it is."""

from sqlite_utils import Database

from annotator.store.migrations.registry import migrations, run_statements


@migrations(name="0010_summary_paused")
def m0010_summary_paused(db: Database) -> None:
    """A bulk insert may keep the coverage summary's staleness and the articles' counts itself,
    once per call, instead of through a trigger per row (half of a brat import's time in
    SQLite). While ``summary_paused`` holds its one row, the three insert triggers such a call
    fires do nothing; ``store.bulk`` writes that row and deletes it again inside the same
    savepoint as its inserts, so it is never committed and no other connection ever sees it.
    ``annotator check`` reports a committed one. Updates and deletes keep their triggers."""
    run_statements(
        db,
        """CREATE TABLE summary_paused (
            paused INTEGER PRIMARY KEY CHECK (paused = 1)
        )""",
        "DROP TRIGGER annotations_insert_stale",
        "DROP TRIGGER claim_issues_insert_stale",
        "DROP TRIGGER article_stats_insert",
        """CREATE TRIGGER annotations_insert_stale AFTER INSERT ON annotations
            WHEN NEW.kind = 'issue' AND NOT EXISTS (SELECT 1 FROM summary_paused) BEGIN
                INSERT INTO coverage_stale (article_id, issue_id)
                SELECT a, i FROM (SELECT NEW.article_id AS a, NEW.code_id AS i) AS pair WHERE a IS NOT NULL AND i IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM coverage_stale s
                                WHERE s.article_id = pair.a AND s.issue_id = pair.i);
            END""",
        """CREATE TRIGGER claim_issues_insert_stale AFTER INSERT ON claim_issues
            WHEN NOT EXISTS (SELECT 1 FROM summary_paused) BEGIN
                INSERT INTO coverage_stale (article_id, issue_id)
                SELECT a, i FROM (SELECT article_id AS a, NEW.code_id AS i FROM annotations WHERE id = NEW.annotation_id) AS pair WHERE a IS NOT NULL AND i IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM coverage_stale s
                                WHERE s.article_id = pair.a AND s.issue_id = pair.i);
            END""",
        """CREATE TRIGGER article_stats_insert AFTER INSERT ON annotations
            WHEN NOT EXISTS (SELECT 1 FROM summary_paused) BEGIN
            UPDATE article_stats SET annotations = annotations + 1
            WHERE article_id = NEW.article_id;
        END""",
        "PRAGMA user_version = 10",
    )
