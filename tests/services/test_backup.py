"""Backups: daily on open, rotated, checked, before a migration; restore keeps what it
replaces and refuses a project that is open or a backup that is not sound."""

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils.migrations import Migrations

from annotator.core.model import CodeKind
from annotator.services.backup import (
    KEEP_DAILY,
    BackupError,
    backup_if_due,
    backup_project,
    backups_dir,
    list_backups,
    restore_project,
)
from annotator.services.project import ProjectInUseError, open_memory_project, open_project
from annotator.store import Store
from annotator.store.files import project_file
from annotator.store.files.backups import write_backup
from annotator.store.migrations import migrations
from tests.conftest import TRICKY_TEXT, code_id, table_rows
from tests.test_crash_safety import holding

DAY = timedelta(days=1)


def make_project(path: Path) -> str:
    with open_project(path, annotator="alice") as project:
        added = project.articles.add(TRICKY_TEXT, source="Test Wire", title="Tricky")
        xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
        change = project.annotations.create_speaker_mention(added.article.id, [(0, 5)], xi)
        return change.annotation.id


def labels(path: Path) -> list[str]:
    return [b.label for b in list_backups(path)]


def quick_check(path: Path) -> list[tuple]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA quick_check").fetchall()
    finally:
        conn.close()


# -- daily, on open --------------------------------------------------------------------------


def test_reopening_backs_up_once_a_day_into_the_backups_folder(project_path):
    make_project(project_path)
    assert labels(project_path) == []  # a project just created has nothing to keep yet
    with open_project(project_path) as project:
        assert not project.warnings
    with open_project(project_path):
        pass
    (daily,) = list_backups(project_path)
    assert daily.label == "daily" and daily.path.parent == project_path.parent / "backups"
    assert daily.path.name.startswith("study.") and daily.path.name.endswith(".daily.annotator")
    assert quick_check(daily.path) == [("ok",)]
    assert table_rows(daily.path) == table_rows(project_path)
    assert not daily.path.with_name(daily.path.name + "-wal").exists()  # one plain file


def test_daily_backups_are_rotated_and_sort_by_time(project_path):
    make_project(project_path)
    start = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    with Store.open(project_path) as store:
        backup_project(store, now=start - 2 * DAY)  # a manual one is never rotated away
        for day in range(10):
            assert backup_if_due(store, now=start + day * DAY + timedelta(hours=1))
            assert backup_if_due(store, now=start + day * DAY + timedelta(hours=20)) is None
    found = list_backups(project_path)
    daily = [b for b in found if b.label == "daily"]
    assert len(daily) == KEEP_DAILY
    assert [b.taken_at.day for b in daily] == list(range(4, 11))  # the newest seven
    assert [b.label for b in found if b.label != "daily"] == ["manual"]
    names = [b.path.name for b in found]
    assert names == sorted(names)  # the names alone sort by time


def test_backups_of_another_project_in_the_same_folder_are_left_alone(tmp_path):
    mine, other = tmp_path / "study.annotator", tmp_path / "study.v2.annotator"
    make_project(mine)
    make_project(other)
    with open_project(other) as project:
        for day in range(KEEP_DAILY + 2):
            backup_if_due(project.store, now=datetime(2025, 1, 1, tzinfo=UTC) + day * DAY)
    with open_project(mine) as project:
        backup_if_due(project.store, now=datetime(2030, 1, 1, tzinfo=UTC))
    assert len(list_backups(other)) == KEEP_DAILY
    assert len(list_backups(mine)) == 2  # the one on open, and the one asked for


def test_a_daily_backup_that_cannot_be_written_does_not_keep_anyone_from_work(project_path):
    make_project(project_path)
    backups_dir(project_path).write_text("a file where the folder should be")
    with open_project(project_path) as project:
        assert project.store.articles.count() == 1
        (warning,) = project.warnings
        assert "daily backup was not written" in warning


# -- on request -------------------------------------------------------------------------------


def test_backup_to_a_file_or_a_folder(project_path, tmp_path):
    make_project(project_path)
    with open_project(project_path) as project:
        (tmp_path / "usb").mkdir()
        into_folder = backup_project(project.store, tmp_path / "usb")
        assert into_folder.parent == tmp_path / "usb" and ".manual." in into_folder.name
        named = backup_project(project.store, tmp_path / "copy.annotator")
        assert named == tmp_path / "copy.annotator"
        for target in (named, project_path, tmp_path / "nowhere" / "x.annotator"):
            with pytest.raises(BackupError, match=r"already exists|does not exist"):
                backup_project(project.store, target)
    assert table_rows(named) == table_rows(into_folder) == table_rows(project_path)


def test_a_project_in_memory_has_nothing_to_back_up():
    with pytest.raises(BackupError, match="memory"):
        backup_project(open_memory_project().store)


def test_a_backup_that_fails_halfway_leaves_no_file(project_path):
    make_project(project_path)
    source = sqlite3.connect(project_path)

    class FailingHalfway:
        """Copies one page, then the disk gives up."""

        def backup(self, dest: sqlite3.Connection) -> None:
            source.backup(dest, pages=1)
            raise sqlite3.OperationalError("disk I/O error")

    target = project_path.parent / "backups" / "x.annotator"
    with pytest.raises(BackupError, match=f"Could not write the backup {target}: disk I/O error"):
        write_backup(FailingHalfway(), target)
    source.close()
    assert list(target.parent.iterdir()) == []


# -- before a migration -----------------------------------------------------------------------


def test_a_migration_is_preceded_by_a_checked_backup(project_path, monkeypatch):
    make_project(project_path)
    before = table_rows(project_path)
    newer = Migrations("annotator")
    newer._migrations = [*migrations._migrations]

    @newer(name="9999_test_column")
    def _add_column(db: object) -> None:
        db.execute("ALTER TABLE sources ADD COLUMN country TEXT")
        db.execute(f"PRAGMA user_version = {len(newer._migrations)}")

    monkeypatch.setattr(project_file, "migrations", newer)
    monkeypatch.setattr(project_file, "SCHEMA_VERSION", len(newer._migrations))
    project_file.expected_schema.cache_clear()
    try:
        with open_project(project_path) as project:
            assert project.store.articles.count() == 1
    finally:
        project_file.expected_schema.cache_clear()
    old_version = len(migrations._migrations)
    assert labels(project_path) == [f"migration-v{old_version}"]  # no daily one beside it
    (backup,) = list_backups(project_path)
    assert table_rows(backup.path) == before
    assert quick_check(backup.path) == [("ok",)]


# -- restore -----------------------------------------------------------------------------------


def test_restore_puts_the_backup_back_and_keeps_what_it_replaced(project_path):
    first = make_project(project_path)
    with open_project(project_path) as project:
        saved = backup_project(project.store)
        project.annotations.delete(first)
    changed = table_rows(project_path)
    result = restore_project(saved, project_path)
    assert table_rows(project_path) == table_rows(saved)
    assert result.replaced is not None and result.replaced.name.endswith(".replaced.annotator")
    assert table_rows(result.replaced) == changed  # the restore can itself be undone
    with open_project(project_path) as project:
        assert project.store.annotations.get(first).annotator == "alice"


def test_restore_refuses_a_project_that_is_open_here_or_elsewhere(project_path):
    make_project(project_path)
    with open_project(project_path) as project:
        saved = backup_project(project.store)
        before = project_path.read_bytes()
        with pytest.raises(ProjectInUseError, match="this program"):
            restore_project(saved, project_path)
    with holding(project_path) as holder, pytest.raises(ProjectInUseError) as refused:
        restore_project(saved, project_path)
    assert f"process {holder.pid}" in str(refused.value)
    assert project_path.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty project file"),
        (b"SQLite format 3\x00" + b"\x00" * 200, "not an Annotator project"),
        (b"hello", "not an Annotator project"),
    ],
    ids=["empty", "truncated", "text"],
)
def test_restore_refuses_a_backup_that_is_not_sound(project_path, tmp_path, content, message):
    make_project(project_path)
    bad = tmp_path / "bad.annotator"
    bad.write_bytes(content)
    before = project_path.read_bytes()
    with pytest.raises(BackupError, match=message):
        restore_project(bad, project_path)
    assert project_path.read_bytes() == before
    assert not backups_dir(project_path).exists()


def test_restore_mends_a_project_too_damaged_to_open(project_path):
    make_project(project_path)
    with open_project(project_path) as project:
        saved = backup_project(project.store)
    wrecked = bytearray(project_path.read_bytes())
    wrecked[100:4096] = b"\xff" * 3996
    project_path.write_bytes(bytes(wrecked))
    with pytest.raises(Exception, match="damaged"):
        open_project(project_path)
    result = restore_project(saved, project_path)
    assert result.replaced.read_bytes() == bytes(wrecked)  # kept exactly as it was
    with open_project(project_path) as project:
        assert project.store.articles.count() == 1
