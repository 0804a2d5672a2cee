"""Migration 0008: released, so never edited; a change is a new migration. Its SQL is
spelled out as it went into users' files, which is why the function is as long as it is."""

from sqlite_utils import Database

from annotator.store.migrations.registry import migrations, run_statements


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
    run_statements(
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
