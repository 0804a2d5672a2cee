"""Suggested claims and speakers in the window: shown as dashed spans and in a review list,
stepped through with N, accepted with A (one undoable step: claim, mention and, if needed, the
speaker code), rejected with X (never offered again for that article, undoable too).

Detection never blocks typing: an article longer than ``SYNC_LIMIT`` is searched on a worker
thread (``ui.workers.Task``) with a snapshot of its text and the speaker codes, while the panel
says "Detecting suggestions…". What a worker finds is remembered under what it was computed
from (article, text, speakers) and shown only through that key, so a result that comes back
after the coder moved to another article, or changed the speakers, is never shown there.
"""

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QMessageBox, QWidget

from annotator.core.model import Annotation, AnnotationKind, Article, Code, CodeKind
from annotator.core.wording import plural
from annotator.services import suggestion_detection as detection
from annotator.services import suggestions as service
from annotator.services.changes import Change
from annotator.services.project import Project
from annotator.services.suggestion_detection import DetectionKey
from annotator.services.suggestions import Suggestion
from annotator.ui.annotate.article_view import ArticleView
from annotator.ui.annotate.suggestion_controls import SuggestionControls
from annotator.ui.codebook.new_speakers import confirm_new_speakers
from annotator.ui.labels import plain_tip
from annotator.ui.operations import Operations
from annotator.ui.workers import JobControl, Task

#: Longer texts are searched only on request: detection takes about 1.5 s per MB.
AUTO_DETECT_LIMIT = 200_000
#: Texts up to this long are searched on the window's thread: 5-9 ms, under one frame
#: (measured at 2,000 characters on a busy 2-core machine, where 5,000 took 20 ms). Longer ones
#: go to a worker, so a key pressed meanwhile is handled at once.
SYNC_LIMIT = 2_000
DETECTING = "Detecting suggestions…"


class SuggestionController(QObject):
    message = Signal(str)

    def __init__(
        self,
        ops: Operations,
        view: ArticleView,
        review: QListWidget,
        parent: QWidget,
        controls: SuggestionControls | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.view = view
        self.review = review
        self.controls = controls
        self.min_confidence = controls.threshold if controls else service.DEFAULT_MIN_CONFIDENCE
        if controls is not None:
            controls.threshold_changed.connect(self.set_min_confidence)
        self.enabled = True
        self.items: list[Suggestion] = []
        self.current = -1
        #: The current suggestion went (accepted, rejected) and the next one took its place:
        #: N lands on that one rather than stepping past it.
        self._landed = False
        self._window = parent
        review.currentRowChanged.connect(self._row_chosen)
        review.itemDoubleClicked.connect(lambda _item: self.accept())
        #: The open article's annotations as the window holds them (it refreshes this
        #: controller after each edit); without it they are read from the store.
        self.existing: Callable[[], Iterable[Annotation]] | None = None
        ops.hub.change_written.connect(self._change_written)
        self._task: Task | None = None  # the detection running on a worker, if any
        self._waiting: DetectionKey | None = None  # what the panel waits for ("Detecting…")
        self._asked = ""  # the long article the coder asked to search (N)
        self._step_when_found = ""  # the article N was pressed in while detecting

    @property
    def project(self) -> Project:
        return self.ops.project

    @property
    def annotator(self) -> str:
        return self.project.annotations.annotator

    # -- listing --------------------------------------------------------------------------

    @property
    def detecting(self) -> bool:
        """The panel is waiting for a worker's detection of the open article."""
        return self._waiting is not None

    def refresh(self, article_id: str = "", *, force: bool = False) -> None:
        article = self.view.article
        if article is None or (article_id and article.id != article_id):
            return
        found: list[Suggestion] | None = []
        note = ""
        self._waiting = None
        if self.enabled:
            found, note = self._detection(article, force or article.id == self._asked)
        shown_before = self.items[self.current].key if 0 <= self.current < len(self.items) else ""
        if found:
            existing = self.existing() if self.existing is not None else None
            found = service.suggest_for_article(
                self.project.store, article.id, existing=existing, detected=found
            )
        self.items = [s for s in found or [] if s.confidence >= self.min_confidence]
        self._landed = bool(shown_before) and shown_before not in {s.key for s in self.items}
        if self.controls is not None:
            self.controls.show_counts(len(self.items), len(found or []))
            self.controls.show_note(note)
        self.current = min(self.current, len(self.items) - 1)
        self._show_items()

    def _detection(self, article: Article, asked: bool) -> tuple[list[Suggestion] | None, str]:
        """What detection found in the article (None while a worker looks), and the note
        the panel shows instead of suggestions: why there are none, or that they are coming."""
        speakers = self.project.store.codes.all(CodeKind.SPEAKER)
        key = detection.detection_key(article, speakers)
        found = detection.cached_detection(key)
        if found is not None:
            return found, ""
        length = len(article.text)
        if length > AUTO_DETECT_LIMIT and not asked:
            return [], _too_long_note(length)
        if length <= SYNC_LIMIT:
            detected = detection.detect_suggestions(article.id, article.text, speakers)
            return detection.remember_detection(key, detected), ""
        self._waiting = key
        if self._task is None:
            self._start(key, article, speakers)
        return None, DETECTING  # a running detection of another key ends in refresh()

    def _detected_already(self, article: Article) -> bool:
        speakers = self.project.store.codes.all(CodeKind.SPEAKER)
        return detection.cached_detection(detection.detection_key(article, speakers)) is not None

    def _start(self, key: DetectionKey, article: Article, speakers: list[Code]) -> None:
        """Detect on a worker, from a snapshot: the text and the speaker codes (frozen)."""
        article_id, text = article.id, article.text

        def work(_control: JobControl) -> list[Suggestion]:
            return detection.detect_suggestions(article_id, text, speakers)

        task = self._task = Task(work, self)
        task.succeeded.connect(lambda found: detection.remember_detection(key, found))
        task.failed.connect(lambda exc: self._failed(key, exc))
        task.finished.connect(lambda: self._task_ended(task))
        task.start()

    def _failed(self, key: DetectionKey, exc: BaseException) -> None:
        """A bug in detection: reported once, and the article shown with no suggestions
        rather than detected again and again."""
        detection.remember_detection(key, [])
        self.ops.fail(exc)

    def _task_ended(self, task: Task) -> None:
        """Show what was found if the panel still waits for it; otherwise detect what the
        panel waits for now (another article, or the same with other speakers)."""
        self._task = None
        task.deleteLater()
        if task.cancelled or self.project.closed:  # the window or its project is closing
            return
        if self._waiting is not None:
            self.refresh()
        article = self.view.article
        if self._step_when_found and not self.detecting:
            if self.items and article is not None and article.id == self._step_when_found:
                self.next()
            self._step_when_found = ""

    def _show_items(self) -> None:
        self.view.set_suggestions([s.fragments for s in self.items], self.current)
        self.review.blockSignals(True)
        self.review.clear()
        for suggestion in self.items:
            who = suggestion.speaker_name or "no speaker found"
            kind = "Claim" if suggestion.kind is AnnotationKind.CLAIM else "Speaker"
            item = QListWidgetItem(f"{kind} · {who}: {suggestion.text}")
            item.setToolTip(plain_tip(_why(suggestion)))
            self.review.addItem(item)
        self.review.setCurrentRow(self.current)
        self.review.blockSignals(False)

    def _change_written(self, change: Change) -> None:
        """A rejection (or its undo) of the open article's suggestions: list them again.
        Edits of annotations reach ``refresh`` from the window, after it has patched the
        annotations this controller reads."""
        for article_id in {
            r.article_id for r in change.before.rejections + change.after.rejections
        }:
            self.refresh(article_id)

    def set_min_confidence(self, least: float) -> None:
        """The panel's More/Fewer threshold moved: list again, with the same detection."""
        self.min_confidence = least
        self.current = -1
        self.refresh()

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        self.current = -1
        self.refresh(force=True)

    # -- stepping, accepting, rejecting ---------------------------------------------------

    def next(self, step: int = 1) -> None:
        article = self.view.article
        if not self.items and article is not None:
            self._asked = article.id
            self.refresh(force=True)
        if self.detecting and article is not None:
            self._step_when_found = article.id
            self.message.emit(f"{DETECTING} N goes to the first one when they are found.")
            return
        if not self.items:
            self.message.emit("No suggestions in this article.")
            return
        landed = self._landed and 0 <= self.current < len(self.items)
        self._select(self.current if landed else (self.current + step) % len(self.items))

    def _row_chosen(self, row: int) -> None:
        if 0 <= row < len(self.items):
            self._select(row)

    def _select(self, index: int) -> None:
        self.current = index
        self._landed = False
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
        if self.detecting or (article is not None and not self._detected_already(article)):
            self.message.emit("Suggestions are not listed yet: N looks for them.")
            return
        existing = self.existing() if self.existing is not None else None
        plan = [] if article is None else service.accept_all_plan(
            self.project.store, article.id, existing=existing
        )  # fmt: skip
        if article is None or not plan:
            self.message.emit("No suggestions to accept.")
            return
        question = _accept_all_question(plan)
        mapping = self._new_speakers(plan, question)
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


def _accept_all_question(plan: list[Suggestion]) -> str:
    """The confirmation, counting what will be written, as the undo entry will."""
    claims = sum(s.kind is AnnotationKind.CLAIM for s in plan)
    whose = "its speaker's mention" if claims == 1 else "their speakers' mentions"
    parts = [f"{plural(claims, 'claim')} with {whose}"] if claims else []
    if len(plan) > claims:
        parts.append(plural(len(plan) - claims, "speaker mention"))
    return f"Accept {plural(len(plan), 'suggestion')} in this article ({', '.join(parts)})? " + (
        "One undo takes it back." if len(plan) == 1 else "One undo takes them all back."
    )


def _why(suggestion: Suggestion) -> str:
    """The hover text: what was found, and the cue and pattern that found it."""
    why = suggestion.reason or "a quotation"
    return f"{suggestion.text}\n\nWhy: {why}; confidence {suggestion.confidence:.2f}"


def _too_long_note(length: int) -> str:
    return (
        f"This article has {length:,} characters, more than {AUTO_DETECT_LIMIT:,}: "
        "suggestions are not looked for on opening it. Press N to look for them now "
        "(about a second per 500,000 characters)."
    )
