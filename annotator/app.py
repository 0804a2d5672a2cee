"""Starting the window: the one place that creates the QApplication."""

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from annotator.core.errors import AnnotatorError
from annotator.services.project import APP_NAME, open_project


def run_app(project_path: Path | None = None, *, annotator: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    from annotator.ui.main_window import MainWindow  # after the QApplication exists

    try:
        project = open_project(project_path, annotator=annotator)
    except AnnotatorError as exc:
        from annotator.ui.dialogs import show_error

        show_error(None, "Cannot open project", str(exc))
        return 2
    window = MainWindow(project)
    window.show()
    try:
        return app.exec()
    finally:
        project.close()
