"""Keyword-in-context columns: the text before a hit is cut on its left, so the words next
to the hit stay in view, as a concordance shows them."""

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem


class ElideLeftDelegate(QStyledItemDelegate):
    """For a "before" column: "…the words nearest the hit" rather than "the start of…"."""

    def initStyleOption(  # noqa: N802 (Qt's name)
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft
