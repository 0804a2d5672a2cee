"""Issue coverage per source as horizontal pyqtgraph bars: outlets down the side, so 2 or 50
names stay readable, one colour per issue, stacked or side by side.

pyqtgraph is imported by this module only, and the window imports this module only when the
Coverage tab is first shown, so start-up does not pay for it.

Switching the measure (or stacking, or new numbers after an edit) keeps the same outlets and
issues, so ``show_table`` then moves the existing bars (one ``BarGraphItem`` per issue) and
leaves the items, legend and outlet axis alone; only a table of other outlets or issues
rebuilds them. Hover labels are made when first asked for, not on every update.
"""

import html
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QHelpEvent, QImage, QPainter, QPen
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from annotator.services.coverage import CoverageTable, Measure
from annotator.ui.labels import plain_tip

#: Below this many, a count's axis gets a tick at every whole number.
WHOLE_TICKS_BELOW = 8

MEASURE_LABEL = {
    Measure.ANNOTATIONS: "annotations",
    Measure.CHARACTERS: "characters covered",
    Measure.SHARE: "% of the outlet's text",
    Measure.PER_ARTICLE: "annotations per article",
}
EXPORT_SCALE = 2  # a PNG's pixels per screen pixel
ROW_PIXELS = 30  # height per source: enough for a readable name
STACKED_HEIGHT = 0.7  # of a row
GROUPED_SPAN = 0.8  # of a row, shared by the side-by-side bars


@dataclass(frozen=True, slots=True)
class Bar:
    rect: QRectF
    source_id: str
    issue_id: str
    label: str  # "AFP · Taiwan: 3 annotations"


@dataclass(frozen=True, slots=True)
class Series:
    """One issue's bars, as arrays for ``BarGraphItem``; ``rows`` are source indices."""

    issue: int
    rows: np.ndarray
    x0: np.ndarray
    y: np.ndarray
    width: np.ndarray
    height: np.ndarray


def format_value(value: float, measure: Measure) -> str:
    if measure is Measure.SHARE:
        return f"{value:.1f}% of the outlet's text"
    if measure is Measure.PER_ARTICLE:
        return f"{value:.2f} annotations per article"
    if measure is Measure.ANNOTATIONS and round(value) == 1:
        return "1 annotation"
    return f"{value:,.0f} {MEASURE_LABEL[measure]}"


def value_grid(table: CoverageTable, measure: Measure) -> np.ndarray:
    """Displayed values, sources × issues, from the non-empty cells only: asking the table
    for each of the 1,000 pairs of a 50 × 20 chart costs more than drawing it."""
    grid = np.zeros((len(table.sources), len(table.issues)))
    rows = {s.id: i for i, s in enumerate(table.sources)}
    columns = {c.id: j for j, c in enumerate(table.issues)}
    for cell in table.cells:
        i, j = rows.get(cell.source_id), columns.get(cell.issue_id)
        if i is not None and j is not None:
            grid[i, j] = cell.value(measure, table.sources[i])
    return grid * 100 if measure is Measure.SHARE else grid


def bar_series(values: np.ndarray, *, stacked: bool) -> list[Series]:
    """Bar geometry per issue that has a positive value somewhere. Outlets run top to bottom
    (row ``i`` is drawn at ``y = rows - 1 - i``); stacked bars start where the previous
    issue's bar of the same outlet ended, grouped bars share the row's height."""
    rows, issues = values.shape
    positive = np.where(values > 0, values, 0.0)
    starts = np.cumsum(positive, axis=1) - positive
    slot = GROUPED_SPAN / max(1, issues)
    found = []
    for j in range(issues):
        shown = np.flatnonzero(values[:, j] > 0)
        if not shown.size:
            continue
        centre = (rows - 1 - shown).astype(float)
        if stacked:
            y, x0, height = centre, starts[shown, j], STACKED_HEIGHT
        else:
            y, x0, height = centre + GROUPED_SPAN / 2 - slot * (j + 0.5), 0.0, slot * 0.9
        found.append(
            Series(j, shown, np.broadcast_to(x0, shown.shape).astype(float), y,
                   values[shown, j], np.full(shown.shape, height))
        )  # fmt: skip
    return found


def opaque_on_white(pen: QPen) -> QPen:
    """The pen in the solid colour its translucent colour shows on white."""
    colour = pen.color()
    alpha = colour.alphaF()
    if alpha >= 1.0:
        return pen
    solid = QPen(pen)
    solid.setColor(
        QColor.fromRgbF(*(1.0 - alpha + c * alpha for c in (colour.redF(), colour.greenF(),
                                                            colour.blueF())))
    )  # fmt: skip
    return solid


class GridAxis(pg.AxisItem):
    """The value axis, with its grid lines solid and behind the bars. pyqtgraph draws them
    translucent over the bars, and Qt's raster engine blends a 1,500-pixel vertical line one
    pixel row at a time: 50–100 lines took 10–30 ms, most of a measure switch. Solid in the
    colour they had on the white background they take a few ms at most, and look the same
    except where a bar now hides them."""

    def generateDrawSpecs(self, p: QPainter) -> tuple[object, list, list] | None:  # noqa: N802
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return None
        axis, ticks, texts = specs
        return axis, [(opaque_on_white(pen), start, end) for pen, start, end in ticks], texts


class BatchLegend(pg.LegendItem):
    """Lays itself out once per ``set_entries``: ``LegendItem.addItem`` measures every row
    again after each entry, which made 20 issues a fifth of the chart's build time."""

    def __init__(self, **kwargs: object) -> None:
        self._deferred = False
        super().__init__(**kwargs)

    def updateSize(self) -> None:  # noqa: N802 (pyqtgraph's name)
        if not self._deferred:
            super().updateSize()

    def set_entries(self, entries: list[tuple[pg.GraphicsObject, str]]) -> None:
        self._deferred = True
        try:
            self.clear()
            for item, name in entries:
                self.addItem(item, name)
        finally:
            self._deferred = False
        self.updateSize()


class CoverageChart(pg.PlotWidget):
    """Click a bar to list its annotations; hover it for the exact value."""

    bar_clicked = Signal(str, str)  # source id, issue id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="w", enableMenu=False,
                         axisItems={"bottom": GridAxis("bottom")})  # fmt: skip
        item = self.getPlotItem()
        item.getAxis("bottom").setZValue(item.getViewBox().zValue() - 1)  # grid behind bars
        item.hideButtons()
        item.showGrid(x=True, y=False, alpha=0.3)
        item.getViewBox().setMouseEnabled(x=False, y=False)
        for axis in ("left", "bottom"):
            item.getAxis(axis).setTextPen("#333333")
            item.getAxis(axis).setPen("#999999")
        self.legend = BatchLegend(offset=(-10, 10), labelTextColor="#222222",
                                  labelTextSize="10pt")  # fmt: skip
        self.legend.setParentItem(item.getViewBox())
        item.legend = self.legend  # as addLegend() would, for pyqtgraph's own bookkeeping
        self._layout: tuple[object, ...] | None = None  # what the items were built for
        self._items: dict[int, pg.BarGraphItem] = {}  # issue index → its bars
        self._table = CoverageTable()
        self._grids: dict[Measure, np.ndarray] = {}  # of self._table: switching back is free
        self._measure = Measure.ANNOTATIONS
        self._series: list[Series] = []
        self._labelled: Measure | None = None  # the measure the bottom axis names
        self._x_extent: float | None = None
        self._whole_ticks = False
        self._bars: list[Bar] | None = None  # hover structures, made lazily
        self._rows_index: dict[int, list[Bar]] = {}
        self.scene().sigMouseMoved.connect(self._hover)
        self.scene().sigMouseClicked.connect(self._click)

    def show_table(self, table: CoverageTable, measure: Measure, *, stacked: bool = True) -> None:
        item = self.getPlotItem()
        if table is not self._table:
            self._grids = {}
        grid = self._grids.get(measure)
        if grid is None:
            grid = self._grids[measure] = value_grid(table, measure)
        series = bar_series(grid, stacked=stacked)
        layout = (
            tuple((s.id, s.name) for s in table.sources),
            tuple((c.id, c.name, c.colour) for c in table.issues),
            tuple(s.issue for s in series),
        )
        if layout != self._layout:
            self._rebuild(table, series)
            self._layout = layout
        else:
            for found in series:
                self._items[found.issue].setOpts(
                    x0=found.x0, y=found.y, width=found.width, height=found.height
                )
        if measure is not self._labelled:
            item.setLabel("bottom", MEASURE_LABEL[measure].capitalize(), color="#333333")
            self._labelled = measure
        longest = max((float((s.x0 + s.width).max()) for s in series), default=1.0)
        if longest != self._x_extent:
            item.setXRange(0, longest * 1.4, padding=0)  # blank room on the right for the legend
            self._x_extent = longest
        # Counts are whole: a few annotations get ticks at 1, 2, 3, never at 0.1.
        whole = measure in (Measure.ANNOTATIONS, Measure.CHARACTERS) and longest < WHOLE_TICKS_BELOW
        if whole != self._whole_ticks:
            item.getAxis("bottom").setTickSpacing(*((1, 1) if whole else ()))
            self._whole_ticks = whole
        self._table, self._measure, self._series = table, measure, series
        self._bars = None

    def _rebuild(self, table: CoverageTable, series: list[Series]) -> None:
        """New items, legend and outlet axis: for a table of other outlets or issues."""
        item = self.getPlotItem()
        self.legend.set_entries([])  # at once, before clear() takes each item out of it
        item.clear()
        self._items = {}
        self._x_extent = None
        sources, rows = table.sources, len(table.sources)
        left = item.getAxis("left")
        left.setTicks([[(rows - 1 - i, s.name) for i, s in enumerate(sources)]])
        # pyqtgraph drops tick labels wider than the axis; make room for the longest name.
        metrics = QFontMetrics(left.style.get("tickFont") or self.font())
        longest = max((metrics.horizontalAdvance(s.name) for s in sources), default=40)
        left.setWidth(min(longest, 320) + 40)
        pen = pg.mkPen("w", width=1)
        for found in series:
            bars = pg.BarGraphItem(
                x0=found.x0, y=found.y, width=found.width, height=found.height,
                brush=QColor(table.issues[found.issue].colour), pen=pen,
            )  # fmt: skip
            item.addItem(bars)
            self._items[found.issue] = bars
        self.legend.set_entries([(self._items[s.issue], table.issues[s.issue].name)
                                 for s in series])  # fmt: skip
        item.setYRange(-0.6, max(rows, 1) - 0.4, padding=0)
        self.setMinimumHeight(80 + ROW_PIXELS * max(rows, 2))

    def _index(self) -> list[Bar]:
        """Every bar labelled, and indexed by the y of its outlet's row centre, made at the
        first hover or click after an update: an update alone never needs 1,000 labels."""
        if self._bars is None:
            sources, issues = self._table.sources, self._table.issues
            index: dict[int, list[Bar]] = {}
            rows, bars = len(sources), []
            for found in self._series:
                issue = issues[found.issue]
                for k, i in enumerate(found.rows.tolist()):
                    x0, y = float(found.x0[k]), float(found.y[k])
                    width, height = float(found.width[k]), float(found.height[k])
                    source = sources[i]
                    label = f"{source.name} · {issue.name}: {format_value(width, self._measure)}"
                    bar = Bar(QRectF(x0, y - height / 2, width, height), source.id, issue.id, label)
                    bars.append(bar)
                    index.setdefault(rows - 1 - i, []).append(bar)
            self._bars, self._rows_index = bars, index
        return self._bars

    def bar_at(self, scene_pos: QPointF) -> Bar | None:
        point = self.getPlotItem().getViewBox().mapSceneToView(scene_pos)
        self._index()
        row = self._rows_index.get(round(point.y()), [])
        return next((b for b in row if b.rect.contains(point)), None)

    @property
    def bars(self) -> list[Bar]:
        """Every bar, issue by issue, outlets top to bottom within an issue."""
        return list(self._index())

    def _hover(self, scene_pos: QPointF) -> None:
        bar = self.bar_at(scene_pos)
        if bar:
            where = self.viewport().mapToGlobal(self.mapFromScene(scene_pos))
            QToolTip.showText(where, plain_tip(bar.label), self)
        else:
            QToolTip.hideText()

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """The tooltip event Qt sends once the mouse rests would reach the scene, which finds
        no item with a tooltip and hides the bar's label (seen under X11: the label flashed
        and went); answer it with the bar's label instead."""
        if event.type() == QEvent.Type.ToolTip:
            self._hover(self.mapToScene(cast(QHelpEvent, event).pos()))
            return True
        return super().viewportEvent(event)

    def _click(self, event: object) -> None:
        bar = self.bar_at(event.scenePos())  # type: ignore[attr-defined]  # pyqtgraph's click event
        if bar:
            self.bar_clicked.emit(bar.source_id, bar.issue_id)

    def export_png(self, path: Path, title: str = "") -> None:
        """The chart as laid out on screen at EXPORT_SCALE times its pixels, so its labels
        stay sharp in a paper; ``title`` (plain text, lines) above the plot. Drawn at a device
        pixel ratio, not scaled: the legend ignores transformations, so pyqtgraph's
        ImageExporter (and a scaled render) left it at half the size of the rest."""
        with self._titled(title):
            source = self.getPlotItem().sceneBoundingRect()
            image = QImage((source.size() * EXPORT_SCALE).toSize(), QImage.Format.Format_RGB32)
            image.setDevicePixelRatio(EXPORT_SCALE)
            image.fill(QColor("white"))
            painter = QPainter(image)
            try:
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
                self.scene().render(painter, QRectF(0, 0, source.width(), source.height()), source)
            finally:
                painter.end()
        if not image.save(str(path), "PNG"):  # type: ignore[call-overload]  # stubs: bytes
            raise OSError(f"could not write the image to {path}")

    def export_svg(self, path: Path, title: str = "") -> None:
        """Through Qt's own SVG generator: pyqtgraph 0.14's SVGExporter fails to parse the
        paths Qt 6 writes ("not enough values to unpack")."""
        with self._titled(title):
            source = self.getPlotItem().sceneBoundingRect()
            generator = QSvgGenerator()
            generator.setFileName(str(path))
            generator.setSize(source.size().toSize())
            generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
            generator.setTitle(title.splitlines()[0] if title else "Issue coverage per source")
            generator.setDescription(title)
            painter = QPainter(generator)
            try:
                self.scene().render(painter, QRectF(0, 0, source.width(), source.height()), source)
            finally:
                painter.end()

    @contextmanager
    def _titled(self, title: str) -> Iterator[None]:
        """The plot with ``title`` above it for as long as an export draws it."""
        item = self.getPlotItem()
        if title:
            lines = [html.escape(line) for line in title.splitlines()]
            lines[0] = f"<b>{lines[0]}</b>"
            item.setTitle("<br>".join(lines), color="#222222", size="11pt")
            height = 26 * len(lines)  # pyqtgraph fixes the title's row to one line's height
            item.titleLabel.setMaximumHeight(height)
            item.layout.setRowFixedHeight(0, height)
            item.layout.activate()  # room for the title now, not at the next event loop turn
        try:
            yield
        finally:
            if title:
                item.setTitle(None)
                item.layout.activate()


def render_coverage_png(
    table: CoverageTable, measure: Measure, path: Path, *, stacked: bool = True, title: str = ""
) -> None:
    """The chart as a PNG without a window: for ``annotator coverage --png`` and the
    self-test. Works without a display (offscreen) when none is set."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QApplication.instance() or QApplication(sys.argv[:1])
    chart = CoverageChart()
    # Laid out like a shown window (sizes, axis room), but never drawn on a screen.
    chart.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    chart.resize(1100, 80 + ROW_PIXELS * max(len(table.sources), 2) + 40)
    chart.show_table(table, measure, stacked=stacked)
    if table.is_empty:
        chart.getPlotItem().setTitle("No issue coverage yet", color="#555555")
    chart.show()
    QApplication.processEvents()
    if not table.is_empty:
        title = title or f"Issue coverage per source: {MEASURE_LABEL[measure]}"
    chart.export_png(path, title)
    chart.close()
    chart.deleteLater()
