"""The main window: article list | article view | tagging panel, the menus, and the
project's life cycle (open, new, recent, restore where the coder left off)."""

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
)

from annotator.core.model import Annotation, ArticleStatus, Code
from annotator.core.spans.reading_order import ReadingOrder
from annotator.services.annotations import project_coders
from annotator.services.changes import Change
from annotator.services.project import Project
from annotator.ui.annotate.annotate_controller import AnnotateController
from annotator.ui.annotate.article_list import ArticleList
from annotator.ui.annotate.article_view import ArticleView
from annotator.ui.annotate.suggestion_controller import SuggestionController
from annotator.ui.annotate.tagging_panel import TaggingPanel
from annotator.ui.annotate.variables_panel import VariablesPanel
from annotator.ui.codebook.room import CodebookRoom
from annotator.ui.hub import SignalHub
from annotator.ui.operations import Operations
from annotator.ui.shell.analysis_tabs import ANNOTATE_TAB, AnalysisTabs
from annotator.ui.shell.backup_watch import watch_backup
from annotator.ui.shell.file_actions import FileActions
from annotator.ui.shell.menus import build_menus
from annotator.ui.shell.settings import AppSettings
from annotator.ui.workers import Job

if TYPE_CHECKING:
    from annotator.ui.analysis.coverage_view import CoverageView


#: How long a status-bar line stays: long enough to read a sentence, short enough not to linger.
STATUS_MESSAGE_MS = 8000


class MainWindow(QMainWindow):
    def __init__(self, project: Project, settings: AppSettings | None = None) -> None:
        super().__init__()
        self.settings = settings or AppSettings()
        self.hub = SignalHub(self)
        self.stack = QUndoStack(self)
        self.articles = ArticleList()
        self.view = ArticleView()
        self.panel = TaggingPanel()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        for widget, stretch in ((self.articles, 0), (self.view, 1), (self.panel, 0)):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(self.splitter.count() - 1, stretch)
        self.splitter.setSizes([340, 620, 440])
        self.tabs = QTabWidget(documentMode=True)
        self.tabs.addTab(self.splitter, "Annotate")
        self.analysis = AnalysisTabs(self, self.tabs)
        self.lazy = self.analysis.lazy
        self.coverage_tab = self.analysis.coverage_tab
        self.agreement_tab = self.analysis.agreement_tab
        self.adjudicate_tab = self.analysis.adjudicate_tab
        self.setCentralWidget(self.tabs)
        self.coder_label = QLabel(textFormat=Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self.coder_label)

        self.project = project
        #: every write of the window goes through here: the undo stack, the hub, failures
        self.ops = Operations(project, self.hub, self.stack, self)
        self.controller = AnnotateController(self.ops, self.view, self.panel, self)
        self.controller.snap_to_words = self.settings.snap_to_words()
        self.suggester = SuggestionController(
            self.ops, self.view, self.panel.suggestions, self, self.panel.suggestion_controls
        )
        self.suggester.enabled = self.settings.show_suggestions()
        self.suggester.existing = lambda: self._article_annotations
        for source in (self.ops, self.controller, self.suggester):
            source.message.connect(self.show_message)
        self._codes: dict[str, Code] = {}
        self._annotations: list[Annotation] = []  # the open article's, as the coder filter shows
        self._article_annotations: ReadingOrder = ReadingOrder()  # the open article's, all coders'
        self._written: Change | None = None  # the Change whose announcement is under way
        self.codebook = CodebookRoom(self)  # the codebook manager's dock, built when first shown
        # The open article's variables: a tab beside its annotations.
        self.variables = VariablesPanel(self.hub, self.stack, lambda: self.project)
        self.panel.lists.addTab(self.variables, "Variables")
        self.variables.article_wanted.connect(self.go_to_article)
        self.files: FileActions = FileActions(self)
        self.recent_menu = build_menus(self)
        self._connect()
        self.setAcceptDrops(True)
        self.resize(1400, 860)
        geometry = self.settings.geometry("main")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter_state = self.settings.geometry("splitter")
        if splitter_state is not None:
            self.splitter.restoreState(splitter_state)
        self.load_project(project)

    # -- set-up ---------------------------------------------------------------------------

    def _connect(self) -> None:
        self.panel.coder.currentIndexChanged.connect(self._coder_chosen)
        for signal in (self.hub.annotations_changed, self.hub.codes_changed,
                       self.hub.articles_changed, self.hub.reloaded):  # fmt: skip
            signal.connect(self.analysis.coverage_stale)
        self.articles.article_activated.connect(self.open_article)
        self.view.annotation_clicked.connect(self._annotation_clicked)
        self.view.status_requested.connect(
            lambda _aid, value: self.set_status(ArticleStatus(value))
        )
        self.panel.table.annotation_chosen.connect(
            lambda aid: self.controller.select(aid, scroll=True)
        )
        self.hub.change_written.connect(self._change_written)
        self.hub.annotations_changed.connect(self._annotations_changed)
        self.hub.codes_changed.connect(self._codes_changed)
        self.hub.articles_changed.connect(self._articles_changed)
        self.hub.status_changed.connect(self._status_changed)
        self.hub.reloaded.connect(self._reloaded)
        self.hub.annotation_selected.connect(self._annotation_selected)
        self.hub.write_failed.connect(self._write_failed)

    # -- project --------------------------------------------------------------------------

    def load_project(self, project: Project) -> None:
        self.project = project
        self.analysis.reset()
        self.ops.project = project
        self.stack.clear()
        name = project.path.name if project.path else "in memory"
        self.setWindowTitle(f"{name} — Annotator")
        self.coder_label.setText(f"Coder: {project.annotations.annotator}")
        if project.path:
            self.settings.add_recent_project(project.path)
        self._refresh_coders()
        self.codebook.project_loaded()
        self._codes = {c.id: c for c in project.store.codes.all()}
        self.panel.speakers.set_codes(list(self._codes.values()))
        self.panel.issues.set_codes(list(self._codes.values()))
        self.articles.set_articles(project.store.articles.summaries(self._coder))
        ids = self.articles.article_ids()
        last = self.settings.last_article(project.path) if project.path else ""
        first = last if last in ids else (ids[0] if ids else "")
        self.open_article(first)
        self.articles.select(first, emit=False)
        for warning in project.warnings:  # e.g. the daily backup could not be written
            QTimer.singleShot(0, lambda w=warning: QMessageBox.warning(self, "Annotator", w))
        watch_backup(self, project.backup)

    def ask_annotator(self) -> None:
        name, ok = QInputDialog.getText(
            self, "Coder name", "Your name, recorded on every annotation you make:",
            text=self.project.annotations.annotator,
        )  # fmt: skip
        if ok and name.strip():
            self.settings.annotator = name
            self.project.annotations.annotator = name.strip()
            self.coder_label.setText(f"Coder: {name.strip()}")
            self._articles_changed()  # statuses are per coder: show the new coder's

    # -- dropping files -----------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        self.files.import_paths(paths)

    # -- article --------------------------------------------------------------------------

    def open_article(self, article_id: str) -> None:
        self.controller.flush_note()
        self.controller.pending = None
        self.controller.select("")
        if not article_id:
            self.view.show_article(None, None, [], self._codes)
            self._annotations = []
            self._article_annotations = ReadingOrder()
            self.panel.table.set_annotations([], self._codes)
            self.variables.show_article("")
            return
        store = self.project.store
        article = store.articles.get(article_id)
        self._load_annotations(article_id)
        self.view.show_article(
            article,
            store.sources.get(article.source_id),
            self._annotations,
            self._codes,
            status=store.articles.status_of(article_id, self._coder),
        )
        self.panel.table.set_annotations(self._annotations, self._codes)
        self.suggester.current = -1
        self.suggester.refresh(article_id)
        if self.project.path:
            self.settings.set_last_article(self.project.path, article_id)
        self.hub.article_opened.emit(article_id)

    @property
    def _coder(self) -> str:
        """The current coder, whose statuses the list and the view show and Ctrl+1/2/3 set."""
        return self.project.annotations.annotator

    def set_status(self, status: ArticleStatus) -> None:
        """Set the open article's status for the current coder."""
        article = self.view.article
        if article is None:
            return
        self.controller.edit(lambda: self.project.articles.set_status(article.id, status))

    def show_message(self, text: str) -> None:
        """A line in the status bar: a refused edit, a hint, what an action did."""
        self.statusBar().showMessage(text, STATUS_MESSAGE_MS)

    # -- refreshing from the hub ----------------------------------------------------------

    def _change_written(self, change: Change) -> None:
        self._written = change  # _annotations_changed follows, once per article it touched

    def _annotations_changed(self, article_id: str) -> None:
        store = self.project.store
        article = self.view.article
        if article is None or article.id != article_id:
            self.articles.set_count(article_id, store.annotations.count_for_article(article_id))
            if self._written is None or len(self._written.article_ids) <= 1:
                self.articles.select(article_id)  # undo in another article: go there
            return
        change = self._written
        if change is None or article_id not in change.article_ids:  # not from a Change: reload
            self._load_annotations(article_id)
            self.view.update_annotations(self._annotations, self._codes)
        else:  # patched from the Change's rows: an article may hold 50,000 annotations
            after = [a for a in change.after.annotations if a.article_id == article_id]
            kept = {a.id for a in after}
            gone = [a.id for a in change.before.annotations
                    if a.article_id == article_id and a.id not in kept]  # fmt: skip
            self._article_annotations.apply(gone, after)
            self._annotations = self._visible(self._article_annotations)
            shown = self._visible(after)
            hidden = [a.id for a in after if a not in shown]
            self.view.patch_annotations(gone + hidden, shown)
        self.articles.set_count(article_id, len(self._article_annotations))
        if self.panel.coder.findData(self.project.annotations.annotator) < 0:
            self._refresh_coders()  # the first annotation of this coder
        self.panel.table.set_annotations(self._annotations, self._codes)
        self._annotation_selected(self.controller.selected_id)
        self.suggester.refresh(article_id)  # after the patch: it reads the patched list

    def _codes_changed(self) -> None:
        self._codes = {c.id: c for c in self.project.store.codes.all()}
        self.panel.speakers.set_codes(list(self._codes.values()))
        self.panel.issues.set_codes(list(self._codes.values()))
        if self.view.article:
            self.view.update_annotations(self._annotations, self._codes)
            self.panel.table.set_annotations(self._annotations, self._codes)
            self._annotation_selected(self.controller.selected_id)

    def _articles_changed(self) -> None:
        self.articles.set_articles(self.project.store.articles.summaries(self._coder))
        article = self.view.article
        if article:
            self.view.set_status(self.project.store.articles.status_of(article.id, self._coder))
        elif self.articles.article_ids():  # the first articles of an empty project
            first = self.articles.article_ids()[0]
            self.open_article(first)
            self.articles.select(first, emit=False)

    def _reloaded(self) -> None:
        """Rows of every kind changed outside the undo history (a merge): reload all shown."""
        self._refresh_coders()
        self._codes_changed()
        self._articles_changed()
        if self.view.article is not None:
            self.open_article(self.view.article.id)

    def _status_changed(self, article_id: str) -> None:
        """One article's row and, when it is open, the status box: no list rebuild (a first
        annotation changes a status too, and the list may hold 10,000 articles)."""
        status = self.project.store.articles.status_of(article_id, self._coder)
        self.articles.set_status(article_id, status)
        article = self.view.article
        if article is not None and article.id == article_id:
            self.view.set_status(status)

    def _annotation_clicked(self, annotation_id: str) -> None:
        self.controller.select(annotation_id)

    def _annotation_selected(self, annotation_id: str) -> None:
        annotation = self._article_annotations.get(annotation_id)
        if annotation is not None and not self._visible([annotation]):
            annotation = None  # hidden by the coder filter
        if annotation is None and annotation_id:
            self.controller.selected_id = ""
        self.panel.editor.show_annotation(annotation, self._codes)
        self.panel.table.select_annotation(annotation.id if annotation else "")
        self.view.select_annotation(annotation.id if annotation else "", scroll=False)

    def _write_failed(self, message: str) -> None:
        """The history no longer matches the file; the file is right, so start afresh."""
        QTimer.singleShot(0, self.stack.clear)
        QMessageBox.critical(
            self, "Not saved", f"{message}\n\nThe project is unchanged; the undo history is "
            "cleared because it no longer matches it."
        )  # fmt: skip
        self._codes_changed()
        self._articles_changed()

    # -- coders -------------------------------------------------------------------------

    def _load_annotations(self, article_id: str) -> None:
        """The open article's annotations from the store: all, and those the filter shows."""
        found = self.project.store.annotations.for_article(article_id)
        self._article_annotations = ReadingOrder(found)
        self._annotations = self._visible(self._article_annotations)

    def _visible(self, annotations: Iterable[Annotation]) -> list[Annotation]:
        """Those the coder filter lets through (the filter read once: it is a Qt call)."""
        coder = self.panel.coder_filter()
        return [a for a in annotations if a.annotator == coder] if coder else list(annotations)

    def _refresh_coders(self) -> None:
        self.panel.set_coders(project_coders(self.project.store))

    def _coder_chosen(self) -> None:
        article = self.view.article
        if article is not None:
            self.open_article(article.id)

    @property
    def coverage(self) -> "CoverageView | None":
        return self.analysis.coverage

    # -- going to an article, an annotation, a passage -------------------------------------

    def go_to_article(self, article_id: str) -> None:
        self.tabs.setCurrentIndex(ANNOTATE_TAB)
        self.articles.select(article_id)

    def go_to_annotation(self, article_id: str, annotation_id: str) -> None:
        self.tabs.setCurrentIndex(ANNOTATE_TAB)
        self.articles.select(article_id)
        self.controller.select(annotation_id, scroll=True)

    def show_passage(self, article_id: str, start: int, end: int) -> None:
        """Open the article in the Annotate tab with code points [start, end) selected."""
        self.go_to_article(article_id)
        if self.view.article is not None and self.view.article.id == article_id:
            self.view.set_selection(start, end)
            self.view.text.centerCursor()
            self.activateWindow()
            self.view.text.setFocus()

    def show_annotation(self, article_id: str, annotation_id: str) -> None:
        self.go_to_annotation(article_id, annotation_id)
        self.activateWindow()

    def _toggle_suggestions(self, on: bool) -> None:
        self.settings.set_show_suggestions(on)
        self.suggester.set_enabled(on)

    def _toggle_snap(self, on: bool) -> None:
        self.controller.snap_to_words = on
        self.settings.set_snap_to_words(on)

    # -- closing --------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        for job in self.findChildren(Job):  # an import still running stops between files
            job.stop()
        self.controller.flush_note()
        self.settings.set_geometry("main", self.saveGeometry())
        self.settings.set_geometry("splitter", self.splitter.saveState())
        self.settings.sync()
        super().closeEvent(event)
