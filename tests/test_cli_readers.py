"""Commands that only read run beside a window that has the project open, and write nothing;
commands that write are refused as before; and a --project path that does not exist is
created only by the window, ``import`` and ``merge``."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database

from annotator.cli import COMMANDS, reads_only
from annotator.core.model import CodeKind
from annotator.services.project import ProjectFileError, ProjectReadOnlyError, open_project
from annotator.store.files.lock import lock_path, read_holder
from annotator.store.files.project_file import APPLICATION_ID
from annotator.store.migrations import SCHEMA_VERSION, migrations
from tests.conftest import TRICKY_TEXT, table_rows
from tests.services.test_agreement import three_coders
from tests.test_crash_safety import ROOT, holding

READERS = [
    ["stats", "--json"],
    ["check"],
    ["coverage"],
    ["agreement", "--json"],
    ["suggest"],
]


def cli(*args: str) -> subprocess.CompletedProcess:
    """The command as a researcher's script runs it, in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture
def team(project_path: Path) -> Path:
    """A project with three coders' annotations, closed."""
    with open_project(project_path, annotator="lead") as project:
        three_coders(project)
    return project_path


def side_files(path: Path) -> list[str]:
    """What sits beside the project: its -wal, -shm and lock, its backups, other files."""
    return sorted(str(p.relative_to(path.parent)) for p in path.parent.rglob("*") if p != path)


def test_every_command_says_whether_it_reads_or_writes():
    parser_args = {
        "codebook": [
            ("export", True),
            ("list", True),
            ("import", False),
            ("rename", False),
            ("merge", False),
            ("delete", False),
            ("recolour", False),
            ("set-parent", False),
        ],
    }
    readers = {"stats", "check", "export", "coverage", "agreement", "suggest", "search", "retrieve"}
    for name, module in COMMANDS.items():
        if hasattr(module, "run_without_project"):
            continue
        for action, expected in parser_args.get(name, [(None, name in readers)]):
            args = type("Args", (), {"action": action})()
            assert reads_only(module, args) is expected, (name, action)


# -- beside a window ---------------------------------------------------------------------------


@pytest.mark.slow
def test_readers_run_while_another_process_holds_the_project_and_writers_are_refused(
    team, tmp_path_factory
):
    outside = tmp_path_factory.mktemp("outputs")
    with holding(team) as window:
        # The window saves a mention after it opened: readers see it (the -wal), at once.
        window.stdin.write("write\n")
        window.stdin.flush()
        assert window.stdout.readline().strip()
        main_file, wal = team.read_bytes(), Path(f"{team}-wal").read_bytes()
        files = side_files(team)

        stats = cli("--project", str(team), "stats", "--json")
        assert stats.returncode == 0, stats.stderr
        coders = json.loads(stats.stdout)["annotators"]
        assert set(coders) == {"alice", "bob", "carol", "holder"} and coders["holder"] == 1

        out = outside / "annotations.csv"
        export = cli("--project", str(team), "export", "--csv", str(out))
        assert export.returncode == 0, export.stderr
        with out.open(encoding="utf-8", newline="") as handle:
            assert len(list(csv.DictReader(handle))) == sum(coders.values())

        agreement = cli(
            "--project", str(team), "agreement", "--json", "--annotators", "alice,bob,carol"
        )
        assert agreement.returncode == 0, agreement.stderr
        claims = json.loads(agreement.stdout)["claim"]
        assert claims["counts"]["coders"] == ["alice", "bob", "carol"]
        assert claims["f1_overlap"] == 1.0

        coverage = cli("--project", str(team), "coverage")
        assert coverage.returncode == 0 and "Taiwan" in coverage.stdout, coverage.stderr
        check = cli("--project", str(team), "check")
        assert check.returncode == 0 and "OK" in check.stdout, check.stderr
        suggest = cli("--project", str(team), "suggest")
        assert suggest.returncode == 0, suggest.stderr
        codebook = cli("--project", str(team), "codebook", "export", str(outside / "c.json"))
        assert codebook.returncode == 0, codebook.stderr

        for writer in (["import", "x.txt"], ["codebook", "import", str(outside / "c.json")]):
            refused = cli("--project", str(team), *writer)
            assert refused.returncode == 2 and refused.stdout == "", writer
            assert f"process {window.pid}" in refused.stderr and "in use" in refused.stderr
            assert refused.stderr.count("\n") == 1

        assert read_holder(team).pid == window.pid  # the lock is the window's still
        assert team.read_bytes() == main_file and Path(f"{team}-wal").read_bytes() == wal
        assert side_files(team) == files  # no backup, no lock, nothing else


def test_a_reader_reads_one_snapshot_while_a_writer_goes_on(team):
    with holding(team) as window, open_project(team, read_only=True) as reader:
        before = reader.store.reports.counts().annotators
        window.stdin.write("write\n")
        window.stdin.flush()
        assert window.stdout.readline().strip()
        assert reader.store.reports.counts().annotators == before
        with open_project(team, read_only=True) as later:
            assert later.store.reports.counts().annotators["holder"] == 1


# -- nothing created, nothing written ---------------------------------------------------------


@pytest.mark.parametrize("command", [*READERS, ["export", "--csv"], ["codebook", "export"]])
def test_a_reader_of_a_closed_project_creates_nothing_and_changes_no_byte(team, command):
    """Closed cleanly, the file is read ``immutable``: no -wal, -shm, lock or backup appears."""
    before, stat = team.read_bytes(), team.stat()
    assert side_files(team) == []
    output = team.parent / "out.csv"  # an export's file is the one thing expected
    wants_file = command[-1] in ("--csv", "export")
    result = cli("--project", str(team), *command, *([str(output)] if wants_file else []))
    assert result.returncode == 0, result.stderr
    assert team.read_bytes() == before
    assert team.stat().st_mtime_ns == stat.st_mtime_ns
    assert side_files(team) == (["out.csv"] if wants_file else [])


@pytest.mark.parametrize(
    "command",
    [
        *READERS,
        ["export", "--csv", "out.csv"],
        ["codebook", "export", "c.csv"],
        ["codebook", "import", "c.csv"],
        ["backup"],
    ],
)
def test_a_missing_project_path_is_refused_and_nothing_is_created(tmp_path, command):
    missing = tmp_path / "typo" / "deeper" / "new.annotator"
    result = cli("--project", str(missing), *command)
    assert result.returncode == 2, result.stdout
    assert result.stderr == f"annotator: There is no project at {missing}.\n"
    assert list(tmp_path.iterdir()) == []  # not even the folders


def test_an_empty_file_or_an_older_schema_is_refused_by_a_reader_and_left_alone(tmp_path):
    empty = tmp_path / "empty.annotator"
    empty.touch()
    result = cli("--project", str(empty), "stats")
    assert result.returncode == 2 and "not a project yet" in result.stderr
    assert empty.read_bytes() == b""

    old = tmp_path / "old.annotator"
    db = Database(old)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    names = [m.name for m in migrations._migrations]
    migrations.apply(db, stop_before=names[SCHEMA_VERSION - 1])
    db.close()
    before = old.read_bytes()
    result = cli("--project", str(old), "stats")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "older version" in result.stderr and "Open it once in the window" in result.stderr
    assert old.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.annotator", "old.annotator"]


def test_a_change_through_a_read_only_project_is_refused_and_changes_nothing(project_path):
    with open_project(project_path) as project:
        article = project.articles.add(TRICKY_TEXT, source="Wire").article
    rows = table_rows(project_path)
    with open_project(project_path, read_only=True) as reader:
        assert reader.read_only and reader.lock is None
        assert not lock_path(project_path).exists()
        with pytest.raises(ProjectReadOnlyError, match="opened for reading only"):
            reader.articles.add("Another text.", source="Wire")
        with pytest.raises(ProjectReadOnlyError, match="opened for reading only"):
            reader.codebook.create(CodeKind.ISSUE, "New issue")
        assert reader.store.articles.get(article.id).text  # still reads after the refusals
    assert table_rows(project_path) == rows


def test_an_immutable_read_that_a_writer_changed_underneath_says_so(project_path):
    open_project(project_path).close()
    refused = pytest.raises(ProjectFileError, match="changed by another program")
    with refused, open_project(project_path, read_only=True) as reader:
        assert reader.store.articles.count() == 0
        with open_project(project_path) as writer:  # opens after the reader, then closes
            writer.articles.add("Written meanwhile.", source="Wire")
    with open_project(project_path, read_only=True) as again:  # a read that was left alone
        assert again.store.articles.count() == 1


def test_stats_on_a_missing_default_project_still_creates_it_once(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    with open_project(read_only=True) as project:
        assert project.created and project.store.articles.count() == 2
    with open_project(read_only=True) as project:
        assert not project.created
    with pytest.raises(ProjectFileError, match="There is no project"):
        open_project(tmp_path / "other.annotator", read_only=True)
