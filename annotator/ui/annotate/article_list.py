"""The article list: articles grouped by source, with a filter box, status and counts.

The tree and its filter live in ArticleTreeModel (article_list_model.py), which finds an article
in O(1): the window calls ``set_count`` and ``select`` on every edit, with up to 10,000 articles.
"""

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyle,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import ArticleStatus, ArticleSummary
from annotator.ui.annotate.article_list_model import ARTICLE_ID, STATUS_MARK, ArticleTreeModel

__all__ = ["ARTICLE_ID", "STATUS_MARK", "ArticleList"]


#: Above this many articles shown, only the open article's source starts expanded.
EXPAND_ALL_UP_TO = 2_000


class ArticleList(QWidget):
    article_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter_box = QLineEdit(placeholderText="Filter articles…", clearButtonEnabled=True)
        self.model = ArticleTreeModel(self)
        self.tree = _ArticleTree(
            uniformRowHeights=True, alternatingRowColors=True, allColumnsShowFocus=True
        )  # type: ignore[call-arg]  # a base class's Qt property, missing from the stubs
        self.tree.setModel(self.model)
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
        """Rebuild the tree, keeping the filter and the current article (when it still shows)."""
        self.model.set_summaries(summaries)
        self._expand()
        self._show_current()

    def select(self, article_id: str, *, emit: bool = True) -> None:
        """Make ``article_id`` current; with ``emit``, also open it (article_activated)."""
        index = self.model.index_of(article_id)
        if not index.isValid() and self.model.contains(article_id) and self.filter_box.text():
            self.filter_box.clear()  # the filter hid it
            index = self.model.index_of(article_id)
        if not index.isValid():
            return
        changed = article_id != self._current_id
        self._current_id = article_id
        self._make_current(index)
        if emit and changed:
            self.article_activated.emit(article_id)

    def set_count(self, article_id: str, count: int) -> None:
        """One article's annotation count, without rebuilding the list (an edit's hot path)."""
        self.model.set_count(article_id, count)

    def set_status(self, article_id: str, status: ArticleStatus) -> None:
        """One article's status for the current coder, without rebuilding the list."""
        self.model.set_status(article_id, status)

    def article_ids(self) -> list[str]:
        """Every listed article, also those the filter hides: by source, date, then title."""
        return self.model.article_ids()

    def _expand(self) -> None:
        """Open every source, or with more than EXPAND_ALL_UP_TO articles shown only the open
        article's (the tree opens a source when it scrolls to one of its articles): laying out
        every row through the Python model would be paid at every start. Right after a reset
        the tree only notes each source and lays the rows out once when painted; expandAll
        would visit (and ask the model about) every article."""
        if self.model.shown_count() > EXPAND_ALL_UP_TO:
            current = self.model.index_of(self._current_id) if self._current_id else None
            if current is not None and current.isValid():
                self.tree.expand(current.parent())
            return
        for row in range(self.model.rowCount()):
            self.tree.expand(self.model.index(row, 0))

    def _make_current(self, index: QModelIndex) -> None:
        """Point the tree at ``index`` without reporting it back as the user's choice."""
        selection = self.tree.selectionModel()
        selection.blockSignals(True)
        self.tree.setCurrentIndex(index)
        selection.blockSignals(False)
        self.tree.scrollTo(index)

    def _show_current(self) -> None:
        """After a rebuild or a new filter, mark the open article again if it is shown."""
        index = self.model.index_of(self._current_id) if self._current_id else QModelIndex()
        if index.isValid():
            self._make_current(index)

    def _filter(self, text: str) -> None:
        self.model.set_filter(text)
        self._expand()
        self._show_current()

    def _activate_first_match(self) -> None:
        first = self.model.first_article()
        if first.isValid():
            self.tree.setCurrentIndex(first)
            self.tree.setFocus()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        article_id = current.siblingAtColumn(0).data(ARTICLE_ID)
        if article_id and article_id != self._current_id:
            self._current_id = article_id
            self.article_activated.emit(article_id)


class _ArticleTree(QTreeView):
    """A tree that sizes the status and count columns from the model's widest text, so a
    changed count does not make the header measure a thousand rows through Python."""

    def sizeHintForColumn(self, column: int) -> int:  # noqa: N802 (Qt's name)
        model = self.model()
        if not isinstance(model, ArticleTreeModel) or column == 0:
            return super().sizeHintForColumn(column)
        text = model.widest_text(column)
        if not text:
            return super().sizeHintForColumn(column)
        # The margins QCommonStyle puts around an item view's text on each side.
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1
        return self.fontMetrics().horizontalAdvance(text) + 2 * margin
