"""``annotator --self-test`` from the source tree: the same check the frozen app runs after
every build (.ci/build_app), so a step that breaks shows here first."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import annotator.selftest as selftest
from annotator.cli import build_parser
from annotator.selftest import SelfTest, isolated_environment, process_age, run_self_test

ROOT = Path(__file__).resolve().parents[1]


def step_names() -> list[str]:
    return [name for name, _ in SelfTest(Path("unused")).steps]


@pytest.mark.slow
def test_self_test_passes_from_the_source_tree_and_touches_no_user_folder(tmp_path):
    user_data, user_config = Path(os.environ["XDG_DATA_HOME"]), Path(os.environ["XDG_CONFIG_HOME"])
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    env.pop("QT_QPA_PLATFORM", None)  # the self-test must choose offscreen by itself
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "--self-test"],
        capture_output=True, text=True, env=env, cwd=work, timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    steps = [re.fullmatch(r"(ok   .+) \(\d+\.\d s\)(: .*)?", line) for line in lines[:-1]]
    assert [m.group(1) if m else line for m, line in zip(steps, lines, strict=False)] == [
        f"ok   {name}" for name in step_names()
    ]
    assert lines[-1].startswith("self-test passed: 8 steps in ")
    assert "offscreen" in next(line for line in lines if "window opens" in line)
    for folder in (user_data, user_config):  # the test's stand-ins for the real ones
        assert not folder.exists() or not any(folder.iterdir()), folder
    assert not list(work.iterdir())  # nothing left in the working folder either


def test_a_failing_step_names_itself_stops_the_run_and_exits_1(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(selftest, "sample_articles_dir", lambda: tmp_path / "missing")
    lines: list[str] = []
    assert run_self_test(lines.append) == 1
    assert lines[0].startswith("FAIL resources found (")
    assert "no sample articles in" in lines[0]
    assert lines[-1].startswith("self-test FAILED after ")
    assert len(lines) == 2  # the later steps did not run
    assert "SelfTestError" in capsys.readouterr().err  # the traceback, for whoever debugs it


def test_the_temporary_folder_is_removed_and_the_environment_restored(monkeypatch, tmp_path):
    monkeypatch.setattr(selftest, "sample_articles_dir", lambda: tmp_path / "missing")
    seen: list[Path] = []
    original = SelfTest.__init__

    def remember(self, workdir: Path) -> None:
        seen.append(workdir)
        assert os.environ["XDG_CONFIG_HOME"].startswith(str(workdir))
        original(self, workdir)

    monkeypatch.setattr(SelfTest, "__init__", remember)
    before = dict(os.environ)
    run_self_test(lambda _line: None)
    assert seen and not seen[0].exists()
    assert dict(os.environ) == before


def test_isolation_keeps_a_chosen_qt_platform(monkeypatch, tmp_path):
    monkeypatch.setenv("QT_QPA_PLATFORM", "minimal")
    with isolated_environment(tmp_path):
        assert os.environ["QT_QPA_PLATFORM"] == "minimal"
        assert os.environ["XDG_DATA_HOME"] == str(tmp_path / "data")
    monkeypatch.delenv("QT_QPA_PLATFORM")
    with isolated_environment(tmp_path):
        assert os.environ["QT_QPA_PLATFORM"] == "offscreen"
    assert "QT_QPA_PLATFORM" not in os.environ


def test_spans_fit_the_sample_text_and_refuse_a_too_short_one():
    text = "Biden spoke to Xi Jinping by phone on Tuesday.\nThey discussed Taiwan at length."
    word, sentence, paragraph = selftest._spans(text)
    assert text[slice(*word)] == "Biden"
    assert text[slice(*sentence)] == "Biden spoke to Xi Jinping by phone on Tuesday."
    assert text[slice(*paragraph)] == text.splitlines()[0]
    with pytest.raises(selftest.SelfTestError):
        selftest._spans("Too short.")


def test_process_age_is_a_plausible_number_where_proc_exists():
    age = process_age()
    if Path("/proc/self/stat").exists():
        assert age is not None and 0 <= age < 24 * 3600
    else:
        assert age is None


def test_the_option_is_documented():
    assert "--self-test" in build_parser().format_help()
    assert build_parser().parse_args(["--self-test"]).self_test
