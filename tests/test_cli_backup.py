"""``annotator backup`` and ``annotator restore``, run as a researcher would run them."""

import subprocess
import sys

import pytest

from annotator.cli import main
from annotator.services.backup import list_backups
from annotator.store.files import restore as restore_module
from tests.conftest import table_rows
from tests.test_crash_safety import ROOT, holding, make_project


def test_backup_writes_a_checked_copy_into_the_backups_folder(project_path, capsys):
    make_project(project_path)
    assert main(["--project", str(project_path), "backup"]) == 0
    manual = [b for b in list_backups(project_path) if b.label == "manual"]
    assert len(manual) == 1
    assert capsys.readouterr().out == f"Backed up {project_path} to {manual[0].path}\n"
    assert table_rows(manual[0].path) == table_rows(project_path)


def test_backup_to_a_folder_or_a_new_file_and_never_over_a_file(project_path, tmp_path, capsys):
    make_project(project_path)
    (tmp_path / "usb").mkdir()
    assert main(["--project", str(project_path), "backup", "--to", str(tmp_path / "usb")]) == 0
    (copy,) = (tmp_path / "usb").iterdir()
    assert copy.name.endswith(".manual.annotator")
    target = tmp_path / "copy.annotator"
    assert main(["--project", str(project_path), "backup", "--to", str(target)]) == 0
    capsys.readouterr()
    before = target.read_bytes()
    assert main(["--project", str(project_path), "backup", "--to", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("annotator: ") and "already exists" in err and err.count("\n") == 1
    assert target.read_bytes() == before


def test_backup_of_a_missing_project_creates_nothing(tmp_path, capsys):
    missing = tmp_path / "typo.annotator"
    assert main(["--project", str(missing), "backup"]) == 2
    assert "There is no project" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_restore_lists_the_backups_then_restores_one(project_path, capsys):
    make_project(project_path)
    assert main(["restore", "--project", str(project_path)]) == 0
    assert "No backups of" in capsys.readouterr().out
    assert main(["--project", str(project_path), "backup"]) == 0
    saved = table_rows(project_path)
    assert main(["--project", str(project_path), "import", str(ROOT / "sample_articles")]) == 0
    assert table_rows(project_path) != saved
    capsys.readouterr()

    assert main(["--project", str(project_path), "restore"]) == 0  # the global option works too
    listing = capsys.readouterr().out.splitlines()
    assert listing[0] == f"Backups of {project_path}, oldest first:"
    (manual,) = [b for b in list_backups(project_path) if b.label == "manual"]
    assert any(line.endswith(str(manual.path)) and "manual" in line for line in listing[1:])

    assert main(["restore", str(manual.path), "--project", str(project_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Restored {project_path} from {manual.path}"
    assert out[1].startswith("The file it replaced is kept as ")
    assert table_rows(project_path) == saved
    assert main(["--project", str(project_path), "check"]) == 0


def test_restore_is_refused_while_another_annotator_has_the_project(project_path, capsys):
    make_project(project_path)
    assert main(["--project", str(project_path), "backup"]) == 0
    backup = list_backups(project_path)[-1]
    with holding(project_path) as holder:
        before = project_path.read_bytes()
        result = subprocess.run(
            [sys.executable, "-m", "annotator", "restore", str(backup.path),
             "--project", str(project_path)],
            capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
        )  # fmt: skip
        assert result.returncode == 2 and result.stdout == ""
        assert "in use by" in result.stderr and f"process {holder.pid}" in result.stderr
        assert result.stderr.count("\n") == 1
        assert project_path.read_bytes() == before
    assert [b.label for b in list_backups(project_path)] == ["daily", "manual"]  # none replaced


def test_restore_mends_a_project_that_no_longer_opens(project_path, capsys):
    make_project(project_path)
    assert main(["--project", str(project_path), "backup"]) == 0
    backup = list_backups(project_path)[-1]
    assert backup.label == "manual"
    project_path.write_bytes(b"\x00" * 8192)  # wiped
    assert main(["--project", str(project_path), "stats"]) == 2
    capsys.readouterr()
    assert main(["restore", str(backup.path), "--project", str(project_path)]) == 0
    assert main(["--project", str(project_path), "check"]) == 0
    assert table_rows(project_path) == table_rows(backup.path)


def test_restore_from_a_file_that_is_not_a_backup_is_one_line(project_path, tmp_path, capsys):
    make_project(project_path)
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    for backup in (bogus, tmp_path / "missing.annotator"):
        assert main(["restore", str(backup), "--project", str(project_path)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("annotator: Cannot restore from") or "There is no backup" in err
        assert err.count("\n") == 1
    assert not (project_path.parent / "backups").exists()


def test_help_names_both_commands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "backup" in out and "restore" in out


def test_restore_finishes_an_interrupted_restore_first(project_path, monkeypatch, capsys):
    """Killed halfway (the WAL set aside, the backup not yet renamed into place): the next
    ``annotator restore`` completes it and says so; with both copies gone, it lists the
    backups and says why, and creates no empty project."""
    make_project(project_path)
    assert main(["--project", str(project_path), "backup"]) == 0
    (manual,) = [b.path for b in list_backups(project_path) if b.label == "manual"]

    def killed(step: str) -> None:
        if step == "set aside":
            raise KeyboardInterrupt

    monkeypatch.setattr(restore_module, "_step_done", killed)
    with pytest.raises(KeyboardInterrupt):
        main(["restore", str(manual), "--project", str(project_path)])
    monkeypatch.undo()
    capsys.readouterr()
    assert main(["restore", "--project", str(project_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"A restore of {project_path} from {manual} was interrupted; it ")
    assert "has now been completed" in out[0] and out[1].startswith("Backups of")
    assert table_rows(project_path) == table_rows(manual)

    monkeypatch.setattr(restore_module, "_step_done", killed)
    with pytest.raises(KeyboardInterrupt):
        main(["restore", str(manual), "--project", str(project_path)])
    monkeypatch.undo()
    for leftover in project_path.parent.glob(".study.annotator.restoring-*"):
        leftover.unlink()
    project_path.unlink()
    for backup in list_backups(project_path):
        if backup.label == "replaced":
            backup.path.unlink()
    capsys.readouterr()
    assert main(["restore", "--project", str(project_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out.startswith("Backups of") and str(manual) in captured.out
    assert "no new project is created" in captured.err and captured.err.count("\n") == 1
    assert not project_path.exists()
    assert main(["restore", str(manual), "--project", str(project_path)]) == 0
    assert main(["--project", str(project_path), "check"]) == 0
