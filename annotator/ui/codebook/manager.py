"""The codebook manager: issues as a tree, speakers with their organisation, each with how
often it is used; a filter box; rename, recolour, merge, delete, move, create; the chosen
code's memo, aliases and shortcut. Every edit is one undoable Change (CodebookActions).

Keys in a list: F2 rename, Delete delete, Insert new, Ctrl+Shift+Right put the issue under the
one above it, Ctrl+Shift+Left move it out one level, Ctrl+Shift+U move under a chosen issue,
Ctrl+Shift+M merge; double-click renames; a letter jumps to a code."""

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model import CodeKind
from annotator.services.codebook import CodeEdit
from annotator.services.project import Project
from annotator.ui.codebook.actions import CodebookActions
from annotator.ui.codebook.code_details import CodeDetails
from annotator.ui.codebook.code_tree import CodeTree
from annotator.ui.hub import SignalHub

KINDS = (CodeKind.ISSUE, CodeKind.SPEAKER)


class CodebookManager(QWidget):
    message = Signal(str)

    def __init__(
        self,
        project: Callable[[], Project],
        hub: SignalHub,
        actions: CodebookActions,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("codebook_manager")
        self._project = project
        self.code_actions = actions
        self.filter = QLineEdit(
            placeholderText="Filter codes by name, organisation or alias", clearButtonEnabled=True
        )
        self.filter.setObjectName("codebook_filter")
        self.trees = {kind: CodeTree(kind) for kind in KINDS}
        self.tabs = QTabWidget(documentMode=True)
        self.tabs.addTab(self.trees[CodeKind.ISSUE], "&Issues")
        self.tabs.addTab(self.trees[CodeKind.SPEAKER], "&Speakers")
        self.details = CodeDetails()
        self.status = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.status.setObjectName("codebook_status")
        self._stale = True
        self._counts = QTimer(self, singleShot=True, interval=300)  # a burst of edits: once
        self._counts.timeout.connect(self.refresh)
        self._build_actions()
        self._lay_out()
        self.filter.textChanged.connect(self._filter)
        self.filter.returnPressed.connect(self._to_list)
        self.tabs.currentChanged.connect(lambda _index: self._show_current())
        for tree in self.trees.values():
            tree.currentItemChanged.connect(lambda *_: self._show_current())
            tree.itemDoubleClicked.connect(lambda *_: self._on_current(self.code_actions.rename))
            tree.reparent_requested.connect(self._reparent)
            tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            tree.customContextMenuRequested.connect(self._context_menu)
        self.details.apply_requested.connect(self._apply)
        self.details.recolour_requested.connect(self.code_actions.recolour)
        actions.message.connect(self._say)
        hub.codes_changed.connect(self.refresh)
        hub.annotations_changed.connect(lambda _article_id: self._counts.start())

    @property
    def project(self) -> Project:
        return self._project()

    # -- building ---------------------------------------------------------------------------

    def _build_actions(self) -> None:
        on = self._on_current
        actions = self.code_actions
        specs: list[tuple[str, str, str, Callable[[], None]]] = [
            ("new", "Ne&w…", "Insert", self._new),
            ("rename", "Re&name…", "F2", lambda: on(actions.rename)),
            ("recolour", "&Colour…", "", lambda: on(actions.recolour)),
            ("merge", "&Merge into…", "Ctrl+Shift+M", lambda: on(actions.merge)),
            ("move", "Move &under…", "Ctrl+Shift+U", lambda: on(actions.move_under)),
            ("indent", "Under the issue above", "Ctrl+Shift+Right", self._indent),
            ("outdent", "Out one level", "Ctrl+Shift+Left", self._outdent),
            ("delete", "&Delete…", "Delete", lambda: on(actions.delete)),
            ("spread", "Reassign clashing colours", "", actions.spread_colours),
        ]
        self.qactions: dict[str, QAction] = {}
        for key, text, keys, slot in specs:
            action = QAction(text, self)
            if keys:
                action.setShortcut(QKeySequence(keys))
                action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
                for tree in self.trees.values():
                    tree.addAction(action)
            action.triggered.connect(slot)
            self.qactions[key] = action

    def _lay_out(self) -> None:
        buttons = QGridLayout()
        for index, key in enumerate(
            ("new", "rename", "recolour", "merge", "move", "delete", "spread")
        ):
            action = self.qactions[key]
            button = QPushButton(action.text())
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            button.setToolTip(f"{action.text().replace('&', '')} ({keys})" if keys else "")
            button.clicked.connect(action.trigger)
            buttons.addWidget(button, index // 3, index % 3, 1, 3 if key == "spread" else 1)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.filter)
        top_layout.addWidget(self.tabs, 1)
        top_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.details)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 1)  # the lists take what room there is
        splitter.setSizes([520, 260])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)

    # -- showing ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Rebuild both lists from the store (when shown; else on the next showing)."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        try:
            entries = self.project.codebook.overview()
        except AnnotatorError as exc:  # the project went away under us
            self._say(str(exc))
            return
        for kind, tree in self.trees.items():
            tree.set_entries([e for e in entries if e.code.kind is kind])
            tree.apply_filter(self.filter.text())
        self._show_current()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def show_code(self, code_id: str) -> None:
        """Bring ``code_id`` into view and choose it (from a code list's double-click)."""
        self.refresh()
        try:
            kind = self.project.store.codes.get(code_id).kind
        except AnnotatorError as exc:
            self._say(str(exc))
            return
        self.tabs.setCurrentWidget(self.trees[kind])
        if not self.trees[kind].select_code(code_id):
            self.filter.clear()
            self.trees[kind].select_code(code_id)
        self.trees[kind].setFocus(Qt.FocusReason.OtherFocusReason)

    def current_tree(self) -> CodeTree:
        tree = self.tabs.currentWidget()
        assert isinstance(tree, CodeTree)
        return tree

    def current_code_id(self) -> str:
        return self.current_tree().current_code_id()

    def _show_current(self) -> None:
        code_id = self.current_code_id()
        if not code_id:
            self.details.show_code(None, None)
            return
        try:
            code = self.project.store.codes.get(code_id)
        except AnnotatorError:
            self.details.show_code(None, None)
            return
        usage = self.project.codebook.usage(code_id)
        if self.details.code == code:  # only the counts moved: keep what is being typed
            self.details.show_usage(usage)
        else:
            self.details.show_code(code, usage)

    def _filter(self, text: str) -> None:
        for tree in self.trees.values():
            tree.apply_filter(text)

    def _to_list(self) -> None:
        tree = self.current_tree()
        tree.setFocus(Qt.FocusReason.OtherFocusReason)
        for index in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(index)
            if item is not None and not item.isHidden():
                tree.setCurrentItem(item)
                return

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.message.emit(text)

    # -- doing ----------------------------------------------------------------------------------

    def _on_current(self, action: Callable[[str], object]) -> None:
        code_id = self.current_code_id()
        if code_id:
            action(code_id)
        else:
            self._say("Choose a code in the list first.")

    def _new(self) -> None:
        """A new code; a new issue goes beside the chosen one (under the same parent)."""
        tree = self.current_tree()
        parent = None
        if tree.kind is CodeKind.ISSUE and tree.current_code_id():
            parent = self.project.store.codes.get(tree.current_code_id()).parent_id
        code = self.code_actions.create(tree.kind, parent)
        if code is not None:
            self.show_code(code.id)
            self._say(f"Added {code.kind.value} “{code.name}” (Ctrl+Z undoes it).")

    def _indent(self) -> None:
        tree = self.current_tree()
        code_id = tree.current_code_id()
        if tree.kind is not CodeKind.ISSUE or not code_id:
            return
        above = tree.sibling_above(code_id)
        if above:
            self._reparent(code_id, above)
        else:
            self._say("There is no issue above it at this level to put it under.")

    def _outdent(self) -> None:
        code_id = self.current_tree().current_code_id()
        if self.current_tree().kind is not CodeKind.ISSUE or not code_id:
            return
        code = self.project.store.codes.get(code_id)
        if code.parent_id is None:
            self._say(f"“{code.name}” is at the top level already.")
            return
        grandparent = self.project.store.codes.get(code.parent_id).parent_id
        self._reparent(code_id, grandparent or "")

    def _reparent(self, code_id: str, parent_id: str) -> None:
        self.code_actions.reparent(code_id, parent_id or None)
        self.current_tree().select_code(code_id)

    def _apply(self, code_id: str, fields: CodeEdit) -> None:
        if self.code_actions.edit(code_id, fields):
            self._say("Saved (Ctrl+Z undoes it).")

    def _context_menu(self, position: QPoint) -> None:
        tree = self.current_tree()
        menu = QMenu(self)
        keys = ["new"]
        if tree.itemAt(position) is not None:
            keys += ["rename", "recolour", "merge", "delete"]
            if tree.kind is CodeKind.ISSUE:
                keys += ["move", "indent", "outdent"]
        for key in keys:
            menu.addAction(self.qactions[key])
        menu.popup(tree.viewport().mapToGlobal(position))
