"""The benchmark suite stays runnable: ``--quick`` exits 0 and prints every case's row.

Timings are never asserted: they depend on the machine. The synthetic data must also be a sound
project, since the bulk path it is written through checks nothing itself.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from annotator.services.reports import check_project
from annotator.store import Store
from benchmarks.fast_project import write_project_file
from benchmarks.synthetic import ISSUES, SOURCES, build_project_file, build_store
from tests.conftest import table_rows

ROOT = Path(__file__).resolve().parents[1]
CASES = (
    "open a typical article and paint it",
    "open a long article and paint it",
    "add one annotation until repainted",
    "one scroll frame (a page) until repainted",
    "suggestions on a worker: a key pressed as the article opens",
    "suggestions on a worker: a key while they are detected",
    "chart: build",
    "chart: update (other measure)",
    "chart: PNG export",
    "import text articles (5 KB each)",
    "import annotations in bulk (brat)",
    "import annotations in bulk (brat), dense: 9 KB, 200 ann. each",
    "launch to main window shown (source tree)",
    "coverage table",
    "coverage table right after an edit",
    "read command: `annotator coverage`",
    "read command: `annotator stats --json`",
    "export baseline:",
    "export annotations to CSV (neutralised)",
    "peak memory, project open in the window",
)


def test_synthetic_project_is_sound() -> None:
    with Store.in_memory() as store:
        build_store(store, 60, 40)
        assert check_project(store) == []
        counts = store.reports.counts()
        assert counts.articles == 60 and counts.sources == SOURCES
        assert sum(counts.annotations.values()) == 60 * 40
        assert all(counts.annotations[kind] > 0 for kind in ("claim", "speaker", "issue"))
        assert counts.codes["issue"] == ISSUES


def test_synthetic_data_is_deterministic() -> None:
    def dump() -> list[tuple]:
        with Store.in_memory() as store:
            build_store(store, 3, 5)
            return [(a.id, a.sha256) for a in store.articles.iter_all()]

    assert dump() == dump()


def test_the_fast_writer_writes_what_the_store_writes(tmp_path: Path) -> None:
    """``fast_project`` bypasses the per-row triggers for the load: the file must come out
    row for row as the store's bulk path writes it, summaries included, and sound."""
    build_project_file(tmp_path / "store.annotator", 12, 30)
    write_project_file(tmp_path / "fast.annotator", 12, 30)
    store_rows = table_rows(tmp_path / "store.annotator")
    fast_rows = table_rows(tmp_path / "fast.annotator")
    assert store_rows.keys() == fast_rows.keys()
    for table, rows in store_rows.items():
        if table != "_sqlite_migrations":  # when each migration ran
            assert rows == fast_rows[table], table
    assert sum(map(len, fast_rows.values())) > 12 * 30
    with Store.open(tmp_path / "fast.annotator") as store:
        assert check_project(store) == []


@pytest.mark.slow
def test_quick_run_prints_every_case(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    for case in CASES:
        assert any(row.startswith(f"| {case}") for row in rows), case
    assert not any("| error |" in row for row in rows)
