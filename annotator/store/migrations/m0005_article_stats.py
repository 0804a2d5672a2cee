"""Migration 0005: released, so never edited; a change is a new migration. Its SQL is
spelled out as it went into users' files, which is why the function is as long as it is."""

from sqlite_utils import Database

from annotator.store.migrations.registry import migrations, run_statements


@migrations(name="0005_article_stats")
def m0005_article_stats(db: Database) -> None:
    """Each article's annotation count and length, kept by triggers. The article list shows
    both at every start; counting them read every annotation's index entry and every article's
    whole text (0.12 s at 10,000 articles and a million annotations)."""
    run_statements(
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
