"""A newcomer's first hour, driven through the real window offscreen: import a folder (one
file names its source, one does not), code a claim from the keyboard, step through the
suggestions with N and A, undo, look at coverage, export the CSV and the chart. Each step
checks what the researcher would see, so the next rough edge of this kind fails here."""

import csv
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator.core.model import AnnotationKind, ArticleStatus, CodeKind
from annotator.ui.annotate.article_list_model import ARTICLE_ID
from annotator.ui.save_dialog import documents_folder
from annotator.ui.shell import transfer
from tests.conftest import code_id
from tests.ui.test_annotating import type_and_enter

NAMED = (
    "---\ntitle: Strait talks\nsource: Reuters\n---\n"
    "“We will respond firmly to any provocation over Taiwan,” said Xi Jinping on Monday 🙂.\n"
    "“Nothing has changed,” said Joe Biden after the call.\n"
)
UNNAMED = "Chip curbs\n\n“The drills are routine,” said Joe Biden, smiling.\n"


def listed(window) -> str:
    return window.articles.tree.currentIndex().siblingAtColumn(0).data(ARTICLE_ID)


def test_the_first_hour(qtbot, window, gui_project, tmp_path, monkeypatch):
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "strait.md").write_text(NAMED, encoding="utf-8")
    (folder / "chips.txt").write_text(UNNAMED, encoding="utf-8")
    asked: list[int] = []
    monkeypatch.setattr(
        transfer, "ask_source", lambda _parent, _default, count: asked.append(count) or "Wire"
    )
    monkeypatch.setattr(QMessageBox, "exec", lambda box: 0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)

    # Import: a source is asked for the one file that names none, and only for it.
    window.files.import_paths([folder])
    assert asked == [1]
    sources = {s.title: s.source_name for s in gui_project.store.articles.summaries()}
    assert (sources["Strait talks"], sources["Chip curbs"]) == ("Reuters", "Wire")
    assert "2 articles imported" in window.statusBar().currentMessage()

    # Open the article and code a claim from the keyboard: select, C, name, Enter, issue, Enter.
    strait = next(s.id for s in gui_project.store.articles.summaries() if s.title == "Strait talks")
    window.articles.select(strait)
    assert window.view.article.id == strait and listed(window) == strait
    text = window.view.article.text
    quote = "“Nothing has changed,”"
    start = text.index(quote)
    window.view.set_selection(start, start + len(quote))
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_C)
    type_and_enter(qtbot, window.panel.speakers.search, "biden")
    type_and_enter(qtbot, window.panel.issues.search, "taiw")
    (claim,) = gui_project.store.annotations.for_article(strait)
    assert claim.quote == quote
    assert claim.speaker_id == code_id(gui_project, CodeKind.SPEAKER, "Joe Biden")
    assert claim.issue_ids == (code_id(gui_project, CodeKind.ISSUE, "Taiwan"),)
    coders = gui_project.store.articles.summaries("alice")
    status = {s.id: s.status for s in coders}[strait]
    assert status is ArticleStatus.IN_PROGRESS

    # Suggestions: N, A, and N lands on the suggestion now shown as current.
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_N)
    qtbot.keyClick(window.view.text, Qt.Key.Key_A)
    claims = [a for a in gui_project.store.annotations.for_article(strait)
              if a.kind is AnnotationKind.CLAIM]  # fmt: skip
    assert len(claims) == 2
    if window.suggester.items:
        shown = window.suggester.items[window.suggester.current]
        qtbot.keyClick(window.view.text, Qt.Key.Key_N)
        assert window.suggester.items[window.suggester.current] == shown

    # Undo from another article goes back there, in the list too.
    chips = next(s.id for s in gui_project.store.articles.summaries() if s.title == "Chip curbs")
    window.articles.select(chips)
    window.controller.undo()
    assert window.view.article.id == strait and listed(window) == strait
    assert len(gui_project.store.annotations.for_article(strait)) == 1

    # Coverage: one bar, said in the singular.
    window.tabs.setCurrentIndex(1)
    view = window.coverage
    assert view is not None
    qtbot.waitUntil(lambda: bool(view.chart.bars))
    assert [b.label for b in view.chart.bars] == ["Reuters · Taiwan: 1 annotation"]

    # Export: both start in the documents folder, never the working directory.
    proposed: list[Path] = []

    def save_as(_parent, _title, where, _filter):
        proposed.append(Path(where))
        return str(tmp_path / Path(where).name), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    window.files.export_csv()
    view.export_png.click()
    assert [p.parent for p in proposed] == [documents_folder(), documents_folder()]
    with (tmp_path / "gui.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["speaker"], r["text"]) for r in rows if r["kind"] == "claim"] == [
        ("Joe Biden", quote)
    ]
    assert (tmp_path / "coverage.png").stat().st_size > 0
