import sqlite3
from pathlib import Path

import pytest

from annotator.store import ProjectFileError, Store
from annotator.store.files.project_file import APPLICATION_ID
from annotator.store.migrations import SCHEMA_VERSION


def pragma(path: Path, name: str) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def test_new_file_is_marked_and_migrated(tmp_path):
    path = tmp_path / "p.annotator"
    with Store.open(path) as store:
        assert store.articles.count() == 0
    assert pragma(path, "application_id") == APPLICATION_ID
    assert pragma(path, "user_version") == SCHEMA_VERSION
    assert pragma(path, "journal_mode") == "wal"


def test_connection_enforces_foreign_keys(tmp_path):
    with Store.open(tmp_path / "p.annotator") as store:
        assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_reopening_applies_nothing_twice(tmp_path):
    path = tmp_path / "p.annotator"
    Store.open(path).close()
    Store.open(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_memory_store_has_the_same_schema(tmp_path):
    def schema(conn: sqlite3.Connection) -> list:
        return conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()

    path = tmp_path / "p.annotator"
    Store.open(path).close()
    memory = Store.in_memory()
    assert schema(memory._db.conn) == schema(sqlite3.connect(path))


def test_empty_file_becomes_a_project(tmp_path):
    path = tmp_path / "empty.annotator"
    path.touch()
    Store.open(path).close()
    assert pragma(path, "user_version") == SCHEMA_VERSION


def assert_refused_unchanged(path: Path, message: str) -> None:
    before = path.read_bytes()
    siblings = set(path.parent.iterdir())
    with pytest.raises(ProjectFileError, match=message):
        Store.open(path)
    assert path.read_bytes() == before
    assert set(path.parent.iterdir()) == siblings


def test_foreign_sqlite_file_is_refused_and_left_unchanged(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.commit()
    conn.close()
    assert_refused_unchanged(path, "another application")


def test_newer_project_is_refused_and_left_unchanged(tmp_path):
    path = tmp_path / "future.annotator"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    assert_refused_unchanged(path, "newer version of Annotator")


@pytest.mark.parametrize(
    "content",
    [
        b"not a database at all\n" * 20,
        b"\x00\xff\xfe binary \x89PNG" * 50,
        b"SQLite format 3\x00" + b"\x00" * 20,  # truncated header
    ],
    ids=["text", "binary", "truncated"],
)
def test_files_that_are_not_projects_are_refused_and_left_unchanged(tmp_path, content):
    path = tmp_path / "bad.annotator"
    path.write_bytes(content)
    assert_refused_unchanged(path, "not an Annotator project")


def test_damaged_project_is_refused_and_left_unchanged(tmp_path):
    path = tmp_path / "p.annotator"
    Store.open(path).close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # wreck the rest of page 1: the schema table
    path.write_bytes(bytes(data))
    assert_refused_unchanged(path, "damaged")


def test_folder_is_refused(tmp_path):
    with pytest.raises(ProjectFileError, match="folder"):
        Store.open(tmp_path)


def test_backup_is_a_consistent_copy(tmp_path):
    path = tmp_path / "p.annotator"
    with Store.open(path) as store:
        store.sources.get_or_create("AFP")
        target = store.backup_to(tmp_path / "backups" / "copy.annotator")
    with Store.open(target) as copy:
        assert [s.name for s in copy.sources.all()] == ["AFP"]
