"""The Coverage tab: which outlets covered which issues, how much, and through whose voices.
Controls above the chart, the annotations behind a clicked bar below it."""

import html
from pathlib import Path
from typing import cast

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model import AnnotationKind
from annotator.core.wording import plural
from annotator.services.coverage import (
    CoverageFilter,
    CoverageTable,
    Measure,
    annotations_behind,
    claims_behind,
    counted_coders,
    coverage_is_quick,
    coverage_table,
    speaker_table,
    write_coverage_csv,
)
from annotator.services.project import Project
from annotator.ui.analysis.coverage_chart import CoverageChart
from annotator.ui.save_dialog import ask_save_path
from annotator.ui.workers import Job, JobControl

EMPTY_TEXT = (
    "<p style='font-size:13pt'>No coverage to chart yet.</p>"
    "<p>Label issue passages (<b>I</b>) or tag claims with issues in the Article tab, and the "
    "bars appear here: one per outlet, one colour per issue.</p>"
)
REFRESH_DELAY_MS = 250
#: Counting jobs still running: kept alive until their worker ends, even past their view.
_RUNNING: set[Job] = set()


class CoverageView(QWidget):
    annotation_activated = Signal(str, str)  # article id, annotation id

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.table: CoverageTable | None = None
        self.measure = QComboBox()
        for measure, text in (
            (Measure.ANNOTATIONS, "Annotations"),
            (Measure.CHARACTERS, "Characters"),
            (Measure.SHARE, "Share of the outlet's text"),
            (Measure.PER_ARTICLE, "Annotations per article"),
        ):
            self.measure.addItem(text, measure.value)
        self.view_of = QComboBox()
        self.view_of.addItem("Issues per outlet", "issues")
        self.view_of.addItem("Speakers per outlet (claims)", "speakers")
        self.stacked = QCheckBox("Stacked", checked=True)  # type: ignore[call-overload]  # a Qt property
        self.passages = QCheckBox("Issue passages", checked=True)  # type: ignore[call-overload]  # a Qt property
        self.claims = QCheckBox("Claims", checked=True)  # type: ignore[call-overload]  # a Qt property
        self.roll_up = QCheckBox("Roll up child issues")
        # After a merge every coder's copy of a passage counts; say whose are counted.
        self.coders = QComboBox()
        self.coders.setToolTip(
            "Whose annotations the chart counts. With all coders, a passage coded by three "
            "coders counts three times; the curated (gold) coder counts each passage once."
        )
        self.coders_label = QLabel("Coders")
        # Rows by source, or by the values of an article variable (outlet type, country).
        self.group_by = QComboBox()
        self.group_by.addItem("Source", "")
        self._variable_names: list[str] | None = None  # none read yet
        self.counting = QLabel(textFormat=Qt.TextFormat.PlainText)
        self._coder_list: list[str] = []
        self._coder_chosen = False  # by the user; until then the default follows gold
        self.export_png = QPushButton("PNG…")
        self.export_svg = QPushButton("SVG…")
        self.export_csv = QPushButton("Table CSV…")
        self.busy = QProgressBar()  # busy while a worker counts every span (coder filter)
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setToolTip("Counting on a worker thread; the window stays usable.")
        self.busy.hide()
        self._asked: CoverageFilter | None = None  # the filter whose table a worker computes
        controls, coder_row = self._control_rows()
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addLayout(coder_row)
        layout.addWidget(self._chart_and_list(), 1)
        self._connect()
        self.refresh()

    def _control_rows(self) -> tuple[QHBoxLayout, QHBoxLayout]:
        """What is charted and how (first row), whose annotations and grouped how (second)."""
        controls = QHBoxLayout()
        for widget in (QLabel("Show"), self.view_of, QLabel("measured in"), self.measure,
                       self.stacked, self.passages, self.claims, self.roll_up):  # fmt: skip
            controls.addWidget(widget)
        controls.addStretch(1)
        for widget in (QLabel("Export"), self.export_png, self.export_svg, self.export_csv):
            controls.addWidget(widget)
        coder_row = QHBoxLayout()
        for widget in (QLabel("Group by"), self.group_by, self.coders_label, self.coders,
                       self.counting):  # fmt: skip
            coder_row.addWidget(widget)
        coder_row.addWidget(self.busy)
        coder_row.addStretch(1)
        return controls, coder_row

    def _chart_and_list(self) -> QSplitter:
        """The chart (or the empty-project text) above the list of annotations behind a bar."""
        self.chart = CoverageChart()
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(self.chart)
        self.empty = QLabel(EMPTY_TEXT, alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.empty.setTextFormat(Qt.TextFormat.RichText)
        self.stack = QStackedWidget()
        self.stack.addWidget(scroll)
        self.stack.addWidget(self.empty)
        self.behind_label = QLabel("Click a bar to list the annotations behind it.")
        self.behind = QTableWidget(0, 4)
        self.behind.setHorizontalHeaderLabels(["Article", "Kind", "Text", "Coder"])
        self.behind.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.behind.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.behind.verticalHeader().hide()
        self.behind.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.behind.setColumnWidth(0, 280)
        self.behind.setWordWrap(False)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.behind_label)
        lower_layout.addWidget(self.behind)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.stack)
        splitter.addWidget(lower)
        splitter.setSizes([520, 200])
        return splitter

    def _connect(self) -> None:
        self._timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        # The measure and stacking only redraw the table at hand; the rest ask for a new one.
        self.measure.currentIndexChanged.connect(self.redraw)
        self.stacked.toggled.connect(self.redraw)
        self.view_of.currentIndexChanged.connect(self.refresh)
        self.coders.currentIndexChanged.connect(self._coder_picked)
        self.group_by.currentIndexChanged.connect(self.refresh)
        for check in (self.passages, self.claims, self.roll_up):
            check.toggled.connect(self.refresh)
        self.chart.bar_clicked.connect(self.list_behind)
        self.behind.cellDoubleClicked.connect(self._activate)
        self.export_png.clicked.connect(lambda: self._export("PNG image (*.png)", ".png"))
        self.export_svg.clicked.connect(lambda: self._export("SVG image (*.svg)", ".svg"))
        self.export_csv.clicked.connect(lambda: self._export("CSV table (*.csv)", ".csv"))

    # -- data ---------------------------------------------------------------------------

    def current_measure(self) -> Measure:
        return Measure(self.measure.currentData())

    def current_filter(self) -> CoverageFilter:
        kinds = frozenset(
            kind
            for kind, box in ((AnnotationKind.ISSUE, self.passages), (AnnotationKind.CLAIM,
                                                                       self.claims))
            if box.isChecked()
        )  # fmt: skip
        coder = self.coder_filter()
        return CoverageFilter(
            kinds=kinds,
            annotators=frozenset({coder}) if coder else frozenset(),
            roll_up=self.roll_up.isChecked(),
            group_by=self.group_by.currentData() or None,
        )

    def coder_filter(self) -> str:
        """The coder whose annotations are counted, or "" for every coder's."""
        return self.coders.currentData() or ""

    def schedule_refresh(self) -> None:
        """Annotations changed: recompute soon, once, however many edits arrive meanwhile."""
        self._timer.start()

    def refresh(self) -> None:
        self._load_coders()
        self._load_variables()
        speakers = self.view_of.currentData() == "speakers"
        self.passages.setEnabled(not speakers)
        self.claims.setEnabled(not speakers)
        self.roll_up.setEnabled(not speakers)
        flt = self.current_filter()
        rows = flt.group_by or "outlet"
        self.view_of.setItemText(0, f"Issues per {rows}")
        self.view_of.setItemText(1, f"Speakers per {rows} (claims)")
        if speakers:
            self._asked = None
            self.table = speaker_table(self.project.store, flt)
        elif coverage_is_quick(self.project.store, flt):
            self._asked = None
            self.table = coverage_table(self.project.store, flt)
        else:
            self._count_on_worker(flt)
            return
        self.busy.hide()
        self.redraw()

    def _count_on_worker(self, flt: CoverageFilter) -> None:
        """The per-span count (a coder filter, a roll-up) on a worker with its own
        connection; only the latest filter's table is shown when it arrives."""
        self._asked = flt
        self.busy.show()

        def work(project: Project, _control: JobControl) -> CoverageTable:
            return coverage_table(project.store, flt)

        job = Job(self.project, work)
        _RUNNING.add(job)
        job.succeeded.connect(lambda table: self._counted(flt, table))
        job.failed.connect(lambda error: self._counted(flt, None, error))
        job.finished.connect(lambda: _RUNNING.discard(job))
        job.start()

    def _counted(
        self, flt: CoverageFilter, table: CoverageTable | None, error: object = None
    ) -> None:
        if not shiboken6.isValid(self) or flt != self._asked:
            return  # the tab is gone, or a later refresh asked for another table
        self._asked = None
        self.busy.hide()
        if table is None:
            QMessageBox.warning(self, "Coverage", f"Could not count coverage: {error}")
            return
        self.table = table
        self.redraw()

    def _load_coders(self) -> None:
        """The coder choices, read again on every refresh (an index walk): a merge or a
        curation adds coders. A coder the user picked stays picked while they have
        annotations; until the user picks, the default follows gold's arrival."""
        coders, default = counted_coders(self.project.store)
        current = self.coder_filter() if self._coder_chosen else default
        if current and current not in coders:
            current, self._coder_chosen = default, False
        if coders != self._coder_list or current != self.coder_filter():
            self.coders.blockSignals(True)
            self.coders.clear()
            self.coders.addItem("All coders", "")
            for name in coders:
                self.coders.addItem(name, name)
            self.coders.setCurrentIndex(max(self.coders.findData(current), 0))
            self.coders.blockSignals(False)
            self._coder_list = coders
        several = len(coders) > 1
        for widget in (self.coders_label, self.coders, self.counting):
            widget.setVisible(several)
        chosen = self.coder_filter()
        self.counting.setText(
            f"Counting {chosen}'s annotations"
            if chosen
            else f"Counting all {len(coders)} coders' annotations — each coder's copy counts"
        )

    def _load_variables(self) -> None:
        """The Group by choices: Source, then each article variable; read again on every
        refresh, as variables are edited in the Article tab. A vanished choice falls back to
        Source."""
        names = [name for name, _ in self.project.variables.names()]
        if names == self._variable_names:
            return
        current = self.group_by.currentData() or ""
        self.group_by.blockSignals(True)
        self.group_by.clear()
        self.group_by.addItem("Source", "")
        for name in names:
            self.group_by.addItem(name, name)
        self.group_by.setCurrentIndex(max(self.group_by.findData(current), 0))
        self.group_by.blockSignals(False)
        self._variable_names = names
        self.group_by.setEnabled(bool(names))
        self.group_by.setToolTip(
            "Rows by source, or by the values of an article variable (articles without it in "
            "a '(none)' row)"
            if names
            else "Article variables (outlet type, country…) come from a manifest's extra "
            "columns or the Variables tab beside an article's annotations."
        )

    def _coder_picked(self) -> None:
        self._coder_chosen = True
        self.refresh()

    def redraw(self) -> None:
        """Chart the table at hand: a measure switch or stacking changes how the counts are
        drawn, not the counts, so it need not query the project again; the chart then only
        moves its bars."""
        if self.table is None:
            return
        if self.table.is_empty:
            self.stack.setCurrentWidget(self.empty)
        else:
            self.chart.show_table(self.table, self.current_measure(),
                                  stacked=self.stacked.isChecked())  # fmt: skip
            self.stack.setCurrentIndex(0)
        for button in (self.export_png, self.export_svg, self.export_csv):
            button.setEnabled(not self.table.is_empty)

    def list_behind(self, source_id: str, code_id: str) -> None:
        store = self.project.store
        if self.view_of.currentData() == "speakers":
            found = claims_behind(store, source_id, code_id, self.current_filter())
        else:
            found = annotations_behind(store, source_id, code_id, self.current_filter())
        titles = {s.id: s.title for s in store.articles.summaries()}
        rows = self.table.sources if self.table is not None else ()
        source = next((s.name for s in rows if s.id == source_id), "")
        code = store.codes.get(code_id).name
        count = plural(len(found), "annotation")
        self.behind_label.setText(
            f"<b>{html.escape(source)} · {html.escape(code)}</b>: {count} (double-click to open)"
        )
        self.behind.setRowCount(len(found))
        for row, annotation in enumerate(found):
            cells = (titles.get(annotation.article_id, ""), annotation.kind.value,
                     annotation.quote.replace("\n", " "), annotation.annotator)  # fmt: skip
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, (annotation.article_id, annotation.id))
                self.behind.setItem(row, column, cell)

    def _activate(self, row: int, _column: int) -> None:
        cell = cast(QTableWidgetItem, self.behind.item(row, 0))
        article_id, annotation_id = cell.data(Qt.ItemDataRole.UserRole)
        self.annotation_activated.emit(article_id, annotation_id)

    # -- export -------------------------------------------------------------------------

    def _export(self, file_filter: str, suffix: str) -> None:
        kind = "table" if suffix == ".csv" else "chart"
        path = ask_save_path(self, kind, "Export coverage", "coverage" + suffix, file_filter)
        if path:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        try:
            if path.suffix.lower() == ".csv" and self.table is not None:
                write_coverage_csv(self.table, path, rows=self.group_by.currentData() or "source")
            elif path.suffix.lower() == ".svg":
                self.chart.export_svg(path, self.chart_title())
            else:
                self.chart.export_png(path, self.chart_title())
        except (AnnotatorError, OSError) as exc:
            QMessageBox.critical(self, "Export failed", f"Nothing was written to {path}:\n{exc}")

    def chart_title(self) -> str:
        """An exported chart's title: what it shows and measures, what it counts, and the
        articles' dates, so that a figure on its own says what it is."""
        kinds = [box.text().lower() for box in (self.passages, self.claims) if box.isChecked()]
        coder = self.coder_filter()
        counted = [" and ".join(kinds).capitalize() or "Nothing", f"coded by {coder}" if coder
                   else "all coders"]  # fmt: skip
        if self.roll_up.isChecked():
            counted.append("child issues rolled up")
        if self.group_by.currentData():
            counted.append(f"rows by {self.group_by.currentText()}")
        articles = self.project.store.articles.summaries()
        dates = sorted(a.published[:10] for a in articles if a.published)
        span = f", {dates[0]} to {dates[-1]}" if dates else ", undated"
        span = f", {dates[0]}" if dates and dates[0] == dates[-1] else span
        counted.append(plural(len(articles), "article") + span)
        return (f"{self.view_of.currentText()}: {self.measure.currentText().lower()}\n"
                + " · ".join(counted))  # fmt: skip
