"""The open article's variables in the window: added, edited, renamed and removed on the real
widgets, each one step of the undo stack; and the Coverage tab grouped by a variable."""

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication

from annotator.core.model import CodeKind
from annotator.core.variables import ArticleVariable
from annotator.services.project import Project
from annotator.ui.shell.main_window import MainWindow
from tests.conftest import TRICKY_TEXT, code_id

NAME = "région “type” 🗞"
VALUE = "tabloïd — “red top” 😠"


def stored(project: Project, article_id: str) -> list[tuple[str, str]]:
    return [(v.name, v.value) for v in project.variables.of_article(article_id)]


def add(qtbot, window: MainWindow, name: str, value: str) -> None:
    """Typed as the keyboard would (QTest types only ASCII: the rest is inserted)."""
    panel = window.variables
    window.panel.lists.setCurrentWidget(panel)  # the coder opens the tab
    panel.name.setFocus()
    type_into(qtbot, panel.name, name)
    qtbot.keyClick(panel.name, Qt.Key.Key_Return)  # on to the value
    assert panel.value.hasFocus()
    type_into(qtbot, panel.value, value)
    qtbot.keyClick(panel.value, Qt.Key.Key_Return)


def type_into(qtbot, line_edit, text: str) -> None:
    for char in text:
        if char.isascii():
            qtbot.keyClicks(line_edit, char)
        else:
            line_edit.insert(char)


def test_the_tab_sits_beside_the_annotations(window: MainWindow):
    lists = window.panel.lists
    assert [lists.tabText(i) for i in range(lists.count())] == [
        "Annotations", "Suggestions", "Variables",
    ]  # fmt: skip
    assert window.variables.heading.text() == "Variables of this article (0)"


def test_add_by_keyboard_then_undo_and_redo(qtbot, window: MainWindow, gui_project: Project):
    article_id = window.view.article.id
    add(qtbot, window, NAME, VALUE)
    assert stored(gui_project, article_id) == [(NAME, VALUE)]
    assert window.variables.variables() == [(NAME, VALUE)]
    assert window.variables.name.text() == "" and window.variables.name.hasFocus()
    assert window.stack.count() == 1
    window.stack.undo()
    assert stored(gui_project, article_id) == []
    assert window.variables.variables() == []
    window.stack.redo()
    assert window.variables.variables() == [(NAME, VALUE)]


def test_edit_rename_and_clear_in_place_each_one_step(
    qtbot, window: MainWindow, gui_project: Project
):
    article_id = window.view.article.id
    add(qtbot, window, "country", "UK")
    table = window.variables.table
    table.item(0, 1).setText("FR 🇫🇷")  # as the cell editor commits
    assert stored(gui_project, article_id) == [("country", "FR 🇫🇷")]
    table.item(0, 0).setText("nation")
    assert stored(gui_project, article_id) == [("nation", "FR 🇫🇷")]
    table.item(0, 1).setText("  ")  # a cleared value removes the variable
    assert stored(gui_project, article_id) == []
    assert window.stack.count() == 4
    for expected in ([("nation", "FR 🇫🇷")], [("country", "FR 🇫🇷")], [("country", "UK")], []):
        window.stack.undo()
        assert stored(gui_project, article_id) == expected
        assert window.variables.variables() == expected


def test_names_and_values_are_offered_as_completions(qtbot, window: MainWindow, gui_project):
    other = gui_project.articles.add("Another text.", source="Wire", title="Other").article
    gui_project.variables.set(other.id, "Outlet Type", "tabloid")
    panel = window.variables
    window.panel.lists.setCurrentWidget(panel)
    QApplication.sendEvent(panel.name, QFocusEvent(QEvent.Type.FocusIn))  # read on focus
    assert panel.name.completer().model().stringList() == ["Outlet Type"]
    panel.name.setText("outlet type")
    assert panel.value.completer().model().stringList() == ["tabloid"]


def test_variables_an_import_adds_appear(window: MainWindow, gui_project: Project):
    gui_project.store.variables.put(ArticleVariable(window.view.article.id, "country", "UK"))
    window.hub.articles_changed.emit()  # what the window says after an import
    assert window.variables.variables() == [("country", "UK")]


def test_delete_key_removes_the_selected_variable(qtbot, window: MainWindow, gui_project):
    article_id = window.view.article.id
    add(qtbot, window, "section", "World")
    add(qtbot, window, "country", "UK")
    table = window.variables.table
    table.selectRow(1)  # sorted by name: country, section
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert stored(gui_project, article_id) == [("country", "UK")]
    window.stack.undo()
    assert stored(gui_project, article_id) == [("country", "UK"), ("section", "World")]


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("Status", "done", "'Status' is a fixed article column"),
        ("", "x", "A variable needs a name."),
        ("tab\there", "x", "control character (U+0009)"),
        ("country", "", "Variable 'country' needs a value"),
    ],
)
def test_a_refused_edit_is_said_and_writes_nothing(
    qtbot, window: MainWindow, gui_project: Project, name: str, value: str, says: str
):
    panel = window.variables
    panel.name.setText(name)
    panel.value.setText(value)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert says in panel.message.text()
    assert gui_project.store.variables.all() == []
    assert window.stack.count() == 0
    assert panel.name.text() == name  # kept, to be corrected


def test_a_refused_rename_in_place_puts_the_name_back(qtbot, window: MainWindow, gui_project):
    add(qtbot, window, "country", "UK")
    window.variables.table.item(0, 0).setText("url")
    assert "fixed article column" in window.variables.message.text()
    assert window.variables.variables() == [("country", "UK")]
    assert window.stack.count() == 1


def test_undo_in_another_article_goes_there(qtbot, gui_project: Project, settings):
    other = gui_project.articles.add("Second article, plain.", source="Wire", title="Two").article
    window = MainWindow(gui_project, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.articles.select(other.id)
    assert window.view.article.id == other.id
    window.variables.name.setText("country")
    window.variables.value.setText("UK")
    qtbot.mouseClick(window.variables.add_button, Qt.MouseButton.LeftButton)
    assert stored(gui_project, other.id) == [("country", "UK")]
    first = next(a.id for a in gui_project.store.articles.iter_all() if a.id != other.id)
    window.articles.select(first)
    assert window.variables.article_id == first
    window.stack.undo()
    assert window.view.article.id == other.id
    assert window.variables.variables() == []


def test_coverage_grouped_by_a_variable(qtbot, window: MainWindow, gui_project: Project):
    store = gui_project.store
    tricky = window.view.article.id
    plain = gui_project.articles.add("Taiwan again.", source="Daily", title="Plain").article
    taiwan = code_id(gui_project, CodeKind.ISSUE, "Taiwan")
    gui_project.annotations.create_issue_passage(tricky, [(0, 5)], taiwan)
    gui_project.annotations.create_issue_passage(plain.id, [(0, 6)], taiwan)
    store.variables.put(ArticleVariable(tricky, "outlet_type", "wire"))
    window.tabs.setCurrentIndex(1)
    view = window.coverage
    assert view is not None
    group_by = view.group_by
    assert [group_by.itemText(i) for i in range(group_by.count())] == ["Source", "outlet_type"]
    group_by.setCurrentIndex(1)
    qtbot.waitUntil(view.busy.isHidden)  # grouped by a variable: counted on a worker
    assert [s.name for s in view.table.sources] == ["wire", "(none)"]
    assert sorted(bar.label for bar in view.chart.bars) == [
        "(none) · Taiwan: 1 annotation",
        "wire · Taiwan: 1 annotation",
    ]
    view.list_behind("wire", taiwan)
    assert view.behind.rowCount() == 1
    assert view.behind.item(0, 2).text() == TRICKY_TEXT[:5]
    assert "wire · Taiwan" in view.behind_label.text()
    group_by.setCurrentIndex(0)
    assert sorted(s.name for s in view.table.sources) == ["Daily", "Test Wire"]
