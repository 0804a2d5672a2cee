"""Suggestions of a long article are detected on a worker: the panel says so meanwhile, keys
go where they are typed, and a result for an article or speaker list no longer shown is
never shown."""

from PySide6.QtCore import Qt

from annotator.core.model import AnnotationKind, CodeKind
from annotator.services import suggestion_detection as detection
from annotator.ui.annotate import suggestion_controller
from annotator.ui.annotate.suggestion_controller import DETECTING, SYNC_LIMIT
from tests.conftest import TRICKY_TEXT
from tests.ui.test_suggestions_view import dashed_spans

#: Emoji (two UTF-16 units each) and curly quotes before every quotation, so an offset off by
#: one unit anywhere shows as a wrong quote.
PARAGRAPH = (
    "Flags 🇺🇸🇨🇳 waved 😠 at the port.\n"
    "“We will respond firmly,” said Xi Jinping on Monday 🙂.\n"
    "“Nothing has changed,” Michael Flynn told reporters.\n"
)


def long_text(paragraphs: int = 60) -> str:
    return TRICKY_TEXT.replace("\r\n", "\n").replace("\x00", "") + PARAGRAPH * paragraphs


def add(gui_project, text, title):
    return gui_project.articles.add(text, source="Wire", title=title).article


def note(window) -> str:
    controls = window.panel.suggestion_controls
    return controls.note.text() if controls.note.isVisibleTo(controls) else ""


def wait_for_suggestions(qtbot, window):
    qtbot.waitUntil(lambda: not window.suggester.detecting and bool(window.suggester.items))


def test_a_long_article_is_detected_on_a_worker_with_a_note_meanwhile(qtbot, window, gui_project):
    article = add(gui_project, long_text(), "Long")
    assert len(article.text) > SYNC_LIMIT
    window.open_article(article.id)
    assert window.suggester.detecting and window.suggester.items == []
    assert note(window) == DETECTING
    assert window.panel.suggestions.count() == 0
    wait_for_suggestions(qtbot, window)
    assert note(window) == ""
    claims = [s for s in window.suggester.items if s.kind is AnnotationKind.CLAIM]
    quotes = {s.text for s in claims}
    assert "“We will respond firmly,”" in quotes and "“Nothing has changed,”" in quotes
    for s in claims:  # code points of the canonical text, as the view shows them
        assert " … ".join(article.text[a:b] for a, b in s.fragments) == s.text
    assert window.panel.suggestions.count() == len(window.suggester.items)
    assert dashed_spans(window)


def test_a_short_article_is_detected_at_once(qtbot, window, gui_project):
    article = add(gui_project, PARAGRAPH, "Short")
    window.open_article(article.id)
    assert not window.suggester.detecting and window.suggester.items


def test_switching_articles_never_shows_another_articles_suggestions(
    qtbot, window, gui_project, monkeypatch
):
    first = add(gui_project, long_text(80), "First")
    second = add(gui_project, long_text(40).replace("Michael Flynn", "Joe Biden"), "Second")
    shown: list[tuple[str, set[str]]] = []
    real = window.suggester._show_items

    def recording():
        article = window.view.article
        shown.append((article.id, {s.article_id for s in window.suggester.items}))
        real()

    monkeypatch.setattr(window.suggester, "_show_items", recording)
    window.open_article(first.id)
    window.open_article(second.id)  # before the first's detection came back
    window.open_article(first.id)
    window.open_article(second.id)
    wait_for_suggestions(qtbot, window)
    qtbot.wait(50)  # anything queued still lands
    assert window.view.article.id == second.id
    assert {s.article_id for s in window.suggester.items} == {second.id}
    assert all(ids <= {article_id} for article_id, ids in shown)
    assert not any("Michael Flynn" in (s.speaker_name or "") for s in window.suggester.items)


def test_a_result_computed_with_other_speakers_is_dropped(qtbot, window, gui_project, monkeypatch):
    article = add(gui_project, long_text(), "Long")
    runs: list[int] = []
    real = detection.detect_suggestions

    def counted(article_id, text, speakers, *args):
        runs.append(len(speakers))
        return real(article_id, text, speakers, *args)

    monkeypatch.setattr(detection, "detect_suggestions", counted)
    window.open_article(article.id)
    assert window.suggester.detecting
    flynn = gui_project.codebook.create(CodeKind.SPEAKER, "Michael Flynn").code  # meanwhile
    wait_for_suggestions(qtbot, window)
    assert len(runs) == 2 and runs[1] == runs[0] + 1  # detected again with the new speaker
    said = [s for s in window.suggester.items if s.text == "“Nothing has changed,”"]
    assert said and all(s.speaker_code_id == flynn.id for s in said)


def test_keys_typed_while_detecting_go_where_they_were_typed(qtbot, window, gui_project):
    article = add(gui_project, long_text(), "Long")
    window.open_article(article.id)
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_N)  # N while detecting: goes there when found
    assert window.suggester.detecting
    window.view.open_find()
    qtbot.keyClicks(window.view.find_box, "Jane said")
    assert window.view.find_box.text() == "Jane said"
    wait_for_suggestions(qtbot, window)
    assert window.suggester.current == 0
    assert window.view.find_box.text() == "Jane said"
    assert gui_project.store.codes.by_name(CodeKind.SPEAKER, "Jane") is None
    assert gui_project.store.annotations.for_article(article.id) == []


def test_n_searches_a_too_long_article_on_a_worker(qtbot, window, gui_project, monkeypatch):
    monkeypatch.setattr(suggestion_controller, "AUTO_DETECT_LIMIT", SYNC_LIMIT + 10)
    article = add(gui_project, long_text(), "Too long")
    window.open_article(article.id)
    assert "more than" in note(window) and not window.suggester.detecting
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_N)
    assert note(window) == DETECTING
    wait_for_suggestions(qtbot, window)
    assert window.suggester.current == 0 and note(window) == ""
    window.suggester.refresh(article.id)  # after an edit: still shown, not "too long" again
    assert window.suggester.items and note(window) == ""


def test_closing_the_window_while_detecting_waits_for_the_worker(qtbot, window, gui_project):
    article = add(gui_project, long_text(200), "Long")
    window.open_article(article.id)
    assert window.suggester.detecting
    window.close()
    assert window.suggester._task is None or not window.suggester._task.running


def test_n_pressed_in_another_article_does_not_step_in_this_one(qtbot, window, gui_project):
    first = add(gui_project, long_text(), "First")
    second = add(gui_project, long_text(30), "Second")
    window.open_article(first.id)
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_N)  # while the first is detected
    window.open_article(second.id)
    wait_for_suggestions(qtbot, window)
    qtbot.wait(50)
    assert window.view.article.id == second.id and window.suggester.current == -1
