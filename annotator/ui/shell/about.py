"""Help > About: the version, the licence, and the notices of the components the app is built
on (Qt and PySide6 under the LGPL v3, with where to get their source), as the bundle carries
them in resources/licenses/."""

from importlib.metadata import PackageNotFoundError, version

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.core.errors import AnnotatorError
from annotator.resources import resource_path


def about_box(parent: QWidget) -> QMessageBox:
    try:
        own = version("annotator")
    except PackageNotFoundError:
        own = "from source"
    text = (
        f"Annotator {own}, under the MIT licence.\n\n"
        f"Built on Qt {qVersion()} and PySide6 {pyside_version}, used under the GNU LGPL v3 "
        "(their source: download.qt.io and code.qt.io), and on numpy, pyqtgraph, sqlite-utils, "
        "PyYAML, chardet and trafilatura. Show Details for every notice; the licence texts "
        "are in the resources/licenses folder."
    )
    box = QMessageBox(QMessageBox.Icon.Information, "About Annotator", text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDetailedText(notice_text())
    return box


def notice_text() -> str:
    try:
        return resource_path("licenses", "NOTICE.txt").read_text(encoding="utf-8")
    except (AnnotatorError, OSError) as exc:
        return f"The notices file could not be read ({exc})."


def show_about(parent: QWidget) -> None:
    about_box(parent).exec()
