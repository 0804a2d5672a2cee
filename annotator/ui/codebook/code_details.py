"""The chosen code's fields, edited in place and applied together as one Change: name,
organisation (speakers), one-key shortcut, aliases, memo; its colour and usage shown."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import aliases_of, memo_of, split_aliases
from annotator.core.model import Code, CodeKind
from annotator.services.codebook import CodeEdit, CodeUsage, describe_usage


class CodeDetails(QWidget):
    apply_requested = Signal(str, dict)  # code id, the fields that changed
    recolour_requested = Signal(str)  # code id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code: Code | None = None
        self.name = QLineEdit()
        self.colour = QPushButton()
        self.colour.setToolTip("Choose another colour")
        self.organisation = QLineEdit()
        self.shortcut = QLineEdit(maxLength=1)
        self.shortcut.setToolTip("One key (c, s and i are taken)")
        for widget, name in ((self.name, "code_name"), (self.colour, "code_colour"),
                             (self.organisation, "code_organisation"),
                             (self.shortcut, "code_shortcut")):  # fmt: skip
            widget.setObjectName(name)
        self.shortcut.setMaximumWidth(40)
        self.aliases = QLineEdit()
        self.aliases.setToolTip(
            "Other names the speaker goes by, separated by ';': suggestions match them too"
        )
        self.memo = QPlainTextEdit()
        self.memo.setPlaceholderText("Description or memo: what this code covers")
        self.memo.setTabChangesFocus(True)
        self.memo.setMaximumHeight(90)
        self.usage = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.apply = QPushButton("Apply (Ctrl+Return)")
        self.revert = QPushButton("Revert")
        form = QFormLayout()
        colour_row = QHBoxLayout()
        colour_row.addWidget(self.colour)
        colour_row.addStretch(1)
        colour_row.addWidget(QLabel("Key"))
        colour_row.addWidget(self.shortcut)
        form.addRow(self.usage)
        form.addRow("&Name", self.name)
        form.addRow("Colour", colour_row)
        form.addRow("&Organisation", self.organisation)
        form.addRow("A&liases", self.aliases)
        form.addRow("Mem&o", self.memo)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert)
        buttons.addWidget(self.apply)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(form)
        outer.addLayout(buttons)
        outer.addStretch(1)  # the fields stay together at the top
        self._form = form
        self.apply.clicked.connect(self._apply)
        self.revert.clicked.connect(lambda: self.show_code(self.code, self._usage))
        self.colour.clicked.connect(self._recolour)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self._apply)
        self.name.returnPressed.connect(self._apply)
        self._usage: CodeUsage | None = None
        self.show_code(None, None)

    def show_code(self, code: Code | None, usage: CodeUsage | None) -> None:
        self.code, self._usage = code, usage
        for widget in (self.name, self.colour, self.organisation, self.shortcut, self.aliases,
                       self.memo, self.apply, self.revert):  # fmt: skip
            widget.setEnabled(code is not None)
        speaker = code is not None and code.kind is CodeKind.SPEAKER
        self._form.setRowVisible(self.organisation, speaker or code is None)
        self.name.setText(code.name if code else "")
        self.organisation.setText(code.organisation or "" if code else "")
        self.shortcut.setText(code.shortcut or "" if code else "")
        self.aliases.setText("; ".join(aliases_of(code.description)) if code else "")
        self.memo.setPlainText(memo_of(code.description) if code else "")
        colour = code.colour if code else "#ffffff"
        self.colour.setText(colour if code else "")
        self.colour.setStyleSheet(
            f"QPushButton {{ background: {colour}; min-width: 80px; border: 1px solid #888; }}"
        )
        self.usage.setText(f"Used: {describe_usage(code, usage)}" if code and usage else "")
        self.aliases.setPlaceholderText(
            "POTUS; the president" if speaker else "other names, separated by ';'"
        )

    def show_usage(self, usage: CodeUsage) -> None:
        """New counts for the code shown, leaving its fields as they are being edited."""
        self._usage = usage
        self.usage.setText(f"Used: {describe_usage(self.code, usage)}" if self.code else "")

    def changed_fields(self) -> CodeEdit:
        """The fields that differ from the code as stored."""
        code = self.code
        if code is None:
            return {}
        fields: CodeEdit = {}
        if self.name.text().strip() != code.name:
            fields["name"] = self.name.text()
        if code.kind is CodeKind.SPEAKER and self.organisation.text().strip() != (
            code.organisation or ""
        ):
            fields["organisation"] = self.organisation.text().strip()
        if self.shortcut.text().strip() != (code.shortcut or ""):
            fields["shortcut"] = self.shortcut.text().strip()
        aliases = split_aliases(self.aliases.text())
        memo = self.memo.toPlainText().rstrip()
        if aliases != aliases_of(code.description) or memo != memo_of(code.description):
            fields["description"] = memo
            fields["aliases"] = aliases
        return fields

    def _recolour(self) -> None:
        if self.code is not None:
            self.recolour_requested.emit(self.code.id)

    def _apply(self) -> None:
        fields = self.changed_fields()
        if self.code is not None and fields:
            self.apply_requested.emit(self.code.id, fields)
