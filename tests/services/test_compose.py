"""compose(): several Changes made one after another as one undo step."""

import sqlite3

import pytest

from annotator.core.model import ArticleStatus, CodeKind
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
    status = project.articles.set_status(article_id, ArticleStatus.DONE)
    end = table_rows(project.path)
    step = compose("several edits", [made, edited, other, gone, code, status])
    assert [a.note for a in step.after.annotations] == ["checked"]
    assert step.before.annotations == () and step.before.codes == ()
    apply_change(project.store, step.inverse())
    assert table_rows(project.path) == start
    apply_change(project.store, step)
    assert table_rows(project.path) == end


def test_a_change_applied_inside_a_longer_transaction_leaves_references_checked(
    project, article_id
) -> None:
    """apply_change no longer defers reference checks: in an import batch, a later bad row
    must fail at once, on its own, not at the batch's commit."""
    store = project.store
    with store.atomic():
        project.codebook.create(CodeKind.SPEAKER, "Someone new")  # a Change, nested
        assert store._db.execute("PRAGMA defer_foreign_keys").fetchone() == (0,)
        with pytest.raises(sqlite3.IntegrityError):
            store._db.execute(
                "INSERT INTO articles (id, source_id, title, text, sha256, created_at) "
                "VALUES ('x', 'no such source', 't', 'x', 'h', 'now')"
            )


def test_a_rejection_composes_with_other_edits(project, article_id) -> None:
    """Rejections are rows with an id like the rest, so compose() carries them too."""
    from annotator.services.suggestions import reject, suggest_for_article

    start = table_rows(project.path)
    suggestion = suggest_for_article(project.store, article_id)[0]
    rejected = reject(project.store, article_id, suggestion)
    code = project.codebook.create(CodeKind.SPEAKER, "A new speaker")
    end = table_rows(project.path)
    step = compose("reject and add", [rejected, code])
    assert step.before.rejections == () and step.after.rejections == rejected.after.rejections
    apply_change(project.store, step.inverse())
    assert table_rows(project.path) == start
    apply_change(project.store, step)
    assert table_rows(project.path) == end
