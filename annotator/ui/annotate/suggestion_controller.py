"""Suggested claims and speakers in the window: shown as dashed spans and in a review list,
stepped through with N, accepted with A (one undoable step: claim, mention and, if needed, the
speaker code), rejected with X (never offered again for that article, undoable too)."""

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QGuiApplication
from PySide6.QtWidgets import QApplication, QListWidget, QListWidgetItem, QMessageBox, QWidget

from annotator.core.model import Annotation, AnnotationKind, CodeKind
from annotator.services import suggestions as service
from annotator.services.changes import Change
from annotator.services.project import Project
from annotator.services.suggestions import Suggestion
from annotator.ui.annotate.article_view import ArticleView
from annotator.ui.codebook.new_speakers import confirm_new_speakers
from annotator.ui.labels import plain_tip
from annotator.ui.operations import Operations

#: Longer texts are searched only on request: detection takes about 1.5 s per MB.
AUTO_DETECT_LIMIT = 200_000


class SuggestionController(QObject):
    message = Signal(str)

    def __init__(
        self, ops: Operations, view: ArticleView, review: QListWidget, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.view = view
        self.review = review
        self.enabled = True
        self.items: list[Suggestion] = []
        self.current = -1
        self._window = parent
        review.currentRowChanged.connect(self._row_chosen)
        review.itemDoubleClicked.connect(self._double_clicked)
        #: The open article's annotations as the window holds them (it refreshes this
        #: controller after each edit); without it they are read from the store.
        self.existing: Callable[[], Iterable[Annotation]] | None = None
        ops.hub.change_written.connect(self._change_written)

    @property
    def project(self) -> Project:
        return self.ops.project

    @property
    def annotator(self) -> str:
        return self.project.annotations.annotator

    # -- listing --------------------------------------------------------------------------

    def refresh(self, article_id: str = "", *, force: bool = False) -> None:
        article = self.view.article
        if article is None or (article_id and article.id != article_id):
            return
        too_long = self.enabled and len(article.text) > AUTO_DETECT_LIMIT and not force
        if not self.enabled or too_long:
            self.items = []
        else:
            self.items = self._detect(article.id, len(article.text) > AUTO_DETECT_LIMIT)
        self.current = min(self.current, len(self.items) - 1)
        self.view.set_suggestions([s.fragments for s in self.items], self.current)
        self.review.blockSignals(True)
        self.review.clear()
        for suggestion in self.items:
            who = suggestion.speaker_name or "no speaker found"
            kind = "Claim" if suggestion.kind is AnnotationKind.CLAIM else "Speaker"
            item = QListWidgetItem(f"{kind} · {who}: {suggestion.text}")
            item.setToolTip(plain_tip(suggestion.text))
            self.review.addItem(item)
        if too_long:
            self.review.addItem(self._notice(len(article.text)))
        self.review.setCurrentRow(self.current)
        self.review.blockSignals(False)

    def _detect(self, article_id: str, long: bool) -> list[Suggestion]:
        """The suggestions of one article; a long one says "Detecting…" while it runs."""
        existing = self.existing() if self.existing is not None else None
        if not long:
            return service.suggest_for_article(self.project.store, article_id, existing=existing)
        self.review.clear()
        self.review.addItem("Detecting suggestions…")
        self.review.repaint()
        QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.BusyCursor))
        try:
            return service.suggest_for_article(self.project.store, article_id, existing=existing)
        finally:
            QApplication.restoreOverrideCursor()

    @staticmethod
    def _notice(chars: int) -> QListWidgetItem:
        """Why the list is empty for a long article, and how to ask for its suggestions."""
        text = (
            "Not searched automatically: this article is long\n"
            f"({chars:,} characters; the limit is {AUTO_DETECT_LIMIT:,}).\n"
            "Double-click here or press N to detect suggestions."
        )
        item = QListWidgetItem(text)  # lines of their own: the panel is narrow
        item.setToolTip(text.replace("\n", " "))
        item.setData(Qt.ItemDataRole.UserRole, "detect")
        item.setForeground(QColor("#555"))
        return item

    def _double_clicked(self, item: QListWidgetItem) -> None:
        if item.data(Qt.ItemDataRole.UserRole) == "detect":
            self.refresh(force=True)
        else:
            self.accept()

    def _change_written(self, change: Change) -> None:
        """A rejection (or its undo) of the open article's suggestions: list them again.
        Edits of annotations reach ``refresh`` from the window, after it has patched the
        annotations this controller reads."""
        for article_id in {
            r.article_id for r in change.before.rejections + change.after.rejections
        }:
            self.refresh(article_id)

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        self.current = -1
        self.refresh(force=True)

    # -- stepping, accepting, rejecting ---------------------------------------------------

    def next(self, step: int = 1) -> None:
        if not self.items:
            self.refresh(force=True)
        if not self.items:
            self.message.emit("No suggestions in this article.")
            return
        self._select((self.current + step) % len(self.items))

    def _row_chosen(self, row: int) -> None:
        if 0 <= row < len(self.items):
            self._select(row)

    def _select(self, index: int) -> None:
        self.current = index
        suggestion = self.items[index]
        self.view.set_suggestions([s.fragments for s in self.items], index)
        self.view.show_span(suggestion.start)
        self.review.blockSignals(True)
        self.review.setCurrentRow(index)
        self.review.blockSignals(False)
        who = suggestion.speaker_name or "no speaker found"
        self.message.emit(
            f"Suggestion {index + 1} of {len(self.items)} ({who}): A accepts, X rejects, N goes on."
        )

    def _chosen(self) -> Suggestion | None:
        if 0 <= self.current < len(self.items):
            return self.items[self.current]
        self.message.emit("Press N to go to a suggestion first.")
        return None

    def accept(self) -> None:
        suggestion = self._chosen()
        if suggestion is None:
            return
        mapping = self._new_speakers([suggestion], "Accept this suggestion?")
        if mapping is not None and self._run(
            lambda: service.accept(self.project, suggestion, mapping)
        ):
            self.message.emit(
                f"Accepted: {suggestion.text[:60]!r}. Ctrl+Z undoes it; N goes to the next."
            )

    def reject(self) -> None:
        suggestion, article = self._chosen(), self.view.article
        if suggestion is not None and article is not None:
            self.ops.run(
                lambda: service.reject(
                    self.project.store, article.id, suggestion, annotator=self.annotator
                ),
                text=f"Reject suggestion {suggestion.text[:30]!r}",  # the undo entry, as ever
            )

    def accept_all(self) -> None:
        article = self.view.article
        if article is None or not self.items:
            self.message.emit("No suggestions to accept.")
            return
        question = (
            f"Accept all {len(self.items)} suggestions in this article as claims and speaker "
            "mentions? One undo takes them all back."
        )
        mapping = self._new_speakers(self.items, question)
        if mapping is None:
            return
        if not mapping:
            answer = QMessageBox.question(self._window, "Accept all suggestions", question)
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._run(lambda: service.accept_all(self.project, article.id, mapping))

    def _new_speakers(self, items: list[Suggestion], question: str) -> dict[str, str] | None:
        """The new speakers ``items`` would add, kept, renamed or mapped by the coder before
        anything is written: {} when there are none, None when the coder cancelled."""
        names = service.new_speakers(self.project.store, items)
        if not names:
            return {}
        speakers = self.project.store.codes.all(CodeKind.SPEAKER)
        return confirm_new_speakers(self._window, question, names, speakers)

    def _run(self, action: Callable[[], Change]) -> bool:
        return self.ops.run(action) is not None
