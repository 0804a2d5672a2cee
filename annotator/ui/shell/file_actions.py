"""The File menu's work: opening, creating and switching projects, importing articles,
exporting annotations and the codebook, and merging another coder's project. Kept apart from
the window's layout. Imports and merges run on a worker thread (``ui.workers``); the window
refreshes from the hub."""

from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from annotator.core.errors import AnnotatorError
from annotator.core.wording import plural
from annotator.services.project import PROJECT_SUFFIX, Project, open_project
from annotator.ui.workers import Job, JobControl

if TYPE_CHECKING:
    from annotator.ui.shell.main_window import MainWindow

FILE_FILTER = f"Annotator projects (*{PROJECT_SUFFIX});;All files (*)"


def _transfer() -> ModuleType:
    """The import and export dialogs, loaded on first use: the importers (and trafilatura,
    chardet and lxml behind them) cost start-up time a researcher who only annotates never
    gets back."""
    from annotator.ui.shell import transfer

    return transfer


class FileActions(QObject):
    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window = window

    # -- projects ------------------------------------------------------------------------

    def switch_project(self, path: Path) -> None:
        """Open another project in this window; the old one closes once the new one opened."""
        w = self.window
        try:
            project = open_project(
                path, annotator=w.project.annotations.annotator, background_backup=True
            )
        except AnnotatorError as exc:
            QMessageBox.warning(w, "Cannot open project", str(exc))
            return
        w.controller.flush_note()
        old = w.project
        w.load_project(project)
        old.close()

    def choose_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open project", "", FILE_FILTER)
        if path:
            self.switch_project(Path(path))

    def new_project(self) -> None:
        w = self.window
        path, _ = QFileDialog.getSaveFileName(w, "New project", "", FILE_FILTER)
        if not path:
            return
        target = Path(path)
        if target.suffix != PROJECT_SUFFIX:
            target = target.with_name(target.name + PROJECT_SUFFIX)
        if target.exists():
            QMessageBox.warning(w, "New project", f"{target} exists already; use Open.")
            return
        self.switch_project(target)

    def fill_recent(self) -> None:
        w = self.window
        w.recent_menu.clear()
        for path in w.settings.recent_projects():
            action = w.recent_menu.addAction(str(path))
            action.setEnabled(path.exists())
            action.triggered.connect(lambda _=False, p=path: self.switch_project(p))

    # -- importing and exporting ----------------------------------------------------------

    def import_files(self) -> None:
        w = self.window
        self.import_paths(_transfer().choose_import_paths(w))

    def import_folder(self) -> None:
        w = self.window
        self.import_paths(_transfer().choose_import_folder(w))

    def import_paths(self, paths: list[Path]) -> None:
        w = self.window
        if not paths:
            return
        # A note still being typed is saved now, not by its timer in the middle of the
        # import's batch transaction (which may yet fail as a whole).
        w.controller.flush_note()
        project_path = w.project.path

        def ask(count: int) -> str | None:
            last = w.settings.last_import_source(project_path)
            source = _transfer().ask_source(w, last, count)
            if source:
                w.settings.set_last_import_source(project_path, source)
            return source

        added = _transfer().run_import(w, w.project, paths, ask, on_error=w.ops.fail)
        w.hub.articles_changed.emit()
        w.show_message(f"{plural(added, 'article')} imported.")

    def export_csv(self) -> None:
        w = self.window
        message = _transfer().export_csv(w, w.project)
        if message:
            w.show_message(message)

    def import_codebook(self) -> None:
        w = self.window
        message = _transfer().import_codebook(w, w.project)
        if message:
            w.hub.codes_changed.emit()
            w.show_message(message)

    def export_codebook(self) -> None:
        w = self.window
        message = _transfer().export_codebook(w, w.project)
        if message:
            w.show_message(message)

    # -- REFI-QDA and networks (ui/shell/exchange_dialogs.py) ------------------------------

    def export_qdpx(self) -> None:
        from annotator.ui.shell import exchange_dialogs

        message = exchange_dialogs.export_qdpx_file(self.window, self.window.project)
        if message:
            self.window.statusBar().showMessage(message, 8000)

    def import_qdpx(self) -> None:
        from annotator.ui.shell import exchange_dialogs

        self.window.controller.flush_note()
        if exchange_dialogs.import_qdpx_file(self.window, self.window.project):
            self.window.hub.reloaded.emit()

    def export_network(self) -> None:
        from annotator.ui.shell import exchange_dialogs

        message = exchange_dialogs.export_network_file(self.window, self.window.project)
        if message:
            self.window.statusBar().showMessage(message, 8000)

    def merge_project(self) -> None:
        w = self.window
        path, _ = QFileDialog.getOpenFileName(
            w, "Merge another coder's project into this one", "", FILE_FILTER
        )
        if not path:
            return
        w.controller.flush_note()
        from annotator.services.team.merge import merge_project
        from annotator.services.team.merge_result import MergeResult

        def work(project: Project, _control: JobControl) -> MergeResult:
            return merge_project(project.store, Path(path))

        # One transaction after one backup: nothing to cancel midway, so no Cancel button.
        job = Job(w.project, work, self)
        progress = QProgressDialog("Merging…", "", 0, 0, w)
        progress.setWindowTitle("Merge project")
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        try:
            result: MergeResult = job.run_until_finished()
        except AnnotatorError as exc:
            QMessageBox.warning(w, "Merge project", str(exc))
            return
        except Exception as exc:  # a bug: the one policy of the window's operations
            w.ops.fail(exc)
            return
        finally:
            progress.close()
            progress.deleteLater()
            job.deleteLater()
        w.stack.clear()  # the history was of the project before the merge
        box = QMessageBox(QMessageBox.Icon.Information, "Merge project", "\n".join(
            result.lines()[:12]), parent=w)  # fmt: skip
        box.setTextFormat(Qt.TextFormat.PlainText)
        if len(result.lines()) > 12:
            box.setDetailedText("\n".join(result.lines()))
        box.exec()
        w.hub.reloaded.emit()
