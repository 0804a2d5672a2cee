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
from annotator.core.wording import plural
from annotator.services.interchange import codebook_files, importing
from annotator.services.interchange.csv_export import export_annotations_csv
from annotator.services.project import Project
from annotator.ui.save_dialog import ask_save_path, remember_folder, start_folder
from annotator.ui.workers import Job, JobControl, Work

IMPORT_FILTER = "Articles (*.txt *.md *.html *.htm);;All files (*)"


def choose_import_paths(parent: QWidget) -> list[Path]:
    start = str(start_folder(parent, "import"))
    files, _ = QFileDialog.getOpenFileNames(parent, "Import articles", start, IMPORT_FILTER)
    if files:
        remember_folder(parent, "import", Path(files[0]).parent)
    return [Path(f) for f in files]


def choose_import_folder(parent: QWidget) -> list[Path]:
    start = str(start_folder(parent, "import"))
    folder = QFileDialog.getExistingDirectory(parent, "Import a folder of articles", start)
    if folder:
        remember_folder(parent, "import", Path(folder).parent)
    return [Path(folder)] if folder else []


def ask_source(parent: QWidget, default: str, count: int = 0) -> str | None:
    """The outlet for the ``count`` files that name none (front matter or manifest do)."""
    files = f"{plural(count, 'file')} of this import" if count else "Files that"
    verb, them = ("names", "it") if count == 1 else ("name", "them")
    name, ok = QInputDialog.getText(
        parent,
        "Import articles",
        f"{files} {verb} no source (outlet) in front matter or manifest.\nSource for {them}:",
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
    ask: Callable[[int], str | None],
    on_error: Callable[[Exception], None],
) -> int:
    """Import on a worker thread with a cancellable progress dialog, then show a summary;
    returns how many articles were added. Files that name no source are imported after
    the others, with the source ``ask`` returns when told how many they are (not asked when
    every file names one). An unexpected error goes to ``on_error``."""
    run = _run_job(parent, project, paths, None, on_error)
    if run is None:
        return 0
    lacking = [o.path for o in run.outcomes if o.reason == importing.NO_SOURCE]
    if lacking and not run.failure:  # also after Cancel: these files were read already
        source = ask(len(lacking))
        again = _run_job(parent, project, lacking, source, on_error) if source else None
        if again is not None:
            kept = tuple(o for o in run.outcomes if o.reason != importing.NO_SOURCE)
            cancelled = run.cancelled or again.cancelled
            run = ImportRun(run.planned, kept + again.outcomes, cancelled, again.failure)
    return _summarize(parent, run)


def _run_job(
    parent: QWidget,
    project: Project,
    paths: list[Path],
    source: str | None,
    on_error: Callable[[Exception], None],
) -> ImportRun | None:
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
        return None
    finally:
        progress.close()
        progress.deleteLater()
        job.deleteLater()
    return run


def _summarize(parent: QWidget, run: ImportRun) -> int:
    """Show what the import did; returns how many articles were added."""
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
    name = project.path.with_suffix(".csv").name if project.path else "annotations.csv"
    path = ask_save_path(parent, "table", "Export annotations as CSV", name, "CSV files (*.csv)")
    if path is None:
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
        rows = export_annotations_csv(project.store, path, on_progress=step)
    except (AnnotatorError, OSError) as exc:
        QMessageBox.critical(parent, "Export failed", f"Nothing was written to {path}:\n{exc}")
        return ""
    finally:
        progress.close()
    return f"{plural(rows, 'annotation')} exported to {path}"


CODEBOOK_FILTER = "Codebook (*.csv *.json *.qdc)"


def export_codebook(parent: QWidget, project: Project) -> str:
    path = ask_save_path(parent, "codebook", "Export codebook", "codebook.csv", CODEBOOK_FILTER)
    if path is None:
        return ""
    try:
        count = codebook_files.export_codebook(project.store, path)
    except (AnnotatorError, OSError) as exc:
        QMessageBox.critical(parent, "Export failed", f"Nothing was written to {path}:\n{exc}")
        return ""
    return f"{plural(count, 'code')} exported to {path}"


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
    summary = f"{plural(len(result.added), 'code')} added, {result.unchanged} already present."
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
