"""Article statuses per coder (migration 0008): the old single status migrated, and the
store's per-coder queries."""

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from annotator.core.model import ArticleStatus, ArticleStatusRow
from annotator.core.text import text_sha256
from annotator.store import Store
from annotator.store.files.project_file import APPLICATION_ID, inspect_project_file
from annotator.store.migrations import SCHEMA_VERSION, migrations

DONE, IN_PROGRESS, NEW = ArticleStatus.DONE, ArticleStatus.IN_PROGRESS, ArticleStatus.NEW


def version_7_file(path: Path, articles: dict[str, tuple[str, list[str]]]) -> None:
    """A project of schema 7 whose articles (id -> old status, coders with a speaker mention
    in it) hold the one status every coder shared."""
    db = Database(path)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    migrations.apply(db, stop_before="0008_article_statuses")
    assert db.execute("PRAGMA user_version").fetchone()[0] == 7
    then = "2024-01-01T00:00:00+00:00"  # rows a merge accepts too: real hashes and times
    with db.conn:
        db.execute("INSERT INTO sources (id, name) VALUES ('s', 'Wire')")
        db.execute(
            "INSERT INTO codes (id, kind, name, colour, created_at) "
            "VALUES ('xi', 'speaker', 'Xi', '#000000', ?)",
            [then],
        )
        for number, (article_id, (status, coders)) in enumerate(articles.items()):
            text = f"text {number}"
            db.execute(
                "INSERT INTO articles (id, source_id, title, text, sha256, status, created_at) "
                "VALUES (?, 's', ?, ?, ?, ?, ?)",
                [article_id, article_id, text, text_sha256(text), status, then],
            )
            for ordinal, coder in enumerate(coders):
                annotation_id = f"{article_id}-{ordinal}"
                db.execute(
                    "INSERT INTO annotations (id, article_id, kind, code_id, annotator, "
                    "created_at, updated_at) VALUES (?, ?, 'speaker', 'xi', ?, ?, ?)",
                    [annotation_id, article_id, coder, then, then],
                )
                db.execute(
                    'INSERT INTO fragments (annotation_id, ordinal, start, "end", quote) '
                    "VALUES (?, 0, 0, 4, ?)",
                    [annotation_id, text[:4]],
                )
    db.close()


def old_statuses(path: Path) -> dict[str, str]:
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("SELECT id, status FROM articles").fetchall())
    finally:
        conn.close()


def test_old_statuses_become_the_statuses_of_the_coders_who_worked_on_the_article(tmp_path):
    path = tmp_path / "old.annotator"
    version_7_file(
        path,
        {
            "both": ("done", ["alice", "bob", "bob"]),
            "alice's": ("in progress", ["alice"]),
            "untouched": ("new", ["bob"]),
            "nothing to code": ("done", []),  # marked without annotating
        },
    )
    with Store.open(path) as store:
        assert set(store.articles.statuses()) == {
            ArticleStatusRow("both", "alice", DONE),
            ArticleStatusRow("both", "bob", DONE),
            ArticleStatusRow("alice's", "alice", IN_PROGRESS),
            # No coder named by the article: the one status stood for all of the project's.
            ArticleStatusRow("nothing to code", "alice", DONE),
            ArticleStatusRow("nothing to code", "bob", DONE),
        }
        assert store.articles.status_of("alice's", "bob") is NEW
        assert store.articles.status_of("untouched", "bob") is NEW
    assert inspect_project_file(path) == SCHEMA_VERSION
    # The old column is kept as it was (superseded, no longer read or written).
    assert old_statuses(path)["both"] == "done"


def test_a_project_without_annotations_names_no_coder_and_keeps_only_the_old_column(tmp_path):
    path = tmp_path / "old.annotator"
    version_7_file(path, {"read": ("done", [])})
    with Store.open(path) as store:
        assert store.articles.statuses() == []
        assert store.articles.summaries("alice")[0].status is NEW
    assert old_statuses(path) == {"read": "done"}


def test_two_coders_have_their_own_status_of_one_article(tmp_path):
    path = tmp_path / "p.annotator"
    version_7_file(path, {"a": ("new", []), "b": ("new", [])})
    with Store.open(path) as store:
        store.articles.put_status(ArticleStatusRow("a", "alice", DONE))
        store.articles.put_status(ArticleStatusRow("a", "bob", IN_PROGRESS))
        store.articles.put_status(ArticleStatusRow("a", "bob", DONE))  # replaces bob's only
        store.articles.put_status(ArticleStatusRow("b", "bob", IN_PROGRESS))
        assert store.articles.status_of("a", "alice") is DONE
        assert store.articles.status_of("a", "bob") is DONE
        assert store.articles.status_of("a", "carol") is NEW

        def listed(coder: str | None) -> dict[str, ArticleStatus]:
            return {s.id: s.status for s in store.articles.summaries(coder)}

        assert listed("alice") == {"a": DONE, "b": NEW}
        assert listed("bob") == {"a": DONE, "b": IN_PROGRESS}
        assert listed(None) == {"a": NEW, "b": NEW}
        store.articles.delete_status("a", "bob")
        assert listed("bob") == {"a": NEW, "b": IN_PROGRESS}
        assert store.articles.status_of("a", "alice") is DONE


def test_the_table_refuses_new_rows_empty_coders_and_unknown_articles(tmp_path):
    path = tmp_path / "p.annotator"
    version_7_file(path, {"a": ("new", [])})
    with Store.open(path) as store:
        for values in (("a", "alice", "new"), ("a", " ", "done"), ("nowhere", "alice", "done")):
            with pytest.raises(sqlite3.IntegrityError):
                store._db.execute("INSERT INTO article_statuses VALUES (?, ?, ?)", values)
        with pytest.raises(ValueError, match="absence"):
            ArticleStatusRow("a", "alice", NEW)


def test_deleting_an_article_deletes_its_statuses(tmp_path):
    path = tmp_path / "p.annotator"
    version_7_file(path, {"a": ("done", ["alice"])})
    with Store.open(path) as store:
        with store.atomic():
            store._db.execute("DELETE FROM annotations")
            store._db.execute("DELETE FROM articles")
        assert store.articles.statuses() == []


def test_the_list_reads_statuses_in_its_one_query(tmp_path):
    """The list's start-up query joins the coder's statuses through their key, with no scan
    of the statuses table per article."""
    path = tmp_path / "p.annotator"
    version_7_file(path, {"a": ("new", [])})
    with Store.open(path) as store:
        statements: list[str] = []
        store._db.conn.set_trace_callback(statements.append)
        store.articles.summaries("alice")
        store._db.conn.set_trace_callback(None)
        selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        assert len(selects) == 1
        params = ["alice"] if "?" in selects[0] else []  # as traced: bound or expanded
        plan = store._db.execute("EXPLAIN QUERY PLAN " + selects[0], params).fetchall()
        details = " ".join(row[-1] for row in plan)
        assert "SEARCH t USING PRIMARY KEY (article_id=? AND annotator=?)" in details
