"""The disagreements of one article's curation as a small typed table: each listed once, with
what differs and both versions side by side."""

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from annotator.core.model import Annotation, Code, Decision
from annotator.services.team.curation_state import CurationItem
from annotator.ui.labels import KIND_LABEL, describe, plain_tip
from annotator.ui.row_table_model import RowTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
DECIDED_COLOUR = "#777777"
DECISION_LABEL = {
    Decision.ACCEPT_A: "A's",
    Decision.ACCEPT_B: "B's",
    Decision.BOTH: "both",
    Decision.EDITED: "edited",
    Decision.REJECTED: "neither",
    Decision.AGREED: "agreed",
}


def version_label(annotation: Annotation | None, codes: dict[str, Code]) -> str:
    if annotation is None:
        return "—"
    return f"{describe(annotation, codes)} «{_one_line(annotation.quote)}»"


def _one_line(text: str, limit: int = 120) -> str:
    text = text.replace("\n", " ⏎ ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class CurationTableModel(RowTableModel[CurationItem]):
    NUMBERED = True
    HEADERS = ("Kind", "What differs", "A's version", "B's version", "Decision")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[CurationItem] = []
        self._codes: dict[str, Code] = {}

    def set_items(self, items: list[CurationItem], codes: dict[str, Code]) -> None:
        self.beginResetModel()
        self._rows = list(items)
        self._codes = codes
        self.endResetModel()

    def item_at(self, row: int) -> CurationItem | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, key: str) -> int:
        return next((row for row, item in enumerate(self._rows) if item.key == key), -1)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        item = self.item_at(index.row()) if index.isValid() else None
        if item is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = (
                KIND_LABEL[item.pairing.kind],
                "; ".join(item.differences),
                version_label(item.a, self._codes),
                version_label(item.b, self._codes),
                DECISION_LABEL[item.decision.decision] if item.decision else "open",
            )[column]
            return plain_tip(text) if role == Qt.ItemDataRole.ToolTipRole else text
        if role == Qt.ItemDataRole.ForegroundRole and item.decision is not None:
            return QBrush(QColor(DECIDED_COLOUR))
        return None
