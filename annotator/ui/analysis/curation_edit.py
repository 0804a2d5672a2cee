"""Edit one coder's version before accepting it: boundaries, code or speaker, issues, stance.

The dialog only collects the curator's choices; CurationService.edited_version checks them
(fragments inside the text, codes of the right kind) and the decision writes them.
"""

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QWidget,
)

from annotator.core.model import Annotation, AnnotationKind, Code, CodeKind, Stance

CODE_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True, slots=True)
class EditedParts:
    spans: list[tuple[int, int]]
    code_id: str | None
    speaker_id: str | None
    issue_ids: list[str]
    stance: Stance | None


class EditVersionDialog(QDialog):
    def __init__(
        self,
        source: Annotation,
        side: str,
        codes: list[Code],
        text_length: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Edit {side}'s version, then accept it")
        self._source = source
        form = QFormLayout(self)
        form.addRow(QLabel(f"«{source.quote[:200]}»"))
        self._bounds: list[tuple[QSpinBox, QSpinBox]] = []
        for number, fragment in enumerate(source.fragments, start=1):
            start, end = QSpinBox(), QSpinBox()
            for box, value in ((start, fragment.start), (end, fragment.end)):
                box.setRange(0, text_length)
                box.setValue(value)
            row = QHBoxLayout()
            row.addWidget(start)
            row.addWidget(QLabel("to"))
            row.addWidget(end)
            form.addRow(f"Fragment {number} (characters)", row)
            self._bounds.append((start, end))
        claim = source.kind is AnnotationKind.CLAIM
        speakers = [c for c in codes if c.kind is CodeKind.SPEAKER]
        issues = [c for c in codes if c.kind is CodeKind.ISSUE]
        self._code = QComboBox()
        choices = speakers if claim or source.kind is AnnotationKind.SPEAKER else issues
        current = source.speaker_id if claim else source.code_id
        for code in choices:
            self._code.addItem(code.name, code.id)
        self._code.setCurrentIndex(max(0, self._code.findData(current)))
        form.addRow("Speaker" if claim or source.kind is AnnotationKind.SPEAKER else "Issue",
                    self._code)  # fmt: skip
        self._issues = QListWidget()
        self._stance = QComboBox()
        if claim:
            for code in issues:
                item = QListWidgetItem(code.name)
                item.setData(CODE_ROLE, code.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                ticked = code.id in source.issue_ids
                item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
                self._issues.addItem(item)
            form.addRow("Issues", self._issues)
            self._stance.addItem("(none)", None)
            for stance in Stance:
                self._stance.addItem(stance.value, stance)
            self._stance.setCurrentIndex(max(0, self._stance.findData(source.stance)))
            form.addRow("Stance", self._stance)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Accept edited")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def parts(self) -> EditedParts:
        claim = self._source.kind is AnnotationKind.CLAIM
        chosen = self._code.currentData()
        return EditedParts(
            spans=[(start.value(), end.value()) for start, end in self._bounds],
            code_id=None if claim else chosen,
            speaker_id=chosen if claim else None,
            issue_ids=[
                self._issues.item(i).data(CODE_ROLE)
                for i in range(self._issues.count())
                if self._issues.item(i).checkState() == Qt.CheckState.Checked
            ],
            stance=self._stance.currentData() if claim else None,
        )
