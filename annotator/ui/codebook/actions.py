"""What can be done to one code, asked for in dialogs and run as one undoable Change each:
rename, recolour, merge, delete, move under another issue, create; and reassigning the
colours too close to tell apart. The manager's buttons and
keys and the code lists' right-click menus call the same methods."""

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QUndoStack
from PySide6.QtWidgets import QColorDialog, QInputDialog, QMessageBox, QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.model import Code, CodeKind
from annotator.services.changes import Change
from annotator.services.codebook import CodeEdit, describe_usage
from annotator.services.project import Project, WriteError
from annotator.ui import commands
from annotator.ui.codebook.dialogs import DeleteAnswer, choose_code, confirm_delete
from annotator.ui.hub import SignalHub

TOP_LEVEL = ""  # the chooser's id for "no parent"


class CodebookActions(QObject):
    message = Signal(str)  # a line for the status bar: what was done, or why not
    manage_requested = Signal(str)  # show this code in the manager

    def __init__(
        self,
        project: Callable[[], Project],
        hub: SignalHub,
        stack: QUndoStack,
        parent: QWidget,
        before_edit: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__(parent)
        self._project = project
        self.hub = hub
        self.stack = stack
        self._parent = parent
        self._before_edit = before_edit  # e.g. save a note still being typed

    @property
    def project(self) -> Project:
        return self._project()

    def do(self, code_id: str, action: str) -> None:
        """One of the code lists' right-click actions, by name."""
        handlers: dict[str, Callable[[str], object]] = {
            "rename": self.rename,
            "recolour": self.recolour,
            "merge": self.merge,
            "delete": self.delete,
            "manage": self.manage_requested.emit,
        }
        handlers[action](code_id)

    def run(self, action: Callable[[], Change]) -> Change | None:
        """One edit through the undo stack; a refusal is one line, a failed write a dialog."""
        self._before_edit()
        try:
            return commands.run(self.stack, self.project, self.hub, action)
        except WriteError as exc:
            QMessageBox.critical(self._parent, "Not saved", str(exc))
        except AnnotatorError as exc:
            self.message.emit(str(exc))
        return None

    def _code(self, code_id: str) -> Code | None:
        try:
            return self.project.store.codes.get(code_id)
        except AnnotatorError as exc:
            self.message.emit(str(exc))
            return None

    # -- the actions ----------------------------------------------------------------------

    def rename(self, code_id: str) -> None:
        code = self._code(code_id)
        if code is None:
            return
        name, ok = QInputDialog.getText(
            self._parent, f"Rename {code.kind.value}", f"New name for “{code.name}”:",
            text=code.name,
        )  # fmt: skip
        if not ok or not name.strip() or name.strip() == code.name:
            return
        if self.run(lambda: self.project.codebook.rename(code_id, name)):
            self.message.emit(f"Renamed “{code.name}” to “{name.strip()}”.")

    def recolour(self, code_id: str) -> None:
        code = self._code(code_id)
        if code is None:
            return
        colour = QColorDialog.getColor(
            QColor(code.colour), self._parent, f"Colour of “{code.name}”"
        )
        if colour.isValid():
            self.run(lambda: self.project.codebook.recolour(code_id, colour.name()))

    def spread_colours(self) -> None:
        """Codes whose colours are too close to tell apart (colour-blind readers included)
        get new ones from the palette; the older code of each pair keeps its colour."""
        change = self.run(self.project.codebook.spread_colours)
        if change is not None:
            names = ", ".join(f"“{code.name}”" for code in change.after.codes)
            self.message.emit(f"New colours for {names}; Undo restores them.")

    def merge(self, code_id: str) -> None:
        code = self._code(code_id)
        if code is None:
            return
        others = [c for c in self.project.store.codes.all(code.kind) if c.id != code.id]
        usage = describe_usage(code, self.project.codebook.usage(code.id))
        target = choose_code(
            self._parent,
            f"Merge {code.kind.value}",
            f"Merge “{code.name}” ({usage}) into which {code.kind.value}? Every use of it "
            "becomes a use of the one you pick, and it is deleted.",
            [(c.id, c.name, c.colour) for c in others],
        )
        if target:
            name = self.project.store.codes.get(target).name
            if self.run(lambda: self.project.codebook.merge(code_id, target)):
                self.message.emit(f"Merged “{code.name}” into “{name}” (Ctrl+Z undoes it).")

    def delete(self, code_id: str) -> None:
        code = self._code(code_id)
        if code is None:
            return
        usage = self.project.codebook.usage(code.id)
        answer = confirm_delete(self._parent, code, usage)
        if answer is DeleteAnswer.MERGE:
            self.merge(code_id)
        elif answer is DeleteAnswer.DELETE:
            force = bool(usage.total)
            if self.run(lambda: self.project.codebook.delete(code_id, force=force)):
                self.message.emit(f"Deleted “{code.name}” (Ctrl+Z brings it back).")

    def move_under(self, code_id: str) -> None:
        """Pick a new parent issue (or the top level) from a list."""
        code = self._code(code_id)
        if code is None or code.kind is not CodeKind.ISSUE:
            self.message.emit("Only issues sit in a tree.")
            return
        store = self.project.store
        inside = {
            c.id for c in store.codes.all(CodeKind.ISSUE) if code.id in store.codes.ancestors(c.id)
        }
        choices = [(TOP_LEVEL, "(top level)", "")] + [
            (c.id, c.name, c.colour)
            for c in store.codes.all(CodeKind.ISSUE)
            if c.id != code.id and c.id not in inside
        ]
        parent = choose_code(
            self._parent, "Move issue", f"Move “{code.name}” under which issue?", choices,
            current=code.parent_id or TOP_LEVEL,
        )  # fmt: skip
        if parent is not None:
            self.reparent(code_id, parent or None)

    def reparent(self, code_id: str, parent_id: str | None) -> None:
        code = self._code(code_id)
        if code is None or code.parent_id == parent_id:
            return
        if self.run(lambda: self.project.codebook.reparent(code_id, parent_id)):
            where = self.project.store.codes.get(parent_id).name if parent_id else None
            self.message.emit(
                f"Moved “{code.name}” " + (f"under “{where}”." if where else "to the top level.")
            )

    def create(self, kind: CodeKind, parent_id: str | None = None) -> Code | None:
        name, ok = QInputDialog.getText(self._parent, f"New {kind.value}", "Name:")
        if not ok or not name.strip():
            return None
        change = self.run(lambda: self.project.codebook.create(kind, name, parent_id=parent_id))
        return change.code if change else None

    def edit(self, code_id: str, fields: CodeEdit) -> bool:
        """Several fields of one code as one Change (the manager's Apply)."""
        return self.run(lambda: self.project.codebook.edit(code_id, **fields)) is not None
