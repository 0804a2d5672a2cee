"""compose(): several Changes made one after another as one undo step."""

from annotator.core.model import CodeKind
from annotator.services.changes import apply_change, compose
from tests.conftest import code_id, table_rows


def test_undoing_the_composed_change_restores_the_start_and_redo_the_end(
    project, article_id
) -> None:
    issue = code_id(project, CodeKind.ISSUE, "Taiwan")
    service = project.annotations
    start = table_rows(project.path)
    made = service.create_issue_passage(article_id, [(0, 10)], issue)
    edited = service.update(made.annotation.id, note="checked")  # the same row again
    other = service.create_issue_passage(article_id, [(20, 30)], issue)
    gone = service.delete(other.annotation.id)  # made and deleted within the same step
    code = project.codebook.create(CodeKind.SPEAKER, "A new speaker")
    end = table_rows(project.path)
    step = compose("several edits", [made, edited, other, gone, code])
    assert [a.note for a in step.after.annotations] == ["checked"]
    assert step.before.annotations == () and step.before.codes == ()
    apply_change(project.store, step.inverse())
    assert table_rows(project.path) == start
    apply_change(project.store, step)
    assert table_rows(project.path) == end
