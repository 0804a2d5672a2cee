"""A project file from someone else is data, never code: a trigger, view, table or index that
the migrations did not create is refused before anything in the file is read or written."""

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from annotator.core.model import CodeKind
from annotator.services.project import open_project
from annotator.store import Store
from annotator.store.backups import list_backups
from annotator.store.migrations import SCHEMA_VERSION, migrations
from annotator.store.project_file import (
    APPLICATION_ID,
    UntrustedSchemaError,
    expected_schema,
    inspect_project_file,
    schema_of,
)
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


def plant(path: Path, statement: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(statement)
    conn.commit()
    conn.close()


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
