"""Search all articles (Ctrl+Shift+F) and code every hit; retrieved segments. On the real
window, offscreen, with text whose code points and UTF-16 units disagree."""

import csv

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QTreeWidgetItem

from annotator.core.model import AnnotationKind, CodeKind
from annotator.ui.analysis.retrieve_view import RetrieveView
from annotator.ui.annotate.code_all_dialog import CodeAllDialog
from annotator.ui.annotate.search_panel import SearchPanel
from annotator.ui.shell.corpus_dialogs import open_search
from tests.conftest import TRICKY_TEXT, code_id

TEXT = TRICKY_TEXT.replace("\r\n", "\n").replace("\x00", "")
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
SECOND = "Xi spoke; then xi spoke again. Xinhua: “fine.”"


def open_panel(window) -> SearchPanel:
    open_search(window)
    panel = window.findChild(SearchPanel)
    assert panel is not None and panel.isVisible()
    return panel


def search_for(panel: SearchPanel, pattern: str, **options: bool) -> None:
    panel.whole_word.setChecked(options.get("whole_word", False))
    panel.regex.setChecked(options.get("regex", False))
    panel.case.setChecked(options.get("case", False))
    panel.pattern.setText(pattern)
    panel.run_search()


def rows(panel: SearchPanel) -> list[tuple[str, list[str]]]:
    tree = panel.tree
    return [
        (
            tree.topLevelItem(i).text(0),
            [
                tree.topLevelItem(i).child(j).text(2)
                for j in range(tree.topLevelItem(i).childCount())
            ],
        )
        for i in range(tree.topLevelItemCount())
    ]


def double_click(qtbot, panel: SearchPanel, item: QTreeWidgetItem) -> None:
    tree = panel.tree
    tree.scrollToItem(item)
    position = tree.visualItemRect(item).center()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=position)
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=position)


def choose(monkeypatch, shown: list[str], kind: int, code: str = "", speaker: str = "") -> None:
    """Answer the code-all dialog: pick the kind and codes, note the preview, press OK."""

    def answer(dialog: CodeAllDialog) -> int:
        dialog.kind.setCurrentIndex(kind)
        if code:
            dialog.code.setCurrentText(code)
        if speaker:
            dialog.speaker.setCurrentText(speaker)
        shown.append(dialog.preview.text())
        shown.append(dialog.ok_button.text() if dialog.ok_button.isEnabled() else "disabled")
        return QDialog.DialogCode.Accepted if dialog.ok_button.isEnabled() else 0

    monkeypatch.setattr(CodeAllDialog, "exec", answer)


@pytest.fixture
def second(gui_project, window) -> str:
    """A second article, from another source, listed before the tricky one."""
    article = gui_project.articles.add(SECOND, source="Another Wire", title="Second").article
    window.hub.articles_changed.emit()
    return article.id


def test_ctrl_shift_f_opens_the_panel_and_finds_hits_grouped_by_article(qtbot, window, second):
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL_SHIFT)
    panel = window.findChild(SearchPanel)
    assert panel is not None and panel.isVisible()
    search_for(panel, "xi", whole_word=True)
    assert rows(panel) == [("Second  (2)", ["Xi", "xi"]), ("Tricky  (1)", ["Xi"])]
    assert panel.status.text().startswith("3 matches in 2 articles")
    assert panel.code_button.text() == "Code &all 3 as…" and panel.code_button.isEnabled()
    hit = panel.tree.topLevelItem(1).child(0)
    assert (hit.text(1), hit.text(3)) == (
        "“We will not sit back,” ",
        " said 😠 — and Biden’s aide replied… “fine.”",
    )
    panel.case.setChecked(True)  # an option re-runs the search
    assert rows(panel) == [("Second  (1)", ["xi"])]
    panel.regex.setChecked(True)
    panel.pattern.setText("X\\w+")
    panel.pattern.returnPressed.emit()
    assert rows(panel) == [("Second  (2)", ["Xi", "Xinhua"]), ("Tricky  (1)", ["Xi"])]


def test_bad_input_is_said_in_the_panel_and_lists_nothing(window):
    panel = open_panel(window)
    search_for(panel, "(", regex=True)
    assert panel.status.text().startswith("Bad regular expression '(':")
    assert panel.tree.topLevelItemCount() == 0 and not panel.code_button.isEnabled()
    search_for(panel, "")
    assert "empty" in panel.status.text()
    search_for(panel, "nothing of the sort")
    assert panel.status.text().startswith("0 matches in 0 articles")
    assert not panel.code_button.isEnabled()


@pytest.mark.parametrize("needle", ["fine", "😠", "Biden’s", "Xi"])
def test_double_click_jumps_to_the_hit_with_it_selected(qtbot, window, second, needle):
    window.articles.select(second)
    panel = open_panel(window)
    search_for(panel, needle, case=True)
    top = panel.tree.topLevelItem(panel.tree.topLevelItemCount() - 1)
    assert top.text(0).startswith("Tricky")
    double_click(qtbot, panel, top.child(0))
    assert window.tabs.currentIndex() == 0
    assert window.view.article.title == "Tricky"
    start = TEXT.index(needle)
    assert window.view.selected_span() == (start, start + len(needle))
    cursor = window.view.text.textCursor()
    assert cursor.selectedText() == needle
    astral_before = sum(1 for ch in TEXT[:start] if ord(ch) > 0xFFFF)
    assert cursor.selectionStart() == start + astral_before  # UTF-16 in the widget


def test_code_all_previews_creates_in_one_step_and_undo_removes_them(
    qtbot, window, second, gui_project, monkeypatch
):
    window.articles.select(second)
    panel = open_panel(window)
    search_for(panel, "xi", whole_word=True)
    shown: list[str] = []
    choose(monkeypatch, shown, 0, "Xi Jinping")
    panel.code_all()
    assert shown == [
        "3 matches: 3 will be coded as speaker mention of 'Xi Jinping'; 0 already coded so by "
        "alice (skipped). One step: Undo takes them all back.",
        "Code 3",
    ]
    xi = code_id(gui_project, CodeKind.SPEAKER, "Xi Jinping")
    store = gui_project.store
    mentions = [a for a in store.annotations.using_code(xi) if a.kind is AnnotationKind.SPEAKER]
    assert len(mentions) == 3 and window.stack.count() == 1
    assert window.view.article.id == second  # a change in several articles moves nothing
    assert len(window._annotations) == 2
    assert panel.status.text().startswith("Coded 3 as speaker mention of 'Xi Jinping'")
    shown.clear()
    panel.code_all()  # a second time: nothing to create, OK is disabled
    assert shown[0].startswith("3 matches: 0 will be coded") and "3 already coded" in shown[0]
    assert shown[1] == "disabled" and window.stack.count() == 1
    window.controller.undo()
    assert store.annotations.using_code(xi) == [] and window._annotations == []
    assert window.view.article.id == second
    window.controller.redo()
    assert len(store.annotations.using_code(xi)) == 3 and len(window._annotations) == 2


def test_code_all_as_claims_needs_a_speaker_and_tags_the_issue(
    window, second, gui_project, monkeypatch
):
    panel = open_panel(window)
    search_for(panel, "spoke", whole_word=True)
    shown: list[str] = []
    choose(monkeypatch, shown, 2, "Taiwan", "Joe Biden")
    panel.code_all()
    assert shown[0].startswith("2 matches: 2 will be coded as claim by 'Joe Biden' on 'Taiwan'")
    claims = gui_project.store.annotations.for_article(second)
    biden = code_id(gui_project, CodeKind.SPEAKER, "Joe Biden")
    taiwan = code_id(gui_project, CodeKind.ISSUE, "Taiwan")
    assert [(a.kind, a.speaker_id, a.issue_ids) for a in claims] == [
        (AnnotationKind.CLAIM, biden, (taiwan,))
    ] * 2


def test_the_code_all_dialog_shows_the_speaker_row_only_for_claims(window, gui_project):
    dialog = CodeAllDialog(gui_project, [], "kirby", window)
    assert dialog.code.currentText() == "John Kirby"  # the nearest name to the pattern
    assert not dialog.speaker.isVisibleTo(dialog)
    dialog.kind.setCurrentIndex(2)
    assert dialog.speaker.isVisibleTo(dialog) and dialog.code.currentText() == "(no issue)"
    assert dialog.preview.text() == "Choose the claims' speaker."
    assert not dialog.ok_button.isEnabled()
    dialog.speaker.setCurrentText("Xi Jinping")
    assert dialog.preview.text().startswith("0 matches: 0 will be coded as claim by 'Xi Jinping'")
    dialog.code.setCurrentText("Taiwan")
    assert "claim by 'Xi Jinping' on 'Taiwan'" in dialog.preview.text()
    assert not dialog.ok_button.isEnabled()  # no match, nothing to code


def test_retrieve_lists_filters_jumps_and_exports(qtbot, window, second, gui_project, tmp_path):
    tricky = next(s.id for s in gui_project.store.articles.summaries() if s.title == "Tricky")
    taiwan = code_id(gui_project, CodeKind.ISSUE, "Taiwan")
    start = TEXT.index("fine")
    passage = gui_project.annotations.create_issue_passage(tricky, [(start, start + 4)], taiwan)
    gui_project.annotations.create_issue_passage(second, [(0, 2)], taiwan)
    window.articles.select(second)
    qtbot.keyClick(window, Qt.Key.Key_R, CTRL_SHIFT)
    view = window.findChild(RetrieveView)
    assert view is not None and view.isVisible()
    view.select_code(taiwan)
    model = view.model
    assert model.rowCount() == 2 and view.count.text().startswith("2 passages coded 'Taiwan' in 2")
    assert [model.index(r, 0).data() for r in range(2)] == ["Second", "Tricky"]
    cells = [model.index(1, c).data() for c in range(8)]
    assert cells[1:5] == ["Test Wire", "", "issue", "alice"]
    assert cells[5].endswith("Biden’s aide replied… “") and cells[6:] == ["fine", ".”"]
    view.source.setCurrentIndex(view.source.findData("Test Wire"))
    assert model.rowCount() == 1
    view.table.activated.emit(model.index(0, 6))
    assert window.view.article.id == tricky
    assert window.controller.selected_id == passage.annotation.id
    out = tmp_path / "taiwan.csv"
    view.write_csv(out)
    with out.open(encoding="utf-8", newline="") as handle:
        lines = list(csv.reader(handle))
    assert ",".join(lines[0]) == (
        "annotation_id,article_id,article_title,source,published,kind,code,annotator,before,"
        "text,after"
    )
    assert [row[9] for row in lines[1:]] == ["fine"]
    view.coder.setCurrentIndex(view.coder.findData("alice"))
    view.source.setCurrentIndex(0)
    assert model.rowCount() == 2
    # An edit made in the window (and its undo) refreshes the list while it is shown.
    window.controller.edit(
        lambda: gui_project.annotations.create_issue_passage(second, [(3, 8)], taiwan)
    )
    qtbot.waitUntil(lambda: model.rowCount() == 3)
    window.controller.undo()
    qtbot.waitUntil(lambda: model.rowCount() == 2)
