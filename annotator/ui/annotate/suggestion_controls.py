"""Above the Suggestions list: how sure a suggestion must be to be shown ("More" to "Fewer"),
how many the threshold leaves out, and why there are none when an article is too long to be
searched on opening."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from annotator.services.suggestions import DEFAULT_MIN_CONFIDENCE

#: The slider's ends, in hundredths of confidence: everything the detector finds (a cue with
#: a speaker found only nearby, or not named, goes down to 0.15), and only quoted claims with
#: a named speaker and a verb of saying.
LEAST, MOST = 10, 95


class SuggestionControls(QWidget):
    threshold_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(LEAST, MOST)
        self.slider.setSingleStep(5)
        self.slider.setPageStep(10)
        self.slider.setValue(round(DEFAULT_MIN_CONFIDENCE * 100))
        self.slider.setToolTip(
            "Toward Fewer, only the surer suggestions are shown: quotations and verbs of "
            "saying stay longest; beliefs, intentions, feelings, nouns such as “the warning "
            "that”, quotations with no speaker and cues whose speaker was only found nearby "
            "go first. Toward More, everything found is shown. Hover a suggestion to see why "
            "it was made."
        )
        self.slider.setAccessibleName("Suggestion threshold")
        self.slider.valueChanged.connect(lambda value: self.threshold_changed.emit(value / 100))
        self.count = QLabel()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("More"))
        row.addWidget(self.slider, 1)
        row.addWidget(QLabel("Fewer"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addLayout(row)
        layout.addWidget(self.count)
        layout.addWidget(self.note)

    @property
    def threshold(self) -> float:
        return self.slider.value() / 100

    def show_counts(self, shown: int, found: int) -> None:
        hidden = found - shown
        self.count.setText(
            f"{shown} shown, {hidden} less sure hidden (move toward More)" if hidden else ""
        )
        self.count.setVisible(bool(hidden))

    def show_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))
