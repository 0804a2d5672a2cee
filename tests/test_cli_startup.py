"""What a command loads at start: only its own module, and for a report nothing of the
importers, exporters, agreement measures, YAML, numpy or Qt (issue 19: a report at a million
annotations in under half a second, most of which was imports)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import COMMANDS, build_parser
from annotator.services.project import open_project

LOADED = """
import sys
from annotator.cli import main
status = main(sys.argv[1:])
heavy = {"numpy", "pyqtgraph", "PySide6", "yaml", "lxml", "trafilatura", "chardet",
         "annotator.cli.export", "annotator.cli.import_articles", "annotator.cli.team.agreement",
         "annotator.services.samples", "annotator.services.interchange.importing",
         "annotator.services.interchange.brat", "annotator.services.team.agreement",
         "annotator.services.team.adjudication", "annotator.core.agreement",
         "annotator.core.curation"}
loaded = sorted((set(sys.modules) | {m.split(".")[0] for m in sys.modules}) & heavy)
print("loaded:", ",".join(loaded) or "none")
sys.exit(status)
"""


@pytest.fixture(scope="module")
def project_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("startup") / "p.annotator"
    open_project(path, annotator="tester").close()
    return path


@pytest.mark.parametrize(
    "command",
    [["coverage"], ["coverage", "--csv", "{out}"], ["stats"], ["stats", "--json"]],
    ids=" ".join,
)
def test_a_report_loads_none_of_what_other_commands_need(
    project_path: Path, tmp_path: Path, command: list[str]
) -> None:
    args = [arg.format(out=tmp_path / "out.csv") for arg in command]
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", LOADED, "--project", str(project_path), *args],
        env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "loaded: none"


def test_help_lists_every_command_without_importing_one() -> None:
    code = (
        "import sys; from annotator.cli import build_parser; "
        "text = build_parser().format_help(); "
        "print(sorted(m for m in sys.modules if m.startswith('annotator.cli.'))); print(text)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    imported, text = result.stdout.split("\n", 1)
    assert imported == "[]"
    for name in COMMANDS:
        assert f"    {name} " in text


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_command_adds_its_options_when_chosen(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args([name, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: annotator {name} ")
    assert "options:" in out and "--help" in out
