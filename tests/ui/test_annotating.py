"""The annotation workspace driven as a coder drives it: select, press a key, type, Enter."""

from PySide6.QtCore import Qt

from annotator.core.model import AnnotationKind, CodeKind
from tests.conftest import code_id, table_rows

TEXT = (
    "Flags 🇺🇸🇨🇳 first.\n"
    "“We will not sit back,” Xi said 😠 — and Biden’s aide replied… “fine.”\n"
    "Done."
)


def span(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def type_and_enter(qtbot, widget, text: str) -> None:
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_the_text_shown_is_the_canonical_text(window, gui_project):
    article = window.view.article
    assert article.text == TEXT
    assert window.view.text.document().characterCount() - 1 == len(TEXT.encode("utf-16-le")) // 2


def test_keyboard_claim_with_emoji_and_curly_quotes(qtbot, window, gui_project):
    start, end = span("“We will not sit back,” Xi said 😠")
    window.view.set_selection(start, end)
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_C)
    assert window.panel.speakers.search.hasFocus()
    type_and_enter(qtbot, window.panel.speakers.search, "jinp")
    assert window.panel.issues.search.hasFocus()
    type_and_enter(qtbot, window.panel.issues.search, "export")

    (claim,) = gui_project.store.annotations.for_article(article_id := window.view.article.id)
    assert claim.kind is AnnotationKind.CLAIM
    assert (claim.start, claim.end) == (start, end)
    assert claim.quote == "“We will not sit back,” Xi said 😠"
    assert claim.speaker_id == code_id(gui_project, CodeKind.SPEAKER, "Xi Jinping")
    assert claim.issue_ids == (
        code_id(gui_project, CodeKind.ISSUE, "Export controls / high-tech trade"),
    )
    assert claim.annotator == "alice"
    assert window.panel.table.table_model.rowCount() == 1
    assert article_id


def test_speaker_and_issue_keys(qtbot, window, gui_project):
    window.view.set_selection(*span("Biden"))
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_S)
    type_and_enter(qtbot, window.panel.speakers.search, "biden")
    window.view.set_selection(*span("Flags 🇺🇸🇨🇳 first."))
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_I)
    type_and_enter(qtbot, window.panel.issues.search, "taiwan")
    annotations = gui_project.store.annotations.for_article(window.view.article.id)
    kinds = {a.kind: a for a in annotations}
    assert kinds[AnnotationKind.SPEAKER].quote.startswith("Biden")
    assert kinds[AnnotationKind.ISSUE].quote == "Flags 🇺🇸🇨🇳 first."
    assert kinds[AnnotationKind.ISSUE].code_id == code_id(gui_project, CodeKind.ISSUE, "Taiwan")


def test_selection_snaps_to_words(qtbot, window, gui_project):
    start, end = span("ill not sit ba")
    window.view.set_selection(start, end)
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_C)
    (claim,) = gui_project.store.annotations.for_article(window.view.article.id)
    assert claim.quote == "will not sit back"


def test_new_code_created_from_the_panel_and_undone_in_one_step(qtbot, window, gui_project):
    before = table_rows(gui_project.path)
    window.view.set_selection(*span("aide"))
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_S)
    qtbot.keyClicks(window.panel.speakers.search, "Biden's aide")
    qtbot.keyClick(  # only Shift+Enter creates
        window.panel.speakers.search, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier
    )
    aide = gui_project.store.codes.by_name(CodeKind.SPEAKER, "Biden's aide")
    assert aide is not None
    (mention,) = gui_project.store.annotations.for_article(window.view.article.id)
    assert mention.code_id == aide.id
    window.stack.undo()
    assert table_rows(gui_project.path) == before
    window.stack.redo()
    assert gui_project.store.codes.by_name(CodeKind.SPEAKER, "Biden's aide") is not None


def test_click_selects_overlapping_spans_in_turn(qtbot, window, gui_project):
    article_id = window.view.article.id
    xi = code_id(gui_project, CodeKind.SPEAKER, "Xi Jinping")
    outer = gui_project.annotations.create_claim(
        article_id, [span("“We will not sit back,” Xi said")], speaker_id=xi
    ).annotation
    inner = gui_project.annotations.create_speaker_mention(article_id, [span("Xi")], xi).annotation
    window.hub.annotations_changed.emit(article_id)
    assert window.panel.table.table_model.rowCount() == 2
    position = window.view.offsets.to_utf16(span("Xi")[0] + 1)
    window.view._clicked(position)
    assert window.controller.selected_id == inner.id  # innermost first
    window.view._clicked(position)
    assert window.controller.selected_id == outer.id
    assert window.panel.editor.annotation_id == outer.id


def test_delete_undo_redo_restore_the_database(qtbot, window, gui_project):
    article_id = window.view.article.id
    xi = code_id(gui_project, CodeKind.SPEAKER, "Xi Jinping")
    window.view.set_selection(*span("Xi said"))
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_S)
    type_and_enter(qtbot, window.panel.speakers.search, "Xi Jin")
    with_mention = table_rows(gui_project.path)
    (mention,) = gui_project.store.annotations.for_article(article_id)
    assert mention.code_id == xi
    window.panel.table.setFocus()
    window.panel.table.selectRow(0)
    qtbot.keyClick(window.panel.table, Qt.Key.Key_Delete)
    assert gui_project.store.annotations.for_article(article_id) == []
    window.stack.undo()
    assert table_rows(gui_project.path) == with_mention
    window.stack.redo()
    assert gui_project.store.annotations.for_article(article_id) == []
    window.stack.undo()
    window.stack.undo()
    assert gui_project.store.annotations.for_article(article_id) == []


def test_edit_speaker_and_issues_then_undo(qtbot, window, gui_project):
    article_id = window.view.article.id
    claim = gui_project.annotations.create_claim(article_id, [span("“fine.”")]).annotation
    window.hub.annotations_changed.emit(article_id)
    window.controller.select(claim.id)
    before = table_rows(gui_project.path)
    window.controller.speaker_picked(code_id(gui_project, CodeKind.SPEAKER, "Joe Biden"))
    window.controller.issue_picked(code_id(gui_project, CodeKind.ISSUE, "Taiwan"))
    window.controller.issue_picked(code_id(gui_project, CodeKind.ISSUE, "Climate change"))
    edited = gui_project.store.annotations.get(claim.id)
    assert edited.speaker_id and len(edited.issue_ids) == 2
    assert window.panel.editor.issues.count() == 2
    window.panel.editor.issues.setCurrentRow(0)
    window.panel.editor.remove_issue.click()
    assert len(gui_project.store.annotations.get(claim.id).issue_ids) == 1
    for _ in range(4):
        window.stack.undo()
    assert table_rows(gui_project.path) == before


def test_second_fragment_and_boundary_keys(qtbot, window, gui_project):
    article_id = window.view.article.id
    claim = gui_project.annotations.create_claim(
        article_id, [span("“We will not sit back,”")]
    ).annotation
    window.hub.annotations_changed.emit(article_id)
    window.controller.select(claim.id)
    window.view.set_selection(*span("“fine.”"))
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_F)
    fragments = gui_project.store.annotations.get(claim.id).fragments
    assert [f.quote for f in fragments] == ["“We will not sit back,”", "“fine.”"]
    qtbot.keyClick(window.view.text, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert gui_project.store.annotations.get(claim.id).fragments[-1].quote == "“fine.”\n"


def test_close_and_reopen_keeps_everything_and_the_article(qtbot, gui_project, settings):
    from annotator.services.project import open_project
    from annotator.ui.shell.main_window import MainWindow

    article_id = gui_project.store.articles.summaries()[0].id
    gui_project.annotations.create_claim(article_id, [span("“fine.”")])
    path = gui_project.path
    first = MainWindow(gui_project, settings)
    qtbot.addWidget(first)
    first.open_article(article_id)
    first.close()
    gui_project.close()
    with open_project(path, annotator="alice") as again:
        second = MainWindow(again, settings)
        qtbot.addWidget(second)
        assert second.view.article.id == article_id
        assert second.panel.table.table_model.rowCount() == 1


def test_find_in_article(qtbot, window):
    window.view.open_find()
    qtbot.keyClicks(window.view.find_box, "xi")
    qtbot.waitUntil(lambda: window.view.find_status.text() == "1 of 1")  # after the pause
    cursor = window.view.text.textCursor()
    assert cursor.selectionEnd() - cursor.selectionStart() == 2


def test_hover_shows_the_labels(qtbot, window, gui_project):
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    article_id = window.view.article.id
    xi = code_id(gui_project, CodeKind.SPEAKER, "Xi Jinping")
    taiwan = code_id(gui_project, CodeKind.ISSUE, "Taiwan")
    gui_project.annotations.create_claim(
        article_id, [span("“We will not sit back,”")], speaker_id=xi, issue_ids=[taiwan]
    )
    window.hub.annotations_changed.emit(article_id)
    cursor = window.view.text.textCursor()
    cursor.setPosition(window.view.offsets.to_utf16(span("sit")[0]))
    point = window.view.text.cursorRect(cursor).center() + QPoint(2, 0)
    viewport = window.view.text.viewport()
    event = QHelpEvent(QEvent.Type.ToolTip, point, viewport.mapToGlobal(point))
    QApplication.sendEvent(viewport, event)
    from annotator.ui.labels import plain_tip

    assert QToolTip.text() == plain_tip("Claim: Xi Jinping · issues: Taiwan")


def test_keyboard_only_selection_with_shift_arrows(qtbot, window, gui_project):
    text = window.view.text
    text.setFocus()
    qtbot.keyClick(text, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(text, Qt.Key.Key_Down)  # past the flags: 4 code points, 8 UTF-16 units
    wanted = "“We will not sit back,” Xi said 😠"  # ends in a character of two UTF-16 units
    for _ in wanted:  # one key press per character
        qtbot.keyClick(text, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(text, Qt.Key.Key_C)
    type_and_enter(qtbot, window.panel.speakers.search, "jinp")
    type_and_enter(qtbot, window.panel.issues.search, "taiw")
    (claim,) = gui_project.store.annotations.for_article(window.view.article.id)
    assert claim.quote == wanted
    assert (claim.start, claim.end) == span(wanted)
    qtbot.keyClick(window.panel.issues.search, Qt.Key.Key_Escape)
    assert text.hasFocus()


def test_typing_a_note_does_not_trigger_the_one_key_actions(qtbot, window, gui_project):
    article_id = window.view.article.id
    claim = gui_project.annotations.create_claim(article_id, [span("“fine.”")]).annotation
    window.hub.annotations_changed.emit(article_id)
    window.controller.select(claim.id)
    note = window.panel.editor.note
    note.setFocus()
    qtbot.keyClicks(note, "sic, i.e. f")
    window.panel.editor.commit_note()
    assert [a.id for a in gui_project.store.annotations.for_article(article_id)] == [claim.id]
    assert gui_project.store.annotations.get(claim.id).note == "sic, i.e. f"
    window.stack.undo()
    assert gui_project.store.annotations.get(claim.id).note == ""


def test_status_of_the_article(qtbot, window, gui_project):
    """Ctrl+3 marks the article done for the current coder (statuses are per coder)."""
    from annotator.core.model import ArticleStatus

    article_id = window.view.article.id
    coder = gui_project.annotations.annotator
    qtbot.keyClick(window.view.text, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert gui_project.store.articles.status_of(article_id, coder) is ArticleStatus.DONE
    assert window.view.status.currentData() == "done"
    window.stack.undo()
    assert gui_project.store.articles.status_of(article_id, coder) is ArticleStatus.NEW
    assert window.view.status.currentData() == "new"


def test_article_strings_are_never_rendered_as_markup(qtbot, window, gui_project):
    """An imported title or quote holding tags is shown as written, and loads nothing."""
    from PySide6.QtWidgets import QLabel

    from annotator.ui.labels import plain_tip

    marked_up = "<img src='/dev/zero'><b>Bold</b> claim"
    added = gui_project.articles.add(marked_up + "\nBody.", source="<i>Wire</i>", title=marked_up)
    window.hub.articles_changed.emit()
    window.articles.select(added.article.id)
    assert window.view.title.text() == marked_up
    assert window.view.title.textFormat() == Qt.TextFormat.PlainText
    assert window.view.meta.textFormat() == Qt.TextFormat.PlainText
    assert "<img" not in plain_tip(marked_up) and "&lt;img" in plain_tip(marked_up)
    labels = [w for w in window.findChildren(QLabel) if "Wire" in w.text()]
    assert all(w.textFormat() == Qt.TextFormat.PlainText for w in labels)


def test_the_article_list_count_follows_edits(qtbot, window, gui_project):
    from annotator.ui.annotate.article_list import ARTICLE_ID

    def count_cell() -> str:
        (match,) = window.articles.model.match(
            window.articles.model.index(0, 0), ARTICLE_ID, window.view.article.id, 1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )  # fmt: skip
        return match.siblingAtColumn(2).data()

    assert count_cell() == "0"
    window.view.set_selection(*span("“fine.”"))
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_C)
    assert count_cell() == "1"
    window.controller.undo()
    assert count_cell() == "0"


def test_long_code_names_elide_in_the_middle_and_four_issues_show(qtbot, window, gui_project):
    from annotator.ui.annotate.annotation_editor import ISSUE_ROWS

    speakers = window.panel.speakers.list
    assert speakers.textElideMode() is Qt.TextElideMode.ElideMiddle
    long_name = "Senior administration official (anonymous)"
    index = next(
        speakers.model().index(r, 0)
        for r in range(speakers.model().rowCount())
        if speakers.model().index(r, 0).data() == long_name
    )
    assert long_name in index.data(Qt.ItemDataRole.ToolTipRole)
    issues = window.panel.editor.issues
    for name in ("Taiwan", "Climate change", "AI risk and safety", "Diplomatic visits"):
        issues.addItem(name)
    shown = issues.viewport().height()
    assert shown >= ISSUE_ROWS * issues.sizeHintForRow(0)
