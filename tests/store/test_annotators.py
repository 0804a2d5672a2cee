"""The coders' names, read through the annotator index (migration 0004)."""

from annotator.core.model import CodeKind
from annotator.services.annotations import AnnotationService
from annotator.services.project import Project


def test_every_coder_once_in_stored_spelling(project: Project, article_id: str) -> None:
    store = project.store
    assert store.annotations.annotators() == []
    issue = store.codes.all(CodeKind.ISSUE)[0].id
    for name in ["zoë", "Alice", "alice", "Zoë", "alice", "😀 coder"]:
        AnnotationService(store, name).create_issue_passage(article_id, [(0, 5)], issue)
    assert store.annotations.annotators() == ["Alice", "Zoë", "alice", "zoë", "😀 coder"]


def test_the_walk_uses_the_index(project: Project) -> None:
    plan = project.store._db.execute(
        "EXPLAIN QUERY PLAN SELECT min(annotator) FROM annotations WHERE annotator > 'a'"
    ).fetchall()
    assert "USING COVERING INDEX annotations_annotator" in str(plan)
