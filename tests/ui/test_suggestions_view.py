"""Suggestions in the window: dashed spans, N to step, A to accept, X to reject, all undoable."""

from PySide6.QtCore import Qt

from annotator.core.model import AnnotationKind, CodeKind
from tests.conftest import code_id, table_rows


def suggested_claims(window):
    return [s for s in window.suggester.items if s.kind is AnnotationKind.CLAIM]


def dashed_spans(window):
    """The article view's dashed underlines: the suggestions as drawn."""
    return [
        s
        for s in window.view.text.extraSelections()
        if s.format.underlineStyle() == s.format.UnderlineStyle.DashUnderline
    ]


def test_suggestions_are_listed_and_drawn(qtbot, window):
    assert suggested_claims(window), "the tricky article has a quote attributed to Xi"
    assert window.panel.suggestions.count() == len(window.suggester.items)
    assert dashed_spans(window)


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


#: Quotes by speakers of the codebook: a claim and a speaker mention suggested for each.
QUOTES = (
    "“We will respond firmly,” said Xi Jinping on Monday 🙂.\n"
    "“Nothing has changed,” said Joe Biden after the call.\n"
    "“Talks will go on,” said Xi Jinping later.\n"
    "“The drills are routine,” said Joe Biden, smiling.\n"
)


def open_quotes(window, gui_project):
    article = gui_project.articles.add(QUOTES, source="Wire", title="Quotes").article
    window.hub.articles_changed.emit()
    window.articles.select(article.id)
    assert window.view.article.id == article.id
    return article


def test_n_after_a_goes_to_the_suggestion_now_current(qtbot, window, gui_project):
    open_quotes(window, gui_project)
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_N)
    first = window.suggester.items[window.suggester.current]
    assert first.kind is AnnotationKind.CLAIM
    qtbot.keyClick(window.view.text, Qt.Key.Key_A)
    shown = window.suggester.items[window.suggester.current]  # drawn as current now
    qtbot.keyClick(window.view.text, Qt.Key.Key_N)
    assert window.suggester.items[window.suggester.current] == shown
    qtbot.keyClick(window.view.text, Qt.Key.Key_X)  # a rejection moves on the same way
    after_reject = window.suggester.items[window.suggester.current]
    qtbot.keyClick(window.view.text, Qt.Key.Key_N)
    assert window.suggester.items[window.suggester.current] == after_reject
    qtbot.keyClick(window.view.text, Qt.Key.Key_N)  # and N then steps on as ever
    assert window.suggester.items[window.suggester.current] != after_reject


def test_accept_all_confirms_the_number_its_undo_entry_names(
    qtbot, window, gui_project, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    from annotator.ui.annotate import suggestion_controller

    open_quotes(window, gui_project)
    count = len(suggested_claims(window))
    assert len(window.suggester.items) > count  # the mentions come with their claims
    asked: list[str] = []

    def question(_parent, _title, text):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(suggestion_controller.QMessageBox, "question", question)
    window.suggester.accept_all()
    (text,) = asked
    assert text.startswith(f"Accept {count} suggestions in this article ({count} claims with")
    assert window.stack.undoText() == f"Accept {count} suggestions"
    claims = [a for a in gui_project.store.annotations.for_article(window.view.article.id)
              if a.kind is AnnotationKind.CLAIM]  # fmt: skip
    assert len(claims) == count


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
