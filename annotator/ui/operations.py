"""The window's one way to write: run a service call that returns a Change, push it on the
undo stack (which announces it on the hub), and report a failure by one policy wherever the
edit came from (modelled on Anki's CollectionOp):

- a write SQLite could not make (``WriteError``: a full disk, a read-only file) is a "Not
  saved" dialog: the coder must know their work is not in the file;
- an edit the services refused (any other ``AnnotatorError``: a validation, a conflict) is a
  line in the status bar: nothing was written and the reason is short;
- any other exception is a bug: a dialog with the traceback, which is also appended to a log
  file in the user's data folder so that it can be sent with a report.

The dialogs go through ``report_failure``, a plain callable, so tests see what would have been
shown without a modal dialog blocking them.
"""

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.core.errors import AnnotatorError
from annotator.services.changes import Change
from annotator.services.project import Project, WriteError, app_data_dir
from annotator.ui import commands
from annotator.ui.hub import SignalHub

log = logging.getLogger(__name__)

#: Unexpected errors of the window, appended with their tracebacks (in the user's data folder).
ERROR_LOG = "errors.log"


@dataclass(frozen=True, slots=True)
class Failure:
    """What the coder is shown: a title, a message, and for a bug its traceback."""

    title: str
    text: str
    details: str = ""  # the traceback of an unexpected error
    log_file: Path | None = None  # where that traceback was saved too


def error_log_path() -> Path:
    return app_data_dir() / "logs" / ERROR_LOG


def show_failure(parent: QWidget | None, failure: Failure) -> None:
    """The default ``report_failure``: a critical message box, with the traceback folded
    away under "Show Details" for a bug."""
    if not failure.details:
        QMessageBox.critical(parent, failure.title, failure.text)
        return
    box = QMessageBox(QMessageBox.Icon.Critical, failure.title, failure.text, parent=parent)
    box.setDetailedText(failure.details)
    box.exec()


class Operations(QObject):
    #: a refused edit, one line for the status bar
    message = Signal(str)

    def __init__(
        self,
        project: Project,
        hub: SignalHub,
        stack: QUndoStack,
        parent: QWidget | None = None,
        *,
        report_failure: Callable[[Failure], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project  # the window sets the new one when it switches projects
        self.hub = hub
        self.stack = stack
        self.report_failure: Callable[[Failure], None] = report_failure or (
            lambda failure: show_failure(parent, failure)
        )

    def run(self, action: Callable[[], Change], *, text: str = "") -> Change | None:
        """Do one edit through a service and make it undoable (``text``: the undo entry's,
        when not the Change's own description). Returns the Change, or None when it failed
        (and the failure was reported); an edit that changed nothing leaves no undo entry."""
        try:
            return commands.run(self.stack, self.project, self.hub, action, text=text)
        except Exception as exc:  # every failure is reported by the one policy below
            self.fail(exc)
            return None

    def fail(self, exc: BaseException) -> None:
        """Report ``exc`` by the policy in the module's docstring: also for work that ran on
        a worker thread (an import, a merge) and failed there."""
        if isinstance(exc, WriteError):
            self.report_failure(Failure("Not saved", str(exc)))
        elif isinstance(exc, AnnotatorError):
            self.message.emit(str(exc))
        else:
            self.report_failure(unexpected(exc))


def unexpected(exc: BaseException) -> Failure:
    """A bug: its traceback for the dialog, appended to the error log with the time."""
    details = "".join(traceback.format_exception(exc))
    log.error("Unexpected error in the window:\n%s", details)
    path = error_log_path()
    saved: Path | None = path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {datetime.now().astimezone().isoformat(timespec='seconds')}\n")
            handle.write(details)
        where = f"The details were also saved to {path}: please send that file with a report."
    except OSError as failed:  # a full disk: the dialog still shows the traceback
        saved = None
        where = f"The details could not be saved to a log file ({failed})."
    text = (
        f"Annotator ran into an error it did not expect, so this was not done: "
        f"{type(exc).__name__}: {exc}\n\nThe project stays consistent: a change is saved "
        f"whole or not at all. {where}"
    )
    return Failure("Unexpected error", text, details, saved)
