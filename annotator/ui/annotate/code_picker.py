"""A filterable list of codes of one kind: type to find, Enter to pick, Enter on a new name
to create it. The keyboard path of a whole annotation runs through two of these."""

from PySide6.QtCore import QEvent, QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from annotator.core.model import Code, CodeKind
from annotator.ui.labels import plain_tip

CODE_ID = Qt.ItemDataRole.UserRole + 1


class CodePicker(QWidget):
    picked = Signal(str)  # code id
    create_requested = Signal(str)  # a name that matches no code
    cancelled = Signal()

    def __init__(self, kind: CodeKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        noun = "speaker" if kind is CodeKind.SPEAKER else "issue"
        article = "a" if kind is CodeKind.SPEAKER else "an"
        self.title = QLabel(f"<b>{noun.capitalize()}s</b>")
        self.search = QLineEdit(
            placeholderText=f"Find {article} {noun}: Enter picks, Shift+Enter creates",
            clearButtonEnabled=True,
        )
        self.search.setObjectName(f"{noun}_search")
        self.model = QStandardItemModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterRole(Qt.ItemDataRole.UserRole + 2)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.list = QListView(uniformItemSizes=True)
        self.list.setModel(self.proxy)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setObjectName(f"{noun}_list")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.list.activated.connect(lambda index: self.picked.emit(index.data(CODE_ID)))

    def set_codes(self, codes: list[Code]) -> None:
        self.model.clear()
        for code in codes:
            if code.kind is not self.kind:
                continue
            item = QStandardItem(code.name)
            item.setData(code.id, CODE_ID)
            # Found by name, organisation or shortcut.
            item.setData(f"{code.name} {code.organisation or ''}", Qt.ItemDataRole.UserRole + 2)
            item.setData(QColor(code.colour), Qt.ItemDataRole.DecorationRole)
            tip = [code.name]
            if code.organisation:
                tip.append(code.organisation)
            if code.description:
                tip.append(code.description)
            if code.shortcut:
                tip.append(f"Shortcut: {code.shortcut}")
            item.setToolTip(plain_tip("\n".join(tip)))
            self.model.appendRow(item)
        self.proxy.sort(0)
        self._filter(self.search.text())

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def current_code_id(self) -> str:
        index = self.list.currentIndex()
        return index.data(CODE_ID) if index.isValid() else ""

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        # The first match is what Enter takes; with nothing typed nothing is preselected.
        if self.proxy.rowCount() and text.strip():
            self.list.setCurrentIndex(self.proxy.index(0, 0))
        else:
            self.list.clearSelection()
            self.list.setCurrentIndex(self.proxy.index(-1, -1))

    def _accept(self) -> None:
        text = self.search.text().strip()
        exact = [
            self.proxy.index(r, 0)
            for r in range(self.proxy.rowCount())
            if self.proxy.index(r, 0).data().casefold() == text.casefold()
        ]
        if exact:
            code_id = exact[0].data(CODE_ID)
        elif self.proxy.rowCount() and text:
            code_id = self.current_code_id()
        elif text:
            self.create_requested.emit(text)  # the search is cleared once the code exists
            return
        else:
            return
        self.search.clear()
        self.picked.emit(code_id)

    def _create(self) -> None:
        """Shift+Enter: a new code even when the name is part of an existing one ("Xi")."""
        text = self.search.text().strip()
        if text:
            self.create_requested.emit(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.search and event.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            if (
                event.matches(QKeySequence.StandardKey.Undo)
                or event.matches(QKeySequence.StandardKey.Redo)
                or event.keyCombination().toCombined() == QKeySequence("Ctrl+Y")[0].toCombined()  # type: ignore[index]  # not in the stubs
            ):
                # The window's undo, not the search box's: the keyboard path ends here.
                return True
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                    self._create()
                else:
                    self._accept()
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self._move(key)  # type: ignore[arg-type]  # an int equal to one of these Qt.Keys
                return True
            if key == Qt.Key.Key_Escape:
                self.search.clear()
                self.cancelled.emit()
                return True
        return super().eventFilter(watched, event)

    def _move(self, key: Qt.Key) -> None:
        rows = self.proxy.rowCount()
        if not rows:
            return
        step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 5,
                Qt.Key.Key_PageUp: -5}[key]  # fmt: skip
        current = self.list.currentIndex().row() if self.list.currentIndex().isValid() else -1
        self.list.setCurrentIndex(self.proxy.index(max(0, min(rows - 1, current + step)), 0))
