"""Importing articles and exporting annotations from the window: file dialogs, a progress
dialog that can be cancelled, and a summary of what was refused. The work itself is done by
the same services as ``annotator import`` and ``annotator export``; an import runs on a
worker thread with its own connection (``ui.workers``)."""

from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.services.interchange import codebook_files, importing
from annotator.services.interchange.csv_export import export_annotations_csv
from annotator.services.project import Project
from annotator.ui.workers import Job, JobControl, Work

IMPORT_FILTER = "Articles (*.txt *.md *.html *.htm);;All files (*)"


def choose_import_paths(parent: QWidget) -> list[Path]:
    files, _ = QFileDialog.getOpenFileNames(parent, "Import articles", "", IMPORT_FILTER)
    return [Path(f) for f in files]


def choose_import_folder(parent: QWidget) -> list[Path]:
    folder = QFileDialog.getExistingDirectory(parent, "Import a folder of articles")
    return [Path(folder)] if folder else []


def ask_source(parent: QWidget, default: str) -> str | None:
    """The outlet for files that name none (front matter or manifest take precedence)."""
    name, ok = QInputDialog.getText(
        parent,
        "Import articles",
        "Source (outlet) for files that do not name one:",
        text=default,
    )
    return name.strip() if ok else None


@dataclass(frozen=True, slots=True)
class ImportRun:
    """What an import from the window did, for its summary."""

    planned: int  # importable files found
    outcomes: tuple[importing.ImportOutcome, ...]
    cancelled: bool
    failure: str  # why the import stopped early, or ""


def import_work(paths: list[Path], source: str | None) -> Work:
    """The import as a job's work: on the worker's thread and connection, reporting each
    file and checking for Cancel between files."""

    def work(project: Project, control: JobControl) -> ImportRun:
        items = importing.plan_import(paths)
        outcomes: list[importing.ImportOutcome] = []
        cancelled = False
        failure = ""
        if not items:
            return ImportRun(0, (), cancelled, failure)
        control.report(0, len(items), "Importing…")
        # closing(): the last batch commits when the loop ends, cancelled or not, and a commit
        # that fails (a full disk) is reported here rather than lost with the generator.
        try:
            with closing(importing.import_items(project, items, source=source)) as running:
                for done, outcome in enumerate(running, start=1):
                    outcomes.append(outcome)
                    name = outcome.path.name
                    control.report(done, len(items), f"Importing {name} ({done} of {len(items)})")
                    if control.cancelled:
                        cancelled = True
                        break
        except AnnotatorError as exc:
            failure = str(exc)
        return ImportRun(len(items), tuple(outcomes), cancelled, failure)

    return work


def run_import(
    parent: QWidget,
    project: Project,
    paths: list[Path],
    source: str | None,
    on_error: Callable[[Exception], None],
) -> int:
    """Import on a worker thread with a cancellable progress dialog, then show a summary;
    returns how many articles were added. An unexpected error goes to ``on_error``."""
    job = Job(project, import_work(paths, source or None), parent)
    progress = QProgressDialog("Importing…", "Cancel", 0, 0, parent)
    progress.setWindowTitle("Import articles")
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(400)
    progress.canceled.connect(job.cancel)

    def step(done: int, total: int, text: str) -> None:
        if not progress.wasCanceled():  # a late report must not show the dialog again
            progress.setMaximum(total)
            progress.setValue(done)
            progress.setLabelText(text)

    job.progress.connect(step)
    try:
        run: ImportRun = job.run_until_finished()
    except Exception as exc:  # a bug, or the project could not be opened again
        on_error(exc)
        return 0
    finally:
        progress.close()
        progress.deleteLater()
        job.deleteLater()
    if not run.planned:
        QMessageBox.information(parent, "Import articles", "No importable files were found.")
        return 0
    report = importing.ImportReport.from_outcomes(list(run.outcomes))
    lines = report.summary_lines()
    if run.cancelled:
        lines.append(f"Cancelled after {len(run.outcomes)} of {run.planned} files.")
    if run.failure:
        lines.append(
            f"The import stopped: {run.failure} Files reported since the last save may be "
            "missing: import them again (those already in the project are skipped as "
            "duplicates)."
        )
    box = QMessageBox(
        QMessageBox.Icon.Warning if report.rejected else QMessageBox.Icon.Information,
        "Import articles",
        lines[-1] if lines else "Done.",
        parent=parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)  # file names are shown as they are
    if len(lines) > 1:
        box.setDetailedText("\n".join(lines))
    box.exec()
    return report.imported


def export_csv(parent: QWidget, project: Project) -> str:
    """Ask where, write the CSV, and return a status line (empty when cancelled)."""
    suggested = project.path.with_suffix(".csv") if project.path else Path("annotations.csv")
    path, _ = QFileDialog.getSaveFileName(
        parent, "Export annotations as CSV", str(suggested), "CSV files (*.csv)"
    )
    if not path:
        return ""
    progress = QProgressDialog("Exporting…", "", 0, 0, parent)
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(400)

    def step(done: int, total: int) -> None:
        progress.setMaximum(total)
        progress.setValue(done)
        QApplication.processEvents()

    try:
        rows = export_annotations_csv(project.store, Path(path), on_progress=step)
    except (AnnotatorError, OSError) as exc:
        QMessageBox.critical(parent, "Export failed", f"Nothing was written to {path}:\n{exc}")
        return ""
    finally:
        progress.close()
    return f"{rows} annotations exported to {path}"


CODEBOOK_FILTER = "Codebook (*.csv *.json *.qdc)"


def export_codebook(parent: QWidget, project: Project) -> str:
    path, _ = QFileDialog.getSaveFileName(
        parent, "Export codebook", "codebook.csv", CODEBOOK_FILTER
    )
    if not path:
        return ""
    try:
        count = codebook_files.export_codebook(project.store, Path(path))
    except (AnnotatorError, OSError) as exc:
        QMessageBox.critical(parent, "Export failed", f"Nothing was written to {path}:\n{exc}")
        return ""
    return f"{count} codes exported to {path}"


def import_codebook(parent: QWidget, project: Project) -> str:
    """Add the codes of a shared codebook; differences from ours are listed, not applied."""
    path, _ = QFileDialog.getOpenFileName(parent, "Import codebook", "", CODEBOOK_FILTER)
    if not path:
        return ""
    try:
        result = codebook_files.import_codebook(project.store, Path(path))
    except (AnnotatorError, OSError) as exc:
        QMessageBox.critical(parent, "Import failed", f"No code was added:\n{exc}")
        return ""
    summary = f"{len(result.added)} codes added, {result.unchanged} already present."
    if result.conflicts:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Import codebook",
            f"{summary}\n{len(result.conflicts)} codes differ from this project's; "
            "they were left as they are.",
            parent=parent,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDetailedText("\n".join(result.conflicts))
        box.exec()
    return summary
