"""One kind of code as a tree (issues under their parents; speakers flat, with organisation),
with usage counts, a filter and drag-and-drop to move an issue under another.

The tree never moves its own items: a drop asks for a re-parent, which the codebook service
checks (no loops) and writes; the tree is then rebuilt from the store like after any edit."""

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QDropEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem

from annotator.core.codebook import aliases_of
from annotator.core.model import CodeKind
from annotator.core.names import fold
from annotator.services.codebook import CodebookEntry, describe_usage
from annotator.ui.labels import plain_tip

CODE_ID = Qt.ItemDataRole.UserRole + 1
SEARCHED = Qt.ItemDataRole.UserRole + 2


class CodeTree(QTreeWidget):
    reparent_requested = Signal(str, str)  # code id, new parent id ("" for the top level)

    def __init__(self, kind: CodeKind) -> None:
        super().__init__()
        self.kind = kind
        self.setObjectName(f"{kind.value}_tree")
        headers = ["Name", "Uses", "Key"]
        if kind is CodeKind.SPEAKER:
            headers.insert(1, "Organisation")
        self.setHeaderLabels(headers)
        self.setColumnCount(len(headers))
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setRootIsDecorated(kind is CodeKind.ISSUE)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        if kind is CodeKind.ISSUE:
            self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
            self.setDragEnabled(True)
            self.setAcceptDrops(True)
            self.setDropIndicatorShown(True)

    @property
    def uses_column(self) -> int:
        return 2 if self.kind is CodeKind.SPEAKER else 1

    def set_entries(self, entries: list[CodebookEntry], keep: str = "") -> None:
        """Rebuild from ``entries`` (in tree order), keeping the current code if it is there."""
        keep = keep or self.current_code_id()
        self.clear()
        items: dict[str, QTreeWidgetItem] = {}
        for entry in entries:
            code = entry.code
            parent = items.get(code.parent_id or "")
            item = QTreeWidgetItem(parent) if parent is not None else QTreeWidgetItem(self)
            item.setText(0, code.name)
            item.setData(0, CODE_ID, code.id)
            item.setData(0, Qt.ItemDataRole.DecorationRole, QColor(code.colour))
            aliases = aliases_of(code.description)
            item.setData(
                0, SEARCHED, fold(" ".join([code.name, code.organisation or "", *aliases]))
            )
            if self.kind is CodeKind.SPEAKER:
                item.setText(1, code.organisation or "")
            item.setText(self.uses_column, str(entry.usage.coded))
            item.setTextAlignment(self.uses_column, Qt.AlignmentFlag.AlignRight)
            item.setText(self.uses_column + 1, code.shortcut or "")
            tip = [code.name, f"Used: {describe_usage(code, entry.usage)}"]
            tip += [f"Aliases: {'; '.join(aliases)}"] if aliases else []
            item.setToolTip(0, plain_tip("\n".join(tip)))
            item.setToolTip(self.uses_column, plain_tip(describe_usage(code, entry.usage)))
            items[code.id] = item
        self.expandAll()
        if keep in items:
            self.setCurrentItem(items[keep])

    def current_code_id(self) -> str:
        item = self.currentItem()
        return item.data(0, CODE_ID) if item is not None else ""

    def select_code(self, code_id: str) -> bool:
        for item in self._items():
            if item.data(0, CODE_ID) == code_id:
                item.setHidden(False)
                self.setCurrentItem(item)
                self.scrollToItem(item)
                return True
        return False

    def apply_filter(self, text: str) -> None:
        """Show the codes whose name, organisation or alias holds ``text``, with their
        parents (so a match keeps its place in the tree)."""
        key = fold(text)
        for item in reversed(self._items()):  # children before their parents
            children = [item.child(i) for i in range(item.childCount())]
            shown = not key or key in item.data(0, SEARCHED)
            shown = shown or any(c is not None and not c.isHidden() for c in children)
            item.setHidden(not shown)

    def _items(self) -> list[QTreeWidgetItem]:
        """Every item, parents before children."""
        found: list[QTreeWidgetItem] = []

        def walk(item: QTreeWidgetItem | None) -> None:
            if item is None:
                return
            found.append(item)
            for i in range(item.childCount()):
                walk(item.child(i))

        for i in range(self.topLevelItemCount()):
            walk(self.topLevelItem(i))
        return found

    def sibling_above(self, code_id: str) -> str:
        """The code just above this one under the same parent ("" for none): Ctrl+Shift+Right
        moves an issue under it."""
        for item in self._items():
            if item.data(0, CODE_ID) == code_id:
                parent = item.parent()
                row = parent.indexOfChild(item) if parent else self.indexOfTopLevelItem(item)
                for above in range(row - 1, -1, -1):
                    other = parent.child(above) if parent else self.topLevelItem(above)
                    if other is not None and not other.isHidden():
                        return str(other.data(0, CODE_ID))
        return ""

    # -- drag and drop, keys ----------------------------------------------------------------

    def parent_for_drop(
        self, position: QPoint, indicator: QAbstractItemView.DropIndicatorPosition
    ) -> str:
        """The new parent's id for a drop at ``position``: onto an issue puts the dragged one
        under it; above or below an issue puts it beside it; the empty space, at the top."""
        target = self.itemAt(position)
        if target is None or indicator is QAbstractItemView.DropIndicatorPosition.OnViewport:
            return ""
        if indicator is QAbstractItemView.DropIndicatorPosition.OnItem:
            return str(target.data(0, CODE_ID))
        parent = target.parent()
        return str(parent.data(0, CODE_ID)) if parent is not None else ""

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        dragged = self.current_code_id()
        parent = self.parent_for_drop(event.position().toPoint(), self.dropIndicatorPosition())
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        if dragged and parent != dragged:
            self.reparent_requested.emit(dragged, parent)

    def event(self, event: QEvent) -> bool:
        """A plain letter types ahead to a code here, rather than firing the window's
        single-key actions (C, S, I, N, A, X) meant for the article."""
        if event.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            plain = event.modifiers() in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.ShiftModifier,
            )
            if plain and event.text().isprintable() and event.text().strip():
                event.accept()
                return True
        return super().event(event)
