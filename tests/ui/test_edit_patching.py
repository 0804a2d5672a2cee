"""After an edit the window patches the open article's annotations from the Change instead of
reloading them all (1.6 s for 50,000), and ends up with exactly what the store holds."""

from annotator.core.model import CodeKind
from annotator.services.annotations import AnnotationService
from annotator.ui import commands
from tests.conftest import code_id


def assert_window_matches_store(window) -> None:
    article_id = window.view.article.id
    expected = window.project.store.annotations.for_article(article_id)
    coder = window.panel.coder_filter()
    visible = [a for a in expected if not coder or a.annotator == coder]
    assert list(window._article_annotations) == expected
    assert window._annotations == visible
    assert window.view._annotations == {a.id: a for a in visible}
    table = window.panel.table.table_model
    assert [table.annotation_at(r).id for r in range(table.rowCount())] == [a.id for a in visible]
    assert window.articles.model.index_of(article_id).siblingAtColumn(2).data() == str(
        len(expected)
    )


def test_edits_undo_and_redo_patch_the_article(qtbot, window, gui_project) -> None:
    article_id = window.view.article.id
    patched = window._article_annotations  # a reload would replace it
    issue = code_id(gui_project, CodeKind.ISSUE, "Taiwan")
    xi = code_id(gui_project, CodeKind.SPEAKER, "Xi Jinping")
    service = gui_project.annotations

    def do(action) -> None:
        commands.run(window.stack, gui_project, window.hub, action)

    do(lambda: service.create_issue_passage(article_id, [(0, 10)], issue))
    do(lambda: service.create_speaker_mention(article_id, [(12, 14)], xi))
    claim = commands.run(
        window.stack, gui_project, window.hub,
        lambda: service.create_claim(article_id, [(20, 30)], speaker_id=xi, issue_ids=[issue]),
    ).annotation  # fmt: skip
    do(lambda: service.add_fragment(claim.id, 40, 45))
    assert_window_matches_store(window)
    window.stack.undo()
    assert_window_matches_store(window)
    window.stack.undo()
    window.stack.redo()
    assert_window_matches_store(window)
    do(lambda: service.delete(claim.id))
    assert_window_matches_store(window)
    assert window._article_annotations is patched  # every edit above was patched, none reloaded


def test_another_coders_edit_under_the_coder_filter(qtbot, window, gui_project) -> None:
    article_id = window.view.article.id
    issue = code_id(gui_project, CodeKind.ISSUE, "Taiwan")
    bob = AnnotationService(gui_project.store, "bob")
    commands.run(window.stack, gui_project, window.hub,
                 lambda: bob.create_issue_passage(article_id, [(0, 10)], issue))  # fmt: skip
    commands.run(window.stack, gui_project, window.hub,
                 lambda: gui_project.annotations.create_issue_passage(
                     article_id, [(30, 35)], issue))  # fmt: skip
    window.panel.coder.setCurrentIndex(window.panel.coder.findData("alice"))
    assert window.panel.coder_filter() == "alice"
    commands.run(window.stack, gui_project, window.hub,
                 lambda: bob.create_issue_passage(article_id, [(20, 25)], issue))  # fmt: skip
    assert_window_matches_store(window)  # bob's new passage counted, not shown
    assert [a.annotator for a in window._annotations] == ["alice"]
    window.stack.undo()
    assert_window_matches_store(window)
