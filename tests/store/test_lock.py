"""Hostile files where the lock file goes: a symbolic link, a named pipe, a second name of
another file. Each is refused with its path named, and left exactly as it was; a plain lock
file left by a crash is still taken over, and only the file this process made is removed."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.services.project import ProjectFileError, open_project
from annotator.store.files.lock import ProjectLock, lock_path, read_holder, refuse_hard_links
from tests.conftest import table_rows

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file types")

THESIS = b"Chapter 1. Years of work that a lock file must never overwrite.\n"


@pytest.fixture
def thesis(tmp_path: Path) -> Path:
    path = tmp_path / "thesis.txt"
    path.write_bytes(THESIS)
    return path


def test_a_symlink_in_place_of_the_lock_is_refused_and_its_target_untouched(project_path, thesis):
    open_project(project_path).close()
    link = lock_path(project_path)
    link.symlink_to(thesis.name)  # relative, as `ln -s thesis.txt p.annotator.lock` makes it
    rows = table_rows(project_path)
    with pytest.raises(ProjectFileError, match="is a symbolic link") as refused:
        open_project(project_path)
    assert str(link) in str(refused.value)
    assert "Traceback" not in str(refused.value)
    assert thesis.read_bytes() == THESIS  # not overwritten with the lock's record
    assert link.is_symlink() and link.readlink() == Path(thesis.name)  # and not deleted
    assert table_rows(project_path) == rows


def test_a_dangling_symlink_is_refused_and_creates_nothing_where_it_points(project_path):
    link = lock_path(project_path)
    link.symlink_to("elsewhere.txt")
    with pytest.raises(ProjectFileError, match="symbolic link"):
        ProjectLock.acquire(project_path)
    assert not (project_path.parent / "elsewhere.txt").exists()
    assert link.is_symlink()


@pytest.mark.timeout(30)
def test_a_named_pipe_in_place_of_the_lock_is_a_clear_error_without_hanging(project_path):
    open_project(project_path).close()
    pipe = lock_path(project_path)
    os.mkfifo(pipe)
    with pytest.raises(ProjectFileError, match=r"named pipe \(FIFO\)") as refused:
        ProjectLock.acquire(project_path)
    assert str(pipe) in str(refused.value)
    assert read_holder(project_path) is None  # reading who holds it does not hang either
    cli = subprocess.run(
        [sys.executable, "-m", "annotator", "--project", str(project_path), "import", "x.txt"],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2],
        timeout=60, check=False,
    )  # fmt: skip
    assert cli.returncode == 2 and cli.stderr.count("\n") == 1, cli.stderr
    assert "named pipe" in cli.stderr and "Traceback" not in cli.stderr
    assert pipe.exists() and not pipe.is_file()


def test_a_second_name_of_another_file_is_refused_and_the_file_untouched(project_path, thesis):
    os.link(thesis, lock_path(project_path))
    with pytest.raises(ProjectFileError, match=r"2 names \(hard links\)"):
        ProjectLock.acquire(project_path)
    assert thesis.read_bytes() == THESIS
    assert lock_path(project_path).read_bytes() == THESIS


def test_a_folder_in_place_of_the_lock_is_refused(project_path):
    lock_path(project_path).mkdir()
    with pytest.raises(ProjectFileError, match="is a folder"):
        ProjectLock.acquire(project_path)
    assert lock_path(project_path).is_dir()


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_stale_plain_lock_file_is_still_taken_over_and_removed_at_the_end(project_path):
    open_project(project_path).close()
    stale = {"user": "carol", "hostname": "here", "pid": dead_pid(), "since": "2025-01-01"}
    lock_path(project_path).write_text(json.dumps(stale))
    with open_project(project_path) as project:
        assert read_holder(project_path).pid == os.getpid()
        assert project.store.codes.all()
    assert not lock_path(project_path).exists()


def test_the_lock_is_created_new_and_only_its_own_file_is_removed(project_path, thesis):
    lock = ProjectLock.acquire(project_path)
    path = lock_path(project_path)
    assert path.is_file() and not path.is_symlink() and path.stat().st_nlink == 1
    path.unlink()
    path.symlink_to(thesis.name)  # replaced while held: someone else's now
    lock.release()
    assert path.is_symlink() and thesis.read_bytes() == THESIS
    path.unlink()

    lock = ProjectLock.acquire(project_path)
    path.unlink()
    path.write_bytes(b"another program's file")
    lock.release()
    assert path.read_bytes() == b"another program's file"


def test_a_project_file_with_two_names_is_named_with_its_count(project_path):
    open_project(project_path).close()
    refuse_hard_links(project_path)  # one name: fine
    refuse_hard_links(project_path.with_name("missing.annotator"))  # nothing there: fine
    os.link(project_path, project_path.with_name("copy.annotator"))
    os.link(project_path, project_path.with_name("third.annotator"))
    with pytest.raises(ProjectFileError, match=r"has 3 names \(hard links\).*copy it instead"):
        refuse_hard_links(project_path)
