"""How fast the article view paints annotations: open, add one, scroll.

    python -m benchmarks.highlight           # ~1 MB article, 10,000 and 50,000 annotations
    python -m benchmarks.highlight --quick   # ~100 KB, 1,000 and 5,000: a smoke run in seconds

The article and its annotations are generated from a fixed seed (English-like prose with curly
quotes and some emoji, spans of realistic lengths that overlap), so runs are comparable across
machines and commits. Qt runs offscreen. The script reports, it never asserts: timings depend
on the machine, and a test that fails on a slow CI box teaches nothing.

It builds the view the way the app should: the highlighter is attached to an empty document
before the text is set, and given the view, so that it formats only what the view shows
("lazy"). "Eager" rows (no view: every block formatted as the text is set) are for comparison.
"""

import argparse
import gc
import os
import random
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QPlainTextDocumentLayout, QPlainTextEdit

from annotator.core.model import Annotation, AnnotationKind
from annotator.core.palette import PALETTE
from annotator.core.spans.fragments import make_fragments
from annotator.core.spans.span_index import SpanIndex
from annotator.core.spans.span_style import SpanStyle
from annotator.ui.annotate.highlighter import SpanHighlighter

SEED = 20240501
_VOCABULARY = (
    "the a of to and in that is for on with as was by at from said government minister "
    "trade tariffs policy export controls market growth China United States officials "
    "president spokesman week year new would could will not it this they their which more "
    "than after before talks agreement sanctions security chips technology industry report "
    "economy analysts according statement plan budget election voters party leader "
    "parliament court ruling climate energy prices inflation bank interest rates workers "
    "union strike company shares investors billion million percent border migration "
    "health care hospital vaccine schools teachers police city council mayor"
)
WORDS = _VOCABULARY.split()
EMOJI = ("😠", "🇺🇸", "🇨🇳", "👍", "🔥", "📈")
SPEAKERS = 80
ISSUES = 30


# -- data ------------------------------------------------------------------------------------


def make_text(rng: random.Random, target_chars: int) -> str:
    """Paragraphs of 2-8 sentences; some sentences quoted with curly quotes; an emoji in about
    one word in 400, so UTF-16 and code-point offsets disagree from early on."""
    paragraphs: list[str] = []
    size = 0
    while size < target_chars:
        sentences = []
        for _ in range(rng.randint(2, 8)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(6, 30))]
            for i in range(len(words)):
                if rng.random() < 0.0025:
                    words[i] = rng.choice(EMOJI)
                elif rng.random() < 0.01:
                    words[i] += "’s"
            sentence = " ".join(words).capitalize() + "."
            if rng.random() < 0.25:
                sentence = f"“{sentence}” {rng.choice(WORDS)} said."
            sentences.append(sentence)
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph) + 1
    return "\n".join(paragraphs)


def make_annotations(
    rng: random.Random, text: str, count: int, *, within: int | None = None
) -> list[tuple[Annotation, SpanStyle]]:
    """Speaker mentions (2-25 characters), claims (40-400, one in five in two fragments) and
    issue passages (100-2,000, crossing paragraphs at times), starting anywhere (or in the
    first ``within`` characters), so they overlap as densely as a heavily coded article."""
    speaker_colours = [PALETTE[i % len(PALETTE)] for i in range(SPEAKERS)]
    issue_colours = [PALETTE[(i * 7) % len(PALETTE)] for i in range(ISSUES)]
    items = []
    n = len(text)
    for number in range(count):
        roll = rng.random()
        if roll < 0.40:
            kind, colour = AnnotationKind.SPEAKER, rng.choice(speaker_colours)
            length = rng.randint(2, 25)
        elif roll < 0.75:
            kind, colour = AnnotationKind.CLAIM, rng.choice(speaker_colours)
            length = rng.randint(40, 400)
        else:
            kind, colour = AnnotationKind.ISSUE, rng.choice(issue_colours)
            length = rng.randint(100, 2000)
        start = rng.randrange(0, min(n - length - 60, within or n))
        spans = [(start, start + length)]
        if kind is AnnotationKind.CLAIM and rng.random() < 0.2:
            cut = start + rng.randint(10, length - 10)
            spans = [(start, cut), (cut + rng.randint(8, 30), start + length + 40)]
        annotation = Annotation(
            id=f"{number:08x}-bench",
            article_id="bench",
            kind=kind,
            fragments=make_fragments(text, spans),
            annotator="bench",
            created_at="",
            updated_at="",
        )
        items.append((annotation, SpanStyle(kind, colour)))
    return items


# -- measuring -------------------------------------------------------------------------------


@dataclass
class Row:
    case: str
    size: str
    runs: list[float]  # seconds
    target: str

    def cells(self) -> list[str]:
        ms = [r * 1000 for r in self.runs]
        return [
            self.case,
            self.size,
            f"{statistics.median(ms):.1f} ms",
            f"{min(ms):.1f}–{max(ms):.1f}",
            f"n={len(ms)}",
            self.target,
        ]


def timed(
    action: Callable[[], object], runs: int, setup: Callable[[], object] | None = None
) -> list[float]:
    """Durations of ``runs`` calls of ``action``, each after an untimed ``setup``. Garbage is
    collected before each run, so one run does not pay for another's; the collector stays on
    while timing, as it is in the app."""
    durations = []
    for _ in range(runs):
        if setup is not None:
            setup()
        gc.collect()
        start = time.perf_counter()
        action()
        durations.append(time.perf_counter() - start)
    return durations


class Bench:
    """One shown QPlainTextEdit of 1000×800 that each case loads an article into.

    Every timed step ends with ``settle``: a synchronous repaint of the viewport, then the
    event loop until idle, so follow-up paints (a block formatted while painting asks for its
    rectangle again) are counted too.
    """

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.edit = QPlainTextEdit()
        self.edit.setReadOnly(True)
        self.edit.resize(1000, 800)
        self.edit.show()
        app.processEvents()
        self.index = SpanIndex("")
        self.highlighter: SpanHighlighter | None = None
        self.lazy = True
        self.pending: tuple[Annotation, SpanStyle] | None = None

    def settle(self) -> None:
        self.edit.viewport().repaint()
        self.app.processEvents()

    def open(self, text: str, items: list[tuple[Annotation, SpanStyle]]) -> None:
        """What opening an article costs: index, document, highlighting, first screen."""
        self.index = SpanIndex(text)
        self.index.set_annotations(items)
        document = QTextDocument(self.edit)
        document.setDocumentLayout(QPlainTextDocumentLayout(document))
        document.setUndoRedoEnabled(False)
        if self.highlighter is not None:
            self.highlighter.setDocument(None)
            self.highlighter.deleteLater()
        view = self.edit if self.lazy else None
        self.highlighter = SpanHighlighter(document, self.index, view=view)
        document.setPlainText(text)
        previous = self.edit.document()
        ours = previous.parent() is self.edit  # else the editor deletes it in setDocument
        self.edit.setDocument(document)
        self.app.processEvents()
        self.settle()
        if ours:
            previous.deleteLater()

    def open_then_rehighlight(self, text: str, items: list[tuple[Annotation, SpanStyle]]) -> None:
        """The slow way, for comparison: the text is laid out first, then highlighted."""
        self.open(text, [])
        self.index.set_annotations(items)
        assert self.highlighter is not None
        self.highlighter.rehighlight()
        self.settle()

    def top(self) -> None:
        self.edit.verticalScrollBar().setValue(0)
        self.settle()

    def add_pending(self) -> None:
        """Index ``pending``, repaint the blocks it touched, and paint the screen."""
        assert self.highlighter is not None and self.pending is not None
        self.highlighter.rehighlight_blocks(self.index.add(*self.pending))
        self.settle()

    def remove(self, annotation_id: str) -> None:
        assert self.highlighter is not None
        self.highlighter.rehighlight_blocks(self.index.remove(annotation_id))
        self.settle()

    def scroll_page(self) -> None:
        bar = self.edit.verticalScrollBar()
        bar.setValue(bar.value() + bar.pageStep())
        self.settle()


def cases(quick: bool) -> Iterator[tuple[str, int, int]]:
    """(label, text size in characters, annotation count)."""
    if quick:
        yield "100 KB", 100_000, 1_000
        yield "100 KB", 100_000, 5_000
    else:
        yield "1 MB", 1_000_000, 10_000
        yield "1 MB", 1_000_000, 50_000


def measure(bench: Bench, text: str, label: str, count: int, quick: bool) -> list[Row]:
    """Every case for one article size and annotation count, lazy (as the app should use the
    highlighter) and eager (every block formatted at once) for comparison."""
    items = make_annotations(random.Random(SEED + count), text, count)
    size = f"{label}, {count:,} ann."
    first = count == (1_000 if quick else 10_000)
    runs_open, runs_edit = (3, 20) if quick else (5, 30)
    rows = [
        Row(
            "index only (SpanIndex + set_annotations)",
            size,
            timed(lambda: SpanIndex(text).set_annotations(items), runs_open),
            "",
        )
    ]
    for lazy in (True, False):
        bench.lazy = lazy
        mode = "lazy" if lazy else "eager"
        rows.append(
            Row(
                f"(a) open, {mode}: index + text + highlight + first paint",
                size,
                timed(lambda: bench.open(text, items), runs_open),
                ("≤ 100 ms" if first else "(≤ 100 ms at 10k)") if lazy else "comparison",
            )
        )
        rows.append(
            Row(
                f"(b) add one on screen until repainted, {mode}",
                size,
                add_one(bench, text, runs_edit),
                "≤ 16 ms",
            )
        )
        bench.top()
        rows.append(
            Row(
                f"(c) scroll one page until repainted, {mode}",
                size,
                timed(bench.scroll_page, runs_edit),
                "≤ 16 ms",
            )
        )
    if first:
        bench.lazy = False  # lazy would only mark the blocks, so this shows the eager cost
        rows.append(
            Row(
                "for comparison: set text, then rehighlight(), eager",
                size,
                timed(lambda: bench.open_then_rehighlight(text, items), 1),
                "avoid",
            )
        )
    bench.lazy = True
    return rows


def add_one(bench: Bench, text: str, runs: int) -> list[float]:
    """Add a fresh annotation on the first screen, each run; the previous one is removed
    untimed, so every run adds to the same index."""
    extras = iter(make_annotations(random.Random(SEED - 1), text, runs, within=3000))
    shown: list[str] = []

    def next_extra() -> None:
        if shown:
            bench.remove(shown.pop())
        annotation, style = next(extras)
        shown.append(annotation.id)
        bench.pending = (annotation, style)

    bench.top()
    durations = timed(bench.add_pending, runs, setup=next_extra)
    if shown:
        bench.remove(shown.pop())
    return durations


def run(quick: bool) -> list[Row]:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    bench = Bench(app)
    label, chars, _ = next(cases(quick))
    text = make_text(random.Random(SEED), chars)
    paragraphs = text.count("\n") + 1
    rows = [
        Row(
            "open, no annotations",
            f"{label}, {paragraphs:,} paragraphs",
            timed(lambda: bench.open(text, []), 3 if quick else 5),
            "baseline",
        )
    ]
    for label, _, count in cases(quick):
        rows.extend(measure(bench, text, label, count, quick))
    bench.edit.close()
    return rows


def print_table(rows: list[Row]) -> None:
    header = ["case", "size", "median", "min–max (ms)", "runs", "target"]
    table = [header, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for number, line in enumerate(table):
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
        if number == 0:
            print("  ".join("-" * width for width in widths))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, runs in seconds")
    args = parser.parse_args()
    print_table(run(args.quick))


if __name__ == "__main__":
    main()
