"""The daily backup runs on another thread (``open_project(background_backup=True)``); this
tells the researcher when it failed, once it is done, without holding up the window."""

from concurrent.futures import Future

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

POLL_MS = 250


def watch_backup(parent: QWidget, backup: Future[str | None] | None) -> None:
    """Poll ``backup`` from the event loop (a Qt object must not be touched from the backup's
    thread) and show its warning, if any, when it finishes."""
    if backup is None:
        return
    timer = QTimer(parent, interval=POLL_MS)

    def poll() -> None:
        if not backup.done():
            return
        timer.stop()
        timer.deleteLater()
        failure = backup.exception()
        warning = f"The daily backup was not written: {failure}" if failure else backup.result()
        if warning:
            QMessageBox.warning(parent, "Annotator", warning)

    timer.timeout.connect(poll)
    timer.start()
