"""The article list's tree model: sources as top-level rows, their articles as children.

A project can hold 10,000 articles, and the list is rebuilt at every start and refresh. One
QStandardItem per cell (30,000 of them, each with its own tooltip) cost most of a launch, and
finding an article meant a recursive search on every edit. This model keeps the summaries in
plain lists, answers ``data()`` only for the rows the view paints, and finds an article through
a dict. It filters itself, so a filtered tree needs no proxy and its positions stay O(1) too.
"""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from annotator.core.model import ArticleStatus, ArticleSummary
from annotator.ui.labels import plain_tip

ARTICLE_ID = Qt.ItemDataRole.UserRole + 1
STATUS_MARK = {ArticleStatus.NEW: "○ new", ArticleStatus.IN_PROGRESS: "◐ in progress",
               ArticleStatus.DONE: "● done"}  # fmt: skip
HEADERS = ("Article", "Status", "#")
TITLE, STATUS, COUNT = range(3)

# Plain ints, looked up once: data() runs for every painted cell and every role, and building a
# Qt enum member per call showed in the profile.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_GROUP_FLAGS = Qt.ItemFlag.ItemIsEnabled
#: ItemNeverHasChildren spares QTreeView.expandAll a visit (and a persistent index) per article.
_ARTICLE_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)
_NO_INDEX = QModelIndex()
#: internalId of a source row; an article row's is its source row + 1, so parent() needs no lookup.
_TOP = 0
#: Typed quotes a researcher cannot easily type: the filter reads them as the plain ones.
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"'})

Index = QModelIndex | QPersistentModelIndex


def fold(text: str) -> str:
    """Text as the filter compares it: compatibility forms, case folded (so "SS" finds "ß") and
    curly quotes made straight (so "Biden's" finds "Biden’s")."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES)


@dataclass(slots=True)
class _Group:
    """One source and its articles in the order they came (by date, then title)."""

    name: str
    articles: list[ArticleSummary]
    folded: list[str] | None = None  # the titles as the filter sees them, made on first filter
    shown: Sequence[int] = field(default_factory=list)  # indices of the articles that match

    def label(self) -> str:
        return f"{self.name}  ({len(self.articles)})"


class ArticleTreeModel(QAbstractItemModel):
    """Three columns (title, status, annotation count) under one bold row per source."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[_Group] = []
        self._where: dict[str, tuple[int, int]] = {}  # id → (group, index in group.articles)
        self._visible: list[_Group] = []  # the groups with at least one matching article
        self._row_of: dict[str, tuple[int, int]] = {}  # id → (source row, article row) shown
        self._needle = ""
        self._most = 0  # the highest annotation count listed: the count column's width
        self._bold = QFont()
        self._bold.setBold(True)

    # -- what the list widget asks ----------------------------------------------------------

    def set_summaries(self, summaries: Sequence[ArticleSummary]) -> None:
        """Replace every article; the order given is kept (sources in order of first sight)."""
        self.beginResetModel()
        by_source: dict[str, _Group] = {}
        where: dict[str, tuple[int, int]] = {}
        for summary in summaries:
            group = by_source.get(summary.source_id)
            if group is None:
                group = by_source[summary.source_id] = _Group(summary.source_name, [])
            where[summary.id] = (len(by_source) - 1, len(group.articles))
            group.articles.append(summary)
        self._groups = list(by_source.values())
        self._where = where
        self._most = max((s.annotation_count for s in summaries), default=0)
        self._apply_filter()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        """Show only articles whose title or source contains ``text`` (case-insensitively),
        under their sources; a source without a match is hidden."""
        needle = fold(text)
        if needle == self._needle:
            return
        self.beginResetModel()
        self._needle = needle
        self._apply_filter()
        self.endResetModel()

    def set_count(self, article_id: str, count: int) -> None:
        """One article's annotation count: one changed cell, found without a search."""
        where = self._where.get(article_id)
        if where is None:
            return
        group = self._groups[where[0]]
        group.articles[where[1]] = replace(group.articles[where[1]], annotation_count=count)
        self._most = max(self._most, count)
        index = self.index_of(article_id, COUNT)
        if index.isValid():
            self.dataChanged.emit(index, index, [_DISPLAY])

    def set_status(self, article_id: str, status: ArticleStatus) -> None:
        """One article's status (the current coder's): one changed cell, as ``set_count``."""
        where = self._where.get(article_id)
        if where is None:
            return
        group = self._groups[where[0]]
        group.articles[where[1]] = replace(group.articles[where[1]], status=status)
        index = self.index_of(article_id, STATUS)
        if index.isValid():
            self.dataChanged.emit(index, index, [_DISPLAY])

    def widest_text(self, column: int) -> str:
        """The text the status or count column needs room for (digits are equally wide)."""
        if column == STATUS:
            return max(STATUS_MARK.values(), key=len) if self._where else ""
        if column == COUNT:
            return "0" * len(str(self._most)) if self._where else ""
        return ""

    def shown_count(self) -> int:
        """How many articles the filter lets through."""
        return len(self._row_of)

    def contains(self, article_id: str) -> bool:
        """Whether the article is listed at all, shown or hidden by the filter."""
        return article_id in self._where

    def index_of(self, article_id: str, column: int = TITLE) -> QModelIndex:
        """The article's cell, or an invalid index when it is unknown or filtered out."""
        row_of = self._row_of.get(article_id)
        if row_of is None:
            return QModelIndex()
        return self.createIndex(row_of[1], column, row_of[0] + 1)

    def first_article(self) -> QModelIndex:
        return self.createIndex(0, TITLE, 1) if self._visible else QModelIndex()

    def article_ids(self) -> list[str]:
        """Every article, filtered or not, in list order."""
        return [s.id for group in self._groups for s in group.articles]

    # -- QAbstractItemModel -----------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = _NO_INDEX) -> QModelIndex:
        if not 0 <= column < len(HEADERS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return (
                self.createIndex(row, column, _TOP) if row < len(self._visible) else QModelIndex()
            )
        if parent.internalId() != _TOP or parent.column() != TITLE:
            return QModelIndex()
        group_row = parent.row()
        if row < len(self._visible[group_row].shown):
            return self.createIndex(row, column, group_row + 1)
        return QModelIndex()

    def parent(self, child: Index = _NO_INDEX) -> QModelIndex:  # type: ignore[override]  # not QObject.parent
        """A source row has no parent; an article's parent row is in its internalId."""
        if not child.isValid():
            return QModelIndex()
        internal = child.internalId()
        return QModelIndex() if internal == _TOP else self.createIndex(internal - 1, TITLE, _TOP)

    def rowCount(self, parent: Index = _NO_INDEX) -> int:  # noqa: N802 (Qt's name)
        if not parent.isValid():
            return len(self._visible)
        if parent.internalId() == _TOP and parent.column() == TITLE:
            return len(self._visible[parent.row()].shown)
        return 0

    def columnCount(self, _parent: Index = _NO_INDEX) -> int:  # noqa: N802 (Qt's name)
        return len(HEADERS)

    def hasChildren(self, parent: Index = _NO_INDEX) -> bool:  # noqa: N802 (Qt's name)
        """Asked for every row when the tree expands: answered without counting."""
        if not parent.isValid():
            return bool(self._visible)
        return parent.internalId() == _TOP and parent.column() == TITLE

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _GROUP_FLAGS if index.internalId() == _TOP else _ARTICLE_FLAGS

    def headerData(  # noqa: N802 (Qt's name)
        self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY
    ) -> str | None:
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> object:
        if not index.isValid():
            return None
        column = index.column()
        internal = index.internalId()
        if internal == _TOP:
            if column != TITLE:
                return None
            if role == _DISPLAY:
                return self._visible[index.row()].label()
            return self._bold if role == _FONT else None
        group = self._visible[internal - 1]
        summary = group.articles[group.shown[index.row()]]
        if role == _DISPLAY:
            if column == TITLE:
                return summary.title
            if column == STATUS:
                return STATUS_MARK[summary.status]
            return str(summary.annotation_count)
        if role == ARTICLE_ID:
            return summary.id
        if role == _ALIGN and column == COUNT:
            return _RIGHT
        if role == _TOOLTIP and column == TITLE:
            return plain_tip(
                f"{summary.title}\n{summary.source_name}, {summary.published or 'no date'}"
            )
        return None

    # -- the filter -------------------------------------------------------------------------

    def _apply_filter(self) -> None:
        """Recompute which rows show, and where each shown article sits (O(n), once)."""
        needle = self._needle
        visible: list[_Group] = []
        row_of: dict[str, tuple[int, int]] = {}
        for group in self._groups:
            if needle and needle in fold(group.name):  # "Reuters": all of that source
                group.shown = range(len(group.articles))
            elif needle:
                if group.folded is None:
                    group.folded = [fold(s.title) for s in group.articles]
                group.shown = [i for i, title in enumerate(group.folded) if needle in title]
            else:
                group.shown = range(len(group.articles))
            if not group.shown:
                continue
            articles, row = group.articles, len(visible)
            row_of.update((articles[i].id, (row, n)) for n, i in enumerate(group.shown))
            visible.append(group)
        self._visible = visible
        self._row_of = row_of
