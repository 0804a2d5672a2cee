"""Article statuses per coder: set through ArticleService as undoable Changes, and one
coder's status never speaks for another's."""

import pytest

from annotator.core.coverage import CoverageFilter
from annotator.core.errors import NotFoundError, ValidationError
from annotator.core.model import ArticleStatus, ArticleStatusRow, CodeKind
from annotator.services.annotations import AnnotationService
from annotator.services.articles import ArticleService
from annotator.services.changes import apply_change, compose
from annotator.services.coverage import coverage_table
from annotator.services.project import Project, open_project
from annotator.services.team.merge import merge_project
from annotator.store import Store
from tests.conftest import code_id, table_rows
from tests.services.test_merge import make_other
from tests.store.test_article_statuses import version_7_file

DONE, IN_PROGRESS, NEW = ArticleStatus.DONE, ArticleStatus.IN_PROGRESS, ArticleStatus.NEW


def marker(store: Store, coder: str) -> ArticleService:
    return ArticleService(store, coder=lambda: coder)


def test_two_coders_have_different_statuses_of_one_article(project: Project, article_id):
    store = project.store
    project.articles.set_status(article_id, DONE)  # alice, the project's coder
    marker(store, "bob").set_status(article_id, IN_PROGRESS)
    assert store.articles.status_of(article_id, "alice") is DONE
    assert store.articles.status_of(article_id, "bob") is IN_PROGRESS
    assert store.articles.status_of(article_id, "carol") is NEW
    assert store.articles.summaries("alice")[0].status is DONE
    assert store.articles.summaries("bob")[0].status is IN_PROGRESS

    change = marker(store, "bob").set_status(article_id, NEW)  # bob's row goes, alice's stays
    assert change.before.statuses == (ArticleStatusRow(article_id, "bob", IN_PROGRESS),)
    assert change.after.statuses == ()
    assert store.articles.statuses() == [ArticleStatusRow(article_id, "alice", DONE)]
    apply_change(store, change.inverse())
    assert store.articles.status_of(article_id, "bob") is IN_PROGRESS


def test_the_status_is_set_for_the_coder_the_project_has_now(project: Project, article_id):
    """File > Coder name renames the AnnotationService's coder; statuses follow that name."""
    project.annotations.annotator = "carol"
    project.articles.set_status(article_id, DONE)
    assert project.store.articles.statuses() == [ArticleStatusRow(article_id, "carol", DONE)]


def test_setting_the_same_status_again_changes_nothing(project: Project, article_id):
    project.articles.set_status(article_id, DONE)
    assert project.articles.set_status(article_id, DONE).is_empty
    assert project.articles.set_status(article_id, NEW).article_ids == {article_id}
    assert project.articles.set_status(article_id, NEW).is_empty


def test_a_status_needs_a_coder_and_an_article(project: Project, article_id):
    with pytest.raises(ValidationError):
        ArticleService(project.store).set_status(article_id, DONE)
    with pytest.raises(NotFoundError):
        project.articles.set_status("no such article", DONE)


def test_composed_status_changes_undo_to_the_start(project: Project, article_id):
    start = table_rows(project.path)
    steps = [
        project.articles.set_status(article_id, IN_PROGRESS),
        project.articles.set_status(article_id, DONE),
        marker(project.store, "bob").set_status(article_id, DONE),
    ]
    step = compose("several", steps)
    assert step.before.statuses == ()
    assert set(step.after.statuses) == {
        ArticleStatusRow(article_id, "alice", DONE),
        ArticleStatusRow(article_id, "bob", DONE),
    }
    apply_change(project.store, step.inverse())
    assert table_rows(project.path) == start


# -- coverage's status filter ------------------------------------------------------------------


def test_coverages_status_filter_asks_about_the_coders_counted(project: Project, article_id):
    store = project.store
    issue = code_id(project, CodeKind.ISSUE, "Taiwan")
    bob = AnnotationService(store, "bob")
    project.annotations.create_issue_passage(article_id, [(0, 5)], issue)
    bob.create_issue_passage(article_id, [(0, 10)], issue)
    project.articles.set_status(article_id, DONE)  # alice's
    marker(store, "bob").set_status(article_id, IN_PROGRESS)

    def counted(*statuses: ArticleStatus, coders: tuple[str, ...] = ()) -> int:
        flt = CoverageFilter(statuses=frozenset(statuses), annotators=frozenset(coders))
        return sum(c.annotations for c in coverage_table(store, flt).cells)

    assert counted(DONE, coders=("ALICE",)) == 1
    assert counted(DONE, coders=("bob",)) == 0
    assert counted(IN_PROGRESS, coders=("bob",)) == 1
    assert counted(NEW, coders=("bob",)) == 0
    assert counted(NEW, coders=("carol",)) == 0  # new to carol, but carol annotated nothing
    assert counted(DONE) == 2  # anyone: the article is done for alice
    assert counted(NEW) == 0  # someone has started it
    assert counted(NEW, IN_PROGRESS, coders=("alice", "dora")) == 1  # new to dora
    project.articles.set_status(article_id, NEW)
    marker(store, "bob").set_status(article_id, NEW)
    assert counted(NEW) == 2  # no one has a status of it any more
    assert counted(DONE) == 0


# -- a first annotation starts the article ---------------------------------------------------


def test_the_first_annotation_marks_the_article_in_progress_and_one_undo_reverts_both(
    project: Project, article_id
):
    store = project.store
    issue = code_id(project, CodeKind.ISSUE, "Taiwan")
    start = table_rows(project.path)
    first = project.annotations.create_issue_passage(article_id, [(0, 5)], issue)
    assert first.after.statuses == (ArticleStatusRow(article_id, "alice", IN_PROGRESS),)
    assert store.articles.status_of(article_id, "alice") is IN_PROGRESS
    assert store.articles.status_of(article_id, "bob") is NEW  # only the coder who began
    second = project.annotations.create_issue_passage(article_id, [(6, 9)], issue)
    assert second.after.statuses == ()  # already in progress

    apply_change(store, second.inverse())
    apply_change(store, first.inverse())  # the annotation and the status, in one step
    assert table_rows(project.path) == start
    assert store.articles.status_of(article_id, "alice") is NEW
    apply_change(store, first)  # and redo brings both back
    assert store.articles.status_of(article_id, "alice") is IN_PROGRESS


def test_done_is_never_downgraded_by_an_annotation(project: Project, article_id):
    store = project.store
    issue = code_id(project, CodeKind.ISSUE, "Taiwan")
    project.articles.set_status(article_id, DONE)
    change = project.annotations.create_issue_passage(article_id, [(0, 5)], issue)
    assert change.after.statuses == () and change.before.statuses == ()
    assert store.articles.status_of(article_id, "alice") is DONE
    project.annotations.update(change.annotation.id, note="checked")
    project.annotations.delete(change.annotation.id)
    assert store.articles.status_of(article_id, "alice") is DONE


def test_another_coders_first_annotation_starts_the_article_for_them_only(
    project: Project, article_id
):
    store = project.store
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    project.articles.set_status(article_id, DONE)
    AnnotationService(store, "bob").create_speaker_mention(article_id, [(0, 5)], xi)
    assert store.articles.status_of(article_id, "bob") is IN_PROGRESS
    assert store.articles.status_of(article_id, "alice") is DONE


# -- merging teammates' projects -------------------------------------------------------------


def test_merge_brings_each_coders_statuses_and_replaces_only_that_coders_row(
    project: Project, article_id, tmp_path
):
    store = project.store
    project.articles.set_status(article_id, DONE)  # alice's, here
    other = tmp_path / "bob.annotator"
    ids = make_other(other, "bob")  # bob's first annotations start both articles for him
    result = merge_project(store, other)
    assert result.statuses_set == 2
    assert "Article statuses: 2 taken from the other project" in result.lines()
    assert set(store.articles.statuses()) == {
        ArticleStatusRow(article_id, "alice", DONE),
        ArticleStatusRow(article_id, "bob", IN_PROGRESS),  # onto this project's copy of the text
        ArticleStatusRow(ids["own"], "bob", IN_PROGRESS),
    }
    rows = table_rows(project.path)
    again = merge_project(store, other)
    assert again.statuses_set == 0 and not again.changed
    assert table_rows(project.path) == rows

    with open_project(other, annotator="bob") as theirs:
        theirs.articles.set_status(ids["shared"], DONE)
        theirs.articles.set_status(ids["own"], NEW)  # no row there: nothing to carry
    result = merge_project(store, other)
    assert (result.statuses_set, result.changed) == (1, True)
    assert store.articles.status_of(article_id, "bob") is DONE
    assert store.articles.status_of(article_id, "alice") is DONE
    assert store.articles.status_of(ids["own"], "bob") is IN_PROGRESS


def test_a_version_7_project_merges_with_its_old_statuses_made_per_coder(project, tmp_path):
    other = tmp_path / "old.annotator"
    version_7_file(other, {"theirs": ("done", ["bob"])})
    result = merge_project(project.store, other)
    assert result.statuses_set == 1
    assert project.store.articles.statuses() == [ArticleStatusRow("theirs", "bob", DONE)]
