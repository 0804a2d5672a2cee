"""The parts of the Adjudicate tab: the articles with their curation state, and both coders'
versions of the article side by side."""

from collections.abc import Iterable, Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextDocumentLayout,
    QPlainTextEdit,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Annotation, Code
from annotator.core.spans.offsets import OffsetMap
from annotator.core.spans.span_index import SpanIndex
from annotator.core.spans.span_style import SpanStyle
from annotator.services.team.curation_state import CurationItem, CurationState
from annotator.ui.annotate.highlighter import SpanHighlighter
from annotator.ui.labels import colour_of

ID_ROLE = Qt.ItemDataRole.UserRole
TITLE_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_MARK = {
    CurationState.NOT_STARTED: "○",
    CurationState.IN_PROGRESS: "◐",
    CurationState.CURATED: "●",
}
SHOWN = "#cfe3ff"
OTHER_SIDE = "#eeeeee"


class CurationArticleList(QListWidget):
    """The articles both coders annotated, each marked with its curation state."""

    article_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setToolTip("○ not started  ◐ in progress  ● curated")
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.currentItemChanged.connect(self._chosen)

    def fill(self, articles: Iterable[tuple[str, str, CurationState | None]], current: str) -> None:
        """(article id, title, state) in the order to show, a state None until it is counted;
        ``current`` stays selected."""
        self.blockSignals(True)
        self.clear()
        for article_id, title, state in articles:
            item = QListWidgetItem()
            item.setData(ID_ROLE, article_id)
            self.addItem(item)
            self._label(item, title, state)
        self.blockSignals(False)
        self.select(current)

    def set_state(self, article_id: str, title: str, state: CurationState) -> None:
        for row in range(self.count()):
            if self.item(row).data(ID_ROLE) == article_id:
                self._label(self.item(row), title, state)

    def set_states(self, states: Mapping[str, CurationState], keep: set[str]) -> None:
        """The counted states, in one pass over the rows; the articles in ``keep`` were
        relabelled since the count began (a decision), so theirs is newer."""
        for row in range(self.count()):
            item = self.item(row)
            article_id = item.data(ID_ROLE)
            if article_id in states and article_id not in keep:
                self._label(item, item.data(TITLE_ROLE), states[article_id])

    def select(self, article_id: str) -> None:
        self.blockSignals(True)
        for row in range(self.count()):
            if self.item(row).data(ID_ROLE) == article_id:
                self.setCurrentRow(row)
        self.blockSignals(False)

    @staticmethod
    def _label(item: QListWidgetItem, title: str, state: CurationState | None) -> None:
        item.setData(TITLE_ROLE, title)
        item.setText(f"{STATE_MARK[state] if state else '·'} {title}")
        item.setToolTip(f"{title}: {state.value if state else 'being counted'}")

    def _chosen(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is not None:
            self.article_chosen.emit(item.data(ID_ROLE))


class VersionPanes(QSplitter):
    """The article twice, coder A's annotations painted on the left and B's on the right;
    a disagreement's two versions are selected in their panes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pane_a, self.pane_b = QPlainTextEdit(), QPlainTextEdit()
        self.label_a, self.label_b = QLabel("A"), QLabel("B")
        self._documents: list[QTextDocument] = []
        self._offsets = OffsetMap("")  # Qt's UTF-16 positions of the shown text
        for label, pane in ((self.label_a, self.pane_a), (self.label_b, self.pane_b)):
            pane.setReadOnly(True)
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(label)
            column.addWidget(pane)
            self.addWidget(box)

    def show_versions(
        self,
        text: str,
        names: tuple[str, str],
        versions: tuple[list[Annotation], list[Annotation]],
        codes: dict[str, Code],
    ) -> None:
        self.label_a.setText(f"A: {names[0]}")
        self.label_b.setText(f"B: {names[1]}")
        self._documents = [
            self._show(pane, text, annotations, codes)
            for pane, annotations in zip((self.pane_a, self.pane_b), versions, strict=True)
        ]

    def _show(
        self, pane: QPlainTextEdit, text: str, annotations: list[Annotation], codes: dict[str, Code]
    ) -> QTextDocument:
        index = SpanIndex(text)
        self._offsets = index.offsets
        index.set_annotations((a, SpanStyle(a.kind, colour_of(a, codes))) for a in annotations)
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

    def highlight(self, item: CurationItem) -> None:
        """Each coder's version selected in their pane; where a coder has none, the other's
        place is shaded so both panes show the same passage."""
        for pane, side in ((self.pane_a, "A"), (self.pane_b, "B")):
            mine = item.version(side)
            where = mine or item.a or item.b
            assert where is not None
            cursor = QTextCursor(pane.document())
            cursor.setPosition(self._offsets.to_utf16(where.start))
            cursor.setPosition(self._offsets.to_utf16(where.end), QTextCursor.MoveMode.KeepAnchor)
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            selection.format.setBackground(QColor(SHOWN if mine else OTHER_SIDE))
            pane.setExtraSelections([selection])
            pane.setTextCursor(QTextCursor(cursor.block()))
            pane.ensureCursorVisible()
