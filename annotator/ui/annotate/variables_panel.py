"""The open article's variables (outlet type, country, section: name → value), editable.

A tab beside the annotation list. Type a name and a value and press Enter (or Add) to set
one; double-click (or F2) a name or value to change it, clear a value or press Delete to
remove it. Each edit is one Change on the window's undo stack, so Ctrl+Z takes it back; the
list follows every written Change that touches the open article's variables, undo included.
"""

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.services.changes import Change
from annotator.services.project import Project, WriteError
from annotator.ui import commands
from annotator.ui.hub import SignalHub

#: The stored name of a row, kept on its name cell: what an edit of the name replaces.
NAME_ROLE = Qt.ItemDataRole.UserRole


class VariablesPanel(QWidget):
    #: an undo or redo changed another article's variables: the window goes there
    article_wanted = Signal(str)

    def __init__(
        self,
        hub: SignalHub,
        stack: QUndoStack,
        project: Callable[[], Project],
        parent: QWidget | None = None,
    ) -> None:
        """``project`` is asked at each use: the window swaps projects under the panel."""
        super().__init__(parent)
        self._hub, self._stack, self._project = hub, stack, project
        self.article_id = ""
        self.heading = QLabel("No article open", textFormat=Qt.TextFormat.PlainText)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Name", "Value"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 140)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self._names_stale = True  # the project's variable names, read when the name field is used
        self.name = QLineEdit(placeholderText="Name, e.g. outlet_type")
        self.value = QLineEdit(placeholderText="Value, e.g. tabloid")
        self._names = QStringListModel(self)
        self._values = QStringListModel(self)
        self.name.setCompleter(
            QCompleter(self._names, self, caseSensitivity=Qt.CaseSensitivity.CaseInsensitive)
        )
        self.value.setCompleter(
            QCompleter(self._values, self, caseSensitivity=Qt.CaseSensitivity.CaseInsensitive)
        )
        self.add_button = QPushButton("Add")
        self.remove_button = QPushButton("Remove")
        self.message = QLabel(textFormat=Qt.TextFormat.PlainText, wordWrap=True)
        self.message.setStyleSheet("color: #b00020")
        self._layout()
        self.table.installEventFilter(self)
        self.name.installEventFilter(self)
        self.add_button.clicked.connect(self.add)
        self.value.returnPressed.connect(self.add)
        self.name.returnPressed.connect(self.value.setFocus)
        self.name.textChanged.connect(self._suggest_values)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemChanged.connect(self._edited)
        self.table.itemSelectionChanged.connect(self._enable)
        hub.article_opened.connect(self.show_article)
        hub.change_written.connect(self._change_written)
        hub.articles_changed.connect(self.reload)  # an import may add variables to this one
        self._enable()

    def _layout(self) -> None:
        entry = QHBoxLayout()
        entry.addWidget(self.name, 2)
        entry.addWidget(self.value, 3)
        entry.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(entry)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.remove_button)
        layout.addLayout(buttons)

    # -- showing --------------------------------------------------------------------------

    def show_article(self, article_id: str) -> None:
        """The article's variables; "" for none (an empty project)."""
        self.article_id = article_id
        self.message.clear()
        self.reload()

    def reload(self) -> None:
        found = self._project().variables.of_article(self.article_id) if self.article_id else []
        self.table.blockSignals(True)
        self.table.setRowCount(len(found))
        for row, variable in enumerate(found):
            name = QTableWidgetItem(variable.name)
            name.setData(NAME_ROLE, variable.name)
            name.setToolTip(variable.name)
            value = QTableWidgetItem(variable.value)
            value.setToolTip(variable.value)
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, value)
        self.table.blockSignals(False)
        self.heading.setText(
            f"Variables of this article ({len(found)})" if self.article_id else "No article open"
        )
        self._names_stale = True
        self._enable()

    def _load_names(self) -> None:
        """The completer's names: every variable of the project, read when the name field
        gets the focus (a walk over the name index, too slow to repeat at every article)."""
        if self._names_stale and self.article_id:
            self._names.setStringList([n for n, _ in self._project().variables.names()])
            self._names_stale = False

    def variables(self) -> list[tuple[str, str]]:
        """(name, value) of each row as shown."""
        return [
            (self._cell(r, 0).text(), self._cell(r, 1).text()) for r in range(self.table.rowCount())
        ]

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        """A cell of a row ``reload`` filled (every row has both)."""
        item = self.table.item(row, column)
        assert item is not None, (row, column)
        return item

    def _enable(self) -> None:
        has_article = bool(self.article_id)
        for widget in (self.name, self.value, self.add_button, self.table):
            widget.setEnabled(has_article)
        self.remove_button.setEnabled(has_article and bool(self.table.selectedItems()))

    def _suggest_values(self, name: str) -> None:
        known = {n.casefold(): n for n in self._names.stringList()}
        stored = known.get(name.strip().casefold())
        values = [v for v, _ in self._project().variables.values(stored)] if stored else []
        self._values.setStringList(values)

    def _change_written(self, change: Change) -> None:
        touched = change.variable_article_ids
        if self.article_id in touched:
            self.reload()
        elif touched:  # an undo or redo in another article: show it there
            self.article_wanted.emit(sorted(touched)[0])

    # -- editing --------------------------------------------------------------------------

    def add(self) -> None:
        """Set the typed variable (a name the article has gets the new value)."""
        name, value = self.name.text(), self.value.text()
        article = self.article_id
        done = self._run(lambda: self._project().variables.set(article, name, value))
        if done is not None:
            self.name.clear()
            self.value.clear()
            self.name.setFocus()

    def remove_selected(self) -> None:
        rows = {item.row() for item in self.table.selectedItems()}
        if len(rows) == 1:
            name = self._cell(rows.pop(), 0).data(NAME_ROLE)
            article = self.article_id
            self._run(lambda: self._project().variables.delete(article, name))

    def _edited(self, item: QTableWidgetItem) -> None:
        """A name or value edited in place: a rename, a new value, or (cleared) a removal."""
        row, article = item.row(), self.article_id
        old = self._cell(row, 0).data(NAME_ROLE)
        name, value = self._cell(row, 0).text(), self._cell(row, 1).text()
        service = self._project().variables
        if item.column() == 1 and not value.strip():
            done = self._run(lambda: service.delete(article, old))
        else:
            done = self._run(lambda: service.set(article, name, value, replacing=old))
        if done is None or done.is_empty:
            self.reload()  # refused or unchanged: show what is stored

    def _run(self, action: Callable[[], Change]) -> Change | None:
        """One undoable edit; a refused one is said below the table and nothing is written."""
        self.message.clear()
        try:
            return commands.run(self._stack, self._project(), self._hub, action)
        except WriteError as exc:  # a full or read-only disk: nothing was saved, say so loudly
            QMessageBox.critical(self, "Not saved", str(exc))
        except AnnotatorError as exc:
            self.message.setText(str(exc))
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Delete in the table removes the selected variable; the name field's completions
        are read when it gets the focus."""
        if watched is self.name and event.type() == QEvent.Type.FocusIn:
            self._load_names()
        elif (
            watched is self.table
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and self.table.state() != QAbstractItemView.State.EditingState
        ):
            self.remove_selected()
            return True
        return super().eventFilter(watched, event)
