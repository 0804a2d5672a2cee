"""Long work on the open project (an import, a merge) on a worker thread, so the window
stays responsive and never holds a transaction open across its event loop.

The worker opens the project again, on its own connection (``open_project``: a second open
in this process shares the window's lock, and takes no daily backup), runs the work with the
services bound to that connection, and closes it before it ends. Its progress and its
outcome come back through signals, queued to the window's thread; the two connections write
in turns (see ``store.project_file``), so an edit the coder makes meanwhile waits for the
import's current batch rather than failing. Cancelling sets a flag the work checks between
files.

A project in memory (tests, previews) has no file to open twice: its work runs on the
window's thread, inside ``start()``, with the same signals.

A ``Task`` is work that needs no project at all: a pure function of a snapshot it was handed
(an article's text and the speaker codes, to detect suggestions in). It always runs on a
thread of its own and opens no connection, so nothing of SQLite crosses threads.
"""

import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QThread, Signal

from annotator.services.project import Project, open_project

#: How long a thread running Python keeps the interpreter when another thread wants it. Python's
#: 5 ms made a key typed while suggestions were detected wait 11 ms (median) on the UI thread,
#: which crosses into Python several times per key; at 1 ms it waited 1.5 ms
#: (``python -m benchmarks --only suggestions``).
SWITCH_INTERVAL_S = 0.001


class JobControl:
    """What the work sees of its job: whether to stop, and where to say how far it got."""

    def __init__(self, job: "Job") -> None:
        self._job = job

    @property
    def cancelled(self) -> bool:
        return self._job.cancelled

    def report(self, done: int, total: int, text: str = "") -> None:
        self._job.progress.emit(done, total, text)


#: The work: given the project bound to the worker's own connection, returns its outcome.
Work = Callable[[Project, JobControl], Any]


class _Thread(QThread):
    def __init__(self, job: "Job") -> None:
        super().__init__()
        self.setObjectName("annotator-job")
        self._job = job

    def run(self) -> None:
        self._job.run_here(own_connection=self._job.needs_project)


class Job(QObject):
    #: how far the work got: done, total (0 when not known), a line to show
    progress = Signal(int, int, str)
    #: the work returned this (on the window's thread, once the worker has ended)
    succeeded = Signal(object)
    #: the work raised this exception (likewise)
    failed = Signal(object)
    #: after ``succeeded`` or ``failed``: the job is over
    finished = Signal()

    def __init__(self, project: Project | None, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self._work = work
        self._cancel = threading.Event()
        self._thread: _Thread | None = None
        self._outcome: tuple[bool, Any] | None = None
        self.running = False

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def needs_project(self) -> bool:
        return self._project is not None

    def cancel(self) -> None:
        """Ask the work to stop at its next check (between two files)."""
        self._cancel.set()

    def start(self) -> None:
        self.running = True
        if sys.getswitchinterval() > SWITCH_INTERVAL_S:
            sys.setswitchinterval(SWITCH_INTERVAL_S)
        if self._project is not None and self._project.path is None:
            self.run_here(own_connection=False)
            self._report()
            return
        self._thread = _Thread(self)
        self._thread.finished.connect(self._report)
        self._thread.start()

    def stop(self) -> None:
        """Ask the work to stop and block until it has (a window closing while an import
        runs); the outcome is announced before this returns."""
        if not self.running:
            return
        self.cancel()
        if self._thread is not None:
            self._thread.wait()
        self._report()

    def run_until_finished(self) -> Any:
        """Start, and run the window's event loop until the job is over: the caller goes on
        with the work's result (or its exception, raised here) as after a modal dialog,
        while the window repaints, a progress dialog's Cancel works and timers fire."""
        loop = QEventLoop()
        self.finished.connect(loop.quit)
        self.start()
        if self.running:
            loop.exec()
        assert self._outcome is not None
        ok, value = self._outcome
        if not ok:
            raise value
        return value

    def run_here(self, *, own_connection: bool) -> None:
        """Run the work on the calling thread; with ``own_connection`` through a project
        opened for it, closed again before the work's outcome is announced."""
        try:
            if own_connection:
                assert self._project is not None and self._project.path is not None
                annotator = self._project.annotations.annotator
                with open_project(self._project.path, annotator=annotator, create=False) as own:
                    result = self._call(own)
            else:
                result = self._call(self._project)
        except Exception as exc:  # handed to the window, which reports it
            self._outcome = (False, exc)
        else:
            self._outcome = (True, result)

    def _call(self, project: Project | None) -> Any:
        assert project is not None
        return self._work(project, JobControl(self))

    def _report(self) -> None:
        """On the window's thread, once: the outcome, then ``finished``."""
        if not self.running or self._outcome is None:
            return
        if self._thread is not None:
            self._thread.wait()  # ``finished`` comes just before the thread has ended
        self.running = False
        ok, value = self._outcome
        (self.succeeded if ok else self.failed).emit(value)
        self.finished.emit()


class Task(Job):
    """Work on a snapshot, with no project: ``work(control)`` runs on a thread of its own
    (never inside ``start()``), so the window goes on handling keys meanwhile."""

    def __init__(self, work: Callable[[JobControl], Any], parent: QObject | None = None) -> None:
        super().__init__(None, lambda _project, control: work(control), parent)
        self._pure = work

    def _call(self, project: Project | None) -> Any:
        return self._pure(JobControl(self))
