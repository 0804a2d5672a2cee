"""What the coder's keys and clicks do to annotations: the Claim / Speaker / Issue actions, the
pickers, the editor's requests, deleting and adjusting spans. Each edit is one service call
pushed on the undo stack; the widgets then refresh from the signal hub."""

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.model import Annotation, AnnotationKind, CodeKind, Stance
from annotator.core.spans.selection import snap_to_words
from annotator.services.changes import Change
from annotator.services.project import Project
from annotator.ui.annotate.article_view import ArticleView
from annotator.ui.annotate.tagging_panel import TaggingPanel
from annotator.ui.operations import Operations


@dataclass(frozen=True)
class Pending:
    """A speaker mention or issue passage waiting for its code to be picked: a new one over
    ``span``, or an existing annotation (``annotation_id``) changing to this kind."""

    kind: AnnotationKind
    article_id: str
    span: tuple[int, int] = (0, 0)
    annotation_id: str = ""


class AnnotateController(QObject):
    message = Signal(str)  # a line for the status bar

    def __init__(
        self, ops: Operations, view: ArticleView, panel: TaggingPanel, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.hub = ops.hub
        self.stack = ops.stack
        self.view = view
        self.panel = panel
        self.snap_to_words = True
        self.pending: Pending | None = None
        self.selected_id = ""

        panel.claim_button.clicked.connect(self.claim)
        panel.speaker_button.clicked.connect(self.speaker)
        panel.issue_button.clicked.connect(self.issue)
        panel.speakers.picked.connect(self.speaker_picked)
        panel.issues.picked.connect(self.issue_picked)
        panel.speakers.create_requested.connect(
            lambda name: self._create_code_and_pick(CodeKind.SPEAKER, name)
        )
        panel.issues.create_requested.connect(
            lambda name: self._create_code_and_pick(CodeKind.ISSUE, name)
        )
        panel.speakers.cancelled.connect(self.back_to_article)
        panel.issues.cancelled.connect(self.back_to_article)
        editor = panel.editor
        editor.kind_requested.connect(self._change_kind)
        editor.stance_requested.connect(self._set_stance)
        editor.note_requested.connect(
            lambda aid, note: self.edit(lambda: self.project.annotations.update(aid, note=note))
        )
        editor.speaker_clear_requested.connect(
            lambda aid: self.edit(
                lambda: self.project.annotations.update(
                    aid, speaker_id=None, speaker_mention_id=None
                )
            )
        )
        editor.issue_removal_requested.connect(self._remove_issue)
        editor.fragment_removal_requested.connect(self._remove_fragment)
        panel.table.delete_requested.connect(self.delete)

    @property
    def project(self) -> Project:
        return self.ops.project

    # -- the three actions ----------------------------------------------------------------

    def _span(self) -> tuple[str, tuple[int, int]] | None:
        article = self.view.article
        span = self.view.selected_span()
        if article is None or span is None:
            self.message.emit("Select some text first, then press C, S or I.")
            return None
        if self.snap_to_words:
            span = snap_to_words(article.text, *span)
            if span[0] == span[1]:
                self.message.emit("The selection is only white space.")
                return None
        return article.id, span

    def claim(self) -> None:
        found = self._span()
        if not found:
            return
        article_id, span = found
        self.pending = None
        change = self.edit(lambda: self.project.annotations.create_claim(article_id, [span]))
        if change and change.annotation:
            self.view.clear_selection()
            self.select(change.annotation.id)
            self.panel.speakers.focus_search()
            self.message.emit("Claim added. Type its speaker and press Enter (Esc to skip).")

    def speaker(self) -> None:
        self._ask_for_code(AnnotationKind.SPEAKER)

    def issue(self) -> None:
        self._ask_for_code(AnnotationKind.ISSUE)

    def _ask_for_code(self, kind: AnnotationKind) -> None:
        found = self._span()
        if not found:
            return
        self.pending = Pending(kind, *found)
        picker = self.panel.speakers if kind is AnnotationKind.SPEAKER else self.panel.issues
        picker.focus_search()
        noun = "speaker" if kind is AnnotationKind.SPEAKER else "issue"
        self.message.emit(f"Type the {noun} and press Enter (Esc to cancel).")

    # -- pickers --------------------------------------------------------------------------

    def speaker_picked(self, code_id: str) -> None:
        pending = self._take_pending(AnnotationKind.SPEAKER)
        if pending:
            self._complete(pending, code_id)
            return
        current = self._selected()
        if current is None:
            self.message.emit("Select text and press S, or select an annotation, first.")
            return
        if current.kind is AnnotationKind.CLAIM:
            change = self.edit(
                lambda: self.project.annotations.update(
                    current.id, speaker_id=code_id, speaker_mention_id=None
                )
            )
            if change:
                self.panel.issues.focus_search()
                self.message.emit("Speaker set. Type an issue and press Enter (Esc to finish).")
        elif current.kind is AnnotationKind.SPEAKER:
            self.edit(lambda: self.project.annotations.update(current.id, code_id=code_id))
        else:
            self.message.emit("An issue passage has an issue, not a speaker.")

    def issue_picked(self, code_id: str) -> None:
        pending = self._take_pending(AnnotationKind.ISSUE)
        if pending:
            self._complete(pending, code_id)
            return
        current = self._selected()
        if current is None:
            self.message.emit("Select text and press I, or select an annotation, first.")
        elif current.kind is AnnotationKind.CLAIM:
            if code_id in current.issue_ids:
                self.message.emit("The claim already has that issue.")
                return
            issues = [*current.issue_ids, code_id]
            if self.edit(lambda: self.project.annotations.update(current.id, issue_ids=issues)):
                self.message.emit("Issue added. Add another, or press Esc to go back.")
        elif current.kind is AnnotationKind.ISSUE:
            self.edit(lambda: self.project.annotations.update(current.id, code_id=code_id))
        else:
            self.message.emit("A speaker mention has a speaker, not an issue.")

    def _take_pending(self, kind: AnnotationKind) -> Pending | None:
        pending, self.pending = self.pending, None
        article = self.view.article
        if pending and pending.kind is kind and article and pending.article_id == article.id:
            return pending
        return None

    def _complete(self, pending: Pending, code_id: str) -> None:
        """The code for a pending new span, or for an annotation changing kind, was picked."""
        if pending.annotation_id:
            change = self.edit(
                lambda: self.project.annotations.update(
                    pending.annotation_id, kind=pending.kind, code_id=code_id
                )
            )
            if change:
                self.back_to_article()
            return
        change = self.edit(
            lambda: self.project.annotations.create(
                pending.article_id, pending.kind, [pending.span], code_id=code_id
            )
        )
        self._created(change)

    def _created(self, change: Change | None) -> None:
        if change and change.annotation:
            self.view.clear_selection()
            self.select(change.annotation.id)
            self.back_to_article()
            self.message.emit(f"{change.description.capitalize()}: saved.")

    def _create_code_and_pick(self, kind: CodeKind, name: str) -> None:
        """Enter on a new name: create the code and use it, as one undo step."""
        picker = self.panel.speakers if kind is CodeKind.SPEAKER else self.panel.issues
        existing = self.project.store.codes.by_name(kind, name)
        if existing is not None:  # checked first, so a refusal leaves no empty undo step
            self.message.emit(f"There is already a {kind.value} named {existing.name!r}.")
            return
        picker.search.clear()
        self.stack.beginMacro(f"Add {kind.value} {name!r} and use it")
        try:
            change = self.edit(lambda: self.project.codebook.create(kind, name))
            if change and change.code:
                picked = self.speaker_picked if kind is CodeKind.SPEAKER else self.issue_picked
                picked(change.code.id)
        finally:
            self.stack.endMacro()

    def back_to_article(self) -> None:
        self.pending = None
        self.view.text.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- editing the selected annotation --------------------------------------------------

    def select(self, annotation_id: str, *, scroll: bool = False) -> None:
        self.flush_note()
        if annotation_id != self.selected_id:
            self.pending = None  # a half-started S or I belongs to the old selection
        self.selected_id = annotation_id
        self.hub.annotation_selected.emit(annotation_id)
        self.view.select_annotation(annotation_id, scroll=scroll)

    def _selected(self) -> Annotation | None:
        if not self.selected_id:
            return None
        try:
            return self.project.store.annotations.get(self.selected_id)
        except AnnotatorError:
            return None

    def delete(self, annotation_id: str = "") -> None:
        annotation_id = annotation_id or self.selected_id
        if not annotation_id:
            self.message.emit("Select an annotation to delete.")
            return
        if self.edit(lambda: self.project.annotations.delete(annotation_id)):
            self.select("")
            self.message.emit("Annotation deleted (Ctrl+Z brings it back).")

    def add_fragment(self) -> None:
        current = self._selected()
        found = self._span()
        if current is None or found is None:
            if current is None:
                self.message.emit("Select a claim, then select more text and press F.")
            return
        _, (start, end) = found
        if self.edit(lambda: self.project.annotations.add_fragment(current.id, start, end)):
            self.view.clear_selection()
            self.message.emit("Fragment added.")

    def adjust(self, edge: str, step: int) -> None:
        """Move the start or end of the selected annotation by ``step`` characters."""
        current = self._selected()
        if current is None:
            self.message.emit("Select an annotation to adjust its boundaries.")
            return
        spans = [(f.start, f.end) for f in current.fragments]
        if edge == "start":
            spans[0] = (spans[0][0] + step, spans[0][1])
        else:
            spans[-1] = (spans[-1][0], spans[-1][1] + step)
        self.edit(lambda: self.project.annotations.update(current.id, spans=spans))

    def _change_kind(self, annotation_id: str, value: str) -> None:
        current = self.project.store.annotations.get(annotation_id)
        kind = AnnotationKind(value)
        code_id = None  # a code the annotation already has that suits the new kind
        if kind is AnnotationKind.SPEAKER:
            code_id = current.speaker_id if current.kind is AnnotationKind.CLAIM else None
        elif kind is AnnotationKind.ISSUE and current.kind is AnnotationKind.CLAIM:
            code_id = current.issue_ids[0] if current.issue_ids else None
        if kind is not AnnotationKind.CLAIM and code_id is None:
            # Ask for the code; the kind changes when it is picked.
            self.hub.annotation_selected.emit(annotation_id)  # the editor shows the old kind
            self.pending = Pending(kind, current.article_id, annotation_id=annotation_id)
            picker = self.panel.speakers if kind is AnnotationKind.SPEAKER else self.panel.issues
            picker.focus_search()
            self.message.emit(f"Type the {kind.value} for it and press Enter (Esc to cancel).")
            return
        speaker = current.code_id if current.kind is AnnotationKind.SPEAKER else None
        issues = [current.code_id] if current.kind is AnnotationKind.ISSUE else []
        self.edit(
            lambda: self.project.annotations.update(
                annotation_id,
                kind=kind,
                code_id=code_id,
                **({"speaker_id": speaker, "issue_ids": issues} if kind is AnnotationKind.CLAIM  # type: ignore[arg-type]  # each its own keyword's type
                   else {}),
            )
        )  # fmt: skip

    def _set_stance(self, annotation_id: str, value: str) -> None:
        stance = Stance(value) if value else None
        self.edit(lambda: self.project.annotations.update(annotation_id, stance=stance))

    def _remove_issue(self, annotation_id: str, issue_id: str) -> None:
        current = self.project.store.annotations.get(annotation_id)
        issues = [i for i in current.issue_ids if i != issue_id]
        self.edit(lambda: self.project.annotations.update(annotation_id, issue_ids=issues))

    def _remove_fragment(self, annotation_id: str, index: int) -> None:
        current = self.project.store.annotations.get(annotation_id)
        spans = [(f.start, f.end) for i, f in enumerate(current.fragments) if i != index]
        self.edit(lambda: self.project.annotations.update(annotation_id, spans=spans))

    # -- running an edit ------------------------------------------------------------------

    def flush_note(self) -> None:
        """Save a note still being typed, as its own undo step, before anything else happens:
        an edit, an undo, another selection, another article."""
        pending = self.panel.editor.take_pending_note()
        if pending:
            annotation_id, note = pending
            self.ops.run(lambda: self.project.annotations.update(annotation_id, note=note))

    def undo(self) -> None:
        self.flush_note()
        self.stack.undo()

    def redo(self) -> None:
        self.flush_note()
        self.stack.redo()

    def edit(self, action: Callable[[], Change]) -> Change | None:
        """Run one edit after saving a note still being typed (its own undo step first);
        a failure is reported by the operations runner and None returned."""
        self.flush_note()
        return self.ops.run(action)
