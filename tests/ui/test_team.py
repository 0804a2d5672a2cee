"""Several coders in one window: the coder filter and File > Merge project."""

from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator.core.model import CodeKind
from annotator.services.annotations import AnnotationService
from annotator.services.project import open_project
from tests.conftest import TRICKY_TEXT, code_id


def test_coder_filter_shows_one_coder_at_a_time(qtbot, window, gui_project):
    article_id = window.view.article.id
    xi = code_id(gui_project, CodeKind.SPEAKER, "Xi Jinping")
    gui_project.annotations.create_speaker_mention(article_id, [(0, 5)], xi)  # alice
    AnnotationService(gui_project.store, "bob").create_speaker_mention(article_id, [(6, 9)], xi)
    window.hub.annotations_changed.emit(article_id)
    combo = window.panel.coder
    assert [combo.itemData(i) for i in range(combo.count())] == ["", "alice", "bob"]
    assert window.panel.table.table_model.rowCount() == 2
    combo.setCurrentIndex(combo.findData("bob"))
    assert window.panel.table.table_model.rowCount() == 1
    assert window.panel.table.table_model.annotation_at(0).annotator == "bob"
    combo.setCurrentIndex(0)
    assert window.panel.table.table_model.rowCount() == 2


def test_merge_another_coder_s_project(qtbot, window, gui_project, tmp_path, monkeypatch):
    other = tmp_path / "bob.annotator"
    with open_project(other, annotator="bob") as bob:
        added = bob.articles.add(TRICKY_TEXT, source="Test Wire", title="Tricky")
        xi = code_id(bob, CodeKind.SPEAKER, "Xi Jinping")
        bob.annotations.create_speaker_mention(added.article.id, [(0, 5)], xi)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: 0)
    window.files.merge_project()
    annotations = gui_project.store.annotations.for_article(window.view.article.id)
    assert [a.annotator for a in annotations] == ["bob"]
    assert window.panel.coder.findData("bob") > 0
    window.files.merge_project()  # twice: nothing changes
    assert len(gui_project.store.annotations.for_article(window.view.article.id)) == 1


def test_agreement_and_adjudicate_tabs(qtbot, window, gui_project):
    article_id = window.view.article.id
    xi = code_id(gui_project, CodeKind.SPEAKER, "Xi Jinping")
    AnnotationService(gui_project.store, "alice").create_speaker_mention(article_id, [(0, 5)], xi)
    AnnotationService(gui_project.store, "bob").create_speaker_mention(article_id, [(0, 6)], xi)
    window.tabs.setCurrentIndex(window.agreement_tab)
    agreement = window.lazy.get(window.agreement_tab)
    assert agreement is not None and window.tabs.currentWidget() is agreement
    window.tabs.setCurrentIndex(window.adjudicate_tab)
    adjudicate = window.lazy.get(window.adjudicate_tab)
    assert adjudicate is not None and window.tabs.currentWidget() is adjudicate
    window.tabs.setCurrentIndex(0)
    assert window.tabs.currentWidget() is window.splitter
