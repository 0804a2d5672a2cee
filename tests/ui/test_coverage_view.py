"""The Coverage tab on the real widgets: bars, measure switch, click, export, live update."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from annotator.core.model import CodeKind
from annotator.services.annotations import AnnotationService
from annotator.services.project import open_project
from annotator.services.team.adjudication import CurationService
from annotator.ui.shell.main_window import MainWindow
from tests.conftest import code_id


@pytest.fixture
def sample_window(qtbot, settings):
    with open_project(annotator="alice") as project:  # the default project: two samples
        window = MainWindow(project, settings)
        qtbot.addWidget(window)
        window.show()
        yield window, project


def annotate_samples(project):
    """Issue passages and claims in both sample articles, by hand-checked offsets."""
    ids = {s.source_name: s.id for s in project.store.articles.summaries()}
    trade = code_id(project, CodeKind.ISSUE, "Export controls / high-tech trade")
    taiwan = code_id(project, CodeKind.ISSUE, "Taiwan")
    made = {}
    for source, needle, issue in (
        ("Politico", "restrict high technology exports to China", trade),
        ("Politico", "those export curbs", trade),
        ("AFP", "US trade restrictions on technology", trade),
        ("AFP", "Taiwan", taiwan),
    ):
        text = project.store.articles.get(ids[source]).text
        start = text.index(needle)
        change = project.annotations.create_issue_passage(
            ids[source], [(start, start + len(needle))], issue
        )
        made.setdefault((source, issue), []).append(change.annotation.id)
    return ids, made, trade, taiwan


def open_coverage(window):
    window.tabs.setCurrentIndex(1)
    assert window.coverage is not None
    return window.coverage


def test_empty_state_then_bars_after_annotating(qtbot, sample_window):
    window, project = sample_window
    view = open_coverage(window)
    assert view.stack.currentWidget() is view.empty
    annotate_samples(project)
    window.hub.annotations_changed.emit(project.store.articles.summaries()[0].id)
    qtbot.waitUntil(lambda: view.stack.currentIndex() == 0)
    labels = sorted(bar.label for bar in view.chart.bars)
    assert labels == [
        "AFP · Export controls / high-tech trade: 1 annotation",
        "AFP · Taiwan: 1 annotation",
        "Politico · Export controls / high-tech trade: 2 annotations",
    ]


def test_measure_switch_changes_the_bars(qtbot, sample_window):
    window, project = sample_window
    annotate_samples(project)
    view = open_coverage(window)
    view.measure.setCurrentIndex(view.measure.findData("characters"))
    politico = next(b for b in view.chart.bars if b.label.startswith("Politico"))
    chars = len("restrict high technology exports to China") + len("those export curbs")
    assert politico.label.endswith(f"{chars} characters covered")
    assert politico.rect.width() == pytest.approx(chars)
    view.measure.setCurrentIndex(view.measure.findData("share"))
    politico = next(b for b in view.chart.bars if b.label.startswith("Politico"))
    assert "% of the outlet's text" in politico.label


def test_clicking_a_bar_lists_its_annotations_and_double_click_jumps(qtbot, sample_window):
    window, project = sample_window
    ids, made, trade, _ = annotate_samples(project)
    view = open_coverage(window)
    view.stacked.setChecked(False)
    bar = next(b for b in view.chart.bars if b.label.startswith("Politico · Export"))
    viewbox = view.chart.getPlotItem().getViewBox()
    scene_point = viewbox.mapViewToScene(bar.rect.center())
    point = view.chart.mapFromScene(scene_point)
    qtbot.mouseClick(view.chart.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert view.behind.rowCount() == 2
    listed = {view.behind.item(r, 0).data(Qt.ItemDataRole.UserRole)[1] for r in range(2)}
    assert listed == set(made[("Politico", trade)])
    view.behind.cellDoubleClicked.emit(0, 0)
    assert window.tabs.currentIndex() == 0
    assert window.view.article.id == ids["Politico"]
    assert window.controller.selected_id in listed


def test_export_png_svg_and_csv(qtbot, sample_window, tmp_path):
    window, project = sample_window
    annotate_samples(project)
    view = open_coverage(window)
    view.export_to(tmp_path / "c.png")
    image = QImage(str(tmp_path / "c.png"))
    assert not image.isNull() and image.width() > 500
    view.export_to(tmp_path / "c.svg")
    assert "<svg" in (tmp_path / "c.svg").read_text(encoding="utf-8")
    view.export_to(tmp_path / "c.csv")
    lines = (tmp_path / "c.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "source,issue,annotations,characters,articles,share_of_text"
    assert len(lines) == 1 + 2 * 2  # every source × issue, zeros included
    assert "Politico,Taiwan,0,0,0,0.0" in lines


def test_speaker_view(qtbot, sample_window):
    window, project = sample_window
    ids = {s.source_name: s.id for s in project.store.articles.summaries()}
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    project.annotations.create_claim(ids["AFP"], [(0, 10)], speaker_id=xi)
    view = open_coverage(window)
    view.view_of.setCurrentIndex(view.view_of.findData("speakers"))
    assert [b.label for b in view.chart.bars] == ["AFP · Xi Jinping: 1 annotation"]


def test_coder_filter_defaults_to_gold_and_all_sums_every_coder(qtbot, sample_window):
    window, project = sample_window
    store = project.store
    ids = {s.source_name: s.id for s in store.articles.summaries()}
    trade = code_id(project, CodeKind.ISSUE, "Export controls / high-tech trade")
    taiwan = code_id(project, CodeKind.ISSUE, "Taiwan")

    def passage(coder: str, source: str, needle: str, issue: str) -> None:
        start = store.articles.get(ids[source]).text.index(needle)
        AnnotationService(store, coder).create_issue_passage(
            ids[source], [(start, start + len(needle))], issue
        )

    passage("alice", "Politico", "restrict high technology exports to China", trade)
    view = open_coverage(window)
    assert view.coders.isHidden() and view.counting.isHidden()  # one coder: nothing to choose
    for coder in ("alice", "bob"):
        passage(coder, "AFP", "Taiwan", taiwan)
    passage("bob", "Politico", "restrict high technology exports to China", trade)
    passage("bob", "Politico", "those export curbs", trade)  # alice did not mark this
    window.hub.annotations_changed.emit(ids["AFP"])  # the coder list follows the hub
    qtbot.waitUntil(lambda: view.coders.count() == 3)
    assert not view.coders.isHidden() and view.coder_filter() == ""
    assert view.counting.text() == "Counting all 2 coders' annotations — each coder's copy counts"

    CurationService(store, "alice", "bob").adjudicate(prefer="A")
    window.hub.annotations_changed.emit(ids["AFP"])
    qtbot.waitUntil(lambda: view.coders.count() == 4)
    combo = view.coders
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "All coders", "alice", "bob", "gold",
    ]  # fmt: skip
    assert view.coder_filter() == "gold"  # the default once curation wrote gold
    assert view.counting.text() == "Counting gold's annotations"
    gold = [
        a for i in ids.values() for a in store.annotations.for_article(i) if a.annotator == "gold"
    ]
    assert len(gold) == 2  # the agreed passages; alice's side of the disagreement is none

    def total() -> int:
        assert view.table is not None
        return sum(cell.annotations for cell in view.table.cells)

    qtbot.waitUntil(view.busy.isHidden)  # one coder's spans are counted on a worker
    assert total() == len(gold)
    assert sorted(bar.label for bar in view.chart.bars) == [
        "AFP · Taiwan: 1 annotation",
        "Politico · Export controls / high-tech trade: 1 annotation",
    ]
    combo.setCurrentIndex(combo.findData(""))
    assert total() == 2 + 3 + len(gold)  # alice's, bob's and gold's copies all count
    assert view.counting.text() == "Counting all 3 coders' annotations — each coder's copy counts"
    politico = next(b for b in view.chart.bars if b.label.startswith("Politico"))
    assert politico.label.endswith(": 4 annotations")
    window.hub.annotations_changed.emit(ids["AFP"])  # a refresh keeps the user's choice
    qtbot.waitUntil(lambda: not view._timer.isActive())
    assert view.coder_filter() == "" and total() == 7
    combo.setCurrentIndex(combo.findData("bob"))
    qtbot.waitUntil(view.busy.isHidden)
    assert total() == 3 and view.counting.text() == "Counting bob's annotations"
    politico_id = next(s.id for s in view.table.sources if s.name == "Politico")
    view.list_behind(politico_id, trade)  # what a click on bob's bar lists: bob's own
    assert [view.behind.item(r, 3).text() for r in range(view.behind.rowCount())] == ["bob"] * 2


def test_exports_carry_a_title_of_measure_filters_and_dates(qtbot, sample_window, tmp_path):
    window, project = sample_window
    annotate_samples(project)
    view = open_coverage(window)
    view.measure.setCurrentIndex(view.measure.findData("characters"))
    view.claims.setChecked(False)
    [date] = {a.published[:10] for a in project.store.articles.summaries()}  # one day
    title = view.chart_title()
    assert title.splitlines() == [
        "Issues per outlet: characters",
        f"Issue passages · all coders · 2 articles, {date}",
    ]
    view.export_to(tmp_path / "c.svg")
    svg = (tmp_path / "c.svg").read_text(encoding="utf-8")
    assert "<title>Issues per outlet: characters</title>" in svg
    assert "Issue passages · all coders" in svg  # the description and the drawn title
    view.export_to(tmp_path / "c.png")
    image = QImage(str(tmp_path / "c.png"))
    assert image.width() >= 2 * view.chart.width() - 4  # twice the pixels: sharp labels
    assert not view.chart.getPlotItem().titleLabel.isVisible()  # for the export only
