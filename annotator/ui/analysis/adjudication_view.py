"""The Adjudicate tab: curate coder A and coder B into a target coder (gold), one article at a
time. It only shows what services.adjudication decides: the articles with their curation
state, both coders' versions highlighted side by side, each disagreement once with what
differs, and the decisions, each one undoable step. The first decision on an article also
brings in the annotations both coders agree on.

Keys: Ctrl+Left / Ctrl+Right accept A's / B's, Ctrl+Up both, Ctrl+Down neither, Ctrl+Return
edit then accept; the main window's single keys (C S I F N A X, Delete) stay for annotating.
"""

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model import Annotation, Code, Decision
from annotator.services.changes import Change
from annotator.services.project import Project
from annotator.services.team.adjudication import DEFAULT_TARGET, CurationService
from annotator.services.team.agreement import compared_by_default
from annotator.services.team.curation_state import ArticleCuration, CurationItem, CurationState
from annotator.ui.analysis.curation_edit import EditVersionDialog
from annotator.ui.analysis.curation_model import CurationTableModel
from annotator.ui.analysis.curation_progress import CurationStateCounter
from annotator.ui.analysis.curation_widgets import CurationArticleList, VersionPanes
from annotator.ui.hub import SignalHub
from annotator.ui.operations import Operations


class AdjudicationView(QWidget):
    def __init__(
        self,
        project: Project,
        hub: SignalHub,
        stack: QUndoStack,
        parent: QWidget | None = None,
        *,
        ops: Operations | None = None,
    ) -> None:
        super().__init__(parent)
        self.project, self.hub, self.stack = project, hub, stack
        self.status = QLabel()
        self.status.setWordWrap(True)
        if ops is None:  # on its own (tests): refusals shown in its own status line
            ops = Operations(project, hub, stack, self)
            ops.message.connect(lambda text: self.status.setText(f"Not saved: {text}"))
        self.ops = ops  # the window's: its refusals go to the window's status bar
        self.article_id = ""
        self.curation: ArticleCuration | None = None
        self._codes: dict[str, Code] = {}

        self.coder_a, self.coder_b = QComboBox(), QComboBox()
        self.target = QLineEdit(DEFAULT_TARGET)
        self.target.setToolTip("The coder the curated annotations go to; the coders' own stay.")
        self.articles = CurationArticleList()
        self.articles.article_chosen.connect(self.show_article)
        self.states = CurationStateCounter()
        self.states.counted.connect(self._states_counted)
        self.states.failed.connect(self.status.setText)
        self._relabelled: set[str] = set()  # since the states' count began
        self.title = QLabel("No article chosen.")
        self.title.setWordWrap(True)
        self.panes = VersionPanes()
        self.model = CurationTableModel()
        self.table = self._make_table()
        self.buttons: dict[str, QPushButton] = {}
        self._lay_out()
        self.coder_a.activated.connect(self._coders_chosen)
        self.coder_b.activated.connect(self._coders_chosen)
        self.target.editingFinished.connect(self._coders_chosen)
        hub.annotations_changed.connect(self._annotations_changed)
        hub.codes_changed.connect(self.refresh)
        hub.reloaded.connect(self.refresh)
        self._fill_coders()
        self._coders_chosen()

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setWordWrap(False)
        header = table.horizontalHeader()
        fit, stretch = QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch
        for column, mode in enumerate((fit, stretch, stretch, stretch, fit)):
            header.setSectionResizeMode(column, mode)
        table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        return table

    def _decision_bar(self) -> QHBoxLayout:
        """One button per decision, with its key where it has one."""
        bar = QHBoxLayout()
        for name, label, key, tip, slot in (
            ("A", "Accept A's", "Ctrl+Left", "A's version goes to the target", self._accept_a),
            ("B", "Accept B's", "Ctrl+Right", "B's version goes to the target", self._accept_b),
            ("both", "Both", "Ctrl+Up", "both versions go to the target", self._accept_both),
            ("edit", "Edit, then accept…", "Ctrl+Return", "change a version first", self.edit),
            ("reject", "Neither", "Ctrl+Down", "neither version goes to the target", self._reject),
            ("rest_a", "Rest as A's", "", "every open disagreement resolved A's way: one step",
             lambda: self.decide_rest("A")),
            ("rest_b", "Rest as B's", "", "every open disagreement resolved B's way: one step",
             lambda: self.decide_rest("B")),
        ):  # fmt: skip
            button = QPushButton(label)
            button.setToolTip(f"{tip[0].upper()}{tip[1:]}" + (f" ({key})" if key else ""))
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[name] = button
            if key:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)
        return bar

    def _lay_out(self) -> None:
        pick = QHBoxLayout()
        for label, widget in (
            ("Coder A", self.coder_a), ("Coder B", self.coder_b), ("Curate into", self.target)
        ):  # fmt: skip
            pick.addWidget(QLabel(label))
            pick.addWidget(widget, 1)
        right = QWidget()
        layout = QVBoxLayout(right)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.panes, 3)
        layout.addWidget(self.table, 2)
        layout.addLayout(self._decision_bar())
        layout.addWidget(self.status)
        body = QSplitter()
        body.addWidget(self.articles)
        body.addWidget(right)
        body.setStretchFactor(1, 4)
        body.setSizes([280, 900])
        outer = QVBoxLayout(self)
        outer.addLayout(pick)
        outer.addWidget(self.states)
        outer.addWidget(body, 1)

    # -- what is compared ---------------------------------------------------------------

    def target_name(self) -> str:
        return self.target.text().strip() or DEFAULT_TARGET

    def service(self) -> CurationService | None:
        try:
            return CurationService(
                self.project.store,
                self.coder_a.currentText(),
                self.coder_b.currentText(),
                self.target_name(),
            )
        except AnnotatorError:
            return None

    def _fill_coders(self) -> None:
        """The coders compared by default (gold left out); A and B start as the first two."""
        everyone = [c for c in compared_by_default(self.project.store) if c != self.target_name()]
        for number, combo in enumerate((self.coder_a, self.coder_b)):
            current = combo.currentText()
            combo.clear()
            combo.addItems(everyone)
            if current in everyone:
                combo.setCurrentText(current)
            elif len(everyone) > number:
                combo.setCurrentIndex(number)

    def _coders_chosen(self) -> None:
        self._fill_article_list()
        self.refresh()

    def _fill_article_list(self) -> None:
        """The articles both coders annotated, listed at once; their states are counted on
        a worker (``CurationStateCounter``) and marked as they arrive."""
        service = self.service()
        titles = {s.id: s.title for s in self.project.store.articles.summaries()}
        found = sorted(service.articles(), key=lambda a: titles.get(a, "")) if service else []
        self.articles.fill(((a, titles[a], None) for a in found), self.article_id)
        self._relabelled = set()
        coders = (self.coder_a.currentText(), self.coder_b.currentText(), self.target_name())
        self.states.count(self.project, coders, found)

    def _states_counted(self, states: dict[str, CurationState]) -> None:
        self.articles.set_states(states, self._relabelled)

    def show_article(self, article_id: str) -> None:
        self.article_id = article_id
        self.articles.select(article_id)
        self.refresh()

    def _annotations_changed(self, article_id: str) -> None:
        if article_id == self.article_id:
            self.refresh()

    # -- showing ------------------------------------------------------------------------

    def refresh(self) -> None:
        current = self.current_item()
        key = current.key if current else None
        service = self.service()
        self._codes = {c.id: c for c in self.project.store.codes.all()}
        article = self.project.store.articles.get(self.article_id) if self.article_id else None
        self.curation = service.load(article.id) if service and article else None
        self.title.setText(article.title if article else "No article chosen.")
        text = article.text if article else ""
        c = self.curation
        a_name, b_name = self.coder_a.currentText(), self.coder_b.currentText()
        by_coder: dict[str, list[Annotation]] = {}
        if article is not None:
            for ann in self.project.store.annotations.for_article(article.id):
                by_coder.setdefault(ann.annotator, []).append(ann)
        self.panes.show_versions(
            text,
            (a_name, b_name),
            (by_coder.get(a_name, []), by_coder.get(b_name, [])),
            self._codes,
        )
        self.model.set_items(list(c.items) if c else [], self._codes)
        for button in self.buttons.values():
            button.setEnabled(c is not None and bool(c.items))
        self.status.setText(self._summary())
        self._relabel_current_article()
        if c and c.items:
            row = self.model.row_of(key) if key else -1
            self.select_row(row if row >= 0 else 0)

    def _summary(self) -> str:
        c = self.curation
        if not self.article_id:
            return "Choose an article to curate."
        if c is None:
            return "Choose two different coders as A and B, and a target that is neither."
        decided = len(c.items) - len(c.undecided)
        agreed = (
            f"{len(c.agreed)} agreed (copied into {c.target})"
            if not c.agreed_to_copy
            else f"{len(c.agreed)} agreed (copied into {c.target} with the first decision)"
        )
        stale = (
            f" {len(c.stale)} earlier decision(s) no longer match the coders' annotations."
            if c.stale
            else ""
        )
        return (
            f"{agreed}; {len(c.items)} disagreement(s), {decided} decided, "
            f"{len(c.undecided)} open. This article: {c.state.value}.{stale}"
        )

    def _relabel_current_article(self) -> None:
        if self.curation is not None:
            self._relabelled.add(self.article_id)
            self.articles.set_state(self.article_id, self.title.text(), self.curation.state)

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self._show_selected()

    def current_item(self) -> CurationItem | None:
        return self.model.item_at(self.table.currentIndex().row())

    def _show_selected(self) -> None:
        item = self.current_item()
        if item is not None:
            self.panes.highlight(item)

    # -- deciding -----------------------------------------------------------------------

    def decide(self, decision: Decision, edited: list[Annotation] | None = None) -> Change | None:
        """Take ``decision`` on the selected disagreement, then move to the next open one."""
        item, service, c = self.current_item(), self.service(), self.curation
        if item is None or service is None or c is None:
            return None
        for side, wanted in (("A", Decision.ACCEPT_A), ("B", Decision.ACCEPT_B)):
            if decision in (wanted, Decision.BOTH) and item.version(side) is None:
                self.status.setText(f"Coder {side} has nothing here to accept.")
                return None
        change = self._run(lambda: service.decide(c, item.key, decision, edited or ()))
        if change is not None:
            self._next_open(item.key)
        return change

    def decide_rest(self, side: str) -> Change | None:
        service, c = self.service(), self.curation
        if service is None or c is None:
            return None
        if not c.undecided and not c.agreed_to_copy:
            self.status.setText("Nothing is left open on this article.")
            return None
        return self._run(lambda: service.decide_rest(c, side))

    def edit(self) -> Change | None:
        """Edit one version (A's, or B's where A has none) in a dialog, then accept it."""
        item, service = self.current_item(), self.service()
        if item is None or service is None:
            return None
        side = "A" if item.a is not None else "B"
        source = item.version(side)
        assert source is not None
        article = self.project.store.articles.get(self.article_id)
        dialog = EditVersionDialog(
            source, side, list(self._codes.values()), len(article.text), self
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        parts = dialog.parts()
        try:
            version = service.edited_version(
                source,
                spans=parts.spans,
                code_id=parts.code_id,
                speaker_id=parts.speaker_id,
                issue_ids=parts.issue_ids,
                stance=parts.stance,
            )
        except AnnotatorError as exc:
            self.status.setText(f"Not accepted: {exc}")
            return None
        return self.decide(Decision.EDITED, [version])

    def _accept_a(self) -> None:
        self.decide(Decision.ACCEPT_A)

    def _accept_b(self) -> None:
        self.decide(Decision.ACCEPT_B)

    def _accept_both(self) -> None:
        self.decide(Decision.BOTH)

    def _reject(self) -> None:
        self.decide(Decision.REJECTED)

    def _run(self, action: Callable[[], Change]) -> Change | None:
        return self.ops.run(action)

    def _next_open(self, after_key: str) -> None:
        rows = self.model.rowCount()
        start = self.model.row_of(after_key)
        for step in range(1, rows + 1):
            item = self.model.item_at((start + step) % rows)
            if item is not None and item.decision is None:
                self.select_row((start + step) % rows)
                return
