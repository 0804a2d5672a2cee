"""The tagging panel: Claim / Speaker / Issue buttons, the speaker and issue pickers, the
editor of the selected annotation and the list of this article's annotations."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import CodeKind
from annotator.ui.annotate.annotation_editor import AnnotationEditor
from annotator.ui.annotate.annotation_table import AnnotationTable
from annotator.ui.annotate.code_picker import CodePicker
from annotator.ui.annotate.suggestion_controls import SuggestionControls


class TaggingPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.claim_button = QPushButton("Claim  (C)")
        self.speaker_button = QPushButton("Speaker  (S)")
        self.issue_button = QPushButton("Issue  (I)")
        for button, tip in (
            (self.claim_button, "Label the selected text a claim, then pick its speaker"),
            (self.speaker_button, "Label the selected text a mention of a speaker"),
            (self.issue_button, "Label the selected text a passage about an issue"),
        ):
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.speakers = CodePicker(CodeKind.SPEAKER)
        self.issues = CodePicker(CodeKind.ISSUE)
        self.editor = AnnotationEditor()
        self.table = AnnotationTable()

        self.coder = QComboBox()
        self.coder.setToolTip(
            "Whose annotations the article shows. Edits keep each annotation's coder; new "
            "annotations are yours."
        )
        self.set_coders([])
        buttons = QHBoxLayout()
        for button in (self.claim_button, self.speaker_button, self.issue_button):
            buttons.addWidget(button)
        coder_row = QHBoxLayout()
        coder_row.addWidget(QLabel("Show"))
        coder_row.addWidget(self.coder, 1)
        pickers = QWidget()
        picker_row = QHBoxLayout(pickers)
        picker_row.setContentsMargins(0, 0, 0, 0)
        picker_row.addWidget(self.speakers)
        picker_row.addWidget(self.issues)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(buttons)
        top_layout.addLayout(coder_row)
        top_layout.addWidget(pickers)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.editor)
        self.suggestions = QListWidget()
        self.suggestions.setToolTip(
            "Suggested claims and speakers: N steps through them, A accepts, X rejects"
        )
        self.suggestion_controls = SuggestionControls()
        suggestion_tab = QWidget()
        suggestion_layout = QVBoxLayout(suggestion_tab)
        suggestion_layout.setContentsMargins(0, 0, 0, 0)
        suggestion_layout.setSpacing(0)
        suggestion_layout.addWidget(self.suggestion_controls)
        suggestion_layout.addWidget(self.suggestions, 1)
        self.lists = QTabWidget(documentMode=True)
        self.lists.addTab(self.table, "Annotations")
        self.lists.addTab(suggestion_tab, "Suggestions")
        self.splitter.addWidget(self.lists)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([300, 260, 240])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)

    def set_coders(self, coders: list[str]) -> None:
        """The coder filter's choices, keeping the current one if it is still there."""
        current = self.coder.currentData() or ""
        self.coder.blockSignals(True)
        self.coder.clear()
        self.coder.addItem("All coders' annotations", "")
        for name in coders:
            self.coder.addItem(f"{name}'s annotations", name)
        index = self.coder.findData(current)
        self.coder.setCurrentIndex(max(index, 0))
        self.coder.blockSignals(False)

    def coder_filter(self) -> str:
        """The coder whose annotations are shown, or "" for everyone."""
        return self.coder.currentData() or ""
