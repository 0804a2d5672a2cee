"""File > Export project as REFI-QDA…, Import REFI-QDA project…, Export network…"""

import zipfile

from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator.core.model import CodeKind, Stance
from annotator.services.project import open_project
from annotator.ui.shell.exchange_dialogs import NetworkDialog
from tests.conftest import code_id


def menu_action(window, text):
    return next(a for a in window.menuBar().actions()[0].menu().actions() if a.text() == text)


def claim(project):
    article_id = project.store.articles.summaries()[0].id
    text = project.store.articles.get(article_id).text
    start = text.index("“We will")
    project.annotations.create_claim(
        article_id, [(start, start + 23)],
        speaker_id=code_id(project, CodeKind.SPEAKER, "Xi Jinping"),
        issue_ids=[code_id(project, CodeKind.ISSUE, "Taiwan")], stance=Stance.OPPOSES,
    )  # fmt: skip


def test_export_then_import_from_the_menus(qtbot, window, gui_project, tmp_path, monkeypatch):
    claim(gui_project)
    out = tmp_path / "out.qdpx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    menu_action(window, "Export &project as REFI-QDA…").trigger()
    assert "project.qde" in zipfile.ZipFile(out).namelist()
    assert "1 annotations exported" in window.statusBar().currentMessage()

    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    with open_project(tmp_path / "other.annotator", annotator="bob") as other:
        other.articles.add("Another text entirely.", source="Elsewhere")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(out), ""))
    window.files.switch_project(tmp_path / "other.annotator")
    menu_action(window, "Import REFI-QDA pro&ject…").trigger()
    assert "1 annotations imported" in shown[-1]
    claims = [
        a for s in window.project.store.articles.summaries()
        for a in window.project.store.annotations.for_article(s.id)
    ]  # fmt: skip
    assert [(a.kind.value, a.stance) for a in claims] == [("claim", Stance.OPPOSES)]
    assert len(window.articles.article_ids()) == 2


def test_a_refused_file_says_why_and_imports_nothing(qtbot, window, tmp_path, monkeypatch):
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"not a zip")
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    before = len(window.articles.article_ids())
    menu_action(window, "Import REFI-QDA pro&ject…").trigger()
    assert shown == ["Nothing was imported.\nbad.qdpx: not a zip archive (a .qdpx file is one)"]
    assert len(window.articles.article_ids()) == before


def test_network_dialog_writes_the_chosen_mode(qtbot, gui_project, tmp_path):
    claim(gui_project)
    dialog = NetworkDialog(gui_project)
    qtbot.addWidget(dialog)
    dialog.mode.setCurrentIndex(dialog.mode.findText("actor-issue"))
    dialog.coder.setCurrentIndex(dialog.coder.findText("alice"))
    out = tmp_path / "net.graphml"
    dialog.save(str(out))
    assert out.exists() and "Xi Jinping" in out.read_text(encoding="utf-8")
    assert dialog.message.startswith("actor-issue network (2 nodes, 1 edges)")
