"""Responsiveness of the window on long work (issue 19): what a keystroke in the find box
costs on the UI thread in a 1 MB article, and the one search once typing pauses."""

import random
import time
from collections.abc import Iterator

from benchmarks import highlight
from benchmarks.report import Row

WORD = "the senator said"


def find_group(long_chars: int, count: int, runs: int) -> Iterator[Row]:
    """Types WORD into the find box key by key, the event loop run after each key (what a
    coder waits for before the next key lands); then the search after the pause."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from annotator.core.model import Article
    from annotator.ui.annotate.article_view import ArticleView

    app = QApplication.instance() or QApplication([])
    text = highlight.make_text(random.Random(highlight.SEED), long_chars)
    items = highlight.make_annotations(random.Random(highlight.SEED + count), text, count)
    view = ArticleView()
    view.resize(1000, 800)
    view.show()
    article = Article(id="bench", source_id="s", title="Long", text=text, sha256="")
    view.show_article(article, None, [a for a, _ in items], {})
    app.processEvents()
    keys: list[float] = []
    searches: list[float] = []
    for _ in range(runs):
        view.open_find()
        view.find_box.clear()
        app.processEvents()
        for char in WORD:
            started = time.perf_counter()
            QTest.keyClick(view.find_box, char)
            app.processEvents()
            keys.append(time.perf_counter() - started)
        finder = getattr(view, "finder", None)  # absent before the find bar
        if finder is not None:
            started = time.perf_counter()
            finder.search()
            app.processEvents()
            searches.append(time.perf_counter() - started)
        view.close_find()
    size = f"{long_chars // 1000:,} KB, {count:,} ann."
    yield Row("find: one keystroke in the find box (UI thread)", size, keys, "≤ 16 ms",
              note=f"{len(WORD)} keys × {runs}")  # fmt: skip
    if searches:
        yield Row("find: the search once typing pauses", size, searches, "≤ 50 ms")
    view.close()
