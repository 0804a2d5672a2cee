"""The article list: articles grouped by source, with a filter box, status and counts."""

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import ArticleStatus, ArticleSummary
from annotator.ui.labels import plain_tip

ARTICLE_ID = Qt.ItemDataRole.UserRole + 1
STATUS_MARK = {ArticleStatus.NEW: "○ new", ArticleStatus.IN_PROGRESS: "◐ in progress",
               ArticleStatus.DONE: "● done"}  # fmt: skip


class ArticleList(QWidget):
    article_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter_box = QLineEdit(placeholderText="Filter articles…", clearButtonEnabled=True)
        self.model = QStandardItemModel(0, 3, self)
        self.model.setHorizontalHeaderLabels(["Article", "Status", "#"])
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tree = QTreeView(
            uniformRowHeights=True, alternatingRowColors=True, allColumnsShowFocus=True
        )
        self.tree.setModel(self.proxy)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.tree)
        self.filter_box.textChanged.connect(self._filter)
        self.filter_box.returnPressed.connect(self._activate_first_match)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self._current_id = ""

    def set_articles(self, summaries: list[ArticleSummary]) -> None:
        """Rebuild the tree, keeping the current article and the expanded state."""
        self.model.removeRows(0, self.model.rowCount())
        groups: dict[str, QStandardItem] = {}
        bold = QFont()
        bold.setBold(True)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter  # once: 7 µs each
        for summary in summaries:
            group = groups.get(summary.source_id)
            if group is None:
                group = QStandardItem(summary.source_name)
                group.setFont(bold)
                group.setSelectable(False)
                groups[summary.source_id] = group
                self.model.appendRow([group, QStandardItem(), QStandardItem()])
            title = QStandardItem(summary.title)
            title.setData(summary.id, ARTICLE_ID)
            title.setToolTip(
                plain_tip(
                    f"{summary.title}\n{summary.source_name}, {summary.published or 'no date'}"
                )
            )
            status = QStandardItem(STATUS_MARK[summary.status])
            count = QStandardItem(str(summary.annotation_count))
            count.setTextAlignment(right)
            group.appendRow([title, status, count])
        for group in groups.values():
            n = group.rowCount()
            group.setText(f"{group.text()}  ({n})")
        self.tree.expandAll()
        if self._current_id:
            self.select(self._current_id, emit=False)

    def select(self, article_id: str, *, emit: bool = True) -> None:
        """Make ``article_id`` current; with ``emit``, also open it (article_activated)."""
        index = self._index_of(article_id)
        if not index.isValid() and self.filter_box.text():
            self.filter_box.clear()  # the filter hid it
            index = self._index_of(article_id)
        if not index.isValid():
            return
        changed = article_id != self._current_id
        self._current_id = article_id
        selection = self.tree.selectionModel()
        selection.blockSignals(True)
        self.tree.setCurrentIndex(index)
        selection.blockSignals(False)
        self.tree.scrollTo(index)
        if emit and changed:
            self.article_activated.emit(article_id)

    def set_count(self, article_id: str, count: int) -> None:
        """One article's annotation count, without rebuilding the list (an edit's hot path)."""
        matches = self.model.match(
            self.model.index(0, 0), ARTICLE_ID, article_id, 1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )  # fmt: skip
        if matches:
            title = matches[0]
            self.model.itemFromIndex(title.siblingAtColumn(2)).setText(str(count))

    def article_ids(self) -> list[str]:
        ids = []
        for row in range(self.model.rowCount()):
            group = self.model.item(row)
            ids += [group.child(i).data(ARTICLE_ID) for i in range(group.rowCount())]
        return ids

    def _index_of(self, article_id: str) -> QModelIndex:
        matches = self.model.match(
            self.model.index(0, 0), ARTICLE_ID, article_id, 1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )  # fmt: skip
        return self.proxy.mapFromSource(matches[0]) if matches else QModelIndex()

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self.tree.expandAll()

    def _activate_first_match(self) -> None:
        for row in range(self.proxy.rowCount()):
            group = self.proxy.index(row, 0)
            if self.proxy.rowCount(group):
                first = self.proxy.index(0, 0, group)
                self.tree.setCurrentIndex(first)
                self.tree.setFocus()
                return

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        article_id = current.siblingAtColumn(0).data(ARTICLE_ID)
        if article_id and article_id != self._current_id:
            self._current_id = article_id
            self.article_activated.emit(article_id)
