"""A filterable list of codes of one kind: type to find, Enter to pick, Shift+Enter to create
a code of the typed name. The keyboard path of a whole annotation runs through two of these.

Enter on a name that matches nothing never creates: a typo ("Kirbyy") would become a code.
It shows the closest names instead ("Did you mean John Kirby?", see core.names), which Down
and Enter pick; only Shift+Enter creates."""

from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import aliases_of
from annotator.core.model import Code, CodeKind
from annotator.core.names import closest, did_you_mean
from annotator.ui.labels import plain_tip

CODE_ID = Qt.ItemDataRole.UserRole + 1
#: What a right-click on a code offers: (action key, menu text).
CODE_ACTIONS = (
    ("rename", "Rename…"),
    ("recolour", "Recolour…"),
    ("merge", "Merge into…"),
    ("delete", "Delete…"),
    ("manage", "Show in codebook manager"),
)


class _CodeFilter(QSortFilterProxyModel):
    """Codes whose name contains the typed text; or, after an Enter that matched nothing,
    only the closest codes, closest first."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.ranks: dict[str, int] = {}

    def filterAcceptsRow(  # noqa: N802
        self, row: int, parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if self.ranks:
            code_id = self.sourceModel().index(row, 0, parent).data(CODE_ID)
            return code_id in self.ranks
        return super().filterAcceptsRow(row, parent)

    def lessThan(  # noqa: N802
        self,
        left: QModelIndex | QPersistentModelIndex,
        right: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        if self.ranks:
            return self.ranks.get(left.data(CODE_ID), 0) < self.ranks.get(right.data(CODE_ID), 0)
        return super().lessThan(left, right)


class CodePicker(QWidget):
    picked = Signal(str)  # code id
    create_requested = Signal(str)  # Shift+Enter: a new code of this name
    cancelled = Signal()
    #: a right-click action on a code ("rename", "recolour", "merge", "delete", "manage"), or
    #: "manage" for a double-click while there is nothing to label with it
    code_action = Signal(str, str)  # code id, action

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
        self.hint = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.hint.setObjectName(f"{noun}_hint")
        self.hint.hide()
        self.model = QStandardItemModel(self)
        self.proxy = _CodeFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterRole(Qt.ItemDataRole.UserRole + 2)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.list = QListView(uniformItemSizes=True)
        self.list.setModel(self.proxy)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # "Senior adm…officials": both ends of a long name tell it apart; the tooltip has it all.
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.list.setObjectName(f"{noun}_list")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.search)
        layout.addWidget(self.hint)
        layout.addWidget(self.list)
        self._codes: dict[str, Code] = {}
        #: Whether a chosen code has something to label (the window says); when not, a
        #: double-click shows the code in the codebook manager instead.
        self.can_pick: Callable[[], bool] = lambda: True
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.list.activated.connect(self._activated)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)

    def set_codes(self, codes: list[Code]) -> None:
        self.model.clear()
        self._codes = {c.id: c for c in codes if c.kind is self.kind}
        self.proxy.ranks = {}
        for code in self._codes.values():
            item = QStandardItem(code.name)
            item.setData(code.id, CODE_ID)
            # Found by name, organisation or alias.
            found_by = [code.name, code.organisation or "", *aliases_of(code.description)]
            item.setData(" ".join(found_by), Qt.ItemDataRole.UserRole + 2)
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

    def select_code(self, code_id: str) -> None:
        """Make ``code_id`` the list's current row (clearing the search that may hide it)."""
        self.search.clear()
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(CODE_ID) == code_id:
                self.list.setCurrentIndex(self.proxy.index(row, 0))
                self.list.scrollTo(self.proxy.index(row, 0))

    def _filter(self, text: str) -> None:
        if self.proxy.ranks:  # typing again leaves the closest names
            self.proxy.ranks = {}
            self.proxy.invalidate()
            self.proxy.sort(0)
        self.hint.hide()
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
        if exact and not self.proxy.ranks:
            code_id = exact[0].data(CODE_ID)
        elif self.proxy.rowCount() and text and self.current_code_id():
            code_id = self.current_code_id()
        elif text:
            self._suggest(text)  # never a new code: that is Shift+Enter
            return
        else:
            return
        self.search.clear()
        self.picked.emit(code_id)

    def _suggest(self, text: str) -> None:
        """Nothing matched ``text``: list the closest codes and say how to pick or create."""
        names = {c.name: c.id for c in self._codes.values()}
        aliases = {c.name: aliases_of(c.description) for c in self._codes.values()}
        near = closest(names, text, aliases=aliases)
        noun = self.kind.value
        if near:
            self.proxy.ranks = {names[name]: rank for rank, name in enumerate(near)}
            self.proxy.invalidate()
            self.proxy.sort(0)
            self.list.setCurrentIndex(self.proxy.index(-1, -1))
            self.hint.setText(
                f"No {noun} named “{text}”. {did_you_mean(near)} Down, then Enter, picks it; "
                f"Shift+Enter creates “{text}”."
            )
        else:
            self.hint.setText(f"No {noun} named “{text}”. Shift+Enter creates it.")
        self.hint.show()

    def _activated(self, index: QModelIndex) -> None:
        code_id = index.data(CODE_ID)
        if self.can_pick():
            self.picked.emit(code_id)
        else:
            self.code_action.emit(code_id, "manage")

    def _context_menu(self, position: QPoint) -> None:
        index = self.list.indexAt(position)
        if not index.isValid():
            return
        code_id = index.data(CODE_ID)
        menu = QMenu(self)
        for key, text in CODE_ACTIONS:
            if key == "manage":
                menu.addSeparator()
            action = menu.addAction(text)
            action.triggered.connect(lambda _=False, k=key: self.code_action.emit(code_id, k))
        menu.popup(self.list.viewport().mapToGlobal(position))

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
