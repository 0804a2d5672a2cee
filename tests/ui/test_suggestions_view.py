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


NEWS = (
    "“We will not sit back 😠,” Xi said.\n"
    "Analysts believe the talks will resume in spring.\n"
    "The ministry said that tariffs would rise next year.\n"
)


def open_news(window, gui_project, text=NEWS):
    article = gui_project.articles.add(text, source="Wire", title="Talks").article
    window.open_article(article.id)
    return article


def test_fewer_hides_the_less_sure_and_more_brings_them_back(qtbot, window, gui_project):
    open_news(window, gui_project)
    controls = window.panel.suggestion_controls
    found = list(window.suggester.items)
    believed = next(s for s in found if "talks will resume" in s.text)
    assert believed.confidence < 0.9
    controls.slider.setValue(90)
    assert believed not in window.suggester.items
    assert window.panel.suggestions.count() == len(window.suggester.items) < len(found)
    assert "less sure hidden" in controls.count.text()
    assert all(s.confidence >= 0.9 for s in window.suggester.items)
    controls.slider.setValue(50)
    assert window.suggester.items == found and not controls.count.isVisibleTo(controls)


def test_hover_says_why_a_suggestion_was_made(qtbot, window, gui_project):
    open_news(window, gui_project)
    tips = [
        window.panel.suggestions.item(i).toolTip() for i in range(window.panel.suggestions.count())
    ]
    assert any("Why: “believe” (believe cue" in tip and "confidence 0.75" in tip for tip in tips)
    assert any("“said”" in tip for tip in tips)


def test_a_too_long_article_says_why_it_has_no_suggestions(qtbot, window, gui_project, monkeypatch):
    from annotator.ui.annotate import suggestion_controller

    monkeypatch.setattr(suggestion_controller, "AUTO_DETECT_LIMIT", 50)
    open_news(window, gui_project)
    note = window.panel.suggestion_controls.note
    assert window.suggester.items == []
    assert note.isVisibleTo(window.panel.suggestion_controls)
    assert "more than 50" in note.text() and "Press N" in note.text()
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_N)
    assert window.suggester.items and not note.isVisibleTo(window.panel.suggestion_controls)
