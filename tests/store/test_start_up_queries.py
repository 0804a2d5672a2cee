"""What every start reads: the coders' names (migration 0004) and each article's counts (0005)."""

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


def test_article_stats_follow_every_edit_and_check_reports_a_mismatch(
    project: Project, article_id: str
) -> None:
    """Migration 0005: the article list's count and length, kept by triggers."""
    store = project.store

    def kept() -> tuple[int, int]:
        row = store._db.execute(
            "SELECT annotations, characters FROM article_stats WHERE article_id = ?",
            [article_id],
        ).fetchone()
        return row

    length = len(store.articles.get(article_id).text)
    assert kept() == (0, length)
    issue = store.codes.all(CodeKind.ISSUE)[0].id
    first = project.annotations.create_issue_passage(article_id, [(0, 5)], issue)
    project.annotations.create_claim(article_id, [(6, 9)], issue_ids=[issue])
    assert kept() == (2, length)
    project.annotations.delete(first.annotation.id)
    assert kept() == (1, length)
    assert store.reports.problems() == []
    store._db.conn.execute("UPDATE article_stats SET annotations = 7")
    store._db.conn.commit()
    (problem,) = store.reports.problems()
    assert problem == (
        f"article {article_id}: kept counts (7 annotations, {length} characters) differ from "
        f"1 annotations, {length} characters"
    )
