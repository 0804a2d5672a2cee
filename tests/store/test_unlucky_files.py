"""Sound projects in unlucky states: a checkpoint killed halfway (by a crash, or stopped by a
full disk) and a disk that is full. Their data is intact, so they open, or are refused with
a message that says what to do, and never that the file is damaged."""

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from annotator.core.model import CodeKind
from annotator.services.project import open_project
from annotator.store import Store
from annotator.store.files import clean_close, project_file
from annotator.store.files.errors import DiskFullError, ProjectFileError, WriteError
from annotator.store.files.project_file import APPLICATION_ID, inspect_project_file
from annotator.store.migrations import SCHEMA_VERSION, migrations
from tests.conftest import code_id, table_rows


def wal_frames(wal: bytes) -> list[tuple[int, bytes]]:
    """(page number, page) of every frame of a WAL file, oldest first."""
    page_size = int.from_bytes(wal[8:12], "big")
    frames, offset = [], 32
    while offset + 24 + page_size <= len(wal):
        page = int.from_bytes(wal[offset : offset + 4], "big")
        frames.append((page, wal[offset + 24 : offset + 24 + page_size]))
        offset += 24 + page_size
    return frames


def header_pages(path: Path) -> tuple[int, bool]:
    """The page count the header records, and whether SQLite's rule calls it valid."""
    header = path.read_bytes()[:100]
    valid = header[92:96] == header[24:28]
    return int.from_bytes(header[28:32], "big"), valid


@pytest.fixture
def killed_checkpoint(tmp_path: Path) -> tuple[Path, dict[str, list[tuple]]]:
    """A project as a checkpoint killed after its first page leaves it, and every row that
    had been committed. 48 articles (with annotations) are committed into the WAL only; the
    project file and its WAL are copied while the writer still has them open; then page 1 of
    the copy is overwritten with the WAL's newest page 1, the first write of a checkpoint:
    its header counts pages that only the WAL holds."""
    path = tmp_path / "study.annotator"
    with open_project(path, annotator="alice") as project:
        project.articles.add("The first article, checkpointed. " * 20, source="S", title="t")
    with open_project(path, annotator="alice") as project:
        project.store._db.execute("PRAGMA wal_autocheckpoint = 0")
        issue = code_id(project, CodeKind.ISSUE, "Taiwan")
        for number in range(48):
            text = f"Article {number} of the import, long enough to fill pages. " * 40
            article = project.articles.add(text, source="Wire", title=f"t{number}").article
            project.annotations.create_issue_passage(article.id, [(0, 7)], issue)
        crashed = tmp_path / "crashed"
        crashed.mkdir()
        for name in (path.name, f"{path.name}-wal"):
            shutil.copy(tmp_path / name, crashed / name)
    committed = table_rows(path)
    copy = crashed / path.name
    page_1 = [page for number, page in wal_frames(Path(f"{copy}-wal").read_bytes()) if number == 1]
    with copy.open("r+b") as raw:
        raw.write(page_1[-1])
    pages, valid = header_pages(copy)
    assert valid and copy.stat().st_size < pages * len(page_1[-1])  # what looked truncated
    return copy, committed


def test_a_checkpoint_killed_after_the_header_opens_with_every_committed_row(
    killed_checkpoint, checks
):
    path, committed = killed_checkpoint
    assert len(committed["articles"]) == 49 and len(committed["annotations"]) == 48
    # Even a close stamp that matches the file does not skip the check while a WAL is there.
    stamp = clean_close.close_stamp(path)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps(clean_close.file_identity(path)), encoding="utf-8")
    assert not clean_close.closed_cleanly(path)

    assert inspect_project_file(path) == SCHEMA_VERSION
    with open_project(path, annotator="alice") as project:
        assert project.store.articles.count() == 49
    assert checks == [path]  # quick_check decided, and found nothing missing
    assert table_rows(path) == committed
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()


@pytest.mark.parametrize("wal", ["none", "empty"])
def test_a_file_cut_short_without_a_wal_is_still_refused(killed_checkpoint, wal):
    """The same file without the WAL that holds its last pages is truncated indeed."""
    path, _committed = killed_checkpoint
    side = Path(f"{path}-wal")
    side.unlink()
    if wal == "empty":
        side.write_bytes(b"")
    before = {p.name: p.read_bytes() for p in path.parent.iterdir()}
    with pytest.raises(ProjectFileError, match="is truncated"):
        open_project(path, annotator="alice")
    assert {p.name: p.read_bytes() for p in path.parent.iterdir()} == before


# -- a full disk ------------------------------------------------------------------------------


def assert_not_called_damage(error: Exception) -> None:
    message = str(error)
    assert "disk is full" in message
    assert "damaged" not in message and "restore" not in message.lower()
    assert "backup" not in message


def full_disk_error() -> sqlite3.OperationalError:
    """A real SQLITE_FULL from SQLite, to raise where a full disk cannot be arranged."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("PRAGMA max_page_count = 2")
    try:
        conn.execute("INSERT INTO t VALUES (zeroblob(100000))")
    except sqlite3.OperationalError as exc:
        return exc
    finally:
        conn.close()
    raise AssertionError("SQLite did not run out of pages")


def test_a_full_disk_while_opening_is_not_damage_and_nothing_is_lost(tmp_path, monkeypatch):
    """A migration that needs a new page on a full disk (SQLite's max_page_count standing in
    for the disk): refused with what to do; once there is room, the project opens."""
    path = tmp_path / "old.annotator"
    old = Database(path)
    old.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    names = [m.name for m in migrations.pending(old)]
    migrations.apply(old, stop_before=names[-1])  # the last migration will need new pages
    with old.conn:
        old.execute("INSERT INTO sources VALUES ('s', 'Wire', NULL)")
    old.close()
    rows = table_rows(path)
    real = project_file._configure

    def cramped(db, *, new: bool) -> None:
        real(db, new=new)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(project_file, "_configure", cramped)
    with pytest.raises(DiskFullError) as refused:
        open_project(path, annotator="alice")
    assert_not_called_damage(refused.value)
    assert "free some space" in str(refused.value) and "Nothing was lost" in str(refused.value)
    assert table_rows(path) == rows
    monkeypatch.undo()
    with open_project(path, annotator="alice") as project:
        assert [s.name for s in project.store.sources.all()] == ["Wire"]
    assert inspect_project_file(path) == SCHEMA_VERSION


def test_a_full_disk_while_saving_is_a_write_error_not_damage(project, article_id):
    db = project.store._db
    db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0]}")
    with pytest.raises(DiskFullError) as refused:
        project.annotations.create_claim(article_id, [(0, 5)], note="x" * 200_000)
    assert isinstance(refused.value, WriteError)
    assert_not_called_damage(refused.value)


def test_a_full_disk_while_checking_the_file_is_not_damage(tmp_path, monkeypatch):
    """Reading a WAL needs room for its index beside the file; a check that cannot finish
    for want of space is no verdict on the data."""
    path = tmp_path / "p.annotator"
    Store.open(path).close()
    error = full_disk_error()

    class Full:
        def execute(self, *_args: object) -> None:
            raise error

        def close(self) -> None:
            pass

    monkeypatch.setattr(project_file, "connect_read_only", lambda _path: Full())
    with pytest.raises(DiskFullError) as refused:
        inspect_project_file(path)
    assert_not_called_damage(refused.value)
    monkeypatch.undo()
    with pytest.raises(DiskFullError) as refused:
        project_file._refuse_damaged(Full(), path)
    assert_not_called_damage(refused.value)
