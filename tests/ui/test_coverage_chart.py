"""The coverage chart on its own: an update with the same outlets and issues moves the bars it
has (and they show the new numbers), other outlets or issues rebuild it."""

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPen
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip

from annotator.core.coverage import CoverageCell, CoverageTable, SourceTotals
from annotator.core.model import Code, CodeKind
from annotator.services.coverage import Measure
from annotator.services.project import open_project
from annotator.ui.analysis.coverage_chart import MEASURE_LABEL, CoverageChart, opaque_on_white
from tests.conftest import code_id


def issue(key: str, colour: str) -> Code:
    return Code(id=f"i-{key}", kind=CodeKind.ISSUE, name=f"Issue {key}", colour=colour)


def make_table(sources: int = 3, issues: int = 3, *, skip: tuple[int, ...] = ()) -> CoverageTable:
    """Every source covers every issue (except the issue indices in ``skip``), with counts
    and characters that differ per pair, so a bar shows which measure it was drawn for."""
    totals = tuple(
        SourceTotals(f"s-{i}", f"Outlet {i}", articles=i + 1, characters=10_000)
        for i in range(sources)
    )
    codes = tuple(
        issue(str(j), ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728")[j % 4]) for j in range(issues)
    )
    cells = tuple(
        CoverageCell(s.id, c.id, annotations=i + j + 1, characters=100 * (i + 1) + 7 * j,
                     articles=1, share_of_text=(100 * (i + 1) + 7 * j) / 10_000)
        for i, s in enumerate(totals)
        for j, c in enumerate(codes)
        if j not in skip
    )  # fmt: skip
    return CoverageTable(totals, codes, cells)


@pytest.fixture
def chart(qtbot) -> CoverageChart:
    widget = CoverageChart()
    qtbot.addWidget(widget)
    widget.resize(900, 400)
    widget.show()
    return widget


def drawn(chart: CoverageChart) -> dict[tuple[str, str], tuple[float, float, float, float]]:
    """(source id, issue id) → (x0, y, width, height) as the BarGraphItems hold them."""
    table, found = chart._table, {}
    rows = len(table.sources)
    for index, item in chart._items.items():
        opts = item.opts
        for x0, y, width, height in zip(opts["x0"], opts["y"], opts["width"], opts["height"],
                                        strict=True):  # fmt: skip
            row = rows - 1 - round(y)
            found[table.sources[row].id, table.issues[index].id] = (x0, y, width, height)
    return found


def expected(table: CoverageTable, measure: Measure) -> dict[tuple[str, str], float]:
    scale = 100 if measure is Measure.SHARE else 1
    return {
        (s.id, c.id): table.value(measure, s.id, c.id) * scale
        for s in table.sources
        for c in table.issues
        if table.value(measure, s.id, c.id) > 0
    }


@pytest.mark.parametrize("measure", [Measure.CHARACTERS, Measure.SHARE, Measure.PER_ARTICLE])
def test_a_measure_switch_moves_the_same_bars_to_the_new_values(chart, measure):
    table = make_table()
    chart.show_table(table, Measure.ANNOTATIONS)
    items = dict(chart._items)
    legend = [label.text for _, label in chart.legend.items]
    chart.show_table(table, measure)
    assert chart._items == items  # the very same items, moved
    assert all(chart._items[j] is items[j] for j in items)
    assert [label.text for _, label in chart.legend.items] == legend
    bars = drawn(chart)
    want = expected(table, measure)
    assert bars.keys() == want.keys()
    for key, value in want.items():
        assert bars[key][2] == pytest.approx(value)
    # Stacked: each issue starts where the previous one of the same outlet ended.
    for s in table.sources:
        starts = [bars[s.id, c.id][0] for c in table.issues]
        widths = [bars[s.id, c.id][2] for c in table.issues]
        assert starts == pytest.approx(list(np.cumsum([0, *widths[:-1]])))
    longest = max(b[0] + b[2] for b in bars.values())
    assert chart.getPlotItem().getViewBox().viewRange()[0][1] == pytest.approx(longest * 1.4)
    label = chart.getPlotItem().getAxis("bottom").labelText
    assert label == MEASURE_LABEL[measure].capitalize()


def test_hover_labels_and_clicks_follow_the_update(chart, qtbot):
    table = make_table()
    chart.show_table(table, Measure.ANNOTATIONS)
    assert chart.bars[0].label == "Outlet 0 · Issue 0: 1 annotation"  # made, then dropped
    chart.show_table(table, Measure.CHARACTERS)
    labels = {(b.source_id, b.issue_id): b.label for b in chart.bars}
    assert labels["s-2", "i-1"] == "Outlet 2 · Issue 1: 307 characters covered"
    assert len(labels) == 9
    target = next(b for b in chart.bars if (b.source_id, b.issue_id) == ("s-1", "i-2"))
    viewbox = chart.getPlotItem().getViewBox()
    assert chart.bar_at(viewbox.mapViewToScene(target.rect.center())) == target
    qtbot.waitExposed(chart)
    point = chart.mapFromScene(viewbox.mapViewToScene(target.rect.center()))
    with qtbot.waitSignal(chart.bar_clicked) as clicked:
        qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert clicked.args == ["s-1", "i-2"]
    beyond = max(b.rect.right() for b in chart.bars) * 1.2
    assert chart.bar_at(viewbox.mapViewToScene(QPointF(beyond, 0))) is None
    assert chart.bar_at(viewbox.mapViewToScene(QPointF(1, 0.5))) is None  # between rows


def test_switching_to_grouped_and_back_in_place(chart):
    table = make_table()
    chart.show_table(table, Measure.ANNOTATIONS)
    items = dict(chart._items)
    chart.show_table(table, Measure.ANNOTATIONS, stacked=False)
    assert all(chart._items[j] is items[j] for j in items)
    bars = drawn(chart)
    assert all(x0 == 0 for x0, *_ in bars.values())
    centres = {y for _, y, _, _ in bars.values()}
    assert len(centres) == 9  # side by side: every bar on its own line
    for key, value in expected(table, Measure.ANNOTATIONS).items():
        assert bars[key][2] == pytest.approx(value)
    grouped = {b.source_id + b.issue_id: b for b in chart.bars}
    viewbox = chart.getPlotItem().getViewBox()
    for bar in grouped.values():
        assert chart.bar_at(viewbox.mapViewToScene(bar.rect.center())) == bar


def test_other_sources_and_issues_rebuild(chart):
    chart.show_table(make_table(3, 3), Measure.ANNOTATIONS)
    old = list(chart._items.values())
    bigger = make_table(5, 4)
    chart.show_table(bigger, Measure.CHARACTERS)
    assert not set(map(id, chart._items.values())) & set(map(id, old))
    assert [label.text for _, label in chart.legend.items] == [c.name for c in bigger.issues]
    ticks = chart.getPlotItem().getAxis("left")._tickLevels[0]
    assert sorted(ticks) == [(4 - i, f"Outlet {i}") for i in range(5)][::-1]
    bars = drawn(chart)
    want = expected(bigger, Measure.CHARACTERS)
    assert bars.keys() == want.keys()
    assert all(bars[k][2] == pytest.approx(v) for k, v in want.items())
    assert len(chart.bars) == 20
    assert chart.getPlotItem().getViewBox().viewRange()[1] == pytest.approx([-0.6, 4.6])
    renamed = make_table(5, 4)
    renamed = CoverageTable(renamed.sources, (issue("0", "#000000"), *renamed.issues[1:]),
                            renamed.cells)  # fmt: skip
    items = dict(chart._items)
    chart.show_table(renamed, Measure.CHARACTERS)
    assert chart._items[0] is not items[0]  # a new colour is a new item
    assert chart._items[0].opts["brush"] == QColor("#000000")


def test_an_issue_without_bars_leaves_the_legend(chart):
    chart.show_table(make_table(3, 3), Measure.ANNOTATIONS)
    chart.show_table(make_table(3, 3, skip=(1,)), Measure.ANNOTATIONS)
    assert [label.text for _, label in chart.legend.items] == ["Issue 0", "Issue 2"]
    assert sorted(chart._items) == [0, 2]
    assert {b.issue_id for b in chart.bars} == {"i-0", "i-2"}
    chart.show_table(make_table(3, 3), Measure.ANNOTATIONS)
    assert [label.text for _, label in chart.legend.items] == ["Issue 0", "Issue 1", "Issue 2"]


def test_an_empty_table_clears_the_chart(chart):
    chart.show_table(make_table(), Measure.ANNOTATIONS)
    chart.show_table(CoverageTable(make_table().sources), Measure.ANNOTATIONS)
    assert chart.bars == [] and chart._items == {} and chart.legend.items == []


def test_grid_lines_keep_their_colour_on_white():
    pen = QPen(QColor(153, 153, 153, 76))
    solid = opaque_on_white(pen).color()
    assert solid.alpha() == 255
    assert solid.red() == pytest.approx(255 - (255 - 153) * 76 / 255, abs=1)
    opaque = QPen(QColor("#999999"))
    assert opaque_on_white(opaque) is opaque


def test_the_view_redraws_a_measure_switch_without_querying_again(qtbot, tmp_path, monkeypatch):
    import annotator.ui.analysis.coverage_view as coverage_view

    queries = []
    real = coverage_view.coverage_table
    monkeypatch.setattr(
        coverage_view, "coverage_table", lambda *a, **k: queries.append(1) or real(*a, **k)
    )
    with open_project(tmp_path / "p.annotator", annotator="alice") as project:
        added = project.articles.add("Taiwan and trade, again.", source="AFP", title="T")
        taiwan = code_id(project, CodeKind.ISSUE, "Taiwan")
        project.annotations.create_issue_passage(added.article.id, [(0, 6)], taiwan)
        view = coverage_view.CoverageView(project)
        qtbot.addWidget(view)
        assert len(queries) == 1
        items = dict(view.chart._items)
        view.measure.setCurrentIndex(view.measure.findData("characters"))
        view.stacked.setChecked(False)
        assert len(queries) == 1
        assert [b.label for b in view.chart.bars] == ["AFP · Taiwan: 6 characters covered"]
        assert view.chart._items == items
        view.roll_up.setChecked(True)  # a filter: a new table, counted on a worker
        qtbot.waitUntil(view.busy.isHidden)
        assert len(queries) == 2


def test_new_numbers_for_the_same_outlets_and_issues_update_in_place(chart):
    before = make_table()
    chart.show_table(before, Measure.CHARACTERS)
    items = dict(chart._items)
    after = CoverageTable(
        before.sources,
        before.issues,
        tuple(replace(c, characters=c.characters * 3) for c in before.cells),
    )
    chart.show_table(after, Measure.CHARACTERS)
    assert all(chart._items[j] is items[j] for j in items)
    bars = drawn(chart)
    for key, value in expected(after, Measure.CHARACTERS).items():
        assert bars[key][2] == pytest.approx(value)
    assert {b.label for b in chart.bars} >= {"Outlet 0 · Issue 0: 300 characters covered"}


def test_a_few_annotations_get_whole_ticks_and_shares_do_not(chart) -> None:
    """One annotation must not be read off an axis marked 0.1, 0.2, …"""
    one = make_table(sources=2, issues=1)
    one = replace(one, cells=tuple(replace(c, annotations=1) for c in one.cells))
    axis = chart.getPlotItem().getAxis("bottom")

    def ticks() -> list[float]:
        return [v for _spacing, values in axis.tickValues(0, 1.4, 800) for v in values]

    chart.show_table(one, Measure.ANNOTATIONS)
    assert ticks() and all(v == int(v) for v in ticks())
    chart.show_table(one, Measure.SHARE)
    assert any(v != int(v) for v in ticks())
    chart.show_table(one, Measure.ANNOTATIONS)
    assert all(v == int(v) for v in ticks())


def test_a_per_span_count_runs_on_a_worker_and_only_the_latest_is_shown(
    qtbot, tmp_path, monkeypatch
):
    import threading

    import annotator.ui.analysis.coverage_view as coverage_view

    threads = []
    real = coverage_view.coverage_table

    def counted(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(coverage_view, "coverage_table", counted)
    with open_project(tmp_path / "p.annotator", annotator="alice") as project:
        added = project.articles.add("Taiwan and trade, again.", source="AFP", title="T")
        taiwan = code_id(project, CodeKind.ISSUE, "Taiwan")
        project.annotations.create_issue_passage(added.article.id, [(0, 6)], taiwan)
        view = coverage_view.CoverageView(project)
        qtbot.addWidget(view)
        assert threads == [threading.main_thread()]  # the summary answers at once
        view.roll_up.setChecked(True)  # per span: on a worker
        assert not view.busy.isHidden()
        view.claims.setChecked(False)  # asked again before the first answer arrived
        qtbot.waitUntil(lambda: view.busy.isHidden() and not coverage_view._RUNNING)
        assert all(t is not threading.main_thread() for t in threads[1:]) and len(threads) == 3
        assert view.table is not None and view.current_filter().roll_up
        assert [b.label for b in view.chart.bars] == ["AFP · Taiwan: 1 annotation"]


def test_hover_tooltip_appears_on_mouse_moves_and_stays_when_the_mouse_rests(chart, qtbot):
    """Real mouse moves over the viewport; then the ToolTip event Qt sends once the mouse
    rests, which the scene used to answer by hiding the bar's label."""
    chart.show_table(make_table(), Measure.ANNOTATIONS)
    qtbot.waitExposed(chart)
    target = next(b for b in chart.bars if (b.source_id, b.issue_id) == ("s-1", "i-1"))
    viewbox = chart.getPlotItem().getViewBox()
    point = chart.mapFromScene(viewbox.mapViewToScene(target.rect.center()))
    QTest.mouseMove(chart.viewport(), point)
    qtbot.waitUntil(lambda: "Outlet 1 · Issue 1: 3 annotations" in QToolTip.text())
    rest = QHelpEvent(QEvent.Type.ToolTip, point, chart.viewport().mapToGlobal(point))
    QApplication.sendEvent(chart.viewport(), rest)
    qtbot.wait(500)  # longer than a tooltip's hide delay
    assert QToolTip.isVisible() and "Outlet 1 · Issue 1" in QToolTip.text()
    QTest.mouseMove(chart.viewport(), QPoint(chart.viewport().width() - 5, 5))  # no bar there
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
