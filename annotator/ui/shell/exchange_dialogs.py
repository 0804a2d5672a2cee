"""File > Export project as REFI-QDA…, Import REFI-QDA project… and Export network…: the
window's side of ``annotator export --qdpx``, ``import --format qdpx`` and ``export
--network``. Loaded on first use (``file_actions``), like the other transfer dialogs."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.networks import NetworkMode
from annotator.services.interchange.networks import export_network
from annotator.services.interchange.refi.qdpx_export import export_qdpx
from annotator.services.interchange.refi.qdpx_import import QdpxImport, import_qdpx
from annotator.services.project import Project
from annotator.ui.workers import Job, JobControl

QDPX_FILTER = "REFI-QDA projects (*.qdpx);;REFI-QDA codebooks (*.qdc);;All files (*)"
MODE_HELP = {
    NetworkMode.ACTOR_ISSUE: "Speakers and the issues they make claims on (weight: claims)",
    NetworkMode.ACTOR_CONGRUENCE: "Speakers who take the same stance on the same issue",
    NetworkMode.ACTOR_CONFLICT: "Speakers who take opposite stances on the same issue",
    NetworkMode.ISSUE_COOCCURRENCE: "Issues tagged on the same claim",
}


def _suggested(project: Project, suffix: str) -> str:
    return str(project.path.with_suffix(suffix)) if project.path else f"project{suffix}"


def export_qdpx_file(parent: QWidget, project: Project) -> str:
    """Ask where, write the .qdpx, and return a status line (empty when cancelled)."""
    path, _ = QFileDialog.getSaveFileName(
        parent, "Export project as REFI-QDA", _suggested(project, ".qdpx"), QDPX_FILTER
    )
    if not path:
        return ""
    try:
        done = export_qdpx(project.store, Path(path))
    except (AnnotatorError, OSError) as exc:
        QMessageBox.critical(parent, "Export failed", f"Nothing was written to {path}:\n{exc}")
        return ""
    return f"{done.articles} articles with {done.annotations} annotations exported to {path}"


def import_qdpx_file(parent: QWidget, project: Project) -> bool:
    """Ask for a file and import it on a worker thread, all or nothing; shows the summary
    or the one reason it was refused. True when something was imported."""
    path, _ = QFileDialog.getOpenFileName(parent, "Import REFI-QDA project", "", QDPX_FILTER)
    if not path:
        return False

    def work(worker: Project, _control: JobControl) -> QdpxImport:
        return import_qdpx(worker, Path(path))

    job = Job(project, work, parent)
    try:
        result: QdpxImport = job.run_until_finished()
    except AnnotatorError as exc:
        _show(parent, QMessageBox.Icon.Warning, f"Nothing was imported.\n{exc}")
        return False
    finally:
        job.deleteLater()
    lines = result.summary_lines(Path(path).name)
    _show(parent, QMessageBox.Icon.Information, "\n".join(lines[:12]), "\n".join(lines))
    return True


def _show(parent: QWidget, icon: QMessageBox.Icon, text: str, details: str = "") -> None:
    box = QMessageBox(icon, "Import REFI-QDA project", text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # names from another tool are shown as given
    if details.count("\n") >= 12:
        box.setDetailedText(details)
    box.exec()


class NetworkDialog(QDialog):
    """The mode and the filters of a network export; Save asks for the file."""

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export network")
        self.project = project
        self.mode = QComboBox()
        for mode in NetworkMode:
            self.mode.addItem(mode.value, mode)
            self.mode.setItemData(
                self.mode.count() - 1, MODE_HELP[mode], Qt.ItemDataRole.ToolTipRole
            )
        self.help = QLabel()
        self.help.setWordWrap(True)
        self.mode.currentIndexChanged.connect(self._explain)
        self.source = self._choices("All sources", [s.name for s in project.store.sources.all()])
        coders = project.store.annotations.annotators()
        self.coder = self._choices("All coders", coders)
        self.date_from = QLineEdit(placeholderText="e.g. 2024-01")
        self.date_to = QLineEdit(placeholderText="e.g. 2024-12-31")
        form = QFormLayout(self)
        form.addRow("Network:", self.mode)
        form.addRow("", self.help)
        form.addRow("Source:", self.source)
        form.addRow("Coder:", self.coder)
        form.addRow("Published from:", self.date_from)
        form.addRow("Published to:", self.date_to)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.message = ""
        self._explain()

    def _choices(self, everything: str, names: list[str]) -> QComboBox:
        box = QComboBox()
        box.addItem(everything, None)
        for name in sorted(names, key=str.casefold):
            box.addItem(name, name)
        return box

    def _explain(self) -> None:
        self.help.setText(MODE_HELP[NetworkMode(self.mode.currentData())])

    def save(self, path: str | None = None) -> None:
        """Ask for the file (unless given, as tests do), write it, and close."""
        mode = NetworkMode(self.mode.currentData())
        if path is None:
            suggested = _suggested(self.project, f".{mode.value}.graphml")
            path, _ = QFileDialog.getSaveFileName(
                self, "Export network", suggested, "GraphML (*.graphml)"
            )
        if not path:
            return
        source, coder = self.source.currentData(), self.coder.currentData()
        try:
            done = export_network(
                self.project.store, Path(path), mode,
                sources=[source] if source else [], annotators=[coder] if coder else [],
                date_from=self.date_from.text().strip() or None,
                date_to=self.date_to.text().strip() or None,
            )  # fmt: skip
        except (AnnotatorError, OSError) as exc:
            QMessageBox.critical(self, "Export failed", f"Nothing was written to {path}:\n{exc}")
            return
        self.message = (
            f"{mode.value} network ({done.nodes} nodes, {done.edges} edges) saved to {path}"
        )
        self.accept()


def export_network_file(parent: QWidget, project: Project) -> str:
    dialog = NetworkDialog(project, parent)
    dialog.exec()
    return dialog.message
