"""Migration 0009: released, so never edited; a change is a new migration. Its SQL is
spelled out as it went into users' files, which is why the function is as long as it is."""

from sqlite_utils import Database

from annotator.store.migrations.registry import migrations, run_statements


@migrations(name="0009_article_variables")
def m0009_article_variables(db: Database) -> None:
    """Article variables: name → text value per article (outlet type, country, section), from
    a manifest's extra columns or the window, to filter and group coverage by. The index on
    (name, value) serves a variable's values and the grouping by one variable."""
    run_statements(
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
