"""Before suggestions are accepted: the speakers they would add to the codebook, each kept,
renamed, mapped to an existing speaker ("Administration" → "The White House") or left out.
Nothing is written until the coder accepts; the answer is the mapping services.suggestions
takes."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Code
from annotator.core.names import closest

NO_SPEAKER = "(no speaker)"


class NewSpeakersDialog(QDialog):
    def __init__(
        self, parent: QWidget | None, question: str, names: list[str], speakers: list[Code]
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("New speakers")
        self._speakers = {c.name.casefold(): c for c in speakers}  # as the store matches
        self.choices: dict[str, QComboBox] = {}
        self.states: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.addWidget(QLabel("<b>Suggested</b>"), 0, 0)
        grid.addWidget(QLabel("<b>Becomes</b>"), 0, 1)
        for row, name in enumerate(names, 1):
            combo = QComboBox(editable=True)
            combo.setObjectName(f"new_speaker_{row}")
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            near = closest([c.name for c in speakers], name)
            rest = sorted((c.name for c in speakers if c.name not in near), key=str.casefold)
            combo.addItems([name, *near, NO_SPEAKER, *rest])
            combo.setCurrentIndex(0)
            combo.setMinimumContentsLength(24)
            state = QLabel(textFormat=Qt.TextFormat.PlainText)
            combo.currentTextChanged.connect(lambda _text, n=name: self._update(n))
            grid.addWidget(QLabel(name, textFormat=Qt.TextFormat.PlainText), row, 0)
            grid.addWidget(combo, row, 1)
            grid.addWidget(state, row, 2)
            self.choices[name] = combo
            self.states[name] = state
            self._update(name)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Accept")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(question, wordWrap=True, textFormat=Qt.TextFormat.PlainText))
        layout.addWidget(
            QLabel(
                "These speakers are not in the codebook. Keep a name to add it, edit it, or "
                "pick an existing speaker to use instead:",
                wordWrap=True,
            )
        )
        layout.addLayout(grid)
        layout.addWidget(buttons)

    def _update(self, name: str) -> None:
        text = self.choices[name].currentText().strip()
        if text == NO_SPEAKER:
            state = "no speaker: claims stay without one"
        elif text.casefold() in self._speakers:
            state = "existing speaker"
        elif text:
            state = "new speaker"
        else:
            state = "no speaker: claims stay without one"
        self.states[name].setText(state)

    def mapping(self) -> dict[str, str]:
        """Each suggested name → an existing speaker's id, a new name, or "" for none."""
        chosen: dict[str, str] = {}
        for name, combo in self.choices.items():
            text = combo.currentText().strip()
            existing = self._speakers.get(text.casefold())
            if text == NO_SPEAKER or not text:
                chosen[name] = ""
            else:
                chosen[name] = existing.id if existing is not None else text
        return chosen


def confirm_new_speakers(
    parent: QWidget | None, question: str, names: list[str], speakers: list[Code]
) -> dict[str, str] | None:
    """The coder's mapping for ``names``, or None when they cancelled."""
    dialog = NewSpeakersDialog(parent, question, names, speakers)
    return dialog.mapping() if dialog.exec() == QDialog.DialogCode.Accepted else None
