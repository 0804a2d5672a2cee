from PySide6.QtCore import Qt

from annotator.services.project import open_project
from annotator.ui.shell.main_window import MainWindow


def test_window_opens_on_the_default_project(qtbot):
    with open_project() as project:
        window = MainWindow(project)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        assert "default.annotator" in window.windowTitle()


def test_the_shortcut_list_names_actions_not_their_live_labels(qtbot, window, gui_project):
    from annotator.ui.shell.shortcuts_help import shortcut_rows
    from tests.ui.test_annotating import span

    window.view.set_selection(*span("Xi said"))
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_C)
    assert window.stack.undoText()  # the Undo item reads "Undo Create claim" now
    names = [name for name, _keys in shortcut_rows(window)]
    assert "Undo" in names and "Redo" in names
    assert not [name for name in names if name.startswith("Undo ")]


def test_help_about_shows_the_qt_and_pyside6_notices(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    (about,) = [a for a in help_menu.actions() if a.text().startswith("&About")]
    about.trigger()
    (box,) = shown
    assert "LGPL v3" in box.text() and "PySide6" in box.text()
    assert "https://code.qt.io/pyside/pyside-setup" in box.detailedText()
