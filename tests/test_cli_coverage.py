"""``annotator coverage``, run in-process as a script would run it, on the hand-computed study
of tests/services/test_coverage.py: the table on the terminal, the CSV, the PNG, the errors."""

import csv
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.coverage import CoverageTable, Measure
from annotator.services.project import open_project
from tests.conftest import TRICKY_TEXT
from tests.services.test_coverage import build_study

TABLE = """\
Annotations by source and issue (4 articles from 3 sources)
source       Export controls / high-tech trade  Taiwan  Taiwan arms sales
Alpha Daily                                  2       4                  3
Beta Post                                    0       1                  0
Test Wire                                    0       0                  0
"""


@pytest.fixture
def study(project):
    return build_study(project)


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")


def coverage(project, *args: str) -> int:
    return main(["--project", str(project.path), "coverage", *args])


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_prints_sources_by_issues(project, study, capsys):
    assert coverage(project) == 0
    assert capsys.readouterr().out == TABLE


def test_share_in_percent_and_per_article(project, study, capsys):
    assert coverage(project, "--measure", "share") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Share of the source's text by source and issue")
    assert out[2].split() == ["Alpha", "Daily", "23.3%", "30.0%", "16.7%"]
    assert out[3].split() == ["Beta", "Post", "0.0%", "40.0%", "0.0%"]
    assert coverage(project, "--measure", "per-article") == 0
    assert capsys.readouterr().out.splitlines()[2].split()[2:] == ["1.00", "2.00", "1.50"]


def test_too_wide_a_table_is_printed_long(project, study, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "50")
    assert coverage(project, "--measure", "characters") == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "Alpha Daily:",
        "  Export controls / high-tech trade: 70",
        "  Taiwan: 90",
        "  Taiwan arms sales: 50",
        "Beta Post:",
        "  Taiwan: 20",
        "Test Wire:",
        "  (none)",
    ]


def test_filters_and_roll_up(project, study, capsys):
    args = ["--kind", "claim", "--annotator", "ALICE", "--to", "2024-12", "--roll-up"]
    assert coverage(project, *args) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Annotations by source and issue (2 articles from 1 source)"
    assert out[1].split()[-1] == "Taiwan"  # top-level issues only
    assert out[2].split() == ["Alpha", "Daily", "1", "2"]  # K1 on E; K1, K4 on T
    assert coverage(project, "--status", "in-progress", "--kind", "issue") == 0
    assert capsys.readouterr().out.splitlines()[1:] == ["source     Taiwan", "Beta Post       1"]
    assert coverage(project, "--from", "2030") == 0
    assert capsys.readouterr().out == "No articles match the filters.\n"
    assert coverage(project, "--annotator", "nobody") == 0
    assert capsys.readouterr().out.splitlines()[1] == "No issue annotations counted."


def test_an_unknown_coder_is_warned_of_listing_the_coders(project, study, capsys):
    assert coverage(project, "--annotator", "nobody", "--annotator", "Bob") == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0].startswith("Annotations by source and issue")
    assert captured.err == (
        "annotator: warning: No annotations by 'nobody' (coders: alice, bob); "
        "that filter matches nothing.\n"
    )
    assert coverage(project, "--annotator", "ALICE") == 0
    assert capsys.readouterr().err == ""


def test_speakers(project, study, capsys):
    assert coverage(project, "--speakers") == 0
    assert capsys.readouterr().out.splitlines() == [
        "Claims by source and speaker (4 articles from 3 sources)",
        "source       Joe Biden  Xi Jinping",
        "Alpha Daily          1           2",
        "Beta Post            0           1",
        "Test Wire            0           0",
    ]
    assert coverage(project, "--speakers", "--issue", "taiwan arms sales") == 0
    assert capsys.readouterr().out.splitlines()[2].split() == ["Alpha", "Daily", "1", "1"]


def test_csv(project, study, tmp_path, capsys):
    out = tmp_path / "coverage.csv"
    assert coverage(project, "--roll-up", "--csv", str(out)) == 0
    assert capsys.readouterr().out.endswith(f"Wrote 6 rows to {out}\n")
    rows = rows_of(out)
    assert list(rows[0]) == [
        "source", "issue", "annotations", "characters", "articles", "share_of_text",
    ]  # fmt: skip
    assert [(r["source"], r["issue"], r["annotations"], r["characters"]) for r in rows] == [
        ("Alpha Daily", "Export controls / high-tech trade", "2", "70"),
        ("Alpha Daily", "Taiwan", "6", "120"),
        ("Beta Post", "Export controls / high-tech trade", "0", "0"),
        ("Beta Post", "Taiwan", "1", "20"),
        ("Test Wire", "Export controls / high-tech trade", "0", "0"),
        ("Test Wire", "Taiwan", "0", "0"),
    ]
    assert float(rows[1]["share_of_text"]) == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "May 2024"], "not an ISO date"),
        (["--from", "2024-06", "--to", "2024-05"], "after"),
        (["--issue", "Taiwan"], "--issue goes with --speakers"),
        (["--speakers", "--issue", "Atlantis"], "No issue named 'Atlantis'"),
        (["--csv", "{project}"], "the project file itself"),
        (["--csv", "{tmp}/missing/c.csv"], "does not exist"),
    ],
)
def test_errors_are_one_line(project, study, tmp_path, capsys, args, message):
    args = [a.format(project=project.path, tmp=tmp_path) for a in args]
    assert coverage(project, *args) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and message in captured.err
    assert captured.err.startswith("annotator: ")


def test_bad_choices_are_refused_by_the_parser(project, capsys):
    for args in (["--status", "finished"], ["--measure", "words"], ["--kind", "speaker"]):
        with pytest.raises(SystemExit) as exit_info:
            coverage(project, *args)
        assert exit_info.value.code == 2
    assert "invalid status 'finished'" in capsys.readouterr().err


def test_a_missing_project_is_not_created(tmp_path, capsys):
    path = tmp_path / "typo.annotator"
    assert main(["--project", str(path), "coverage"]) == 2
    assert not path.exists()


def test_png_is_drawn_offscreen_and_moved_into_place(project, study, tmp_path, monkeypatch):
    """With a stand-in chart module: no display means the offscreen platform, the picture
    appears only when complete, and a failed drawing leaves nothing behind."""
    drawn: list[tuple[CoverageTable, Measure, Path, str | None]] = []

    def render(table: CoverageTable, measure: Measure, path: Path) -> None:
        drawn.append((table, measure, path, os.environ.get("QT_QPA_PLATFORM")))
        if measure is Measure.SHARE:
            path.write_bytes(b"half a pic")
            raise OSError("disk full")
        path.write_bytes(b"\x89PNG fake")

    chart = types.ModuleType("annotator.ui.analysis.coverage_chart")
    chart.render_coverage_png = render  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "annotator.ui.analysis.coverage_chart", chart)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    out = tmp_path / "out" / "chart.png"
    out.parent.mkdir()
    assert coverage(project, "--png", str(out), "--measure", "per-article") == 0
    table, measure, temporary, platform = drawn[0]
    assert platform == "offscreen" and measure is Measure.PER_ARTICLE
    assert [s.name for s in table.sources] == ["Alpha Daily", "Beta Post", "Test Wire"]
    assert temporary != out and temporary.parent == out.parent
    assert list(out.parent.iterdir()) == [out] and out.read_bytes() == b"\x89PNG fake"
    assert coverage(project, "--png", str(out), "--measure", "share") == 2
    assert list(out.parent.iterdir()) == [out] and out.read_bytes() == b"\x89PNG fake"


def test_png_with_the_real_chart(project, study, tmp_path, capsys):
    pytest.importorskip("annotator.ui.analysis.coverage_chart")
    out = tmp_path / "chart.png"
    assert coverage(project, "--png", str(out), "--measure", "share") == 0
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert capsys.readouterr().out.endswith(f"Wrote the chart to {out}\n")


def test_coverage_without_png_never_loads_qt(tmp_path):
    path, out = tmp_path / "closed.annotator", tmp_path / "c.csv"
    with open_project(path, annotator="alice") as project:  # closed: another process reads it
        project.articles.add(TRICKY_TEXT, source="Test Wire", title="Tricky")
        build_study(project)
    code = (
        "import sys; from annotator.cli import main; "
        f"code = main(['--project', {str(path)!r}, 'coverage', '--csv', {str(out)!r}]); "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph')]; "
        "sys.exit(code or (3 if bad else 0))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    assert result.returncode == 0, result.stderr
    assert len(rows_of(out)) == 9
