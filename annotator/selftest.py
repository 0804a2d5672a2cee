"""``annotator --self-test``: proves that an install or a frozen bundle works, with no person.

A bundle can build cleanly and still fail at the first click: a Qt plugin, a data file of
trafilatura or a resource left behind shows only when that code runs. So the self-test runs
the app's real paths end to end, from resources to the window, the services, the CSV export,
an HTML import and the coverage chart, and prints one line per step::

    ok   window opens offscreen (0.4 s)

It stops at the first failure, prints what failed (the traceback goes to stderr) and returns
1; 0 when every step passed. Everything happens in a temporary folder that is removed at the
end; the settings go to an INI file inside it and the data and config folders point into it,
so the user's real projects and settings are never read or written.

Like ``app.py``, this is an entry point that starts a window, so it imports Qt (only inside
the steps that need it): ``annotator.cli`` imports this module lazily, headless commands
never load Qt.
"""

import csv
import os
import re
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.model import AnnotationKind, CodeKind, Stance
from annotator.resources import data_root, resource_path, sample_articles_dir
from annotator.services.interchange.csv_export import CSV_COLUMNS, export_annotations_csv
from annotator.services.interchange.importing import import_paths
from annotator.services.project import Project, open_project
from annotator.services.reports import check_project
from annotator.services.samples import STARTER_CODEBOOK, load_sample_articles

if TYPE_CHECKING:
    from annotator.ui.shell.main_window import MainWindow

ANNOTATOR = "self-test"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ICON = ("icons", "annotator.png")
HTML_SOURCE = "Self-test Wire"
# A page as an outlet serves it: navigation and a footer around the article, in Windows-1252
# with no charset declared, so the import needs chardet as well as trafilatura.
HTML_PAGE = """<!DOCTYPE html>
<html><head><title>Les négociateurs se retrouvent à Genève</title>
<meta name="author" content="Léa Dupré">
<meta property="article:published_time" content="2024-04-03T08:00:00Z"></head>
<body>
<nav><a href="/">Accueil</a> | <a href="/monde">Monde</a> | <a href="/sport">Sport</a></nav>
<article>
<h1>Les négociateurs se retrouvent à Genève</h1>
<p>Les délégués des deux pays se sont réunis mercredi à Genève pour une troisième série de
discussions sur le contrôle des exportations de semi-conducteurs, a-t-on appris de source
diplomatique.</p>
<p>« Nous avons progressé sur les questions techniques, mais les désaccords de fond
demeurent », a déclaré la porte-parole, qui a qualifié l’échange de « franc et détaillé ».</p>
<p>Une nouvelle réunion est prévue à Pékin en mai, après la visite du secrétaire d’État.
Les entreprises européennes suivent ces négociations avec une attention particulière.</p>
</article>
<footer>© 2024 Le Quotidien — Tous droits réservés. Mentions légales.</footer>
</body></html>
"""
HTML_EXPECTED = "« Nous avons progressé sur les questions techniques"
HTML_BOILERPLATE = "Tous droits réservés"


class SelfTestError(Exception):
    """A check within a step did not hold; the message says which."""


def expect(condition: object, message: str) -> None:
    if not condition:
        raise SelfTestError(message)


class SelfTest:
    """The steps, in order; each one builds on the ones before it."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.project_path = workdir / "self-test.annotator"
        self.project: Project | None = None
        self.window: MainWindow | None = None
        self.article_id = ""
        self.annotation_ids: set[str] = set()
        self.steps: list[tuple[str, Callable[[], str]]] = [
            ("resources found", self.find_resources),
            ("project created with the sample articles", self.create_project),
            ("window opens offscreen", self.open_window),
            ("annotations of each kind written and read back", self.annotate),
            ("CSV export read back", self.export_csv),
            ("HTML page imported (trafilatura, chardet)", self.import_html),
            ("coverage chart rendered to PNG", self.render_chart),
            ("database check passes after reopening", self.check_database),
        ]

    @property
    def opened(self) -> Project:
        expect(self.project is not None, "no project is open (an earlier step failed)")
        assert self.project is not None
        return self.project

    # -- the steps: each returns a short detail for its line ------------------------------

    def find_resources(self) -> str:
        root = data_root()
        expect(resource_path(STARTER_CODEBOOK).is_file(), f"no {STARTER_CODEBOOK} in {root}")
        icon = resource_path(*ICON)
        expect(icon.is_file(), f"no app icon at {icon}")
        expect(icon.read_bytes().startswith(PNG_SIGNATURE), f"{icon} is not a PNG file")
        samples = sorted(sample_articles_dir().glob("*.txt"))
        expect(samples, f"no sample articles in {sample_articles_dir()}")
        return f"in {root}"

    def create_project(self) -> str:
        self.project = open_project(self.project_path, annotator=ANNOTATOR)
        store = self.project.store
        added = load_sample_articles(store)
        expected = len(list(sample_articles_dir().glob("*.txt")))
        expect(added == expected, f"{added} of {expected} sample articles were added")
        expect(store.codes.all(CodeKind.SPEAKER), "the starter codebook has no speakers")
        expect(store.codes.all(CodeKind.ISSUE), "the starter codebook has no issues")
        self.article_id = store.articles.summaries()[0].id
        return f"{added} articles, {len(store.codes.all())} codes"

    def open_window(self) -> str:
        from PySide6.QtCore import QSettings

        from annotator.app import create_application
        from annotator.ui.shell.main_window import MainWindow
        from annotator.ui.shell.settings import AppSettings

        app = create_application()
        ini = QSettings(str(self.workdir / "settings.ini"), QSettings.Format.IniFormat)
        self.window = MainWindow(self.opened, AppSettings(ini))
        self.window.show()
        app.processEvents()
        expect(self.window.isVisible(), "the window is not visible after show()")
        listed = len(self.window.articles.article_ids())
        count = self.opened.store.articles.count()
        expect(listed == count, f"the window lists {listed} of {count} articles")
        picture = self.window.grab()
        expect(not picture.isNull() and picture.width() > 100, "the window paints nothing")
        age = process_age()
        since_start = f", {age:.1f} s after the process started" if age is not None else ""
        return f"{app.platformName()}, {picture.width()}x{picture.height()}{since_start}"

    def annotate(self) -> str:
        project = self.opened
        store = project.store
        text = store.articles.get(self.article_id).text
        speaker = store.codes.all(CodeKind.SPEAKER)[0]
        issue = store.codes.all(CodeKind.ISSUE)[0]
        word, sentence, paragraph = _spans(text)
        mention = project.annotations.create_speaker_mention(self.article_id, [word], speaker.id)
        passage = project.annotations.create_issue_passage(self.article_id, [paragraph], issue.id)
        assert mention.annotation is not None
        claim = project.annotations.create_claim(
            self.article_id,
            [sentence],
            speaker_mention_id=mention.annotation.id,
            issue_ids=[issue.id],
            stance=Stance.OPPOSES,
            note="written by the self-test",
        )
        stored = {a.kind: a for a in store.annotations.for_article(self.article_id)}
        expect(set(stored) == set(AnnotationKind), f"read back {sorted(stored)}")
        for annotation in stored.values():
            for fragment in annotation.fragments:
                quoted = text[fragment.start : fragment.end]
                expect(fragment.quote == quoted, f"{annotation.kind} quotes {fragment.quote!r}")
        read = stored[AnnotationKind.CLAIM]
        expect(read.speaker_id == speaker.id, "the claim did not take its mention's speaker")
        expect(read.issue_ids == (issue.id,), f"the claim has issues {read.issue_ids}")
        expect(read.stance is Stance.OPPOSES and read.note, "the claim lost its stance or note")
        expect(stored[AnnotationKind.ISSUE].code_id == issue.id, "the passage lost its issue")
        expect(stored[AnnotationKind.SPEAKER].code_id == speaker.id, "the mention lost its code")
        made = (mention, passage, claim)
        self.annotation_ids = {c.annotation.id for c in made if c.annotation is not None}
        return f"{len(stored)} kinds"

    def export_csv(self) -> str:
        path = self.workdir / "annotations.csv"
        written = export_annotations_csv(self.opened.store, path)
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            header = tuple(reader.fieldnames or ())
        expect(header == CSV_COLUMNS, f"the header is {header}")
        expect(written == len(rows), f"{written} rows written, {len(rows)} read")
        ids = {row["annotation_id"] for row in rows}
        expect(ids == self.annotation_ids, "the rows are not the annotations just written")
        kinds = {row["kind"] for row in rows}
        expect(kinds == {k.value for k in AnnotationKind}, f"the rows have kinds {kinds}")
        return f"{len(rows)} rows"

    def import_html(self) -> str:
        page = self.workdir / "page.html"
        page.write_bytes(HTML_PAGE.encode("cp1252"))
        report = import_paths(self.opened, [page], source=HTML_SOURCE)
        expect(report.imported == 1, " ".join(report.summary_lines()))
        article_id = report.outcomes[0].article_id
        expect(article_id is not None, "the import named no article")
        assert article_id is not None
        article = self.opened.store.articles.get(article_id)
        expect(HTML_EXPECTED in article.text, f"the article text is {article.text[:120]!r}")
        expect(HTML_BOILERPLATE not in article.text, "the page's footer was imported")
        expect(article.title and "Genève" in article.title, f"the title is {article.title!r}")
        return f"{len(article.text)} characters"

    def render_chart(self) -> str:
        from annotator.services.coverage import Measure, coverage_table
        from annotator.ui.analysis.coverage_chart import render_coverage_png

        path = self.workdir / "coverage.png"
        table = coverage_table(self.opened.store)
        render_coverage_png(table, Measure.ANNOTATIONS, path)
        expect(path.is_file(), f"no file at {path}")
        expect(path.read_bytes().startswith(PNG_SIGNATURE), "the chart is not a PNG file")
        return f"{path.stat().st_size:,} bytes"

    def check_database(self) -> str:
        self.close()
        with open_project(self.project_path, annotator=ANNOTATOR, create=False) as project:
            problems = check_project(project.store)
            expect(not problems, "; ".join(problems))
            kept = {a.id for a in project.store.annotations.for_article(self.article_id)}
            expect(kept == self.annotation_ids, "the annotations did not survive reopening")
            return f"{project.store.articles.count()} articles, no problems"

    # -- running --------------------------------------------------------------------------

    def close(self) -> None:
        """Close the window and the project, so the folder can be removed (Windows)."""
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        if self.project is not None:
            self.project.close()
            self.project = None

    def run(self, out: Callable[[str], None]) -> bool:
        for name, step in self.steps:
            started = time.perf_counter()
            try:
                detail = step()
            except Exception as exc:
                seconds = time.perf_counter() - started
                out(f"FAIL {name} ({seconds:.1f} s): {type(exc).__name__}: {exc}")
                traceback.print_exc(file=sys.stderr)
                return False
            seconds = time.perf_counter() - started
            out(f"ok   {name} ({seconds:.1f} s)" + (f": {detail}" if detail else ""))
        return True


def _spans(text: str) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    """A word, a sentence and a paragraph of ``text``: spans of each size, found in whatever
    the sample articles say."""
    word = re.search(r"\w{3,}", text)
    sentence = re.search(r"[^\s.][^.\n]{20,}\.", text)
    paragraph = re.search(r"[^\n]{40,}", text)
    expect(word and sentence and paragraph, "the sample article has too little text")
    assert word and sentence and paragraph
    return word.span(), sentence.span(), paragraph.span()


def process_age() -> float | None:
    """Seconds since this process started, which for the frozen app includes the boot-loader
    and Python's start; None where /proc does not tell (macOS, Windows)."""
    try:
        stat = Path("/proc/self/stat").read_text(encoding="ascii")
        uptime = float(Path("/proc/uptime").read_text(encoding="ascii").split()[0])
        # Field 22, counted after the parenthesised command name, which may hold spaces.
        start_ticks = int(stat.rpartition(")")[2].split()[19])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


@contextmanager
def isolated_environment(workdir: Path) -> Iterator[None]:
    """Point the data and config folders into ``workdir`` and Qt at the offscreen platform
    (unless a platform was chosen), and restore the environment afterwards."""
    saved = os.environ.copy()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["XDG_DATA_HOME"] = str(workdir / "data")
    os.environ["XDG_CONFIG_HOME"] = str(workdir / "config")
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_self_test(out: Callable[[str], Any] | None = None) -> int:
    """Run every step; 0 when all passed, 1 at the first failure."""
    write = out or (lambda line: print(line, flush=True))
    started = time.perf_counter()
    # ignore_cleanup_errors: a file Qt still holds must not turn a pass into a crash.
    with tempfile.TemporaryDirectory(
        prefix="annotator-self-test-", ignore_cleanup_errors=True
    ) as folder:
        workdir = Path(folder)
        with isolated_environment(workdir):
            test = SelfTest(workdir)
            try:
                passed = test.run(write)
            finally:
                with suppress(Exception):
                    test.close()
    seconds = time.perf_counter() - started
    if passed:
        write(f"self-test passed: {len(test.steps)} steps in {seconds:.1f} s")
        return 0
    write(f"self-test FAILED after {seconds:.1f} s")
    return 1
