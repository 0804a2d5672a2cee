"""Where an export is saved: first in the user's documents folder (never the working
directory, which may be the app's source folder, nor the project's data folder), then where
the last export of the same kind went, remembered across runs."""

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from annotator.ui.shell.settings import AppSettings


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def ask_save_path(
    parent: QWidget, kind: str, title: str, name: str, file_filter: str
) -> Path | None:
    """A save dialog proposing ``name`` in the folder of ``kind``'s last export ("table",
    "chart", "codebook"); None when cancelled. The folder chosen is remembered."""
    settings = settings_of(parent)
    folder = settings.export_folder(kind)
    if folder is None or not folder.is_dir():
        folder = documents_folder()
    path, _ = QFileDialog.getSaveFileName(parent, title, str(folder / name), file_filter)
    if not path:
        return None
    settings.set_export_folder(kind, Path(path).parent)
    return Path(path)


def settings_of(widget: QWidget) -> AppSettings:
    """The window's settings (a test gives the window its own), else the user's."""
    found = getattr(widget.window(), "settings", None)
    return found if isinstance(found, AppSettings) else AppSettings()
