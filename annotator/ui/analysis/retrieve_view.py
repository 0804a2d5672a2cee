"""Retrieved segments (View > Retrieve coded segments…): every passage coded with one issue
or speaker across the project, with source, date, coder and its line of context; filtered by
source and coder, a double-click to go to one, and the list exported as CSV."""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model import CodeKind
from annotator.core.wording import plural
from annotator.services.annotations import project_coders
from annotator.services.corpus.retrieval import Segment, retrieve, write_segments_csv
from annotator.services.project import Project
from annotator.ui.hub import SignalHub
from annotator.ui.kwic import ElideLeftDelegate
from annotator.ui.save_dialog import ask_save_path

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Article", "Source", "Date", "Kind", "Coder", "Before", "Passage", "After")
ALL = ""  # the filters' "any" entry


class SegmentModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.segments: list[Segment] = []

    def set_segments(self, segments: list[Segment]) -> None:
        self.beginResetModel()
        self.segments = segments
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.segments)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        s = self.segments[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            cells = (s.article_title, s.source, s.published, s.kind.value, s.annotator,
                     s.before, s.text, s.after)  # fmt: skip
            return " ".join(cells[column].split("\n"))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 5:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.FontRole and column == 6:
            bold = QFont()
            bold.setBold(True)
            return bold
        return None


class RetrieveView(QDialog):
    #: article id, annotation id: the coder asked to see this segment
    annotation_activated = Signal(str, str)

    def __init__(
        self, project: Callable[[], Project], hub: SignalHub, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Retrieve coded segments")
        self._project = project
        self._stale = False
        self.code = QComboBox(minimumContentsLength=28)
        self.source = QComboBox(minimumContentsLength=12)
        self.coder = QComboBox(minimumContentsLength=10)
        self.model = SegmentModel(self)
        self.table = QTableView()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((170, 80, 80, 50, 60, 280, 160)):
            header.resizeSection(column, width)
        self.table.setItemDelegateForColumn(5, ElideLeftDelegate(self.table))
        rows = self.table.verticalHeader()
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.count = QLabel(textFormat=Qt.TextFormat.PlainText)
        self.export_button = QPushButton("&Export CSV…")
        self._lay_out()
        for box in (self.code, self.source, self.coder):
            box.currentIndexChanged.connect(self.refresh)
        self.table.activated.connect(self._activated)
        self.export_button.clicked.connect(self.export_csv)
        for signal in (hub.annotations_changed, hub.codes_changed):
            signal.connect(self._changed)
        self.resize(1100, 560)

    def _lay_out(self) -> None:
        filters = QHBoxLayout()
        for label, box in (("&Code", self.code), ("&Source", self.source), ("C&oder", self.coder)):
            text = QLabel(label)
            text.setBuddy(box)
            filters.addWidget(text)
            filters.addWidget(box, 1 if box is self.code else 0)
        footer = QHBoxLayout()
        footer.addWidget(self.count, 1)
        footer.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)

    def open_view(self) -> None:
        """Show the view with the project's codes, sources and coders as they are now."""
        self._fill_choices()
        self.refresh()
        self.show()
        self.raise_()
        self.activateWindow()
        self.code.setFocus()

    def _fill_choices(self) -> None:
        store = self._project().store
        codes = [
            (f"{kind.value.capitalize()}: {c.name}", c.id)
            for kind in (CodeKind.ISSUE, CodeKind.SPEAKER)
            for c in sorted(store.codes.all(kind), key=lambda c: c.name.casefold())
        ]
        sources = [("All sources", ALL)] + [(s.name, s.name) for s in store.sources.all()]
        coders = [("All coders", ALL)] + [(n, n) for n in project_coders(store)]
        for box, entries in ((self.code, codes), (self.source, sources), (self.coder, coders)):
            kept = box.currentData()
            box.blockSignals(True)
            box.clear()
            for text, data in entries:
                box.addItem(text, data)
            found = box.findData(kept)
            box.setCurrentIndex(max(found, 0))
            box.blockSignals(False)

    def select_code(self, code_id: str) -> None:
        index = self.code.findData(code_id)
        if index >= 0:
            self.code.setCurrentIndex(index)

    def refresh(self) -> None:
        self._stale = False
        code_id = self.code.currentData()
        if not code_id:
            self.model.set_segments([])
            self.count.setText("No codes yet.")
            return
        store = self._project().store
        try:
            code = store.codes.get(code_id)
            segments = retrieve(
                store,
                code,
                sources=[self.source.currentData()] if self.source.currentData() else [],
                annotators=[self.coder.currentData()] if self.coder.currentData() else [],
            )
        except AnnotatorError as exc:  # a code or source gone meanwhile
            self.model.set_segments([])
            self.count.setText(str(exc))
            return
        self.model.set_segments(segments)
        articles = plural(len({s.article_id for s in segments}), "article")
        self.count.setText(
            f"{plural(len(segments), 'passage')} coded {code.name!r} in {articles}. "
            "Double-click one to go to it."
        )
        self.export_button.setEnabled(bool(segments))

    def _changed(self, *_args: object) -> None:
        """Codes or annotations changed: refresh once, after the burst, if shown."""
        if self.isVisible() and not self._stale:
            self._stale = True
            QTimer.singleShot(0, self._refresh_stale)

    def _refresh_stale(self) -> None:
        if self._stale:
            self._fill_choices()
            self.refresh()

    def _activated(self, index: QModelIndex) -> None:
        segment = self.model.segments[index.row()]
        self.annotation_activated.emit(segment.article_id, segment.annotation_id)

    def export_csv(self) -> None:
        name = self.code.currentText().split(": ", 1)[-1]
        title, file_filter = "Export retrieved segments", "CSV files (*.csv)"
        path = ask_save_path(self, "table", title, f"{name}.csv", file_filter)
        if path:
            self.write_csv(path)

    def write_csv(self, path: Path) -> None:
        try:
            rows = write_segments_csv(self._project().store, self.model.segments, path)
        except AnnotatorError as exc:
            QMessageBox.warning(self, "Export", str(exc))
            return
        self.count.setText(f"Wrote {plural(rows, 'passage')} to {path}.")
