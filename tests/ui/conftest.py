from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from annotator.services.project import Project, open_project
from annotator.ui.shell.main_window import MainWindow
from annotator.ui.shell.settings import AppSettings
from tests.conftest import TRICKY_TEXT


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def gui_project(tmp_path: Path) -> Iterator[Project]:
    with open_project(tmp_path / "gui.annotator", annotator="alice") as project:
        project.articles.add(TRICKY_TEXT, source="Test Wire", title="Tricky")
        yield project


@pytest.fixture
def window(qtbot, gui_project: Project, settings: AppSettings) -> MainWindow:
    main = MainWindow(gui_project, settings)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main
