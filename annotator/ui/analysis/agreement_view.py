"""The Agreement tab: how well the chosen coders agree, per kind of annotation, and where they
agree least, so a team lead can see which articles and issue codes need a talk or adjudication.

The numbers come from annotator.services.team.agreement (the same as ``annotator agreement``); this
widget only lays them out. A value that cannot be computed is shown as "—" with the reason in
its tooltip, because an empty cell would read as a bug and a 0 would be a lie.
"""

from collections.abc import Iterable
from typing import cast

from PySide6.QtCore import QEventLoop, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement import Attribution, Kappa, SpanF1, UnitizingAlpha
from annotator.core.errors import AnnotatorError
from annotator.core.model import AnnotationKind
from annotator.services.annotations import project_coders
from annotator.services.project import Project
from annotator.services.team.agreement import (
    KINDS,
    AgreementReport,
    KindAgreement,
    compared_by_default,
    measure_agreement,
)
from annotator.ui.labels import KIND_LABEL
from annotator.ui.workers import Job, JobControl

DASH = "—"
#: Krippendorff's lowest bound for tentative conclusions, and the one for reliable data.
ALPHA_POOR = 0.667
ALPHA_GOOD = 0.8
POOR_COLOUR = "#f4b6b6"
FAIR_COLOUR = "#f8dca0"
LOWEST_LISTED = 10
TOO_FEW_CODERS = (
    "<p style='font-size:13pt'>Agreement needs annotations from at least two coders…</p>"
    "<p>Each coder opens the project under their own name (<b>ANNOTATOR_NAME</b> or the "
    "name asked for at start) and annotates the same articles; merge their project files, "
    "and their agreement appears here.</p>"
)
ARTICLE_ROLE = Qt.ItemDataRole.UserRole
#: Cancelled jobs still running: kept alive until their worker stops (at its next article).
_ABANDONED: set[Job] = set()


class _CancelledError(Exception):
    """Raised on the worker at its next article once Cancel was pressed: it stops there."""


class AgreementView(QWidget):
    """Coders and kinds to compare, a Compute button, the measures and the weakest spots."""

    #: a row of the lowest-agreement table naming an article was double-clicked
    article_activated = Signal(str)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.report: AgreementReport | None = None

        self.coders = QListWidget()
        self.coders.setToolTip("The coders to compare: tick at least two.")
        self.coders.setMaximumHeight(120)
        self.kinds: dict[AnnotationKind, QCheckBox] = {}
        kind_row = QHBoxLayout()
        for kind in KINDS:
            box = QCheckBox(f"{KIND_LABEL[kind]}s")
            box.setChecked(True)
            box.toggled.connect(self._update_button)
            self.kinds[kind] = box
            kind_row.addWidget(box)
        kind_row.addStretch(1)
        self.compute = QPushButton("Compute")
        self.compute.setToolTip("Measure agreement; this can take a few seconds on big projects.")
        self.compute.clicked.connect(self._compute_clicked)
        self.busy = QProgressBar()  # busy (no known total) while a worker computes
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(160)
        self.busy.hide()
        self._waiting: QEventLoop | None = None
        kind_row.addWidget(self.busy)
        kind_row.addWidget(self.compute)
        self.summary = QLabel()
        self.summary.setWordWrap(True)

        self.measures = _table(["Measure"])
        self.lowest = _table(["Kind", "Article or issue code", "αu"])
        self.lowest.setToolTip("Double-click an article to open it.")
        self.lowest.itemDoubleClicked.connect(self._lowest_activated)

        results = QWidget()
        results_layout = QVBoxLayout(results)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.addWidget(QLabel("Coders"))
        results_layout.addWidget(self.coders)
        results_layout.addLayout(kind_row)
        results_layout.addWidget(self.summary)
        results_layout.addWidget(self.measures, 3)
        results_layout.addWidget(QLabel("Lowest agreement (αu; red below 0.667, amber below 0.8)"))
        results_layout.addWidget(self.lowest, 2)
        self.message = QLabel(TOO_FEW_CODERS)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(results)
        self.stack.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        self.coders.itemChanged.connect(self._update_button)
        self.refresh_coders()

    # -- choosing -------------------------------------------------------------------------

    def refresh_coders(self) -> None:
        """Reload the coders (after an import or merge); ticks of known coders are kept."""
        was = {self.coders.item(i).text(): self.coders.item(i) for i in range(self.coders.count())}
        checked = {name for name, item in was.items() if item.checkState() == Qt.CheckState.Checked}
        everyone = project_coders(self.project.store)
        compared = set(compared_by_default(self.project.store))
        self.coders.blockSignals(True)
        self.coders.clear()
        for name in everyone:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = name in checked or (name not in was and name in compared)
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.coders.addItem(item)
        self.coders.blockSignals(False)
        self.stack.setCurrentWidget(
            self.message if len(everyone) < 2 else cast(QWidget, self.stack.widget(0))
        )
        self._update_button()

    def set_checked_coders(self, names: Iterable[str]) -> None:
        wanted = set(names)
        for i in range(self.coders.count()):
            item = self.coders.item(i)
            ticked = item.text() in wanted
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def checked_coders(self) -> list[str]:
        return [
            self.coders.item(i).text()
            for i in range(self.coders.count())
            if self.coders.item(i).checkState() == Qt.CheckState.Checked
        ]

    def checked_kinds(self) -> list[AnnotationKind]:
        return [kind for kind, box in self.kinds.items() if box.isChecked()]

    def _update_button(self) -> None:
        enough = len(self.checked_coders()) >= 2 and bool(self.checked_kinds())
        self.compute.setEnabled(enough)
        if not enough:
            self.summary.setText("Tick at least two coders and one kind, then Compute.")

    # -- computing ------------------------------------------------------------------------

    def compute_agreement(self) -> AgreementReport | None:
        """Measure on a worker thread (its own connection) while the window stays
        responsive, and show the report; None when not computable or cancelled."""
        coders, kinds = self.checked_coders(), self.checked_kinds()
        if len(coders) < 2 or not kinds or self._waiting is not None:
            self._update_button()
            return None

        def work(project: Project, control: JobControl) -> AgreementReport:
            def progress(done: int, total: int) -> None:
                if control.cancelled:
                    raise _CancelledError
                if done * 100 // total != (done - 1) * 100 // total:  # each percent, once
                    control.report(done, total)

            return measure_agreement(
                project.store, kinds=kinds, annotators=coders, progress=progress
            )

        job = Job(self.project, work)
        job.progress.connect(self._progress)
        outcome: list[object] = []
        job.succeeded.connect(outcome.append)
        job.failed.connect(outcome.append)
        self._waiting = loop = QEventLoop()
        job.finished.connect(loop.quit)
        self._set_busy(True)
        try:
            job.start()
            if job.running:
                loop.exec()
        finally:
            self._waiting = None
            self._set_busy(False)
        if job.running:  # cancelled: the worker stops at its next article; nothing is shown
            job.cancel()
            _ABANDONED.add(job)
            job.finished.connect(lambda: _ABANDONED.discard(job))
            self.summary.setText("Cancelled.")
            return None
        result = outcome[0] if outcome else None
        if isinstance(result, AnnotatorError):
            self.summary.setText(str(result))
            return None
        if isinstance(result, BaseException):
            raise result
        report = cast(AgreementReport, result)
        self.show_report(report)
        return report

    def _compute_clicked(self) -> None:
        if self._waiting is not None:
            self._waiting.quit()  # Cancel
        else:
            self.compute_agreement()

    def _progress(self, done: int, total: int, _text: str) -> None:
        if self._waiting is not None and total:
            self.busy.setRange(0, total)
            self.busy.setValue(done)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setRange(0, 0)  # busy until the first article is measured
        self.busy.setVisible(busy)
        self.compute.setText("Cancel" if busy else "Compute")
        self.coders.setEnabled(not busy)
        for box in self.kinds.values():
            box.setEnabled(not busy)
        if busy:
            self.summary.setText("Computing agreement…")

    def show_report(self, report: AgreementReport) -> None:
        self.report = report
        text = (
            f"Compared {report.articles} article(s) annotated by all of "
            f"{', '.join(report.coders)} ({report.characters:,} characters)."
        )
        if report.skipped:
            text += f" Skipped {len(report.skipped)} not annotated by every coder."
        self.summary.setText(text)
        self._fill_measures(report)
        self._fill_lowest(report)

    def _fill_measures(self, report: AgreementReport) -> None:
        kinds = report.kinds
        pair_keys = [p.coders for p in kinds[0].pairs] if kinds else []
        labels = ["αu pooled", "Fleiss κ", "F1 exact", "F1 overlap", "Speaker attribution"]
        labels += [f"Cohen κ {a} · {b}" for a, b in pair_keys]
        table = self.measures
        table.clear()
        table.setColumnCount(len(kinds))
        table.setHorizontalHeaderLabels([f"{KIND_LABEL[k.kind]}s" for k in kinds])
        table.setRowCount(len(labels))
        table.setVerticalHeaderLabels(labels)
        for column, k in enumerate(kinds):
            cells = [
                _alpha_cell(k.alpha_u, k),
                _kappa_cell(k.fleiss, "Fleiss' κ"),
                _f1_cell(k.f1_exact, k, "exact"),
                _f1_cell(k.f1_overlap, k, "overlap"),
                _attribution_cell(k.attribution, k),
            ] + [_kappa_cell(p.cohen, f"Cohen's κ of {p.key}") for p in k.pairs]
            for row, cell in enumerate(cells):
                table.setItem(row, column, cell)

    def _fill_lowest(self, report: AgreementReport) -> None:
        rows: list[tuple[str, str, float | None, str]] = []
        for k in report.kinds:
            kind = f"{KIND_LABEL[k.kind]}s"
            rows += [
                (kind, a.title, a.alpha, a.article_id) for a in k.lowest_articles(LOWEST_LISTED)
            ]
            rows += [
                (kind, f"Issue code: {c.name}", c.alpha_u.alpha, "")
                for c in k.lowest_codes(LOWEST_LISTED)
            ]
        table = self.lowest
        table.setRowCount(len(rows))
        for row, (kind, name, alpha, article_id) in enumerate(rows):
            name_item = QTableWidgetItem(name)
            name_item.setData(ARTICLE_ROLE, article_id)
            if article_id:
                name_item.setToolTip("Double-click to open this article.")
            value = _number_item(alpha, "")
            _tint(value, alpha)
            for column, item in enumerate((QTableWidgetItem(kind), name_item, value)):
                table.setItem(row, column, item)

    def _lowest_activated(self, item: QTableWidgetItem) -> None:
        article_id = cast(QTableWidgetItem, self.lowest.item(item.row(), 1)).data(ARTICLE_ROLE)
        if article_id:
            self.article_activated.emit(article_id)


# -- cells ------------------------------------------------------------------------------------


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


def _number_item(value: float | None, why_missing: str, detail: str = "") -> QTableWidgetItem:
    if value is None:
        item = QTableWidgetItem(DASH)
        item.setToolTip(why_missing or "Cannot be computed.")
    else:
        item = QTableWidgetItem(f"{value:.3f}")
        item.setToolTip(detail)
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _tint(item: QTableWidgetItem, alpha: float | None) -> None:
    """Red below Krippendorff's lowest acceptable αu, amber below the reliable one."""
    if alpha is None or alpha >= ALPHA_GOOD:
        return
    item.setBackground(QBrush(QColor(POOR_COLOUR if alpha < ALPHA_POOR else FAIR_COLOUR)))


def _alpha_cell(alpha: UnitizingAlpha | None, k: KindAgreement) -> QTableWidgetItem:
    if alpha is None:
        return _number_item(None, "No article was annotated by every chosen coder.")
    item = _number_item(
        alpha.alpha,
        f"Nobody marked any {k.kind.value}: with no units nothing can disagree (D_e = 0).",
        f"D_o {alpha.observed:.3g}, D_e {alpha.expected:.3g}; {alpha.units} units",
    )
    _tint(item, alpha.alpha)
    return item


def _kappa_cell(kappa: Kappa, name: str) -> QTableWidgetItem:
    why = (
        "No characters were compared."
        if kappa.items == 0
        else "Every coder gave one and the same label everywhere: chance agreement is "
        "already perfect, so κ is undefined."
    )
    detail = (
        f"{name}: P_o {kappa.observed:.3g}, P_e {kappa.expected:.3g} over {kappa.items:,} chars"
    )
    return _number_item(kappa.value, why, detail)


def _f1_cell(f1: SpanF1, k: KindAgreement, how: str) -> QTableWidgetItem:
    detail = (
        f"{how} matches: {f1.a_matched} of {f1.a_spans} and {f1.b_matched} of {f1.b_spans} "
        "annotations, pooled over coder pairs"
    )
    return _number_item(f1.f1, f"No coder marked any {k.kind.value}.", detail)


def _attribution_cell(attribution: Attribution | None, k: KindAgreement) -> QTableWidgetItem:
    if attribution is None:
        return _number_item(None, f"Speaker attribution is measured for claims, not {k.kind}s.")
    why = "No overlapping claims of two coders where either names a speaker."
    detail = f"{attribution.agreeing} of {attribution.pairs} overlapping claim pairs agree"
    return _number_item(attribution.share, why, detail)
