"""The editor of the selected annotation. It only shows and asks: every edit leaves as a
signal, and the window turns it into an undoable service call."""

import dataclasses
import html

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Annotation, AnnotationKind, Code, Stance
from annotator.ui.labels import KIND_LABEL, code_name

ISSUE_ID = Qt.ItemDataRole.UserRole + 1
NOTE_DELAY_MS = 800


#: Issues of a claim shown without scrolling.
ISSUE_ROWS = 4


class AnnotationEditor(QWidget):
    kind_requested = Signal(str, str)  # annotation id, AnnotationKind value
    stance_requested = Signal(str, str)  # annotation id, Stance value or ""
    note_requested = Signal(str, str)
    issue_removal_requested = Signal(str, str)  # annotation id, issue code id
    speaker_clear_requested = Signal(str)
    fragment_removal_requested = Signal(str, int)  # annotation id, fragment index

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._annotation: Annotation | None = None
        self.heading = QLabel("<i>No annotation selected. Select text and press C, S or I.</i>")
        self.heading.setWordWrap(True)
        self.kind = QComboBox()
        for kind in AnnotationKind:
            self.kind.addItem(KIND_LABEL[kind], kind.value)
        self.code = QLabel()
        self.code.setTextFormat(Qt.TextFormat.PlainText)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.clear_speaker = QPushButton("Clear")
        self.clear_speaker.setToolTip("Remove the claim's speaker")
        self.issues = QListWidget()
        # Four issues show without scrolling: a claim often has three or four.
        row = self.issues.fontMetrics().lineSpacing() + 6
        self.issues.setFixedHeight(ISSUE_ROWS * row + 2 * self.issues.frameWidth())
        self.issues.setToolTip("Delete removes the selected issue from the claim")
        self.remove_issue = QPushButton("Remove issue")
        self.stance = QComboBox()
        self.stance.addItem("(no stance)", "")
        for stance in Stance:
            self.stance.addItem(stance.value, stance.value)
        self.note = QPlainTextEdit(placeholderText="Note")
        self.note.setMaximumHeight(60)
        self.fragments = QListWidget()
        self.fragments.setMaximumHeight(60)
        self.remove_fragment = QPushButton("Remove fragment")

        code_row = QHBoxLayout()
        code_row.addWidget(self.code, 1)
        code_row.addWidget(self.clear_speaker)
        self.form = QFormLayout()
        self.form.addRow("Kind", self.kind)
        self.code_caption = QLabel("Speaker")
        self.form.addRow(self.code_caption, code_row)
        self.form.addRow("Issues", self.issues)
        self.form.addRow("", self.remove_issue)
        self.form.addRow("Stance", self.stance)
        self.form.addRow("Note", self.note)
        self.form.addRow("Fragments", self.fragments)
        self.form.addRow("", self.remove_fragment)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)

        self._note_timer = QTimer(self, singleShot=True, interval=NOTE_DELAY_MS)
        self._note_timer.timeout.connect(self.commit_note)
        self.note.textChanged.connect(self._note_timer.start)
        self.kind.activated.connect(self._kind_chosen)
        self.stance.activated.connect(self._stance_chosen)
        self.clear_speaker.clicked.connect(self._clear_speaker)
        self.remove_issue.clicked.connect(self._remove_issue)
        self.remove_fragment.clicked.connect(self._remove_fragment)
        self.issues.installEventFilter(self)
        self.fragments.installEventFilter(self)
        self.show_annotation(None, {})

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Delete in the issue or fragment list removes that item, not the annotation."""
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and event.key() in (  # type: ignore[attr-defined]  # a QKeyEvent
            Qt.Key.Key_Delete,
            Qt.Key.Key_Backspace,
        ):
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()  # keep the window's Delete action away from this key
                return True
            if watched is self.issues:
                self._remove_issue()
            elif watched is self.fragments:
                self._remove_fragment()
            return True
        return super().eventFilter(watched, event)

    @property
    def annotation_id(self) -> str:
        return self._annotation.id if self._annotation else ""

    def show_annotation(self, annotation: Annotation | None, codes: dict[str, Code]) -> None:
        """Show an annotation. A note still being typed must have been taken first (the
        controller does that before every edit); showing never saves anything itself."""
        self._note_timer.stop()
        self._annotation = annotation
        enabled = annotation is not None
        for widget in (self.kind, self.issues, self.stance, self.note, self.fragments):
            widget.setEnabled(enabled)
        blockers = [QSignalBlocker(w) for w in (self.kind, self.stance, self.note)]
        self.issues.clear()
        self.fragments.clear()
        if annotation is None:
            self.heading.setText("<i>No annotation selected. Select text and press C, S or I.</i>")
            self.code.clear()
            self.note.setPlainText("")
            self._set_claim_rows(visible=False)
            del blockers
            return
        is_claim = annotation.kind is AnnotationKind.CLAIM
        self.heading.setText(
            f"<b>{KIND_LABEL[annotation.kind]}</b> by {html.escape(annotation.annotator)}, "
            f"updated {annotation.updated_at[:16].replace('T', ' ')}"
        )
        self.kind.setCurrentIndex(self.kind.findData(annotation.kind.value))
        self.code_caption.setText("Speaker" if is_claim else "Code")
        self.code.setText(
            code_name(codes, annotation.speaker_id if is_claim else annotation.code_id)
        )
        for issue_id in annotation.issue_ids:
            item = QListWidgetItem(code_name(codes, issue_id))
            item.setData(ISSUE_ID, issue_id)
            if issue_id in codes:
                item.setData(Qt.ItemDataRole.DecorationRole, QColor(codes[issue_id].colour))
            self.issues.addItem(item)
        self.stance.setCurrentIndex(
            self.stance.findData(annotation.stance.value if annotation.stance else "")
        )
        self.note.setPlainText(annotation.note)
        for fragment in annotation.fragments:
            quote = fragment.quote if len(fragment.quote) < 60 else fragment.quote[:57] + "…"
            self.fragments.addItem(f"{fragment.start}–{fragment.end}  {quote!r}")
        self._set_claim_rows(visible=is_claim)
        self.clear_speaker.setEnabled(is_claim and annotation.speaker_id is not None)
        self.remove_fragment.setEnabled(len(annotation.fragments) > 1)
        del blockers

    def _set_claim_rows(self, *, visible: bool) -> None:
        for widget in (self.issues, self.remove_issue, self.stance):
            self.form.setRowVisible(widget, visible)
        self.clear_speaker.setVisible(visible)

    def take_pending_note(self) -> tuple[str, str] | None:
        """(annotation id, note) of a note typed but not saved yet, handed over once."""
        self._note_timer.stop()
        if self._annotation is None or self.note.toPlainText() == self._annotation.note:
            return None
        note = self.note.toPlainText()
        self._annotation = dataclasses.replace(self._annotation, note=note)
        return self._annotation.id, note

    def commit_note(self) -> None:
        """On a pause in typing: ask for the typed note to be saved."""
        pending = self.take_pending_note()
        if pending:
            self.note_requested.emit(*pending)

    def _kind_chosen(self) -> None:
        if self._annotation and self.kind.currentData() != self._annotation.kind.value:
            self.kind_requested.emit(self._annotation.id, self.kind.currentData())

    def _stance_chosen(self) -> None:
        if self._annotation:
            self.stance_requested.emit(self._annotation.id, self.stance.currentData())

    def _clear_speaker(self) -> None:
        if self._annotation:
            self.speaker_clear_requested.emit(self._annotation.id)

    def _remove_issue(self) -> None:
        item = self.issues.currentItem() or self.issues.item(0)
        if self._annotation and item is not None:
            self.issue_removal_requested.emit(self._annotation.id, item.data(ISSUE_ID))

    def _remove_fragment(self) -> None:
        row = self.fragments.currentRow()
        if self._annotation and len(self._annotation.fragments) > 1:
            self.fragment_removal_requested.emit(self._annotation.id, max(row, 0))
