""" "Code all N as…": what every hit of a search becomes, with a preview of how many will be
created and how many this coder has already coded that way, before anything is written."""

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model import AnnotationKind, CodeKind
from annotator.services.code_lookup import close_names
from annotator.services.corpus.code_all import CodeAllPlan, Span, plan_for_matches, resolve_target
from annotator.services.project import Project

KINDS = (
    ("Speaker mention", AnnotationKind.SPEAKER),
    ("Issue passage", AnnotationKind.ISSUE),
    ("Claim", AnnotationKind.CLAIM),
)
NO_ISSUE = "(no issue)"


class CodeAllDialog(QDialog):
    """Pick a target; ``plan`` is what OK will create (None while no target is complete)."""

    def __init__(
        self,
        project: Project,
        matches: list[tuple[str, tuple[Span, ...]]],
        pattern: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Code all hits")
        self._project = project
        self._matches = matches
        self._pattern = pattern
        self.plan: CodeAllPlan | None = None
        self.kind = QComboBox()
        for text, kind in KINDS:
            self.kind.addItem(text, kind.value)
        self.code = QComboBox()
        self.speaker = QComboBox()
        self.speaker.addItems(self._names(CodeKind.SPEAKER))
        self.speaker.setPlaceholderText("Choose who speaks")
        self.speaker.setCurrentIndex(-1)  # a conscious choice, never the first by accident
        self.preview = QLabel(wordWrap=True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Code each hit as", self.kind)
        self.code_label = QLabel("Speaker")
        form.addRow(self.code_label, self.code)
        form.addRow("Claim's speaker", self.speaker)
        self._form = form
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addWidget(self.buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.code.currentIndexChanged.connect(self._update)
        self.speaker.currentIndexChanged.connect(self._update)
        self._kind_changed()
        self.resize(460, self.sizeHint().height())

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _names(self, kind: CodeKind) -> list[str]:
        return sorted((c.name for c in self._project.store.codes.all(kind)), key=str.casefold)

    def _kind_changed(self) -> None:
        kind = AnnotationKind(self.kind.currentData())
        claim = kind is AnnotationKind.CLAIM
        code_kind = CodeKind.ISSUE if claim else kind.code_kind
        assert code_kind is not None
        self.code.blockSignals(True)
        self.code.clear()
        self.code.addItems(([NO_ISSUE] if claim else []) + self._names(code_kind))
        guess = close_names(self._project.store, self._pattern, code_kind)
        if guess and not claim:
            self.code.setCurrentText(guess[0])
        self.code.blockSignals(False)
        self.code_label.setText("Issue" if code_kind is CodeKind.ISSUE else "Speaker")
        self._form.setRowVisible(self.speaker, claim)
        self.adjustSize()
        self._update()

    def _update(self) -> None:
        """Recount for the chosen target: the hits were found once, only "already" changes."""
        kind = AnnotationKind(self.kind.currentData())
        code = self.code.currentText()
        claim = kind is AnnotationKind.CLAIM
        self.plan = None
        if claim and self.speaker.currentIndex() < 0:
            self._show("Choose the claims' speaker.", 0)
            return
        try:
            target = resolve_target(
                self._project.store,
                kind,
                None if code == NO_ISSUE else code or None,
                self.speaker.currentText() if claim else None,
            )
        except AnnotatorError as exc:
            self._show(str(exc), 0)
            return
        coder = self._project.annotations.annotator
        plan = plan_for_matches(self._project.store, coder, self._matches, target)
        self.plan = plan
        matches = "1 match" if plan.matches == 1 else f"{plan.matches} matches"
        self._show(
            f"{matches}: {plan.to_create} will be coded as {target.label}; "
            f"{plan.already} already coded so by {coder} (skipped). One step: Undo takes "
            "them all back.",
            plan.to_create,
        )

    def _show(self, text: str, creates: int) -> None:
        self.preview.setText(text)
        self.ok_button.setText(f"Code {creates}")
        self.ok_button.setEnabled(creates > 0)
