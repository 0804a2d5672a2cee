"""What the window remembers between runs, in QSettings: who is coding, window geometry,
recent projects, and the last article opened in each project."""

import getpass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8


class AppSettings:
    def __init__(self, settings: QSettings | None = None) -> None:
        self._s = settings or QSettings()

    @property
    def annotator(self) -> str:
        return str(self._s.value("annotator", "") or "")

    @annotator.setter
    def annotator(self, name: str) -> None:
        self._s.setValue("annotator", name.strip())

    @staticmethod
    def login_name() -> str:
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return ""

    def geometry(self, key: str) -> QByteArray | None:
        value = self._s.value(f"window/{key}")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, key: str, value: QByteArray) -> None:
        self._s.setValue(f"window/{key}", value)

    def recent_projects(self) -> list[Path]:
        value: Any = self._s.value("recent_projects", []) or []  # a list, or a str if only one
        if isinstance(value, str):
            value = [value]
        return [Path(p) for p in value if p]

    def add_recent_project(self, path: Path) -> None:
        paths = [str(path)] + [str(p) for p in self.recent_projects() if p != path]
        self._s.setValue("recent_projects", paths[:MAX_RECENT])

    def last_article(self, project: Path) -> str:
        return str(self._s.value(f"last_article/{_key(project)}", "") or "")

    def set_last_article(self, project: Path, article_id: str) -> None:
        self._s.setValue(f"last_article/{_key(project)}", article_id)

    def snap_to_words(self) -> bool:
        return str(self._s.value("snap_to_words", "true")).lower() == "true"

    def set_snap_to_words(self, on: bool) -> None:
        self._s.setValue("snap_to_words", "true" if on else "false")

    def show_suggestions(self) -> bool:
        return str(self._s.value("show_suggestions", "true")).lower() == "true"

    def set_show_suggestions(self, on: bool) -> None:
        self._s.setValue("show_suggestions", "true" if on else "false")

    def last_import_source(self, project: Path | None) -> str:
        """The source last typed for an import into ``project``: outlets differ by project."""
        return str(self._s.value(f"import_source/{_key(project)}", "") or "")

    def set_last_import_source(self, project: Path | None, name: str) -> None:
        self._s.setValue(f"import_source/{_key(project)}", name)

    def export_folder(self, kind: str) -> Path | None:
        """The folder the last export of ``kind`` (table, chart, codebook) went to."""
        value = str(self._s.value(f"export_folder/{kind}", "") or "")
        return Path(value) if value else None

    def set_export_folder(self, kind: str, folder: Path) -> None:
        self._s.setValue(f"export_folder/{kind}", str(folder))

    def sync(self) -> None:
        self._s.sync()


def _key(path: Path | None) -> str:
    # QSettings keys treat "/" as groups; a path must become one flat key.
    return str(path.resolve() if path else "").replace("/", "|").replace("\\", "|")
