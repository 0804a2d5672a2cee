"""The list of the open article's annotations: a small typed table model and its view.

Rows come in reading order; a click on a header sorts by that column (a third click goes back
to reading order), ties keeping reading order, so after a merge the copies of one passage
sort next to each other and the Coder column tells them apart.
"""

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from annotator.core.model import Annotation, Code
from annotator.ui.labels import KIND_LABEL, colour_of, issues_label, main_label, plain_tip
from annotator.ui.page_colours import muted_text
from annotator.ui.row_table_model import RowTableModel

AnyIndex = QModelIndex | QPersistentModelIndex


class AnnotationTableModel(RowTableModel[Annotation]):
    HEADERS = ("Kind", "Speaker / code", "Text", "Issues", "Stance", "Coder")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._given: list[Annotation] = []  # in reading order
        self._rows: list[Annotation] = []  # as shown: sorted by _sort_by, else _given
        self._codes: dict[str, Code] = {}
        self._sort_by: tuple[int, Qt.SortOrder] | None = None

    def set_annotations(self, annotations: list[Annotation], codes: dict[str, Code]) -> None:
        self.beginResetModel()
        self._given = list(annotations)
        self._codes = codes
        self._rows = self._sorted()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """By the column's text, ignoring case; column -1 is reading order. Selected rows
        follow their annotation (the persistent indexes are moved with it)."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [self._rows[i.row()].id if i.isValid() else "" for i in before]
        self._sort_by = (column, order) if 0 <= column < len(self.HEADERS) else None
        self._rows = self._sorted()
        row_of = {annotation.id: row for row, annotation in enumerate(self._rows)}
        after = [
            self.index(row_of[aid], i.column()) if aid in row_of else QModelIndex()
            for i, aid in zip(before, ids, strict=True)
        ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _sorted(self) -> list[Annotation]:
        if self._sort_by is None:
            return list(self._given)
        column, order = self._sort_by
        return sorted(  # stable, also reversed: ties keep reading order
            self._given,
            key=lambda a: self._texts(a)[column].casefold(),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )

    def _texts(self, annotation: Annotation) -> tuple[str, ...]:
        return (
            KIND_LABEL[annotation.kind],
            main_label(annotation, self._codes),
            annotation.quote.replace("\n", " ⏎ "),
            issues_label(annotation, self._codes),
            annotation.stance.value if annotation.stance else "",
            annotation.annotator,
        )

    def annotation_at(self, row: int) -> Annotation:
        return self._rows[row]

    def row_of(self, annotation_id: str) -> int:
        for row, annotation in enumerate(self._rows):
            if annotation.id == annotation_id:
                return row
        return -1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        annotation = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts(annotation)[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 2:
            return plain_tip(annotation.quote)
        if role == Qt.ItemDataRole.DecorationRole and column == 1:
            return QColor(colour_of(annotation, self._codes))
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return muted_text(QGuiApplication.palette())  # readable, light or dark
        return None


class AnnotationTable(QTableView):
    """Select a row to jump to the span; Delete removes it."""

    annotation_chosen = Signal(str)
    delete_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table_model = AnnotationTableModel(self)
        self.setModel(self.table_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(22)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((60, 130, 220, 140, 70)):
            self.setColumnWidth(column, width)
        header.setSortIndicatorClearable(True)  # a third click: back to reading order
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        self.selectionModel().currentRowChanged.connect(self._row_changed)
        self._quiet = False

    def set_annotations(self, annotations: list[Annotation], codes: dict[str, Code]) -> None:
        current = self.current_id()
        self._quiet = True
        self.table_model.set_annotations(annotations, codes)
        self.select_annotation(current)
        self._quiet = False

    def current_id(self) -> str:
        index = self.currentIndex()
        return self.table_model.annotation_at(index.row()).id if index.isValid() else ""

    def select_annotation(self, annotation_id: str) -> None:
        row = self.table_model.row_of(annotation_id) if annotation_id else -1
        quiet, self._quiet = self._quiet, True
        if row < 0:
            self.clearSelection()
            self.setCurrentIndex(QModelIndex())
        else:
            self.selectRow(row)
            self.scrollTo(self.table_model.index(row, 0))
        self._quiet = quiet

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.matches(QKeySequence.StandardKey.Delete) or event.key() == Qt.Key.Key_Backspace:
            if self.current_id():
                self.delete_requested.emit(self.current_id())
            return
        super().keyPressEvent(event)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._quiet and current.isValid():
            self.annotation_chosen.emit(self.table_model.annotation_at(current.row()).id)
