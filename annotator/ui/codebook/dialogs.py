"""The small dialogs of the codebook: pick a code (a merge target, a new parent) and confirm a
delete with what the code is used for. Each is modal and returns the coder's answer."""

from enum import Enum

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Code, CodeKind
from annotator.core.names import fold
from annotator.services.codebook import CodeUsage, describe_usage

CHOICE_ID = Qt.ItemDataRole.UserRole + 1


class CodeChooser(QDialog):
    """A filterable list of codes to pick one from: type, Up/Down, Enter."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        prompt: str,
        choices: list[tuple[str, str, str]],
        ok_text: str = "OK",
    ) -> None:
        """``choices``: (id, label, colour) each; an empty colour shows no swatch."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self.filter = QLineEdit(placeholderText="Type to filter", clearButtonEnabled=True)
        self.list = QListWidget()
        for code_id, label, colour in choices:
            item = QListWidgetItem(label)
            item.setData(CHOICE_ID, code_id)
            if colour:
                item.setData(Qt.ItemDataRole.DecorationRole, QColor(colour))
            self.list.addItem(item)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        prompt_label = QLabel(prompt, wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        for widget in (prompt_label, self.filter, self.list, buttons):
            layout.addWidget(widget)
        self.filter.textChanged.connect(self._filter)
        self.filter.installEventFilter(self)
        self.list.setCurrentRow(0)
        self.resize(380, 420)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return item.data(CHOICE_ID) if item is not None and not item.isHidden() else None

    def choose(self, code_id: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(CHOICE_ID) == code_id:
                self.list.setCurrentRow(row)

    def _filter(self, text: str) -> None:
        key = fold(text)
        first = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(bool(key) and key not in fold(item.text()))
            if first is None and not item.isHidden():
                first = row
        if first is not None:
            self.list.setCurrentRow(first)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Up and Down in the filter box move through the list."""
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                step = 1 if event.key() == Qt.Key.Key_Down else -1
                row = self.list.currentRow() + step
                while 0 <= row < self.list.count() and self.list.item(row).isHidden():
                    row += step
                if 0 <= row < self.list.count():
                    self.list.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)


def choose_code(
    parent: QWidget | None,
    title: str,
    prompt: str,
    choices: list[tuple[str, str, str]],
    current: str = "",
) -> str | None:
    """The id the coder picked among ``choices``, or None when cancelled. The OK button
    says what happens: the title's first word ("Merge", "Move")."""
    dialog = CodeChooser(parent, title, prompt, choices, ok_text=title.split()[0])
    if current:
        dialog.choose(current)
    return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None


class DeleteAnswer(Enum):
    CANCEL = "cancel"
    DELETE = "delete"  # unused, or with its uses when in use
    MERGE = "merge"  # merge into another code instead


def force_explanation(kind: CodeKind) -> str:
    """What deleting a code in use does to its uses, in the coder's words."""
    if kind is CodeKind.SPEAKER:
        return (
            "Deleting it with its uses deletes its speaker mentions; claims attributed to it "
            "stay, without a speaker."
        )
    return (
        "Deleting it with its uses deletes its issue passages; claims tagged with it stay, "
        "without it; its child issues move up to its parent."
    )


def confirm_delete(parent: QWidget | None, code: Code, usage: CodeUsage) -> DeleteAnswer:
    """Ask before deleting: an unused code with a plain question; a code in use with its
    counts, the offer to merge it instead, and what deleting it anyway does."""
    box = QMessageBox(parent)
    box.setWindowTitle(f"Delete {code.kind.value}")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setIcon(QMessageBox.Icon.Question if not usage.total else QMessageBox.Icon.Warning)
    if not usage.total:
        box.setText(f"Delete the {code.kind.value} “{code.name}”? It is not used.")
        box.setInformativeText("Ctrl+Z brings it back.")
        delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        merge = None
    else:
        box.setText(f"“{code.name}” is in use: {describe_usage(code, usage)}.")
        box.setInformativeText(
            "Merge it into another code to keep these uses under that code. "
            f"{force_explanation(code.kind)} Ctrl+Z undoes either."
        )
        merge = box.addButton("Merge into…", QMessageBox.ButtonRole.AcceptRole)
        delete = box.addButton("Delete with its uses", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is delete:
        return DeleteAnswer.DELETE
    if merge is not None and clicked is merge:
        return DeleteAnswer.MERGE
    return DeleteAnswer.CANCEL
