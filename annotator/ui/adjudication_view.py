"""Adjudication: two coders' annotations of one article side by side, their disagreements in a
list, and buttons that copy the version chosen into a target coder ("gold").

Copies are new annotations by the target coder made through AnnotationService and pushed on
the undo stack like every edit, so a wrong choice is one Ctrl+Z away and the coders' own work
is never touched. The keys are Ctrl+Left / Ctrl+Right: the main window's single keys
(C S I F N A X, Delete) stay free for annotating.
"""

import dataclasses
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QKeySequence,
    QShortcut,
    QTextCursor,
    QTextDocument,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextDocumentLayout,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement import fragments_overlap
from annotator.core.errors import AnnotatorError
from annotator.core.model import Annotation, AnnotationKind, Code
from annotator.core.offsets import OffsetMap
from annotator.core.span_index import SpanIndex, SpanStyle
from annotator.services.agreement import project_coders
from annotator.services.annotations import AnnotationService
from annotator.services.changes import Change, compose
from annotator.services.project import Project
from annotator.ui import commands
from annotator.ui.highlighter import SpanHighlighter
from annotator.ui.hub import SignalHub
from annotator.ui.labels import colour_of, describe

DEFAULT_TARGET = "gold"
RESOLVED_COLOUR = "#888888"
ID_ROLE = Qt.ItemDataRole.UserRole
#: Speaker mentions first, so a claim copied in the same step can point at the new mention.
_COPY_ORDER = {AnnotationKind.SPEAKER: 0, AnnotationKind.ISSUE: 1, AnnotationKind.CLAIM: 2}

Signature = tuple


def signature(a: Annotation) -> Signature:
    """What makes two coders' annotations the same: kind, fragments, code, speaker, issues."""
    return (
        a.kind,
        tuple((f.start, f.end) for f in a.fragments),
        a.code_id,
        a.speaker_id,
        tuple(sorted(a.issue_ids)),
    )


@dataclasses.dataclass(frozen=True, slots=True)
class Disagreement:
    """An annotation of one coder with no identical one by the other."""

    annotation: Annotation
    side: str  # "A" or "B"
    overlapping: tuple[Annotation, ...]  # the other coder's annotations of that kind over it
    resolved: bool  # the target coder already has an identical annotation


def disagreements(
    a: list[Annotation], b: list[Annotation], target: list[Annotation]
) -> list[Disagreement]:
    """A's annotations missing from B and B's missing from A, in text order."""
    found: list[Disagreement] = []
    done = {signature(t) for t in target}
    for side, mine, theirs in (("A", a, b), ("B", b, a)):
        present = {signature(t) for t in theirs}
        for ann in mine:
            if signature(ann) in present:
                continue
            spans = tuple((f.start, f.end) for f in ann.fragments)
            over = tuple(
                t
                for t in theirs
                if t.kind is ann.kind
                and fragments_overlap(spans, tuple((f.start, f.end) for f in t.fragments))
            )
            found.append(Disagreement(ann, side, over, signature(ann) in done))
    return sorted(found, key=lambda d: (d.annotation.start, d.annotation.end, d.side))


class AdjudicationView(QWidget):
    """Compare coder A and coder B on one article and copy the chosen versions to a target."""

    def __init__(
        self, project: Project, hub: SignalHub, stack: QUndoStack, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.project, self.hub, self.stack = project, hub, stack
        self.article_id = ""
        self.items: list[Disagreement] = []
        self._codes: dict[str, Code] = {}
        self._by_coder: dict[str, list[Annotation]] = {}
        self._documents: list[QTextDocument] = []
        self._offsets = OffsetMap("")  # Qt's UTF-16 positions of the shown text

        self.coder_a, self.coder_b = QComboBox(), QComboBox()
        self.target = QLineEdit(DEFAULT_TARGET)
        self.target.setToolTip("The coder the accepted annotations are copied to.")
        pick = QHBoxLayout()
        for label, widget in (("Coder A", self.coder_a), ("Coder B", self.coder_b)):
            pick.addWidget(QLabel(label))
            pick.addWidget(widget, 1)
        pick.addWidget(QLabel("Copy to"))
        pick.addWidget(self.target, 1)
        self.title = QLabel("No article chosen.")
        self.pane_a, self.pane_b = QPlainTextEdit(), QPlainTextEdit()
        for pane in (self.pane_a, self.pane_b):
            pane.setReadOnly(True)
        panes = QSplitter()
        panes.addWidget(self.pane_a)
        panes.addWidget(self.pane_b)
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._show_selected)
        self.accept_a = QPushButton("Accept A's")
        self.accept_a.setToolTip("Copy coder A's version of the selected disagreement (Ctrl+Left).")
        self.accept_b = QPushButton("Accept B's")
        self.accept_b.setToolTip(
            "Copy coder B's version of the selected disagreement (Ctrl+Right)."
        )
        self.all_a = QPushButton("Accept all of A's")
        self.all_a.setToolTip("Copy every unresolved annotation of A's here: one undo step.")
        self.all_b = QPushButton("Accept all of B's")
        self.all_b.setToolTip("Copy every unresolved annotation of B's here: one undo step.")
        self.accept_a.clicked.connect(lambda: self.accept_selected("A"))
        self.accept_b.clicked.connect(lambda: self.accept_selected("B"))
        self.all_a.clicked.connect(lambda: self.accept_all("A"))
        self.all_b.clicked.connect(lambda: self.accept_all("B"))
        for key, side in (("Ctrl+Left", "A"), ("Ctrl+Right", "B")):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda side=side: self.accept_selected(side))
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.accept_a, self.accept_b, self.all_a, self.all_b):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(pick)
        layout.addWidget(self.title)
        layout.addWidget(panes, 3)
        layout.addWidget(self.list, 2)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

        self.coder_a.activated.connect(self.refresh)
        self.coder_b.activated.connect(self.refresh)
        self.target.editingFinished.connect(self.refresh)
        hub.annotations_changed.connect(self._annotations_changed)
        hub.codes_changed.connect(self.refresh)
        self._fill_coders()
        self.refresh()

    # -- what is shown --------------------------------------------------------------------

    def show_article(self, article_id: str) -> None:
        self.article_id = article_id
        self._fill_coders()
        self.refresh()

    def target_name(self) -> str:
        return self.target.text().strip() or DEFAULT_TARGET

    def _fill_coders(self) -> None:
        """Coders of the project, the target left out; A and B default to the first two."""
        everyone = [c for c in project_coders(self.project.store) if c != self.target_name()]
        for number, combo in enumerate((self.coder_a, self.coder_b)):
            current = combo.currentText()
            combo.clear()
            combo.addItems(everyone)
            if current in everyone:
                combo.setCurrentText(current)
            elif len(everyone) > number:
                combo.setCurrentIndex(number)

    def _annotations_changed(self, article_id: str) -> None:
        if article_id == self.article_id:
            self.refresh()

    def refresh(self) -> None:
        row = self.list.currentRow()
        a, b, target = self.coder_a.currentText(), self.coder_b.currentText(), self.target_name()
        self._codes = {c.id: c for c in self.project.store.codes.all()}
        article = self.project.store.articles.get(self.article_id) if self.article_id else None
        self._by_coder = {}
        if article is not None:
            for ann in self.project.store.annotations.for_article(article.id):
                self._by_coder.setdefault(ann.annotator, []).append(ann)
        self.title.setText(article.title if article else "No article chosen.")
        text = article.text if article else ""
        self._documents = [
            self._show_pane(self.pane_a, text, self._by_coder.get(a, [])),
            self._show_pane(self.pane_b, text, self._by_coder.get(b, [])),
        ]
        ready = bool(article and a and b and a != b)
        self.items = (
            disagreements(
                self._by_coder.get(a, []), self._by_coder.get(b, []), self._by_coder.get(target, [])
            )
            if ready
            else []
        )
        self.list.blockSignals(True)
        self.list.clear()
        for d in self.items:
            self.list.addItem(self._row(d, a if d.side == "A" else b, b if d.side == "A" else a))
        self.list.blockSignals(False)
        open_count = sum(not d.resolved for d in self.items)
        if not article:
            self.status.setText("Choose an article to adjudicate.")
        elif not ready:
            self.status.setText("Choose two different coders as A and B.")
        else:
            self.status.setText(
                f"{len(self.items)} disagreement(s), {open_count} not yet resolved into {target}."
            )
        for button in (self.accept_a, self.accept_b, self.all_a, self.all_b):
            button.setEnabled(ready and target not in (a, b))
        if self.items:
            self.list.setCurrentRow(min(max(row, 0), len(self.items) - 1))

    def _show_pane(
        self, pane: QPlainTextEdit, text: str, annotations: list[Annotation]
    ) -> QTextDocument:
        index = SpanIndex(text)
        self._offsets = index.offsets
        index.set_annotations(
            (a, SpanStyle(a.kind, colour_of(a, self._codes))) for a in annotations
        )
        document = QTextDocument(pane)
        document.setDocumentLayout(QPlainTextDocumentLayout(document))
        document.setUndoRedoEnabled(False)
        SpanHighlighter(document, index)  # the document's child: goes with it
        document.setPlainText(text)
        previous = pane.document()
        pane.setDocument(document)
        if previous in self._documents:
            previous.deleteLater()
        return document

    def _row(self, d: Disagreement, mine: str, other: str) -> QListWidgetItem:
        ann = d.annotation
        theirs = "; ".join(f"{describe(o, self._codes)} «{o.quote}»" for o in d.overlapping)
        text = (
            f"{mine} (coder {d.side}) has {describe(ann, self._codes)} "
            f"«{ann.quote.replace(chr(10), ' ⏎ ')}» — "
            f"{other} has {theirs or 'nothing overlapping'}"
        )
        item = QListWidgetItem(("✓ resolved: " if d.resolved else "") + text)
        item.setData(ID_ROLE, ann.id)
        item.setToolTip(text)
        if d.resolved:
            item.setForeground(QBrush(QColor(RESOLVED_COLOUR)))
        return item

    def _show_selected(self, row: int) -> None:
        """Select the disagreement's text in its coder's pane and scroll the other along."""
        if not 0 <= row < len(self.items):
            return
        d = self.items[row]
        for pane, side in ((self.pane_a, "A"), (self.pane_b, "B")):
            cursor = QTextCursor(pane.document())
            to_u16 = self._offsets.to_utf16
            cursor.setPosition(to_u16(d.annotation.start))
            cursor.setPosition(to_u16(d.annotation.end), QTextCursor.MoveMode.KeepAnchor)
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            selection.format.setBackground(QColor("#cfe3ff" if side == d.side else "#eeeeee"))
            pane.setExtraSelections([selection])
            pane.setTextCursor(QTextCursor(cursor.block()))
            pane.ensureCursorVisible()

    # -- accepting ------------------------------------------------------------------------

    def accept_selected(self, side: str) -> Change | None:
        """Copy ``side``'s version of the selected disagreement: the annotation itself if it
        is that coder's, else that coder's annotations overlapping it."""
        row = self.list.currentRow()
        if not 0 <= row < len(self.items) or not self.accept_a.isEnabled():
            return None
        d = self.items[row]
        chosen = (d.annotation,) if d.side == side else d.overlapping
        if not chosen:
            self.status.setText(f"Coder {side} has nothing here; nothing to copy.")
            return None
        return self._copy(chosen, f"accept {side}'s {d.annotation.kind.value}")

    def accept_all(self, side: str) -> Change | None:
        """Every unresolved disagreement of ``side``'s, copied as one undoable step."""
        if not self.all_a.isEnabled():
            return None
        chosen = [d.annotation for d in self.items if d.side == side and not d.resolved]
        if not chosen:
            self.status.setText(f"Nothing of coder {side}'s is left to accept.")
            return None
        return self._copy(chosen, f"accept all of {side}'s annotations")

    def _copy(self, annotations: Iterable[Annotation], description: str) -> Change | None:
        target = self.target_name()
        service = AnnotationService(self.project.store, target)
        store = self.project.store
        have = {signature(t) for t in self._by_coder.get(target, [])}
        wanted = [a for a in annotations if signature(a) not in have]
        if not wanted:
            self.status.setText(f"{target} already has that.")
            return None

        def action() -> Change:
            # Composed from the services' own Changes, so what they carry besides the copy
            # (the target's status of an article it starts) is undone with it.
            parts: list[Change] = []
            mentions = {signature(t): t.id for t in self._by_coder.get(target, [])}
            with store.atomic():
                for ann in sorted(wanted, key=lambda a: _COPY_ORDER[a.kind]):
                    copy = service.create(
                        ann.article_id,
                        ann.kind,
                        [(f.start, f.end) for f in ann.fragments],
                        code_id=ann.code_id,
                        speaker_id=ann.speaker_id,
                        speaker_mention_id=self._mention_copy(ann, mentions),
                        issue_ids=ann.issue_ids,
                        stance=ann.stance,
                        note=ann.note,
                    )
                    assert copy.annotation is not None
                    mentions[signature(copy.annotation)] = copy.annotation.id
                    parts.append(copy)
            return compose(description, parts)

        try:
            return commands.run(self.stack, self.project, self.hub, action)
        except AnnotatorError as exc:
            self.status.setText(f"Not copied: {exc}")
            return None

    def _mention_copy(self, claim: Annotation, copies: dict[Signature, str]) -> str | None:
        """The target's copy of the mention a claim is attributed through, if it has one."""
        if claim.speaker_mention_id is None:
            return None
        mention = next(
            (
                a
                for found in self._by_coder.values()
                for a in found
                if a.id == claim.speaker_mention_id
            ),
            None,
        )
        return copies.get(signature(mention)) if mention else None
