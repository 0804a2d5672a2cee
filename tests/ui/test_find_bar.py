"""Find in a long article: debounced, incremental, and keys typed stay in the find box."""

import time

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import Article
from annotator.core.text import canonicalize_text
from annotator.ui.annotate.article_view import ArticleView
from annotator.ui.annotate.find_bar import MAX_HITS
from tests.conftest import TRICKY_TEXT

PART = canonicalize_text(TRICKY_TEXT) + "\n"


def _article(text: str) -> Article:
    return Article(id="a1", source_id="s1", title="Long", text=text, sha256="")


@pytest.fixture
def long_view(qtbot) -> ArticleView:
    """A view over about 1 MB: the tricky text (emoji, curly quotes) repeated."""
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)
    view.show_article(_article(PART * 8_000), None, [], {})
    return view


def test_a_keystroke_only_restarts_the_timer(qtbot, long_view):
    long_view.open_find()
    searched = []
    long_view.finder.timer.timeout.connect(lambda: searched.append(1))
    costs = []
    for char in "biden":
        started = time.perf_counter()
        qtbot.keyClick(long_view.find_box, char)
        costs.append(time.perf_counter() - started)
    assert max(costs) < 0.05  # ≤ 16 ms on a quiet machine; lenient for shared CI
    assert not searched and long_view.find_status.text() == "…"
    qtbot.waitUntil(lambda: long_view.find_status.text() == "1 of 8,000")
    assert len(searched) == 1  # one search for the whole word


def test_hits_are_exact_in_utf16_and_extending_the_needle_filters(qtbot, long_view):
    long_view.open_find()
    long_view.find_box.insert("“w")  # QTest types ASCII only; the curly quote is pasted
    qtbot.waitUntil(lambda: long_view.find_status.text().endswith("of 8,000"))
    qtbot.keyClicks(long_view.find_box, "e will")
    qtbot.waitUntil(lambda: long_view.find_status.text() == "1 of 8,000")
    selected = long_view.text.textCursor().selectedText()
    assert selected == "“We will"
    start = long_view.offsets.to_code_point(long_view.text.textCursor().selectionStart())
    assert PART[start : start + 8] == "“We will"


def test_the_search_starts_from_the_cursor(qtbot, long_view):
    middle = len(PART) * 4_000
    long_view.set_selection(middle, middle)
    long_view.open_find()
    qtbot.keyClicks(long_view.find_box, "done")
    qtbot.waitUntil(lambda: long_view.find_status.text() == "4,001 of 8,000")


def test_enter_before_the_pause_searches_at_once(qtbot, long_view):
    long_view.open_find()
    qtbot.keyClicks(long_view.find_box, "xi said")
    qtbot.keyClick(long_view.find_box, Qt.Key.Key_Return)
    assert long_view.find_status.text() == "1 of 8,000"
    qtbot.keyClick(long_view.find_box, Qt.Key.Key_Return)
    assert long_view.find_status.text() == "2 of 8,000"
    qtbot.keyClick(long_view.find_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert long_view.find_status.text() == "1 of 8,000"


def test_many_hits_are_capped_and_only_those_near_are_painted(qtbot, long_view):
    long_view.open_find()
    qtbot.keyClicks(long_view.find_box, "e")
    qtbot.waitUntil(lambda: long_view.find_status.text() == f"1 of {MAX_HITS:,}+")
    assert len(long_view.text.extraSelections()) <= 200 + 1


def test_no_needle_no_hits(qtbot, long_view):
    long_view.open_find()
    qtbot.keyClicks(long_view.find_box, "zzz")
    qtbot.waitUntil(lambda: long_view.find_status.text() == "0 found")
    qtbot.keyClick(long_view.find_box, Qt.Key.Key_Escape)
    assert not long_view.find_box.isVisible()
    assert long_view.text.extraSelections() == []


def test_keys_typed_in_the_find_box_never_reach_the_tagging_flow(qtbot, window, gui_project):
    """Single-key shortcuts (C claim, S speaker, A accept…) do not fire while finding."""
    window.view.open_find()
    qtbot.keyClicks(window.view.find_box, "xi")
    qtbot.waitUntil(lambda: window.view.find_status.text() == "1 of 1")  # "Xi" is selected
    qtbot.keyClicks(window.view.find_box, "csifnaxA Jane")
    qtbot.keyClick(window.view.find_box, Qt.Key.Key_Return)
    assert window.view.find_box.hasFocus()
    assert window.view.find_box.text() == "xicsifnaxA Jane"
    article = window.view.article
    assert article is not None
    assert gui_project.store.annotations.for_article(article.id) == []
    assert window.stack.count() == 0


def test_a_pause_pending_when_the_view_goes_searches_nothing(qtbot):
    """The bar outlives its view (it has no parent): its timer stops with the box, so a
    search never runs on a deleted widget (a window closed right after typing)."""
    view = ArticleView()
    view.show()
    qtbot.waitExposed(view)
    view.show_article(_article(PART), None, [], {})
    view.open_find()
    qtbot.keyClicks(view.find_box, "said")
    finder = view.finder
    assert finder.timer.isActive()
    view.deleteLater()
    qtbot.waitUntil(lambda: not finder.timer.isActive(), timeout=1000)
    qtbot.wait(300)  # past the pause: nothing raised in the event loop
