"""Starting the window: the one place that creates the QApplication."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from annotator.core.errors import AnnotatorError
from annotator.resources import resource_path
from annotator.services.project import APP_NAME, ProjectInUseError, open_project
from annotator.ui.shell.theme import follow_colour_scheme

if TYPE_CHECKING:
    from annotator.ui.shell.settings import AppSettings


def create_application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setWindowIcon(QIcon(str(resource_path("icons", "annotator.png"))))
    follow_colour_scheme(app)
    return app


def run_app(project_path: Path | None = None, *, annotator: str | None = None) -> int:
    app = create_application()
    from annotator.ui.shell.main_window import MainWindow  # after the QApplication exists
    from annotator.ui.shell.settings import AppSettings

    settings = AppSettings()
    name = annotator or settings.annotator or _ask_annotator(settings)
    if not name:
        return 1
    try:
        project = open_project(project_path, annotator=name, background_backup=True)
    except ProjectInUseError as exc:  # another window has it: say who, and touch nothing
        QMessageBox.warning(None, "Project in use", str(exc))
        return 2
    except AnnotatorError as exc:
        QMessageBox.critical(None, "Cannot open project", str(exc))
        return 2
    window = MainWindow(project, settings)
    window.show()
    try:
        return app.exec()
    finally:
        window.project.close()


def _ask_annotator(settings: "AppSettings") -> str:
    """Asked once: every annotation records who made it."""
    name, ok = QInputDialog.getText(
        None,
        "Welcome to Annotator",
        "Your name, recorded on every annotation you make\n"
        "(you can change it in File > Coder name):",
        text=settings.login_name(),
    )
    if ok and name.strip():
        settings.annotator = name
        return name.strip()
    return ""
