"""Edges found by probing the window: pending notes and undo, other articles, focus, keys."""

from PySide6.QtCore import Qt

from annotator.core.model import AnnotationKind, CodeKind, Stance
from tests.conftest import code_id, table_rows
from tests.ui.test_annotating import span, type_and_enter


def claim_selected(window, gui_project, needle="“fine.”"):
    article_id = window.view.article.id
    claim = gui_project.annotations.create_claim(article_id, [span(needle)]).annotation
    window.hub.annotations_changed.emit(article_id)
    window.controller.select(claim.id)
    return claim


def test_a_note_being_typed_is_its_own_undo_step(qtbot, window, gui_project):
    claim = claim_selected(window, gui_project)
    before = table_rows(gui_project.path)
    qtbot.keyClicks(window.panel.editor.note, "check source")
    window.panel.editor.stance_requested.emit(claim.id, Stance.SUPPORTS.value)
    stored = gui_project.store.annotations.get(claim.id)
    assert (stored.note, stored.stance) == ("check source", Stance.SUPPORTS)
    window.controller.undo()
    stored = gui_project.store.annotations.get(claim.id)
    assert (stored.note, stored.stance) == ("check source", None)
    window.controller.undo()
    assert table_rows(gui_project.path) == before
    window.controller.redo()
    window.controller.redo()
    stored = gui_project.store.annotations.get(claim.id)
    assert (stored.note, stored.stance) == ("check source", Stance.SUPPORTS)


def test_undo_with_a_note_pending_saves_the_note_first(qtbot, window, gui_project):
    claim = claim_selected(window, gui_project)
    window.controller.speaker_picked(code_id(gui_project, CodeKind.SPEAKER, "Xi Jinping"))
    qtbot.keyClicks(window.panel.editor.note, "typed")
    window.controller.undo()  # undoes the note, which was saved first
    stored = gui_project.store.annotations.get(claim.id)
    assert stored.note == "" and stored.speaker_id is not None


def test_undo_in_another_article_goes_there(qtbot, window, gui_project):
    first = window.view.article.id
    gui_project.articles.add("Another article.\nXi spoke.", source="Other Wire", title="Beta")
    window.hub.articles_changed.emit()
    window.view.set_selection(*span("Xi said"))
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_C)
    beta = next(a.id for a in gui_project.store.articles.summaries() if a.title == "Beta")
    window.articles.select(beta)
    assert window.view.article.id == beta
    window.controller.undo()
    assert window.view.article.id == first
    assert gui_project.store.annotations.for_article(first) == []
    window.articles.select(beta)
    assert window.view.article.id == beta


def test_delete_in_the_issue_list_removes_the_issue_only(qtbot, window, gui_project):
    claim = claim_selected(window, gui_project)
    window.controller.issue_picked(code_id(gui_project, CodeKind.ISSUE, "Taiwan"))
    issues = window.panel.editor.issues
    issues.setFocus()
    issues.setCurrentRow(0)
    qtbot.keyClick(issues, Qt.Key.Key_Delete)
    stored = gui_project.store.annotations.get(claim.id)
    assert stored.issue_ids == ()


def test_speaker_mention_becomes_an_issue_once_an_issue_is_picked(qtbot, window, gui_project):
    article_id = window.view.article.id
    xi = code_id(gui_project, CodeKind.SPEAKER, "Xi Jinping")
    mention = gui_project.annotations.create_speaker_mention(article_id, [span("Xi")], xi)
    window.hub.annotations_changed.emit(article_id)
    window.controller.select(mention.annotation.id)
    window.panel.editor.kind_requested.emit(mention.annotation.id, AnnotationKind.ISSUE.value)
    assert gui_project.store.annotations.get(mention.annotation.id).kind is AnnotationKind.SPEAKER
    assert window.panel.editor.kind.currentData() == "speaker"
    assert window.panel.issues.search.hasFocus()
    type_and_enter(qtbot, window.panel.issues.search, "taiw")
    changed = gui_project.store.annotations.get(mention.annotation.id)
    assert changed.kind is AnnotationKind.ISSUE
    assert changed.code_id == code_id(gui_project, CodeKind.ISSUE, "Taiwan")


def test_ctrl_z_works_where_the_keyboard_path_ends(qtbot, window, gui_project):
    window.view.set_selection(*span("“fine.”"))
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_C)
    type_and_enter(qtbot, window.panel.speakers.search, "jinp")
    type_and_enter(qtbot, window.panel.issues.search, "taiw")
    assert window.panel.issues.search.hasFocus()
    (claim,) = gui_project.store.annotations.for_article(window.view.article.id)
    assert claim.issue_ids
    qtbot.keyClick(window.panel.issues.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert gui_project.store.annotations.get(claim.id).issue_ids == ()


def test_a_half_started_mention_is_dropped_when_another_annotation_is_chosen(
    qtbot, window, gui_project
):
    article_id = window.view.article.id
    biden = code_id(gui_project, CodeKind.SPEAKER, "Joe Biden")
    other = gui_project.annotations.create_speaker_mention(article_id, [span("Xi")], biden)
    window.hub.annotations_changed.emit(article_id)
    window.view.set_selection(*span("aide"))
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_S)
    window.controller.select(other.annotation.id)
    window.controller.speaker_picked(code_id(gui_project, CodeKind.SPEAKER, "Xi Jinping"))
    (only,) = gui_project.store.annotations.for_article(article_id)
    assert only.id == other.annotation.id
    assert only.code_id == code_id(gui_project, CodeKind.SPEAKER, "Xi Jinping")


def test_shift_enter_on_an_existing_name_leaves_no_undo_step(qtbot, window, gui_project):
    window.view.set_selection(*span("aide"))
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_S)
    search = window.panel.speakers.search
    qtbot.keyClicks(search, "joe biden")
    qtbot.keyClick(search, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert window.stack.count() == 0
    assert search.text() == "joe biden"


def test_find_ignores_case_where_folding_changes_length(qtbot, window, gui_project):
    gui_project.articles.add("Straße nach BERLIN, then Berlin again.", source="DE", title="ß")
    window.hub.articles_changed.emit()
    article = next(a for a in gui_project.store.articles.summaries() if a.title == "ß")
    window.articles.select(article.id)
    window.view.open_find()
    qtbot.keyClicks(window.view.find_box, "berlin")
    qtbot.waitUntil(lambda: window.view.find_status.text() == "1 of 2")  # after the pause
    window.view.close_find()
    window.view.open_find()
    qtbot.keyClick(window.view.find_box, Qt.Key.Key_Return)
    assert window.view.find_status.text().endswith("of 2")


def test_a_failed_undo_is_reported_and_the_history_cleared(qtbot, window, gui_project, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from annotator.ui import commands

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: shown.append(args[2]))
    claim_selected(window, gui_project)
    window.controller.speaker_picked(code_id(gui_project, CodeKind.SPEAKER, "Xi Jinping"))

    def broken(store, change):
        raise OSError("disk full")

    monkeypatch.setattr(commands, "apply_change", broken)
    window.controller.undo()
    assert shown and "disk full" in shown[0]
    qtbot.waitUntil(lambda: window.stack.count() == 0)


def test_a_write_that_fails_says_not_saved(qtbot, window, gui_project, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from annotator.services.project import WriteError

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: shown.append(args[1:3]))

    def full_disk():
        raise WriteError("Not saved: the disk is full.")

    assert window.controller.edit(full_disk) is None
    assert shown == [("Not saved", "Not saved: the disk is full.")]
    assert window.stack.count() == 0


def test_the_article_lists_selection_follows_undo_and_redo_to_another_article(
    qtbot, window, gui_project
):
    from annotator.ui.annotate.article_list_model import ARTICLE_ID

    def listed() -> str:
        return window.articles.tree.currentIndex().siblingAtColumn(0).data(ARTICLE_ID)

    first = window.view.article.id
    gui_project.articles.add("Another article.\nXi spoke.", source="Other Wire", title="Beta")
    window.hub.articles_changed.emit()
    window.view.set_selection(*span("Xi said"))
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_C)
    beta = next(a.id for a in gui_project.store.articles.summaries() if a.title == "Beta")
    window.articles.select(beta)
    assert listed() == beta
    window.controller.undo()
    assert window.view.article.id == first and listed() == first
    window.articles.select(beta)
    window.controller.redo()
    assert window.view.article.id == first and listed() == first
