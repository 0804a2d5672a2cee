"""Search all articles (Ctrl+Shift+F): hits as keyword-in-context lines grouped by article,
a double-click to go to one, and "Code all N as…" to code every hit in one undoable step.

The search runs when asked (Enter, the button, or a changed option), not on every key: it
reads every article. The list keeps the first SHOWN hits; counts and code-all cover all.
"""

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.search import SearchQuery
from annotator.services.corpus.code_all import code_all, match_spans
from annotator.services.corpus.search import SearchResult, search
from annotator.services.project import Project
from annotator.ui import commands
from annotator.ui.annotate.code_all_dialog import CodeAllDialog
from annotator.ui.hub import SignalHub
from annotator.ui.kwic import ElideLeftDelegate

#: Hits listed at most; beyond them the panel says how many more there are.
SHOWN = 5_000
HIT = Qt.ItemDataRole.UserRole  # on a hit row: (article id, start, end) in code points


class SearchPanel(QDialog):
    #: article id, start, end (code points): the coder asked to see this hit
    passage_activated = Signal(str, int, int)

    def __init__(
        self,
        project: Callable[[], Project],
        hub: SignalHub,
        stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Search all articles")
        self._project = project
        self._hub = hub
        self._stack = stack
        self._query: SearchQuery | None = None  # the query the list shows
        self._searched: Project | None = None  # the project it was run on
        self.pattern = QLineEdit(placeholderText="Word, phrase or expression…")
        self.pattern.setClearButtonEnabled(True)
        self.whole_word = QCheckBox("Whole &word")
        self.case = QCheckBox("Match &case")
        self.regex = QCheckBox("&Regex")
        self.search_button = QPushButton("&Search")
        self.status = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.tree = self._make_tree()
        self.code_button = QPushButton("Code &all…")
        self.code_button.setEnabled(False)
        self._lay_out()
        self.pattern.returnPressed.connect(self.run_search)
        self.search_button.clicked.connect(self.run_search)
        for box in (self.whole_word, self.case, self.regex):
            box.toggled.connect(self._option_changed)
        self.tree.itemActivated.connect(self._activated)
        self.code_button.clicked.connect(self.code_all)
        self.resize(900, 560)

    def _make_tree(self) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setUniformRowHeights(True)
        tree.setAlternatingRowColors(True)
        tree.setExpandsOnDoubleClick(False)  # an article row goes to its first hit instead
        tree.setHeaderLabels(["Article", "Before", "Match", "After"])
        header = tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 70)
        header.resizeSection(1, 330)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        tree.setItemDelegateForColumn(1, ElideLeftDelegate(tree))
        return tree

    def _lay_out(self) -> None:
        options = QHBoxLayout()
        options.addWidget(self.pattern, 1)
        for widget in (self.whole_word, self.case, self.regex, self.search_button):
            options.addWidget(widget)
        footer = QHBoxLayout()
        footer.addWidget(self.status, 1)
        footer.addWidget(self.code_button)
        layout = QVBoxLayout(self)
        layout.addLayout(options)
        layout.addWidget(self.tree, 1)
        layout.addLayout(footer)

    def open_panel(self) -> None:
        """Show the panel, ready to type; a list from another project is cleared."""
        if self._searched is not None and self._searched is not self._project():
            self._show_message("", None)
        self.show()
        self.raise_()
        self.activateWindow()
        self.pattern.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.pattern.selectAll()

    def query(self) -> SearchQuery:
        return SearchQuery(
            self.pattern.text(),
            regex=self.regex.isChecked(),
            whole_word=self.whole_word.isChecked(),
            case_sensitive=self.case.isChecked(),
        )

    # -- searching ------------------------------------------------------------------------

    def run_search(self) -> None:
        query = self.query()
        project = self._project()
        try:
            result = search(project.store, query, limit=SHOWN)
        except AnnotatorError as exc:  # an empty pattern, a bad expression: say why
            self._show_message(str(exc), None)
            return
        self._searched = project
        self._query = query
        self._fill(result)

    def _option_changed(self) -> None:
        if self._query is not None:
            self.run_search()

    def _show_message(self, text: str, query: SearchQuery | None) -> None:
        self.tree.clear()
        self._query = query
        self.status.setText(text)
        self.code_button.setText("Code &all…")
        self.code_button.setEnabled(False)

    def _fill(self, result: SearchResult) -> None:
        self.tree.setUpdatesEnabled(False)
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for article in result.articles:
            top = QTreeWidgetItem([f"{article.title}  ({len(article.hits)})"])
            self.tree.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)
            for hit in article.hits:
                row = QTreeWidgetItem(["", _flat(hit.before), _flat(hit.text), _flat(hit.after)])
                row.setData(0, HIT, (article.article_id, hit.start, hit.end))
                row.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                row.setFont(2, bold)
                row.setToolTip(2, f"characters {hit.start}–{hit.end}")
                top.addChild(row)
        self.tree.expandAll()
        self.tree.setUpdatesEnabled(True)
        self.status.setText(_summary(result))
        self.code_button.setText(f"Code &all {result.matches} as…")
        self.code_button.setEnabled(result.matches > 0)

    def _activated(self, item: QTreeWidgetItem) -> None:
        hit = item.data(0, HIT)
        first = item.child(0) if hit is None else None
        if first is not None:  # an article: its first hit
            hit = first.data(0, HIT)
        if hit is not None:
            article_id, start, end = hit
            self.passage_activated.emit(article_id, start, end)

    # -- coding every hit ---------------------------------------------------------------

    def code_all(self) -> None:
        """Ask what each hit becomes (with the preview), then code them in one step."""
        if self._query is None:
            return
        project = self._project()
        try:
            matches = match_spans(project.store, self._query)
        except AnnotatorError as exc:
            self._show_message(str(exc), None)
            return
        dialog = CodeAllDialog(project, matches, self._query.pattern, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.plan is None:
            return
        plan = dialog.plan
        try:
            change = commands.run(self._stack, project, self._hub, lambda: code_all(project, plan))
        except Exception as exc:  # a refused or failed write changed nothing: say so
            QMessageBox.warning(self, "Code all", f"Nothing was coded: {exc}")
            return
        made = len(change.after.annotations)
        self.status.setText(
            f"Coded {made} as {plan.target.label}; {plan.already} were coded so already. "
            "Edit > Undo in the main window takes them back."
        )


def _summary(result: SearchResult) -> str:
    matches = "1 match" if result.matches == 1 else f"{result.matches:,} matches"
    articles = "1 article" if result.article_count == 1 else f"{result.article_count:,} articles"
    more = f"; the first {result.shown:,} are listed" if result.truncated else ""
    return f"{matches} in {articles}{more}. Double-click a hit to go to it."


def _flat(text: str) -> str:
    """A hit across lines stays on one row."""
    return " ".join(text.split("\n"))
