"""Undo and redo. Every edit is one QUndoCommand holding the Change the service made; undo
writes the rows from before it, redo the rows from after, through the same services' writer,
so both are plain committed rows and survive a restart."""

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.services.changes import Change, apply_change
from annotator.services.project import Project
from annotator.ui.hub import SignalHub


class ChangeCommand(QUndoCommand):
    def __init__(self, project: Project, hub: SignalHub, change: Change, text: str = "") -> None:
        super().__init__(text or change.description.capitalize())
        self._project = project
        self._hub = hub
        self.change = change
        self._done = True  # the service already wrote it when the user acted

    def redo(self) -> None:
        if self._done:
            self._done = False
            announce(self._hub, self.change)
        else:
            self._write(self.change)

    def undo(self) -> None:
        self._write(self.change.inverse())

    def _write(self, change: Change) -> None:
        """A write that fails (a locked or full disk) changed nothing, so the history no
        longer matches the file: the command drops out and the window is told (and nothing
        is announced, since nothing changed)."""
        try:
            apply_change(self._project.store, change)
        except Exception as exc:  # any failure of the write, reported to the coder
            self.setObsolete(True)
            self._hub.write_failed.emit(f"{change.description.capitalize()} failed: {exc}")
            return
        announce(self._hub, change)


def announce(hub: SignalHub, change: Change) -> None:
    """Tell every widget what ``change`` (as written) touched: ``change_written`` with the
    rows, for a widget to patch itself from (rejected suggestions are announced only there),
    then the narrower signals for those that only need to know what to reload."""
    hub.change_written.emit(change)
    if change.code_ids:
        hub.codes_changed.emit()
    for article_id in sorted(
        {s.article_id for s in change.before.statuses + change.after.statuses}
    ):
        hub.status_changed.emit(article_id)
    for article_id in sorted(
        {a.article_id for a in change.before.annotations + change.after.annotations}
        | {d.article_id for d in change.before.decisions + change.after.decisions}
    ):
        hub.annotations_changed.emit(article_id)


def run(
    stack: QUndoStack,
    project: Project,
    hub: SignalHub,
    action: Callable[[], Change],
    *,
    text: str = "",
) -> Change:
    """Do one user action through a service and make it undoable (``text``: the undo entry,
    when not the Change's description). An action that changed nothing leaves no entry on the
    stack. Failures propagate: the window's widgets go through ``operations.Operations``,
    which reports them."""
    change = action()
    if not change.is_empty:
        stack.push(ChangeCommand(project, hub, change, text))
    return change
