"""Issue coverage per source as horizontal pyqtgraph bars: outlets down the side, so 2 or 50
names stay readable, one colour per issue, stacked or side by side.

pyqtgraph is imported by this module only, and the window imports this module only when the
Coverage tab is first shown, so start-up does not pay for it.
"""

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QFontMetrics, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from annotator.services.coverage import CoverageTable, Measure
from annotator.ui.labels import plain_tip

MEASURE_LABEL = {
    Measure.ANNOTATIONS: "annotations",
    Measure.CHARACTERS: "characters covered",
    Measure.SHARE: "% of the outlet's text",
    Measure.PER_ARTICLE: "annotations per article",
}
ROW_PIXELS = 30  # height per source: enough for a readable name


@dataclass(frozen=True, slots=True)
class Bar:
    rect: QRectF
    source_id: str
    issue_id: str
    label: str  # "AFP · Taiwan: 3 annotations"


def display_value(table: CoverageTable, measure: Measure, source_id: str, issue_id: str) -> float:
    value = table.value(measure, source_id, issue_id)
    return value * 100 if measure is Measure.SHARE else value


def format_value(value: float, measure: Measure) -> str:
    if measure is Measure.SHARE:
        return f"{value:.1f}% of the outlet's text"
    if measure is Measure.PER_ARTICLE:
        return f"{value:.2f} annotations per article"
    return f"{value:,.0f} {MEASURE_LABEL[measure]}"


class CoverageChart(pg.PlotWidget):
    """Click a bar to list its annotations; hover it for the exact value."""

    bar_clicked = Signal(str, str)  # source id, issue id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="w")
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.showGrid(x=True, y=False, alpha=0.3)
        item.getViewBox().setMouseEnabled(x=False, y=False)
        for axis in ("left", "bottom"):
            item.getAxis(axis).setTextPen("#333333")
            item.getAxis(axis).setPen("#999999")
        self.legend = item.addLegend(offset=(-10, 10), labelTextColor="#222222")
        self._bars: list[Bar] = []
        self.scene().sigMouseMoved.connect(self._hover)
        self.scene().sigMouseClicked.connect(self._click)

    def show_table(self, table: CoverageTable, measure: Measure, *, stacked: bool = True) -> None:
        item = self.getPlotItem()
        item.clear()
        self.legend.clear()
        self._bars = []
        sources, issues = table.sources, table.issues
        rows = len(sources)
        left = item.getAxis("left")
        left.setTicks([[(rows - 1 - i, s.name) for i, s in enumerate(sources)]])
        # pyqtgraph drops tick labels wider than the axis; make room for the longest name.
        metrics = QFontMetrics(left.style.get("tickFont") or self.font())
        longest = max((metrics.horizontalAdvance(s.name) for s in sources), default=40)
        left.setWidth(min(longest, 320) + 40)
        item.setLabel("bottom", MEASURE_LABEL[measure].capitalize())
        offsets = [0.0] * rows
        slot = 0.8 / max(1, len(issues))
        for j, issue in enumerate(issues):
            ys, x0s, widths, heights = [], [], [], []
            for i, source in enumerate(sources):
                value = display_value(table, measure, source.id, issue.id)
                if value <= 0:
                    continue
                if stacked:
                    y, height, x0 = rows - 1 - i, 0.7, offsets[i]
                    offsets[i] += value
                else:
                    y = rows - 1 - i + 0.4 - slot * (j + 0.5)
                    height, x0 = slot * 0.9, 0.0
                ys.append(y)
                x0s.append(x0)
                widths.append(value)
                heights.append(height)
                self._bars.append(
                    Bar(
                        QRectF(x0, y - height / 2, value, height),
                        source.id,
                        issue.id,
                        f"{source.name} · {issue.name}: {format_value(value, measure)}",
                    )
                )
            if not ys:
                continue
            bars = pg.BarGraphItem(
                x0=x0s, y=ys, width=widths, height=heights,
                brush=QColor(issue.colour), pen=pg.mkPen("w", width=1),
            )  # fmt: skip
            item.addItem(bars)
            self.legend.addItem(bars, issue.name)
        item.setYRange(-0.6, max(rows, 1) - 0.4, padding=0)
        longest = max([b.rect.right() for b in self._bars], default=1.0)
        item.setXRange(0, longest * 1.4, padding=0)  # blank room on the right for the legend
        self.setMinimumHeight(80 + ROW_PIXELS * max(rows, 2))

    def bar_at(self, scene_pos: QPointF) -> Bar | None:
        point = self.getPlotItem().getViewBox().mapSceneToView(scene_pos)
        return next((b for b in self._bars if b.rect.contains(point)), None)

    @property
    def bars(self) -> list[Bar]:
        return list(self._bars)

    def _hover(self, scene_pos: QPointF) -> None:
        bar = self.bar_at(scene_pos)
        if bar:
            QToolTip.showText(QCursor.pos(), plain_tip(bar.label), self)
        else:
            QToolTip.hideText()

    def _click(self, event: object) -> None:
        bar = self.bar_at(event.scenePos())  # type: ignore[attr-defined]
        if bar:
            self.bar_clicked.emit(bar.source_id, bar.issue_id)

    def export_png(self, path: Path) -> None:
        """At the chart's own size, so text keeps the proportions seen on screen."""
        ImageExporter(self.getPlotItem()).export(str(path))

    def export_svg(self, path: Path) -> None:
        """Through Qt's own SVG generator: pyqtgraph 0.14's SVGExporter fails to parse the
        paths Qt 6 writes ("not enough values to unpack")."""
        source = self.getPlotItem().sceneBoundingRect()
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(source.size().toSize())
        generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
        generator.setTitle("Issue coverage per source")
        painter = QPainter(generator)
        try:
            self.scene().render(painter, QRectF(0, 0, source.width(), source.height()), source)
        finally:
            painter.end()


def render_coverage_png(
    table: CoverageTable, measure: Measure, path: Path, *, stacked: bool = True
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
    chart.export_png(path)
    chart.close()
    chart.deleteLater()
