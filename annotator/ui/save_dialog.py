"""Where an export is saved, and where an import's file dialog opens: first the user's
documents folder (never the working directory, which may be the app's source folder, nor the
project's data folder), then the folder last used for the same kind, remembered across runs."""

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from annotator.ui.shell.settings import AppSettings


def documents_folder() -> Path:
    """The user's documents folder, or their home when it has none (a dialog shown a missing
    folder falls back to the last one it visited)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


def start_folder(parent: QWidget, kind: str) -> Path:
    """Where a file dialog for ``kind`` opens: its last folder, else the documents folder."""
    folder = settings_of(parent).export_folder(kind)
    return folder if folder is not None and folder.is_dir() else documents_folder()


def remember_folder(parent: QWidget, kind: str, folder: Path) -> None:
    settings_of(parent).set_export_folder(kind, folder)


def ask_save_path(
    parent: QWidget, kind: str, title: str, name: str, file_filter: str
) -> Path | None:
    """A save dialog proposing ``name`` in the folder of ``kind``'s last export ("table",
    "chart", "codebook"); None when cancelled. The folder chosen is remembered."""
    folder = start_folder(parent, kind)
    path, _ = QFileDialog.getSaveFileName(parent, title, str(folder / name), file_filter)
    if not path:
        return None
    remember_folder(parent, kind, Path(path).parent)
    return Path(path)


def settings_of(widget: QWidget) -> AppSettings:
    """The window's settings (a test gives the window its own), else the user's."""
    found = getattr(widget.window(), "settings", None)
    return found if isinstance(found, AppSettings) else AppSettings()
