"""The "import brat" group: synthetic projects exported to brat and imported into a fresh
project through the import service, which is what ``annotator import --format brat`` runs.

Two shapes: the suite's usual one (5 KB articles, 100 annotations each, across 50 sources)
and issue 19's dense one (9 KB articles, 200 annotations each: speaker mentions, claims with
speakers and issues, issue passages of 20 issues), all imported under one source.
"""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.model import AnnotationKind
from annotator.services.interchange.brat.brat_export import export_brat
from annotator.services.interchange.importing import import_paths
from annotator.services.project import open_project
from benchmarks import highlight
from benchmarks.report import Row
from benchmarks.synthetic import ISSUES, build_project_file

if TYPE_CHECKING:
    from benchmarks.cases import Fixtures

DENSE_CHARS = 9_000
DENSE_PER_ARTICLE = 200

MAP = {"Claim": AnnotationKind.CLAIM, "Speaker": AnnotationKind.SPEAKER}
MAP |= {f"Issue_{n:02d}": AnnotationKind.ISSUE for n in range(ISSUES)}


def write_dense_set(folder: Path, articles: int, workdir: Path) -> None:
    """``articles`` dense articles as brat files in ``folder`` (the project they come from is
    written to ``workdir`` and left there)."""
    source = workdir / f"brat-dense-{articles}.annotator"
    if not source.exists():
        build_project_file(source, articles, DENSE_PER_ARTICLE, chars=DENSE_CHARS)
    with open_project(source, annotator="bench") as project:
        export_brat(project.store, folder)


def brat_group(fx: "Fixtures") -> Iterator[Callable[[], Row]]:
    s = fx.sizes
    usual = fx.workdir / "brat"
    with open_project(fx.brat_source, annotator="bench") as source:
        export_brat(source.store, usual)
    yield _step(fx, usual, "import annotations in bulk (brat)",
                f"{s.brat_articles:,} .ann files", "≥ 150,000 ann./s")  # fmt: skip
    dense = fx.workdir / "brat-dense"
    write_dense_set(dense, s.dense_brat_articles, fx.workdir)
    yield _step(fx, dense, "import annotations in bulk (brat), dense: 9 KB, 200 ann. each",
                f"{s.dense_brat_articles:,} .ann files", "≥ 20,000 ann./s")  # fmt: skip


def _step(fx: "Fixtures", folder: Path, case: str, files: str, target: str) -> Callable[[], Row]:
    found: list[int] = []

    def once() -> None:
        with fx.fresh_project() as project:
            import_paths(project, [folder], format="brat", source="Wire", brat_map=MAP)
            found.append(sum(project.store.reports.counts().annotations.values()))
        if not found[-1]:
            raise RuntimeError("no annotation imported")

    def step() -> Row:
        runs = highlight.timed(once, fx.sizes.slow_runs)
        return Row(case, f"{files}, {found[-1]:,} ann.", runs, target, per_second=found[-1],
                   note="articles' texts imported too, one source")  # fmt: skip

    return step
