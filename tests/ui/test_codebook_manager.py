"""The codebook in the window: safe creation in the code pickers ("Did you mean"), the
manager (rename, apply, delete with counts, move in the tree, merge), each edit one undo step,
and the new speakers of suggestions confirmed and mapped before anything is written."""

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QMessageBox, QWidget

from annotator.core.model import AnnotationKind, CodeKind
from annotator.ui.codebook.dialogs import CodeChooser
from annotator.ui.codebook.new_speakers import NewSpeakersDialog
from tests.conftest import code_id, table_rows
from tests.ui.test_annotating import span


def answer(handle: Callable[[QWidget], None]) -> list[str]:
    """Answer the next modal dialog with ``handle``; what it showed is returned (filled in
    once the dialog ran). The dialog is closed even when ``handle`` fails."""
    seen: list[str] = []
    tries = iter(range(200))

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:  # not shown yet; given up after two seconds
            if next(tries, None) is not None:
                QTimer.singleShot(10, run)
            return
        try:
            if isinstance(dialog, QMessageBox):
                seen.append(dialog.text() + "\n" + dialog.informativeText())
            handle(dialog)
        finally:
            if dialog.isVisible():
                dialog.close()

    QTimer.singleShot(0, run)
    return seen


def press_shift_enter(qtbot, widget) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)


# -- safe creation --------------------------------------------------------------------------


def test_enter_on_a_typo_creates_nothing_and_says_did_you_mean(qtbot, window, gui_project):
    before = table_rows(gui_project.path)
    window.view.set_selection(*span("aide"))
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_S)
    picker = window.panel.speakers
    qtbot.keyClicks(picker.search, "Kirbyy")
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert "Did you mean John Kirby?" in picker.hint.text()
    assert picker.hint.isVisibleTo(window)
    assert table_rows(gui_project.path) == before and window.stack.count() == 0
    assert [picker.proxy.index(r, 0).data() for r in range(picker.proxy.rowCount())] == [
        "John Kirby"
    ]
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)  # again: still nothing made
    assert table_rows(gui_project.path) == before
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    (mention,) = gui_project.store.annotations.for_article(window.view.article.id)
    assert mention.code_id == code_id(gui_project, CodeKind.SPEAKER, "John Kirby")
    assert not picker.hint.isVisibleTo(window)


def test_initials_and_shift_enter(qtbot, window, gui_project):
    window.view.set_selection(*span("aide"))
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_S)
    picker = window.panel.speakers
    qtbot.keyClicks(picker.search, "JK")
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert "Did you mean John Kirby?" in picker.hint.text()
    picker.search.clear()
    qtbot.keyClicks(picker.search, "Kirbyy")
    press_shift_enter(qtbot, picker.search)
    kirbyy = gui_project.store.codes.by_name(CodeKind.SPEAKER, "Kirbyy")
    assert kirbyy is not None
    (mention,) = gui_project.store.annotations.for_article(window.view.article.id)
    assert mention.code_id == kirbyy.id
    window.controller.undo()  # the code and its use, one step
    assert gui_project.store.codes.by_name(CodeKind.SPEAKER, "Kirbyy") is None


def test_no_close_name_says_how_to_create(qtbot, window, gui_project):
    window.view.set_selection(*span("aide"))
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_S)
    picker = window.panel.speakers
    qtbot.keyClicks(picker.search, "Gina Raimondo")
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.hint.text() == "No speaker named “Gina Raimondo”. Shift+Enter creates it."
    assert window.stack.count() == 0


# -- the manager ------------------------------------------------------------------------------


def open_manager(window, qtbot, kind: CodeKind, name: str):
    window.codebook.toggle()
    manager = window.codebook.manager
    qtbot.waitUntil(manager.isVisible)
    manager.show_code(code_id(window.project, kind, name))
    return manager


def test_rename_with_f2_and_undo(qtbot, window, gui_project):
    manager = open_manager(window, qtbot, CodeKind.ISSUE, "Taiwan")
    tree = manager.current_tree()
    assert tree.currentItem().text(0) == "Taiwan"

    def rename(dialog: QWidget) -> None:
        dialog.setTextValue("Taiwan Strait “cross” 🇹🇼")
        dialog.accept()

    answer(rename)
    qtbot.keyClick(tree, Qt.Key.Key_F2)
    assert gui_project.store.codes.by_name(CodeKind.ISSUE, "Taiwan Strait “cross” 🇹🇼")
    assert tree.currentItem().text(0) == "Taiwan Strait “cross” 🇹🇼"
    names = [
        window.panel.issues.model.item(r).text()
        for r in range(window.panel.issues.model.rowCount())
    ]
    assert "Taiwan Strait “cross” 🇹🇼" in names
    assert window.stack.count() == 1
    window.controller.undo()
    assert gui_project.store.codes.by_name(CodeKind.ISSUE, "Taiwan") is not None
    assert tree.currentItem().text(0) == "Taiwan"


def test_details_apply_as_one_step(qtbot, window, gui_project):
    manager = open_manager(window, qtbot, CodeKind.SPEAKER, "John Kirby")
    details = manager.details
    before = gui_project.store.codes.by_name(CodeKind.SPEAKER, "John Kirby")
    details.aliases.setText("Admiral Kirby; NSC spokesman")
    details.memo.setPlainText("Spokesman “NSC” 😀")
    details.organisation.setText("White House")
    details.shortcut.setText("k")
    qtbot.mouseClick(details.apply, Qt.MouseButton.LeftButton)
    after = gui_project.store.codes.get(before.id)
    assert after.description == "Spokesman “NSC” 😀\naliases: Admiral Kirby; NSC spokesman"
    assert (after.organisation, after.shortcut) == ("White House", "k")
    assert window.stack.count() == 1
    window.controller.undo()
    assert gui_project.store.codes.get(before.id) == before
    assert details.aliases.text() == ""


def test_recolour(qtbot, window, gui_project):
    manager = open_manager(window, qtbot, CodeKind.ISSUE, "Taiwan")

    def pick(dialog: QWidget) -> None:
        dialog.setCurrentColor(QColor("#123456"))
        dialog.accept()

    answer(pick)
    manager.qactions["recolour"].trigger()
    assert gui_project.store.codes.by_name(CodeKind.ISSUE, "Taiwan").colour == "#123456"


def test_delete_in_use_shows_the_counts_first(qtbot, window, gui_project):
    article_id = window.view.article.id
    kirby = code_id(gui_project, CodeKind.SPEAKER, "John Kirby")
    mention = gui_project.annotations.create_speaker_mention(article_id, [span("Xi")], kirby)
    gui_project.annotations.create_claim(
        article_id, [span("“fine.”")], speaker_id=kirby,
        speaker_mention_id=mention.annotation.id,
    )  # fmt: skip
    window.hub.annotations_changed.emit(article_id)
    manager = open_manager(window, qtbot, CodeKind.SPEAKER, "John Kirby")
    before = table_rows(gui_project.path)
    shown = answer(lambda box: box.button(QMessageBox.StandardButton.Cancel).click())
    qtbot.keyClick(manager.current_tree(), Qt.Key.Key_Delete)
    assert "1 speaker mention, 1 claim attributed to it" in shown[0]
    assert "claims attributed to it stay, without a speaker" in shown[0]
    assert table_rows(gui_project.path) == before

    def force(box: QWidget) -> None:
        (button,) = [b for b in box.buttons() if b.text() == "Delete with its uses"]
        button.click()

    answer(force)
    manager.qactions["delete"].trigger()  # the Delete key again (offscreen, no window manager
    # gives the focus back after a dialog)
    assert gui_project.store.codes.by_name(CodeKind.SPEAKER, "John Kirby") is None
    (claim,) = gui_project.store.annotations.for_article(article_id)
    assert claim.kind is AnnotationKind.CLAIM and claim.speaker_id is None
    window.controller.undo()
    assert table_rows(gui_project.path) == before


def test_delete_unused_asks_plainly(qtbot, window, gui_project):
    manager = open_manager(window, qtbot, CodeKind.ISSUE, "Climate change")
    shown = answer(lambda box: next(b for b in box.buttons() if b.text() == "Delete").click())
    manager.qactions["delete"].trigger()
    assert "It is not used." in shown[0]
    assert gui_project.store.codes.by_name(CodeKind.ISSUE, "Climate change") is None


def test_keys_move_an_issue_in_the_tree(qtbot, window, gui_project):
    manager = open_manager(window, qtbot, CodeKind.ISSUE, "Taiwan")
    tree = manager.current_tree()
    sea = code_id(gui_project, CodeKind.ISSUE, "South China Sea")
    taiwan = code_id(gui_project, CodeKind.ISSUE, "Taiwan")
    qtbot.keyClick(
        tree,
        Qt.Key.Key_Right,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert gui_project.store.codes.get(taiwan).parent_id == sea
    assert tree.currentItem().parent().text(0) == "South China Sea"
    qtbot.keyClick(
        tree,
        Qt.Key.Key_Left,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert gui_project.store.codes.get(taiwan).parent_id is None
    # Under the child of its own: refused, nothing written.
    gui_project.codebook.reparent(sea, taiwan)
    window.hub.codes_changed.emit()
    count = window.stack.count()
    manager.code_actions.reparent(taiwan, sea)
    assert "loop" in manager.status.text()
    assert window.stack.count() == count


def test_merge_picks_a_target(qtbot, window, gui_project):
    article_id = window.view.article.id
    kirby = code_id(gui_project, CodeKind.SPEAKER, "John Kirby")
    gui_project.annotations.create_speaker_mention(article_id, [span("Xi")], kirby)
    window.hub.annotations_changed.emit(article_id)
    manager = open_manager(window, qtbot, CodeKind.SPEAKER, "John Kirby")

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, CodeChooser)
        qtbot.keyClicks(dialog.filter, "white")
        dialog.accept()

    answer(choose)
    manager.qactions["merge"].trigger()
    (mention,) = gui_project.store.annotations.for_article(article_id)
    assert mention.code_id == code_id(gui_project, CodeKind.SPEAKER, "The White House")
    assert gui_project.store.codes.by_name(CodeKind.SPEAKER, "John Kirby") is None


def test_filter_keeps_parents_of_matches(qtbot, window, gui_project):
    taiwan = code_id(gui_project, CodeKind.ISSUE, "Taiwan")
    gui_project.codebook.create(CodeKind.ISSUE, "Strait crossings", parent_id=taiwan)
    window.hub.codes_changed.emit()
    manager = open_manager(window, qtbot, CodeKind.ISSUE, "Taiwan")
    qtbot.keyClicks(manager.filter, "strait")
    tree = manager.current_tree()
    shown = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())
             if not tree.topLevelItem(i).isHidden()]  # fmt: skip
    assert shown == ["Taiwan"]


def test_code_lists_open_the_manager_and_its_actions(qtbot, window, gui_project):
    picker = window.panel.speakers
    kirby = code_id(gui_project, CodeKind.SPEAKER, "John Kirby")
    row = next(
        r for r in range(picker.proxy.rowCount()) if picker.proxy.index(r, 0).data() == "John Kirby"
    )
    picker.list.activated.emit(picker.proxy.index(row, 0))  # a double-click, nothing to label
    manager = window.codebook.manager
    assert manager is not None and manager.isVisible()
    assert manager.current_code_id() == kirby

    def rename(dialog: QWidget) -> None:
        dialog.setTextValue("Admiral John Kirby")
        dialog.accept()

    answer(rename)
    picker.code_action.emit(kirby, "rename")  # what the right-click menu's Rename sends
    assert gui_project.store.codes.get(kirby).name == "Admiral John Kirby"


# -- suggestions naming new speakers --------------------------------------------------------------


NEWS = (
    "“We will not sit back,” said Commerce Secretary Gina Raimondo 🇺🇸. "
    "Administration officials said the talks were useful."
)


def test_accept_all_lists_new_speakers_and_maps_them(qtbot, window, gui_project):
    article = gui_project.articles.add(NEWS, source="Wire", title="Raimondo").article
    window.hub.articles_changed.emit()
    window.articles.select(article.id)
    assert window.view.article.id == article.id
    codes_before = len(gui_project.store.codes.all())
    house = code_id(gui_project, CodeKind.SPEAKER, "The White House")

    def map_them(dialog: QWidget) -> None:
        assert isinstance(dialog, NewSpeakersDialog)
        assert list(dialog.choices) == ["Gina Raimondo", "Administration officials"]
        dialog.choices["Gina Raimondo"].setCurrentText("the white house")
        assert dialog.states["Gina Raimondo"].text() == "existing speaker"
        dialog.choices["Administration officials"].setCurrentText("The White House")
        dialog.accept()

    answer(map_them)
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    assert len(gui_project.store.codes.all()) == codes_before
    claims = [a for a in gui_project.store.annotations.for_article(article.id)
              if a.kind is AnnotationKind.CLAIM]  # fmt: skip
    assert len(claims) == 2 and {c.speaker_id for c in claims} == {house}
    assert window.stack.count() == 1


def test_cancelling_the_new_speakers_writes_nothing(qtbot, window, gui_project):
    article = gui_project.articles.add(NEWS, source="Wire", title="Raimondo").article
    window.hub.articles_changed.emit()
    window.articles.select(article.id)
    before = table_rows(gui_project.path)
    answer(lambda dialog: dialog.done(QDialog.DialogCode.Rejected))
    window.suggester.accept_all()
    assert table_rows(gui_project.path) == before
    window.suggester.next()
    answer(lambda dialog: dialog.done(QDialog.DialogCode.Rejected))
    window.suggester.accept()  # one suggestion naming a new speaker asks too
    assert table_rows(gui_project.path) == before


def test_a_drop_asks_for_the_parent_it_lands_on(qtbot, window, gui_project):
    manager = open_manager(window, qtbot, CodeKind.ISSUE, "Taiwan")
    tree = manager.current_tree()
    sea = code_id(gui_project, CodeKind.ISSUE, "South China Sea")
    taiwan = code_id(gui_project, CodeKind.ISSUE, "Taiwan")
    tree.select_code(sea)
    on_sea = tree.visualItemRect(tree.currentItem()).center()
    Position = QAbstractItemView.DropIndicatorPosition  # noqa: N806
    assert tree.parent_for_drop(on_sea, Position.OnItem) == sea
    assert tree.parent_for_drop(on_sea, Position.AboveItem) == ""
    assert tree.parent_for_drop(on_sea, Position.OnViewport) == ""
    requested: list[tuple[str, str]] = []
    tree.reparent_requested.connect(lambda *args: requested.append(args))
    tree.select_code(taiwan)
    tree.reparent_requested.emit(taiwan, sea)  # what dropEvent sends for a drop onto it
    assert gui_project.store.codes.get(taiwan).parent_id == sea
    assert requested == [(taiwan, sea)]
