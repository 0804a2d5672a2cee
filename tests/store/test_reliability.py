"""What happens when the world misbehaves: a full disk, a read-only file or folder, a lock
file left behind, a file cut short, and orphan rows that ``check`` must find."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.model import CodeKind
from annotator.services.project import ProjectReadOnlyError, open_project
from annotator.services.reports import check_project
from annotator.store import ProjectFileError, Store
from annotator.store.files import lock as lock_module
from annotator.store.files.errors import WriteError
from annotator.store.files.lock import ProjectInUseError, ProjectLock, lock_path, read_holder
from tests.conftest import code_id, table_rows

ROOT = Path(__file__).resolve().parents[2]

# -- writes that fail ---------------------------------------------------------------------


def test_a_full_disk_saves_nothing_says_so_and_leaves_the_project_consistent(project, article_id):
    db = project.store._db
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")  # SQLITE_FULL at the next new page
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    before = table_rows(project.path)
    with pytest.raises(WriteError, match="Not saved: the disk is full") as failed:
        project.annotations.create_claim(article_id, [(0, 5)], speaker_id=xi, note="x" * 200_000)
    assert "study.annotator" in str(failed.value)
    assert table_rows(project.path) == before
    assert project.store.annotations.for_article(article_id) == []
    assert check_project(project.store) == []
    db.execute("PRAGMA max_page_count = 1073741823")  # space again: saving works as before
    saved = project.annotations.create_claim(article_id, [(0, 5)], note="x" * 200_000)
    assert project.store.annotations.get(saved.annotation.id).note == "x" * 200_000


def test_a_file_that_turned_read_only_saves_nothing_and_says_so(project, article_id):
    project.store._db.execute("PRAGMA query_only = ON")  # SQLITE_READONLY on every write
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    with pytest.raises(WriteError, match="read-only"):
        project.annotations.create_speaker_mention(article_id, [(0, 5)], xi)
    project.store._db.execute("PRAGMA query_only = OFF")
    assert project.store.annotations.for_article(article_id) == []
    assert check_project(project.store) == []


def test_a_rule_broken_by_the_program_is_not_disguised_as_a_write_failure(project):
    with pytest.raises(sqlite3.IntegrityError):
        project.store.sources.get_or_create("")  # CHECK (length(trim(name)) > 0)


# -- read-only files and folders -----------------------------------------------------------

OPEN = """
import sys
from pathlib import Path
from annotator.services.project import ProjectReadOnlyError, open_project
try:
    open_project(Path(sys.argv[1]), create=False).close()
    print("OPENED")
except ProjectReadOnlyError as exc:
    print("REFUSED", exc)
"""

#: Root ignores permission bits; without these two capabilities it must respect them.
AS_ORDINARY_USER = ["--bounding-set=-dac_override,-dac_read_search,-fowner"]
AS_ORDINARY_USER.append("--inh-caps=-dac_override,-dac_read_search,-fowner")


def run_without_privileges(*args: str) -> subprocess.CompletedProcess:
    prefix = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot be tested")
        prefix = [setpriv, *AS_ORDINARY_USER]
    return subprocess.run(
        [*prefix, sys.executable, *args], capture_output=True, text=True, cwd=ROOT,
        timeout=60, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_project_is_refused_with_a_clear_message(tmp_path, what):
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "study.annotator"
    Store.open(path).close()
    read_only = path if what == "file" else folder
    read_only.chmod(0o444 if what == "file" else 0o555)
    before = path.read_bytes()
    try:
        result = run_without_privileges("-c", OPEN, str(path))
        cli = run_without_privileges("-m", "annotator", "--project", str(path), "import", "x.txt")
        # A command that only reads needs no write access: it reads, and writes nothing.
        reader = run_without_privileges("-m", "annotator", "--project", str(path), "stats")
    finally:
        read_only.chmod(0o755)
    assert result.stdout.startswith("REFUSED"), result.stdout + result.stderr
    assert "read-only" in result.stdout
    assert ("read-only folder" in result.stdout) == (what == "folder")
    assert cli.returncode == 2 and "read-only" in cli.stderr and cli.stderr.count("\n") == 1
    assert reader.returncode == 0 and "Articles: 0" in reader.stdout, reader.stderr
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["study.annotator"]


def test_read_only_check_runs_before_anything_is_created(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "access", lambda *_args, **_kw: False)
    with pytest.raises(ProjectReadOnlyError, match="read-only"):
        open_project(tmp_path / "new.annotator")
    assert list(tmp_path.iterdir()) == []


# -- the lock file --------------------------------------------------------------------------


def test_lock_is_shared_within_a_process_and_released_with_its_last_user(project_path):
    first = ProjectLock.acquire(project_path)
    second = ProjectLock.acquire(project_path)
    assert first.first and not second.first
    holder = read_holder(project_path)
    assert holder.pid == os.getpid() and holder.hostname and holder.user
    first.release()
    first.release()  # idempotent: must not drop the other user's claim
    assert lock_path(project_path).exists()
    second.release()
    assert not lock_path(project_path).exists()


def test_a_restore_style_claim_refuses_even_this_process(project_path):
    with ProjectLock.acquire(project_path), pytest.raises(ProjectInUseError, match="this program"):
        ProjectLock.acquire(project_path, reentrant=False)


def test_closing_a_project_releases_its_lock(tmp_path):
    path = tmp_path / "p.annotator"
    project = open_project(path)
    assert lock_path(path).exists()
    project.close()
    project.close()
    assert not lock_path(path).exists()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json",
        json.dumps({"user": "x", "hostname": "elsewhere", "pid": 1, "since": "?"}).encode(),
    ],
    ids=["empty", "garbage", "another-host-but-not-locked"],
)
def test_a_lock_file_nobody_holds_is_taken_over(project_path, content):
    """The OS lock decides: a file without one is left over from a crash, whatever it says."""
    lock_path(project_path).write_bytes(content)
    with open_project(project_path) as project:
        assert read_holder(project_path).pid == os.getpid()
        assert project.store.codes.all()


def holder_record(pid: int, hostname: str | None = None) -> bytes:
    me = lock_module.LockHolder.me()
    return json.dumps(
        {"user": "carol", "hostname": hostname or me.hostname, "pid": pid, "since": me.since}
    ).encode()


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_without_os_locks_the_record_decides(project_path, monkeypatch):
    """Some network shares cannot lock: then a live process on this host, or any process on
    another, holds the project, and a dead process on this host left a stale lock."""
    monkeypatch.setattr(lock_module, "_os_lock", lambda _fd: None)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lock_path(project_path).write_bytes(holder_record(sleeper.pid))
        with pytest.raises(ProjectInUseError, match=f"carol on .*process {sleeper.pid}") as err:
            ProjectLock.acquire(project_path)
        assert "delete study.annotator.lock" in str(err.value)
    finally:
        sleeper.kill()
        sleeper.wait()
    lock_path(project_path).write_bytes(holder_record(4242, "another-host"))
    with pytest.raises(ProjectInUseError, match="carol on another-host"):
        ProjectLock.acquire(project_path)
    lock_path(project_path).write_bytes(holder_record(dead_pid()))
    with ProjectLock.acquire(project_path):
        assert read_holder(project_path).pid == os.getpid()


# -- files that are cut short or damaged ---------------------------------------------------


def grown_project(path: Path) -> None:
    with Store.open(path) as store:
        for i in range(300):
            store.sources.get_or_create(f"Source {i} " + "x" * 200)
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def assert_refused_unchanged(path: Path, message: str) -> None:
    before, siblings = path.read_bytes(), sorted(path.parent.iterdir())
    with pytest.raises(ProjectFileError, match=message):
        open_project(path)
    assert path.read_bytes() == before
    assert sorted(path.parent.iterdir()) == siblings


def test_a_truncated_project_is_refused_and_left_unchanged(tmp_path):
    path = tmp_path / "cut.annotator"
    grown_project(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert_refused_unchanged(path, "truncated")


def test_a_project_with_a_damaged_page_is_refused_at_the_door(tmp_path):
    path = tmp_path / "p.annotator"
    grown_project(path)
    data = bytearray(path.read_bytes())
    data[-4096:] = b"\xa5" * 4096  # the last page: page 1 and the schema still read fine
    path.write_bytes(bytes(data))
    assert_refused_unchanged(path, "damaged.*annotator restore")


# -- orphan rows that check must report -----------------------------------------------------


def plant(path: Path, *statements: str) -> None:
    """Write past the rules, as a crash in a program without transactions would."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("statement", "finding"),
    [
        (
            "INSERT INTO fragments VALUES ('gone', 0, 0, 5, 'Flags')",
            "a fragments row refers to a missing annotations row",
        ),
        (
            "INSERT INTO claim_issues VALUES ('gone', (SELECT id FROM codes LIMIT 1))",
            "a claim_issues row refers to a missing annotations row",
        ),
        ("DELETE FROM fragments", "has no fragment"),
        ("DELETE FROM codes WHERE kind = 'speaker'", "refers to a missing codes row"),
        ("DELETE FROM sources", "articles row 1 refers to a missing sources row"),
    ],
    ids=["fragment", "claim-issue", "annotation", "speaker", "article"],
)
def test_check_reports_orphan_rows(project, article_id, capsys, statement, finding):
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    project.annotations.create_claim(article_id, [(0, 5)], speaker_id=xi)
    plant(project.path, statement)
    assert main(["--project", str(project.path), "check"]) == 1
    out = capsys.readouterr()
    assert finding in out.out
    assert "problem(s) found" in out.err
