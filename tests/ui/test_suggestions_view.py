"""Suggestions in the window: dashed spans, N to step, A to accept, X to reject, all undoable."""

from PySide6.QtCore import Qt

from annotator.core.model import AnnotationKind, CodeKind
from tests.conftest import code_id, table_rows


def suggested_claims(window):
    return [s for s in window.suggester.items if s.kind is AnnotationKind.CLAIM]


def test_suggestions_are_listed_and_drawn(qtbot, window):
    assert suggested_claims(window), "the tricky article has a quote attributed to Xi"
    assert window.panel.suggestions.count() == len(window.suggester.items)
    dashed = [
        s
        for s in window.view.text.extraSelections()
        if s.format.underlineStyle() == s.format.UnderlineStyle.DashUnderline
    ]
    assert dashed


def test_step_accept_and_undo(qtbot, window, gui_project):
    before = table_rows(gui_project.path)
    window.view.text.setFocus()
    claim = suggested_claims(window)[0]
    qtbot.keyClick(window.view.text, Qt.Key.Key_N)
    assert window.suggester.current == 0
    window.panel.suggestions.setCurrentRow(window.suggester.items.index(claim))
    assert window.suggester.items[window.suggester.current] == claim
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_A)
    article_id = window.view.article.id
    stored = [
        a
        for a in gui_project.store.annotations.for_article(article_id)
        if a.kind is AnnotationKind.CLAIM
    ]
    assert [a.quote for a in stored] == [claim.text]
    assert stored[0].speaker_id == code_id(gui_project, CodeKind.SPEAKER, "Xi Jinping")
    assert claim not in window.suggester.items  # now covered by the claim
    window.controller.undo()
    assert table_rows(gui_project.path) == before
    assert claim in window.suggester.items


def test_reject_hides_it_and_undo_brings_it_back(qtbot, window, gui_project):
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_N)
    first = window.suggester.items[window.suggester.current]
    count = len(window.suggester.items)
    qtbot.keyClick(window.view.text, Qt.Key.Key_X)
    assert len(window.suggester.items) == count - 1
    assert first not in window.suggester.items
    window.controller.undo()
    assert first in window.suggester.items


def test_suggestions_can_be_turned_off(qtbot, window):
    window._toggle_suggestions(False)
    assert window.suggester.items == [] and window.panel.suggestions.count() == 0
    window._toggle_suggestions(True)
    assert window.suggester.items


def test_a_long_article_says_why_it_has_no_suggestions_and_detects_on_request(
    qtbot, window, gui_project
):
    from annotator.ui.annotate.suggestion_controller import AUTO_DETECT_LIMIT
    from tests.conftest import TRICKY_TEXT

    text = (TRICKY_TEXT + "\n") * (AUTO_DETECT_LIMIT // 50)  # well over the limit
    gui_project.articles.add(text, source="Test Wire", title="Long")
    window.hub.articles_changed.emit()
    article = next(a for a in gui_project.store.articles.summaries() if a.title == "Long")
    window.articles.select(article.id)
    review = window.panel.suggestions
    assert window.suggester.items == []
    assert review.count() == 1 and "long" in review.item(0).text()
    assert "Double-click" in review.item(0).text()
    rect = review.visualItemRect(review.item(0))
    qtbot.mouseClick(review.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(review.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert suggested_claims(window), "the quote attributed to Xi, found on request"
    assert review.count() == len(window.suggester.items)
