"""Backups: daily on open, rotated, checked, before a migration; restore keeps what it
replaces and refuses a project that is open or a backup that is not sound."""

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils.migrations import Migrations

from annotator.core.model import CodeKind
from annotator.services.backup import (
    KEEP_DAILY,
    BackupError,
    InterruptedRestoreError,
    backup_if_due,
    backup_project,
    backups_dir,
    list_backups,
    recover_interrupted_restore,
    restore_project,
)
from annotator.services.project import ProjectInUseError, open_memory_project, open_project
from annotator.services.reports import check_project
from annotator.store import Store
from annotator.store.files import project_file, schema_vetting
from annotator.store.files import restore as restore_module
from annotator.store.files.backups import write_backup
from annotator.store.migrations import migrations
from tests.conftest import TRICKY_TEXT, code_id, table_rows
from tests.test_crash_safety import ROOT, holding

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
    schema_vetting.expected_schema.cache_clear()
    try:
        with open_project(project_path) as project:
            assert project.store.articles.count() == 1
    finally:
        schema_vetting.expected_schema.cache_clear()
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


# -- a restore killed halfway ------------------------------------------------------------------


class Killed(BaseException):
    """Stands for the process being killed: no ``except Exception`` cleanup runs."""


#: The steps of a restore (see annotator.store.files.restore), and what a later recovery yields when
#: a kill lands right after each: the project as it was, or the backup in place.
STEPS = {
    "staged": "old",
    "kept": "old",
    "journaled": "restored",
    "set aside": "restored",
    "renamed": "restored",
}


def hot_wal(path: Path, articles: int = 60) -> dict[str, list[tuple]]:
    """``path`` as a writer killed with a hot WAL leaves it: ``articles`` more articles
    committed through open_project with automatic checkpoints off, so that they are only in
    the -wal file. Returns every row, WAL included."""
    with open_project(path) as writer:
        writer.store._db.execute("PRAGMA wal_autocheckpoint = 0")
        for n in range(articles):
            writer.articles.add(f"Article {n}, only in the WAL.", source="Wire", title=f"Hot {n}")
        image = {suffix: sidecar(path, suffix).read_bytes() for suffix in ("", "-wal")}
    for suffix, data in image.items():  # closing folded the WAL in; the kill would not have
        sidecar(path, suffix).write_bytes(data)
    rows = table_rows(path)
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)  # the file alone
    try:
        in_file = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        conn.close()
    assert len(rows["articles"]) == in_file + articles  # they really are only in the WAL
    return rows


def sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def kill_at(monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    def step_done(name: str) -> None:
        if name == step:
            raise Killed(step)

    monkeypatch.setattr(restore_module, "_step_done", step_done)


def leftovers(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if ".restor" in p.name)


def replaced_copies(path: Path) -> list[Path]:
    return [b.path for b in list_backups(path) if b.label == "replaced"]


@pytest.fixture
def hot_project(project_path: Path) -> tuple[Path, dict, dict]:
    """A backup with one article, and the project with the WAL hot: (backup, its rows, the
    project's rows)."""
    make_project(project_path)
    with open_project(project_path) as project:
        saved = backup_project(project.store)
    return saved, table_rows(saved), hot_wal(project_path)


@pytest.mark.parametrize("step", STEPS)
def test_a_restore_killed_after_any_step_is_completed_or_undone(
    hot_project, project_path, monkeypatch, step
):
    saved, restored, old = hot_project
    kill_at(monkeypatch, step)
    with pytest.raises(Killed):
        restore_project(saved, project_path)
    monkeypatch.undo()
    assert project_path.exists()  # never no project at all

    message = recover_interrupted_restore(project_path)
    assert leftovers(project_path) == []
    if STEPS[step] == "old":
        assert message is None  # no journal yet: the project was never touched
        assert table_rows(project_path) == old  # WAL and all
    else:
        assert "was interrupted" in message
        assert table_rows(project_path) == restored
        (replaced,) = replaced_copies(project_path)
        assert table_rows(replaced) == old  # every commit, those only in the WAL too
        assert not sidecar(replaced, "-wal").exists()  # one self-contained file
    assert not sidecar(project_path, "-wal").exists() or STEPS[step] == "old"
    with open_project(project_path) as project:
        assert check_project(project.store) == []
    assert recover_interrupted_restore(project_path) is None  # nothing left to do


def test_a_restore_killed_at_the_rename_leaves_a_project_and_all_its_commits(
    hot_project, project_path, monkeypatch
):
    """The red team's case: killed as the staged copy was renamed over the project."""
    saved, restored, old = hot_project
    rename = os.replace

    def killed_at_the_rename(source: object, target: object) -> None:
        if Path(target) == project_path:
            raise Killed("at the rename")
        rename(source, target)

    monkeypatch.setattr(os, "replace", killed_at_the_rename)
    with pytest.raises(Killed):
        restore_project(saved, project_path)
    monkeypatch.undo()
    assert project_path.exists()
    assert "completed" in recover_interrupted_restore(project_path)
    assert table_rows(project_path) == restored
    (replaced,) = replaced_copies(project_path)
    assert table_rows(replaced) == old


RESTORE_KILLED = """
import os, signal, sys
from pathlib import Path
from annotator.services.backup import restore_project
from annotator.store.files import restore

def step_done(name):
    if name == sys.argv[3]:
        os.kill(os.getpid(), signal.SIGKILL)

restore._step_done = step_done
restore_project(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_a_restore_process_killed_for_real_is_completed_by_the_next(hot_project, project_path):
    saved, restored, old = hot_project
    killed = subprocess.run(
        [sys.executable, "-c", RESTORE_KILLED, str(saved), str(project_path), "set aside"],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert project_path.exists() and not sidecar(project_path, "-wal").exists()
    assert "completed" in recover_interrupted_restore(project_path)
    assert table_rows(project_path) == restored
    assert table_rows(replaced_copies(project_path)[0]) == old


def test_a_restore_that_fails_is_undone_with_the_wal_put_back(
    hot_project, project_path, monkeypatch
):
    saved, _restored, old = hot_project
    rename = os.replace

    def refused(source: object, target: object) -> None:
        if Path(target) == project_path:
            raise PermissionError(13, "Permission denied")
        rename(source, target)

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(BackupError, match=r"Could not restore .*Permission denied"):
        restore_project(saved, project_path)
    monkeypatch.undo()
    assert table_rows(project_path) == old and sidecar(project_path, "-wal").exists()
    assert leftovers(project_path) == [] and replaced_copies(project_path) == []


def interrupted(project_path: Path, saved: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A restore killed with the WAL set aside; returns its staged copy."""
    kill_at(monkeypatch, "set aside")
    with pytest.raises(Killed):
        restore_project(saved, project_path)
    monkeypatch.undo()
    return next(project_path.parent.glob(".study.annotator.restoring-????????????"))


def test_with_the_project_file_gone_recovery_uses_either_copy(
    hot_project, project_path, monkeypatch
):
    saved, restored, _old = hot_project
    interrupted(project_path, saved, monkeypatch)
    project_path.unlink()  # whatever took it, the staged copy goes in its place
    assert "completed" in recover_interrupted_restore(project_path)
    assert table_rows(project_path) == restored

    with open_project(project_path) as project:  # the project moves on
        project.articles.add("Written after the restore.", source="Wire", title="Later")
    later = table_rows(project_path)
    staged = interrupted(project_path, saved, monkeypatch)
    project_path.unlink()
    staged.unlink()  # and with the staged copy gone too, the project as it was comes back
    assert "put back" in recover_interrupted_restore(project_path)
    assert table_rows(project_path) == later
    assert leftovers(project_path) == []


def test_with_nothing_left_no_empty_project_is_created(hot_project, project_path, monkeypatch):
    saved, restored, _old = hot_project
    staged = interrupted(project_path, saved, monkeypatch)
    for path in (project_path, staged, *replaced_copies(project_path)):
        path.unlink()
    for _ in range(2):
        with pytest.raises(InterruptedRestoreError, match="no new project is created"):
            recover_interrupted_restore(project_path)
        assert not project_path.exists()
    result = restore_project(saved, project_path)  # a restore is what mends it
    assert result.replaced is None and table_rows(project_path) == restored
    assert recover_interrupted_restore(project_path) is None


def test_a_project_changed_after_the_interruption_is_kept_too(
    hot_project, project_path, monkeypatch
):
    """Opened, before recovery ran, by something that did not recover first."""
    saved, restored, _old = hot_project
    interrupted(project_path, saved, monkeypatch)
    conn = sqlite3.connect(project_path)
    conn.execute("UPDATE sources SET url = 'https://changed.example' WHERE name = 'Test Wire'")
    conn.commit()
    conn.close()
    changed = table_rows(project_path)
    message = recover_interrupted_restore(project_path)
    assert "as changed since then" in message
    assert table_rows(project_path) == restored
    assert changed in [table_rows(copy) for copy in replaced_copies(project_path)]


def test_a_journal_naming_other_files_is_refused(project_path, tmp_path):
    make_project(project_path)
    with open_project(project_path) as project:
        saved = backup_project(project.store)
    victim = tmp_path / "thesis.docx"
    victim.write_text("not to be renamed over the project")
    journal = restore_module.journal_path(project_path)
    journal.write_text(
        '{"backup": "x", "staged": "../thesis.docx", "aside": ".study.annotator.restoring-a",'
        ' "replaced": null, "project": null, "sidecar": null}'
    )
    before = table_rows(project_path)
    with pytest.raises(InterruptedRestoreError, match="cannot be read"):
        recover_interrupted_restore(project_path)
    assert table_rows(project_path) == before and victim.exists()
    restore_project(saved, project_path)  # a restore replaces the journal with its own
    assert not journal.exists() and victim.exists()


def test_opening_a_project_completes_an_interrupted_restore_first(
    hot_project, project_path, monkeypatch
):
    saved, restored, _old = hot_project
    interrupted(project_path, saved, monkeypatch)
    with open_project(project_path):
        pass
    assert not restore_module.journal_path(project_path).exists()
    assert table_rows(project_path) == restored
