"""The cases of the suite, grouped by the data they share; each group yields one measuring
step per table row, after its (unmeasured) set-up."""

import compileall
import random
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import annotator
from annotator.core.model import AnnotationKind, CodeKind
from annotator.services.coverage import CoverageTable, Measure, coverage_table
from annotator.services.interchange.csv_export import export_annotations_csv
from annotator.services.interchange.importing import import_paths
from annotator.services.project import Project, open_project
from benchmarks import highlight
from benchmarks.brat_import import brat_group
from benchmarks.fast_project import write_project_file
from benchmarks.report import Row, run_child
from benchmarks.synthetic import build_project_file, write_text_files

Step = Callable[[], Row]
Group = Callable[[], Iterator[Step]]


@dataclass(frozen=True)
class Sizes:
    runs: int  # runs of a case that takes milliseconds
    slow_runs: int  # runs of a case that takes seconds
    big_articles: int
    big_per_article: int
    long_chars: int
    long_counts: tuple[int, int]
    text_files: int
    brat_articles: int
    brat_per_article: int
    dense_brat_articles: int  # issue 19's shape: 9 KB, 200 annotations each

    @classmethod
    def quick(cls) -> "Sizes":
        return cls(5, 2, 200, 50, 100_000, (1_000, 5_000), 200, 50, 40, 10)

    @classmethod
    def full(cls) -> "Sizes":
        return cls(20, 2, 10_000, 100, 1_000_000, (10_000, 50_000), 10_000, 200, 100, 250)


def timed(
    action: Callable[[], object], runs: int, setup: Callable[[], object] | None = None
) -> list[float]:
    return highlight.timed(action, runs, setup)


def _k(n: int) -> str:
    return f"{n:,}"


class Fixtures:
    """Data shared by several groups, built once when first needed."""

    def __init__(self, sizes: Sizes, workdir: Path) -> None:
        self.sizes = sizes
        self.workdir = workdir
        self._fresh = 0

    @cached_property
    def big(self) -> Path:
        """Written straight into SQLite: the same rows as ``build_project_file``, which took
        over 40 minutes for a million annotations."""
        path = self.workdir / "big.annotator"
        write_project_file(path, self.sizes.big_articles, self.sizes.big_per_article)
        return path

    @property
    def big_label(self) -> str:
        s = self.sizes
        return f"{_k(s.big_articles)} articles, {_k(s.big_articles * s.big_per_article)} ann."

    @cached_property
    def small(self) -> Path:
        path = self.workdir / "small.annotator"
        build_project_file(path, 50, 30, seed=highlight.SEED + 7)
        return path

    @cached_property
    def brat_source(self) -> Path:
        path = self.workdir / "brat-source.annotator"
        build_project_file(path, self.sizes.brat_articles, self.sizes.brat_per_article)
        return path

    def fresh_project(self) -> Project:
        self._fresh += 1
        return open_project(self.workdir / f"fresh-{self._fresh}.annotator", annotator="bench")


# -- the window -------------------------------------------------------------------------------

LAUNCH = r"""
import sys, time
t0 = float(sys.argv[1])
from pathlib import Path
import annotator.cli  # what `annotator` imports before it opens the window
from annotator.app import create_application
app = create_application()
from annotator.services.project import open_project
from annotator.ui.shell.main_window import MainWindow
project = open_project(Path(sys.argv[2]), annotator="bench")
window = MainWindow(project)
window.show()
app.processEvents()
elapsed = time.time() - t0
status = Path("/proc/self/status").read_text().splitlines()
peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(elapsed, peak / 1024)
project.close()
"""


def launch(path: Path) -> tuple[float, float]:
    """Seconds from starting a Python process to the window shown, and its peak RSS in MB."""
    started = time.time()
    elapsed, peak = run_child(LAUNCH, repr(started), str(path)).stdout.split()[-2:]
    return float(elapsed), float(peak)


def launch_group(fx: Fixtures) -> Iterator[Step]:
    # As after any first start: bytecode written. Without this, a tree whose sources changed
    # since their .pyc, where PYTHONDONTWRITEBYTECODE is set (this machine), compiles the
    # changed modules at every launch (40 ms for this session's twenty).
    compileall.compile_dir(str(Path(annotator.__file__).parent), quiet=1)
    for path, label in ((fx.small, "50 articles, 1,500 ann."), (fx.big, fx.big_label)):
        launch(path)  # untimed: the first open writes the daily backup

        def step(path: Path = path, label: str = label) -> Row:
            results = [launch(path) for _ in range(fx.sizes.slow_runs + 2)]
            row = Row(
                "launch to main window shown (source tree)",
                label,
                [r[0] for r in results],
                "≤ 0.4 s",
                note="new process, `python -c`, through annotator.cli, bytecode compiled",
            )
            row.memory_mb = max(r[1] for r in results)
            return row

        yield step


def memory_group(fx: Fixtures) -> Iterator[Step]:
    path = fx.big
    yield lambda: Row(
        "peak memory, project open in the window",
        fx.big_label,
        [launch(path)[1] for _ in range(fx.sizes.slow_runs)],
        "≤ 400 MB",
        unit="MB",
        note="VmHWM of the whole process",
    )


# -- the article view (benchmarks/highlight.py) -----------------------------------------------


def article_view_group(fx: Fixtures) -> Iterator[Step]:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    bench = highlight.Bench(app)
    s = fx.sizes
    typical = highlight.make_text(random.Random(highlight.SEED), 5_000)
    few = highlight.make_annotations(random.Random(highlight.SEED + 30), typical, 30)
    yield lambda: Row("open a typical article and paint it", "5 KB, 30 ann.",
                      timed(lambda: bench.open(typical, few), s.runs), "≤ 10 ms")  # fmt: skip
    text = highlight.make_text(random.Random(highlight.SEED), s.long_chars)
    size = f"{s.long_chars // 1000:,} KB"
    for count, target in zip(s.long_counts, ("≤ 80 ms", "≤ 150 ms"), strict=True):
        items = highlight.make_annotations(random.Random(highlight.SEED + count), text, count)
        yield lambda items=items, count=count, target=target: Row(
            "open a long article and paint it", f"{size}, {_k(count)} ann.",
            timed(lambda: bench.open(text, items), max(s.runs // 4, 3)), target)  # fmt: skip
    label = f"{size}, {_k(s.long_counts[1])} ann."
    yield lambda: Row("add one annotation until repainted", label,
                      highlight.add_one(bench, text, s.runs), "≤ 10 ms")  # fmt: skip

    def scroll() -> Row:
        bench.top()
        return Row("one scroll frame (a page) until repainted", label,
                   timed(bench.scroll_page, s.runs), "≤ 16 ms")  # fmt: skip

    yield scroll
    bench.edit.close()


def window_edit_group(fx: Fixtures) -> Iterator[Step]:
    """The whole path of one edit in the real window, on the long article with the larger
    count: the service's write (the coverage summary recomputed for the article within it),
    the undo stack, the window patching its lists, the repaint. The view-only row above is the
    highlighter's share of it."""
    import dataclasses

    from PySide6.QtWidgets import QApplication

    from annotator.core.ids import new_id
    from annotator.ui import commands
    from annotator.ui.shell.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    s = fx.sizes
    project = fx.fresh_project()
    text = highlight.make_text(random.Random(highlight.SEED), s.long_chars)
    article = project.articles.add(text, source="Wire", title="Long").article
    issues = project.store.codes.all(CodeKind.ISSUE)
    speakers = project.store.codes.all(CodeKind.SPEAKER)
    count = s.long_counts[1]
    made = []
    for annotation, _style in highlight.make_annotations(random.Random(5), text, count):
        claim = annotation.kind is AnnotationKind.CLAIM
        issue = annotation.kind is AnnotationKind.ISSUE
        label = None if claim else (issues[0] if issue else speakers[0]).id
        made.append(dataclasses.replace(
            annotation, id=new_id(), article_id=article.id, code_id=label,
            speaker_id=speakers[1].id if claim else None,
            issue_ids=(issues[1].id,) if claim else (), annotator="bench",
        ))  # fmt: skip
    with project.store.atomic():
        project.store.bulk.add_annotations(made)
    window = MainWindow(project)
    window.show()
    window.open_article(article.id)
    app.processEvents()
    starts = iter(range(1_000, s.long_chars, 97))

    def add() -> None:
        start = next(starts)
        commands.run(window.stack, project, window.hub,
                     lambda: project.annotations.create_issue_passage(
                         article.id, [(start, start + 20)], issues[2].id))  # fmt: skip
        app.processEvents()

    yield lambda: Row("add one annotation in the window (write, lists, repaint)",
                      f"{s.long_chars // 1000:,} KB, {_k(count)} ann.", timed(add, s.runs),
                      "≤ 10 ms", note="the whole edit; the view's share is above")  # fmt: skip
    window.close()
    project.close()


# -- the store: coverage, export, imports ------------------------------------------------------


def coverage_group(fx: Fixtures) -> Iterator[Step]:
    project = open_project(fx.big, annotator="bench")
    store = project.store
    first = store.articles.summaries()[0].id
    issue = store.codes.all(CodeKind.ISSUE)[0]
    yield lambda: Row(
        "coverage table",
        fx.big_label,
        timed(lambda: coverage_table(store), fx.sizes.slow_runs),
        "≤ 20 ms",
    )

    def edit() -> None:
        project.annotations.create_issue_passage(first, [(0, 20)], issue.id)

    yield lambda: Row("coverage table right after an edit", fx.big_label,
                      timed(lambda: coverage_table(store), fx.sizes.slow_runs, setup=edit),
                      "≤ 20 ms", note="edit: one issue passage added, untimed")  # fmt: skip
    project.close()


EXPORT_SQL = """SELECT n.id, n.article_id, a.title, s.name, coalesce(a.published, ''), n.kind,
    coalesce(c.name, ''), coalesce(sp.name, ''),
    coalesce((SELECT group_concat(ci.name, ';') FROM claim_issues x
              JOIN codes ci ON ci.id = x.code_id WHERE x.annotation_id = n.id), ''),
    coalesce(n.stance, ''),
    (SELECT group_concat(f.start || '-' || f."end", ';') FROM fragments f
     WHERE f.annotation_id = n.id),
    (SELECT group_concat(f.quote, ' … ') FROM fragments f WHERE f.annotation_id = n.id),
    n.note, n.annotator, n.created_at, n.updated_at
FROM annotations n JOIN articles a ON a.id = n.article_id JOIN sources s ON s.id = a.source_id
LEFT JOIN codes c ON c.id = n.code_id LEFT JOIN codes sp ON sp.id = n.speaker_id"""


def sqlite_dump(database: Path, target: Path) -> None:
    """The baseline: the same rows as CSV, by the sqlite3 command-line shell if installed,
    else by Python's sqlite3 module and csv.writer."""
    executable = shutil.which("sqlite3")
    if executable:
        with target.open("w", encoding="utf-8") as handle:
            subprocess.run([executable, "-csv", "-header", str(database), EXPORT_SQL],
                           stdout=handle, check=True)  # fmt: skip
        return
    import csv
    import sqlite3

    with sqlite3.connect(database) as conn, target.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(conn.execute(EXPORT_SQL))


def export_group(fx: Fixtures) -> Iterator[Step]:
    path = fx.big
    out = fx.workdir / "export.csv"
    project = open_project(path, annotator="bench")
    total = fx.sizes.big_articles * fx.sizes.big_per_article
    baseline_name = "sqlite3 -csv" if shutil.which("sqlite3") else "python sqlite3 + csv"
    baseline: list[float] = []

    def base() -> Row:
        baseline.extend(timed(lambda: sqlite_dump(path, out), fx.sizes.slow_runs))
        return Row(f"export baseline: {baseline_name}, same rows", fx.big_label, baseline,
                   "reference", per_second=total)  # fmt: skip

    yield base

    def ours() -> Row:
        runs = timed(lambda: export_annotations_csv(project.store, out), fx.sizes.slow_runs)
        ratio = min(runs) / min(baseline) if baseline else 0
        return Row("export annotations to CSV (neutralised)", fx.big_label, runs,
                   f"≤ 2× {baseline_name}", per_second=total,
                   note=f"{ratio:.1f}× the baseline (best runs)")  # fmt: skip

    yield ours
    project.close()


def import_text_group(fx: Fixtures) -> Iterator[Step]:
    folder = fx.workdir / "texts"
    count = fx.sizes.text_files
    write_text_files(folder, count)

    def once() -> None:
        with fx.fresh_project() as project:
            report = import_paths(project, [folder], source="Wire")
        if report.imported != count:
            raise RuntimeError(f"imported {report.imported} of {count} articles")

    yield lambda: Row("import text articles (5 KB each)", f"{_k(count)} files",
                      timed(once, fx.sizes.slow_runs), "≥ 1,000 articles/s",
                      per_second=count)  # fmt: skip


# -- the chart ----------------------------------------------------------------------------------


def chart_group(fx: Fixtures) -> Iterator[Step]:
    from PySide6.QtWidgets import QApplication

    from annotator.ui.analysis.coverage_chart import ROW_PIXELS, CoverageChart, render_coverage_png

    QApplication.instance() or QApplication([])
    with open_project(fx.brat_source, annotator="bench") as project:
        table: CoverageTable = coverage_table(project.store)
    size = f"{len(table.sources)} sources × {len(table.issues)} issues"
    charts: list[CoverageChart] = []

    def build() -> None:
        chart = CoverageChart()
        chart.resize(1100, 120 + ROW_PIXELS * len(table.sources))
        chart.show_table(table, Measure.ANNOTATIONS)
        chart.show()
        QApplication.processEvents()
        charts.append(chart)

    def drop() -> None:
        while charts:
            charts.pop().close()

    runs = fx.sizes.runs // 2 + 1
    yield lambda: Row("chart: build", size, timed(build, runs, setup=drop), "≤ 70 ms")
    measures = iter([Measure.CHARACTERS, Measure.ANNOTATIONS] * runs)

    def update() -> None:
        charts[-1].show_table(table, next(measures))
        QApplication.processEvents()

    yield lambda: Row("chart: update (other measure)", size, timed(update, runs), "≤ 15 ms")
    drop()
    png = fx.workdir / "chart.png"
    yield lambda: Row("chart: PNG export", size,
                      timed(lambda: render_coverage_png(table, Measure.ANNOTATIONS, png), runs),
                      "≤ 250 ms")  # fmt: skip


def read_commands_group(fx: Fixtures) -> Iterator[Step]:
    from benchmarks.read_commands import read_commands_group as rows

    yield from (lambda row=row: row for row in rows(fx.big, fx.big_label, fx.workdir))


def find_group(fx: Fixtures) -> Iterator[Step]:
    from benchmarks.responsive import find_group as rows

    s = fx.sizes
    yield from (lambda row=row: row for row in rows(s.long_chars, s.long_counts[1], 3))


def suggest_group(fx: Fixtures) -> Iterator[Step]:
    from benchmarks.responsive import suggest_group as rows

    project = fx.fresh_project()
    try:
        yield from (
            lambda row=row: row for row in rows(project, 100_000, max(1, fx.sizes.runs // 4))
        )
    finally:
        project.close()


GROUPS = ("article view", "find", "suggestions", "window edit", "chart", "import text",
          "import brat", "launch", "coverage", "read commands", "export", "memory")  # fmt: skip


def all_cases(sizes: Sizes, workdir: Path) -> Iterator[tuple[str, Group]]:
    """(name, group) in the order of the issue's table, the big project's cases last."""
    fx = Fixtures(sizes, workdir)
    yield "article view", lambda: article_view_group(fx)
    yield "find", lambda: find_group(fx)
    yield "suggestions", lambda: suggest_group(fx)
    yield "window edit", lambda: window_edit_group(fx)
    yield "chart", lambda: chart_group(fx)
    yield "import text", lambda: import_text_group(fx)
    yield "import brat", lambda: brat_group(fx)
    yield "launch", lambda: launch_group(fx)
    yield "coverage", lambda: coverage_group(fx)
    yield "read commands", lambda: read_commands_group(fx)
    yield "export", lambda: export_group(fx)
    yield "memory", lambda: memory_group(fx)
