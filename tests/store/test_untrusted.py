"""A project file from someone else is data, never code: a trigger, view, table or index that
the migrations did not create, or created otherwise, is refused before anything in the file is
read or written."""

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from annotator.cli import main
from annotator.core.model import CodeKind
from annotator.services.project import open_project
from annotator.store import Store
from annotator.store.files.backups import list_backups
from annotator.store.files.errors import UntrustedSchemaError
from annotator.store.files.project_file import APPLICATION_ID, inspect_project_file
from annotator.store.files.schema_vetting import expected_schema, normalised_sql, schema_of
from annotator.store.migrations import SCHEMA_VERSION, migrations
from tests.conftest import TRICKY_TEXT, code_id, table_rows

WIPE = "CREATE TRIGGER wipe AFTER INSERT ON annotations BEGIN DELETE FROM articles; END"


@pytest.fixture
def shared_file(tmp_path: Path) -> Path:
    """A colleague's project: one article, one speaker mention, then closed."""
    path = tmp_path / "from-a-colleague.annotator"
    with open_project(path, annotator="colleague") as project:
        added = project.articles.add(TRICKY_TEXT, source="Test Wire", title="Tricky")
        xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
        project.annotations.create_speaker_mention(added.article.id, [(0, 5)], xi)
    return path


def plant(path: Path, *statements: str) -> None:
    """Change the file as anyone with the sqlite3 shell could, ``writable_schema`` included
    (which rewrites an object's SQL in place)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def rewrite(name: str, old: str, new: str) -> str:
    """A statement that edits the SQL of ``name`` in the schema table, as a tamperer would."""
    return f"UPDATE sqlite_master SET sql = replace(sql, '{old}', '{new}') WHERE name = '{name}'"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_state(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in path.parent.rglob("*") if p.is_file()}


def test_a_planted_trigger_never_runs_and_the_file_is_unchanged(shared_file, tmp_path):
    plant(shared_file, WIPE)
    # The trigger is live: any program that opens the file and writes would lose every article.
    victim = tmp_path / "victim.db"
    victim.write_bytes(shared_file.read_bytes())
    conn = sqlite3.connect(victim)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("INSERT INTO annotations SELECT 'x', article_id, kind, code_id, speaker_id, "
                 "speaker_mention_id, stance, note, annotator, created_at, updated_at "
                 "FROM annotations")  # fmt: skip
    assert conn.execute("SELECT count(*) FROM articles").fetchone() == (0,)
    conn.close()
    victim.unlink()

    rows = table_rows(shared_file)  # first: a reader of a WAL file leaves its side files
    before = folder_state(shared_file)
    with pytest.raises(UntrustedSchemaError, match="trigger 'wipe' that Annotator did not create"):
        open_project(shared_file, annotator="me")
    assert folder_state(shared_file) == before  # no byte changed, no lock or backup left
    assert table_rows(shared_file) == rows
    assert rows["articles"]


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("CREATE VIEW everything AS SELECT * FROM articles", "view 'everything'"),
        ("CREATE TABLE notes (x)", "table 'notes'"),
        ("CREATE INDEX sneaky ON articles(lower(title))", "index 'sneaky'"),
        (
            "CREATE TRIGGER log AFTER INSERT ON _sqlite_migrations BEGIN DELETE FROM codes; END",
            "trigger 'log'",
        ),
        ("ALTER TABLE codes ADD COLUMN extra TEXT DEFAULT 'x'", "has been altered: its table"),
        ("DROP INDEX annotations_code", "damaged: 'annotations_code' is missing"),
    ],
    ids=["view", "table", "index", "trigger-on-bookkeeping", "altered-table", "missing-index"],
)
def test_anything_not_ours_is_refused_and_left_unchanged(shared_file, statement, message):
    plant(shared_file, statement)
    before = folder_state(shared_file)
    with pytest.raises(Exception, match=message):
        open_project(shared_file, annotator="me")
    with pytest.raises(Exception, match=message):
        Store.open(shared_file)
    assert folder_state(shared_file) == before


#: The tampered project of the issue: one of Annotator's own triggers, same name, new body, and
#: a stale row so that the next open (even for a read-only ``stats``) recomputes and fires it.
PWNED = (
    "DROP TRIGGER issue_coverage_insert",
    "CREATE TRIGGER issue_coverage_insert AFTER INSERT ON issue_coverage BEGIN "
    "UPDATE articles SET title = 'PWNED ' || title; END",
    "INSERT INTO coverage_stale SELECT id, '' FROM articles",
)


def test_a_trigger_replaced_under_its_own_name_never_runs_and_the_file_is_unchanged(
    shared_file, tmp_path
):
    plant(shared_file, *PWNED)
    victim = tmp_path / "victim.db"  # the trigger is live: one row in, every title rewritten
    victim.write_bytes(shared_file.read_bytes())
    conn = sqlite3.connect(victim)
    conn.execute("INSERT INTO issue_coverage VALUES ('a', 'i', 's', 1, 0, 1, 1, 0)")
    assert conn.execute("SELECT title FROM articles").fetchall() == [("PWNED Tricky",)]
    conn.close()
    victim.unlink()

    rows, before, digest_before = (
        table_rows(shared_file),
        folder_state(shared_file),
        digest(shared_file),
    )
    message = "altered: its trigger 'issue_coverage_insert' differs"
    with pytest.raises(UntrustedSchemaError, match=message):
        open_project(shared_file, annotator="me")
    with pytest.raises(UntrustedSchemaError, match=message):
        inspect_project_file(shared_file)
    assert main(["--project", str(shared_file), "stats"]) == 2
    assert digest(shared_file) == digest_before
    assert folder_state(shared_file) == before  # no byte changed, no lock or backup left
    assert table_rows(shared_file) == rows
    assert rows["articles"][0][2] == "Tricky"


@pytest.mark.parametrize(
    ("statements", "message"),
    [
        (
            (
                "DROP TRIGGER issue_coverage_delete",
                "CREATE TRIGGER issue_coverage_delete AFTER DELETE ON issue_coverage BEGIN "
                "UPDATE issue_coverage SET passages = passages + 1; END",
            ),
            "its trigger 'issue_coverage_delete' differs",
        ),
        (
            (
                "DROP TRIGGER article_stats_insert",
                "CREATE TRIGGER article_stats_insert AFTER INSERT ON _sqlite_migrations "
                "BEGIN DELETE FROM codes; END",
            ),
            "its trigger 'article_stats_insert' differs",
        ),
        (
            (rewrite("sources", "length(trim(name)) > 0", "length(trim(name)) >= 0"),),
            "its table 'sources' differs",
        ),
        (
            (rewrite("fragments", "ON DELETE CASCADE", "ON DELETE SET DEFAULT"),),
            "its table 'fragments' differs",
        ),
        (
            ("DROP INDEX articles_source", "CREATE INDEX articles_source ON articles(title)"),
            "its index 'articles_source' differs",
        ),
        (
            (
                "DROP INDEX annotations_code",
                "CREATE INDEX annotations_code ON annotations(code_id) WHERE kind = 'claim'",
            ),
            "its index 'annotations_code' differs",
        ),
        (
            (
                "DROP TABLE rejected_suggestions",
                "CREATE VIEW rejected_suggestions AS SELECT * FROM articles",
            ),
            "its view 'rejected_suggestions' differs",
        ),
        (
            (
                "ALTER TABLE rejected_suggestions RENAME TO kept",
                "CREATE TRIGGER rejected_suggestions AFTER INSERT ON annotations "
                "BEGIN DELETE FROM articles; END",
                # The table again, after the trigger: read by name, the trigger was hidden.
                expected_schema(SCHEMA_VERSION)["rejected_suggestions"][2],
                "INSERT INTO rejected_suggestions SELECT * FROM kept",
                "DROP TABLE kept",
            ),
            "two objects named 'rejected_suggestions'",
        ),
        (
            (rewrite("_sqlite_migrations", '"name" TEXT', '"name" TEXT CHECK (length(name))'),),
            "its table '_sqlite_migrations' is not the one",
        ),
        (
            ("CREATE INDEX sneaky ON _sqlite_migrations(length(printf('%.*c', 1e8, name)))",),
            "its table '_sqlite_migrations' is not the one",
        ),
        (
            ("CREATE INDEX sneaky ON _sqlite_migrations(name) WHERE length(name) > 0",),
            "its table '_sqlite_migrations' is not the one",
        ),
        (
            (
                "CREATE TABLE sqlite_stat1(tbl, idx, stat)",
                "ANALYZE",
                rewrite("sqlite_stat1", "stat)", "stat CHECK (stat))"),
            ),
            "table 'sqlite_stat1' that Annotator did not create",
        ),
    ],
    ids=[
        "trigger-same-name-own-table",
        "trigger-same-name-on-bookkeeping",
        "check-clause",
        "foreign-key-clause",
        "index-columns",
        "partial-index",
        "view-with-a-tables-name",
        "trigger-sharing-a-tables-name",
        "bookkeeping-check",
        "bookkeeping-expression-index",
        "bookkeeping-partial-index",
        "sqlite-table-redefined",
    ],
)
def test_an_object_of_ours_defined_otherwise_is_refused_and_left_unchanged(
    shared_file, statements, message
):
    plant(shared_file, *statements)
    before, digest_before = folder_state(shared_file), digest(shared_file)
    with pytest.raises(UntrustedSchemaError, match=message):
        open_project(shared_file, annotator="me")
    with pytest.raises(UntrustedSchemaError, match=message):
        Store.open(shared_file)
    assert digest(shared_file) == digest_before
    assert folder_state(shared_file) == before


def test_the_layout_of_the_sql_is_no_difference_and_analyze_is_allowed(shared_file):
    """Whitespace and comments between tokens are not compared; SQLite's own tables pass."""
    plant(
        shared_file,
        rewrite("articles", "\n", " /* a comment */ \t"),
        "ANALYZE",
    )
    with open_project(shared_file, annotator="me") as project:
        assert project.store.articles.count() == 1


def test_normalised_sql_keeps_what_sqlite_reads_and_drops_what_it_skips():
    assert normalised_sql("CREATE  TABLE t (\n  x -- note\n  TEXT /* y */)") == (
        "CREATE TABLE t ( x TEXT )"
    )
    assert normalised_sql("CHECK (x != 'a  b')") != normalised_sql("CHECK (x != 'a b')")
    assert normalised_sql('SELECT "a  b", [c  d]') == 'SELECT "a  b", [c  d]'
    assert normalised_sql("a -- b\nc") != normalised_sql("a -- b c")  # the comment ends a line
    assert normalised_sql("x||y") != normalised_sql("x| |y")


def test_a_file_that_never_finished_its_first_migration_may_not_hide_anything(tmp_path):
    path = tmp_path / "half.annotator"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("CREATE TABLE t0 (x)")
    conn.execute("CREATE TRIGGER t AFTER INSERT ON t0 BEGIN SELECT 1; END")
    conn.close()
    with pytest.raises(UntrustedSchemaError, match="trigger 't'"):
        inspect_project_file(path)


def test_a_file_with_only_the_start_of_a_build_is_built_on(tmp_path):
    """An interrupted first start (the bookkeeping table, no schema yet) is not an attack."""
    path = tmp_path / "started.annotator"
    db = Database(path)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    migrations.ensure_migrations_table(db)
    db.close()
    with open_project(path) as project:
        assert project.created and project.store.codes.all()


def test_the_expected_schema_comes_from_the_migrations(tmp_path):
    """So a migration appended later is checked without anyone listing its tables."""
    path = tmp_path / "p.annotator"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    assert schema_of(conn) == expected_schema(SCHEMA_VERSION)
    conn.close()
    assert {"articles", "annotations", "fragments", "claim_issues"} <= set(
        expected_schema(SCHEMA_VERSION)
    )
    before_any = expected_schema(0).values()
    assert {table for _kind, table, _columns in before_any} == {migrations.migrations_table}


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_a_file_of_every_older_schema_passes_and_is_upgraded(tmp_path, version):
    path = tmp_path / "old.annotator"
    db = Database(path)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    names = [m.name for m in migrations._migrations]
    migrations.apply(db, stop_before=names[version] if version < len(names) else None)
    db.close()
    assert inspect_project_file(path) == version
    with open_project(path) as project:
        assert project.store.articles.count() == 0
    assert inspect_project_file(path) == SCHEMA_VERSION
    upgraded = version < SCHEMA_VERSION
    # Before an upgrade, a backup of the old file; then no daily one is due the same day.
    expected = [f"migration-v{version}"] if upgraded else ["daily"]
    assert [b.label for b in list_backups(path)] == expected
