"""``quick_check`` reads the whole file (seconds for a large project), so opening skips it for
a file exactly as Annotator closed it, and runs it for anything else."""

import os
from pathlib import Path

import pytest

from annotator.services.project import open_project
from annotator.store import ProjectFileError, Store
from annotator.store.files import project_file


def test_a_file_closed_cleanly_is_not_checked_again(tmp_path: Path, checks: list[Path]) -> None:
    path = tmp_path / "p.annotator"
    Store.open(path).close()
    assert checks == [path]  # a new file: nothing recorded yet
    assert project_file.closed_cleanly(path)
    Store.open(path).close()
    assert checks == [path]


def test_a_file_changed_since_its_clean_close_is_checked(tmp_path: Path, checks) -> None:
    path = tmp_path / "p.annotator"
    with Store.open(path) as store:
        store.sources.get_or_create("Wire")
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))  # a sync tool, say
    assert not project_file.closed_cleanly(path)
    Store.open(path).close()
    assert len(checks) == 2


def test_a_file_with_a_journal_beside_it_is_checked(tmp_path: Path, checks) -> None:
    """What a crash leaves: SQLite's write-ahead log still beside the file."""
    path = tmp_path / "p.annotator"
    Store.open(path).close()
    Path(f"{path}-wal").write_bytes(b"")
    assert not project_file.closed_cleanly(path)
    Store.open(path).close()
    assert len(checks) == 2


def test_a_file_replaced_by_a_copy_is_checked(tmp_path: Path, checks) -> None:
    path, other = tmp_path / "p.annotator", tmp_path / "q.annotator"
    Store.open(path).close()
    Store.open(other).close()
    stat = path.stat()
    other.replace(path)  # a restored or downloaded copy: another inode
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert not project_file.closed_cleanly(path)


def test_a_second_connection_open_leaves_no_record(tmp_path: Path, checks) -> None:
    """While another connection holds the file, closing one does not fold the journal in,
    so nothing is recorded and the next open checks."""
    path = tmp_path / "p.annotator"
    Store.open(path).close()
    first = Store.open(path)
    with first.atomic():
        first.sources.get_or_create("Wire")
    second = Store.open(path)
    second.close()
    assert not project_file.closed_cleanly(path)
    first.close()
    assert project_file.closed_cleanly(path)


def test_damage_that_keeps_the_files_time_is_caught_by_the_daily_backup(tmp_path: Path) -> None:
    """Bit rot: a page changes, size and time do not. The open skips quick_check, but the
    daily backup's check fails; the project is then distrusted, so the next open checks it
    and refuses it."""
    path = tmp_path / "p.annotator"
    with open_project(path, annotator="a") as project:
        for number in range(300):
            project.articles.add(f"article {number} " * 300, source="S", title=f"t{number}")
    assert project_file.closed_cleanly(path)
    info = path.stat()
    with path.open("r+b") as raw:
        raw.seek(4096 * 5)
        raw.write(b"\xff" * 4096)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert project_file.closed_cleanly(path)  # nothing outside the file tells
    with open_project(path, annotator="a") as project:
        (warning,) = project.warnings
        assert "failed its check" in warning and "the project file itself is damaged" in warning
    assert not project_file.closed_cleanly(path)
    with pytest.raises(ProjectFileError, match="damaged"):
        open_project(path, annotator="a")
