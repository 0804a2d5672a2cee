"""The headless commands, run as a researcher's script would run them."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main


def run(*args: str, env_home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "XDG_DATA_HOME": str(env_home)}
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


def test_stats_creates_the_default_project(tmp_path):
    result = run("stats", "--json", env_home=tmp_path)
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["articles"] == 2 and stats["sources"] == 2
    assert stats["annotations"] == {"claim": 0, "speaker": 0, "issue": 0}
    assert stats["per_source"] == {
        "AFP": {"articles": 1, "annotations": 0},
        "Politico": {"articles": 1, "annotations": 0},
    }
    assert (tmp_path / "Annotator" / "default.annotator").exists()
    check = run("check", env_home=tmp_path)
    assert check.returncode == 0 and "OK" in check.stdout


def test_headless_commands_never_load_qt(tmp_path):
    code = (
        "import sys; from annotator.cli import main; main(['stats']); "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph')]; "
        "sys.exit(1 if bad else 0)"
    )
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr


def test_project_option_creates_an_empty_project_with_codebook(tmp_path, capsys):
    """Only the window and ``import`` (and ``merge``) create a --project path; ``stats`` on a
    mistyped one is refused (tests/test_cli_readers.py)."""
    path = tmp_path / "new.annotator"
    assert main(["--project", str(path), "import", str(tmp_path / "none.txt")]) == 1
    capsys.readouterr()
    assert main(["--project", str(path), "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["articles"] == 0
    assert stats["codes"] == {"issue": 12, "speaker": 7}


def test_check_reports_a_quote_that_no_longer_matches(project, article_id, capsys):
    from annotator.core.model import CodeKind
    from tests.conftest import code_id

    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    project.annotations.create_speaker_mention(article_id, [(0, 5)], xi)
    conn = sqlite3.connect(project.path)
    conn.execute("UPDATE fragments SET quote = 'tampered'")
    conn.commit()
    conn.close()
    assert main(["--project", str(project.path), "check"]) == 1
    out = capsys.readouterr()
    assert "stored quote differs" in out.out
    assert "1 problem(s)" in out.err


@pytest.mark.parametrize(
    "content",
    [b"garbage text " * 50, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4],
    ids=["text", "binary"],
)
def test_bad_project_file_is_one_clear_line(tmp_path, content):
    path = tmp_path / "x.annotator"
    path.write_bytes(content)
    result = run("--project", str(path), "stats", env_home=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "not an Annotator project" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_refuses_a_missing_project_and_creates_nothing(tmp_path, capsys):
    path = tmp_path / "typo" / "stdy.annotator"
    assert main(["--project", str(path), "check"]) == 2
    assert "There is no project" in capsys.readouterr().err
    assert not (tmp_path / "typo").exists()


def test_a_damaged_project_is_reported_without_a_traceback(tmp_path):
    from annotator.store import Store

    path = tmp_path / "p.annotator"
    with Store.open(path) as store:
        store.sources.get_or_create("AFP")
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(page, len(data), page):  # wreck every page but the header page
        data[start : start + page] = b"\xa5" * page
    path.write_bytes(bytes(data))
    for command in ("check", "stats"):
        result = run("--project", str(path), command, env_home=tmp_path)
        assert result.returncode in (1, 2), command
        assert "Traceback" not in result.stderr
        assert "damaged" in (result.stdout + result.stderr)
