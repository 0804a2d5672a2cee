"""The codebook's place in the main window: the manager's dock (built when first shown), and
the tagging panel's code lists wired to it (right-click actions; a double-click with nothing to
label shows the code in the manager). The window holds one of these and calls ``toggle`` from
the View menu and ``project_loaded`` when it opens another project."""

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget

from annotator.ui.codebook.actions import CodebookActions
from annotator.ui.codebook.manager import CodebookManager

if TYPE_CHECKING:
    from annotator.ui.shell.main_window import MainWindow


#: The article list's and the article's shares of the width left beside the docked manager.
TEXT_SHARE = (0.2, 0.45)


class CodebookRoom(QObject):
    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window = window
        self.actions = CodebookActions(
            lambda: window.project,
            window.hub,
            window.stack,
            window,
            before_edit=lambda: window.controller.flush_note(),
        )
        self.actions.message.connect(self._say)
        self.actions.manage_requested.connect(self.show_code)
        self.dock: QDockWidget | None = None
        self.manager: CodebookManager | None = None
        for picker in (window.panel.speakers, window.panel.issues):
            picker.code_action.connect(self.actions.do)
            picker.can_pick = self._something_to_label

    def _something_to_label(self) -> bool:
        """A span waiting for its code, or a selected annotation a code can go to."""
        controller = self.window.controller
        return controller.pending is not None or bool(controller.selected_id)

    def _say(self, text: str) -> None:
        self.window.show_message(text)

    def ensure(self) -> CodebookManager:
        """The manager, in its dock on the right, built the first time."""
        if self.manager is None or self.dock is None:
            self.manager = CodebookManager(
                lambda: self.window.project, self.window.hub, self.actions
            )
            self.manager.message.connect(self._say)
            self.dock = QDockWidget("Codebook", self.window)
            self.dock.setObjectName("codebook_dock")
            self.dock.setWidget(self.manager)
            self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
            self.window.resizeDocks([self.dock], [460], Qt.Orientation.Horizontal)
            self.dock.visibilityChanged.connect(self._make_room)
        return self.manager

    def _make_room(self, visible: bool) -> None:
        """Docked beside the window's three columns, the manager takes its width from the
        article list and the tagging panel, not from the text being read (once the layout
        has given the dock its width)."""
        if visible and self.dock is not None and not self.dock.isFloating():
            QTimer.singleShot(0, self._share_width)

    def _share_width(self) -> None:
        splitter = self.window.splitter
        total = sum(splitter.sizes())
        articles, view = int(total * TEXT_SHARE[0]), int(total * TEXT_SHARE[1])
        splitter.setSizes([articles, view, total - articles - view])

    def toggle(self) -> None:
        """Show the manager with the keyboard in its list, or hide it."""
        manager = self.ensure()
        assert self.dock is not None
        if self.dock.isVisible() and manager.isAncestorOf(self.window.focusWidget()):
            self.dock.hide()
            return
        self.dock.show()
        self.dock.raise_()
        manager.current_tree().setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_code(self, code_id: str) -> None:
        manager = self.ensure()
        assert self.dock is not None
        self.dock.show()
        self.dock.raise_()
        manager.show_code(code_id)

    def project_loaded(self) -> None:
        """Another project is open: what the manager shows is read again."""
        if self.manager is not None:
            self.manager.refresh()
