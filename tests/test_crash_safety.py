"""A killed process loses nothing it reported as saved, and a second instance is told who
holds the project. Both run real processes: a lock or a journal only shows its worth across
process boundaries."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.model import CodeKind
from annotator.services.project import ProjectInUseError, open_project
from annotator.services.reports import check_project
from annotator.store.files.lock import lock_path, read_holder
from tests.conftest import TRICKY_TEXT

ROOT = Path(__file__).resolve().parents[1]

#: A window stand-in: opens the project, says "ready", writes a speaker mention per "write".
HOLDER = """
import sys
from pathlib import Path
from annotator.core.model import CodeKind
from annotator.services.project import open_project

project = open_project(Path(sys.argv[1]), annotator="holder")
print("ready", flush=True)
for line in sys.stdin:
    article = project.store.articles.summaries()[0].id
    xi = project.store.codes.by_name(CodeKind.SPEAKER, "Xi Jinping").id
    change = project.annotations.create_speaker_mention(article, [(0, 5)], xi)
    print(change.annotation.id, flush=True)
"""

#: Writes claims, and rewrites earlier ones (fragments and issue links replaced), forever,
#: printing each one only after its transaction committed: "C id k" or "U id k", where k
#: says which spans and issues it was given.
WRITER = """
import sys
from pathlib import Path
from annotator.core.model import CodeKind
from annotator.services.project import open_project

project = open_project(Path(sys.argv[1]), annotator="crash")
store = project.store
article = store.articles.summaries()[0].id
xi = store.codes.by_name(CodeKind.SPEAKER, "Xi Jinping").id
issues = sorted(c.id for c in store.codes.all() if c.kind is CodeKind.ISSUE)
ids = []
print("ready", flush=True)
for step in range(1_000_000):
    k = step % 4
    spans = [(0, 5 + k), (10, 20 + k)]
    pair = [issues[k], issues[k + 1]]
    if step % 3 == 2:
        target = ids[step % len(ids)]
        project.annotations.update(target, spans=spans, issue_ids=pair, note="n" * step)
        print("U", target, k, flush=True)
    else:
        change = project.annotations.create_claim(
            article, spans, speaker_id=xi, issue_ids=pair, note="n" * (step % 500)
        )
        ids.append(change.annotation.id)
        print("C", change.annotation.id, k, flush=True)
"""


def spawn(script: str, path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", script, str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, cwd=ROOT,
    )  # fmt: skip


def wait_ready(process: subprocess.Popen) -> None:
    line = process.stdout.readline()
    if line.strip() != "ready":
        process.kill()
        raise AssertionError(f"the helper did not start: {line}{process.stderr.read()}")


@contextmanager
def holding(path: Path) -> Iterator[subprocess.Popen]:
    """Another Annotator process with ``path`` open for as long as the block runs."""
    process = spawn(HOLDER, path)
    try:
        wait_ready(process)
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def make_project(path: Path) -> None:
    with open_project(path, annotator="alice") as project:
        project.articles.add(TRICKY_TEXT, source="Test Wire", title="Tricky")


def snapshot(path: Path) -> dict[str, bytes]:
    """The bytes of the project and of its side files."""
    return {
        p.name: p.read_bytes()
        for p in path.parent.iterdir()
        if p.name.startswith(path.name) and p.is_file()
    }


# -- killed in the middle of writing ------------------------------------------------------


@pytest.mark.slow
def test_killed_writer_loses_nothing_it_reported_and_leaves_nothing_half_written(tmp_path):
    path = tmp_path / "study.annotator"
    make_project(path)
    reported: dict[str, list[int]] = {}  # id -> every state k reported as saved, in order
    for stop_after in (40, 90, 150):  # three kills, each at a different moment
        writer = spawn(WRITER, path)
        wait_ready(writer)
        for _ in range(stop_after):
            line = writer.stdout.readline()
            assert line, writer.stderr.read()
            _, annotation_id, k = line.split()
            reported.setdefault(annotation_id, []).append(int(k))
        writer.send_signal(signal.SIGKILL)
        rest, _ = writer.communicate()  # what it printed before the kill landed
        for line in rest.splitlines():
            _, annotation_id, k = line.split()
            reported.setdefault(annotation_id, []).append(int(k))
        assert writer.returncode == -signal.SIGKILL
        assert lock_path(path).exists()  # the crash left its lock file behind

    # The stale lock of a dead process is taken over; WAL recovery happens on open.
    with open_project(path, annotator="alice") as project:
        assert read_holder(path).pid == os.getpid()
        assert check_project(project.store) == []
        store = project.store
        issues = sorted(c.id for c in store.codes.all() if c.kind is CodeKind.ISSUE)
        xi = store.codes.by_name(CodeKind.SPEAKER, "Xi Jinping").id
        article_id = store.articles.summaries()[0].id
        text = store.articles.get(article_id).text
        stored = {a.id: a for a in store.annotations.for_article(article_id)}
        assert set(reported) <= set(stored)  # everything reported saved is there
        assert len(stored) - len(reported) <= 3  # at most one unreported commit per kill
        behind = []
        for annotation in stored.values():
            spans = [(f.start, f.end) for f in annotation.fragments]
            k = spans[0][1] - 5
            assert spans == [(0, 5 + k), (10, 20 + k)]  # both fragments, never one
            assert all(f.quote == text[f.start : f.end] for f in annotation.fragments)
            assert annotation.speaker_id == xi
            assert annotation.issue_ids == (issues[k], issues[k + 1])  # links of the same write
            if annotation.id in reported and reported[annotation.id][-1] != k:
                behind.append(annotation.id)  # a rewrite committed just before a kill
        assert len(behind) <= 3
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        orphans = conn.execute(
            """SELECT (SELECT count(*) FROM fragments f WHERE NOT EXISTS
                          (SELECT 1 FROM annotations a WHERE a.id = f.annotation_id)),
                      (SELECT count(*) FROM claim_issues i WHERE NOT EXISTS
                          (SELECT 1 FROM annotations a WHERE a.id = i.annotation_id)),
                      (SELECT count(*) FROM annotations a WHERE a.kind = 'claim' AND
                          (SELECT count(*) FROM claim_issues i
                           WHERE i.annotation_id = a.id) != 2)"""
        ).fetchone()
        assert orphans == (0, 0, 0)
    finally:
        conn.close()


# -- a second instance ------------------------------------------------------------------------


@pytest.mark.slow
def test_second_instance_is_told_who_holds_the_project_and_the_first_keeps_working(tmp_path):
    path = tmp_path / "study.annotator"
    make_project(path)
    with holding(path) as holder:
        before, files = snapshot(path), sorted(tmp_path.rglob("*"))
        with pytest.raises(ProjectInUseError) as refused:
            open_project(path, annotator="bob")
        message = str(refused.value)
        assert "in use" in message and socket.gethostname() in message
        assert f"process {holder.pid}" in message
        assert refused.value.holder.pid == holder.pid
        assert refused.value.holder.user == read_holder(path).user
        assert snapshot(path) == before  # not a byte changed, not a file added
        assert sorted(tmp_path.rglob("*")) == files

        cli = subprocess.run(
            [sys.executable, "-m", "annotator", "--project", str(path), "import", "x.txt"],
            capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
        )  # fmt: skip
        assert cli.returncode == 2 and cli.stdout == ""
        assert cli.stderr.count("\n") == 1 and f"process {holder.pid}" in cli.stderr
        assert snapshot(path) == before
        # A command that only reads runs beside it, and changes neither the file, nor its
        # journal, nor the lock (SQLite's -shm index may record the reader's place).
        reader = subprocess.run(
            [sys.executable, "-m", "annotator", "--project", str(path), "stats"],
            capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
        )  # fmt: skip
        assert reader.returncode == 0 and "Articles: 1" in reader.stdout, reader.stderr
        shm = f"{path.name}-shm"
        assert {k: v for k, v in snapshot(path).items() if k != shm} == {
            k: v for k, v in before.items() if k != shm
        }
        assert sorted(tmp_path.rglob("*")) == files

        holder.stdin.write("write\n")  # the first instance goes on saving
        holder.stdin.flush()
        written = holder.stdout.readline().strip()
        assert written
    with open_project(path) as project:  # and once it has closed, the project opens
        assert project.store.annotations.get(written).annotator == "holder"


def test_the_window_shows_who_holds_the_project(qapp, tmp_path, monkeypatch):
    import annotator.app as app

    shown: list[tuple[str, str]] = []

    class Box:
        @staticmethod
        def warning(_parent: object, title: str, text: str) -> None:
            shown.append((title, text))

        critical = warning

    monkeypatch.setattr(app, "QMessageBox", Box)
    path = tmp_path / "study.annotator"
    make_project(path)
    with holding(path) as holder:
        assert app.run_app(path, annotator="bob") == 2
    ((title, text),) = shown
    assert title == "Project in use"
    assert f"process {holder.pid}" in text and socket.gethostname() in text


def test_a_crashed_holder_leaves_a_stale_lock_that_is_recovered(tmp_path):
    path = tmp_path / "study.annotator"
    make_project(path)
    with holding(path) as holder:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        assert read_holder(path).pid == holder.pid  # its record is still there
    assert main(["--project", str(path), "check"]) == 0
    with open_project(path) as project:
        assert read_holder(path).pid == os.getpid()
        assert project.store.articles.count() == 1
    assert not lock_path(path).exists()  # released on close
