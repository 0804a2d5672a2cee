"""The Adjudicate tab on a real project: each disagreement once with its difference named,
decisions that replace each other, undo through the stack, resume, and no duplicate in gold."""

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from annotator.core.curation import signature
from annotator.core.model import AnnotationKind, CodeKind, Decision
from annotator.services.annotations import AnnotationService
from annotator.services.project import Project
from annotator.ui.analysis.adjudication_view import AdjudicationView
from annotator.ui.hub import SignalHub
from tests.conftest import code_id, table_rows


def span(project: Project, needle: str) -> list[tuple[int, int]]:
    text = project.store.articles.get(project.store.articles.summaries()[0].id).text
    start = text.index(needle)
    return [(start, start + len(needle))]


def two_coders(project: Project) -> dict[str, object]:
    """alice and bob: the same mention and issue passage (agreed), one claim with other
    speakers, and a passage only bob marked."""
    article = project.store.articles.summaries()[0].id
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    biden = code_id(project, CodeKind.SPEAKER, "Joe Biden")
    taiwan = code_id(project, CodeKind.ISSUE, "Taiwan")
    alice, bob = AnnotationService(project.store, "alice"), AnnotationService(project.store, "bob")
    mention = alice.create_speaker_mention(article, span(project, "Xi"), xi).annotation
    bob.create_speaker_mention(article, span(project, "Xi"), xi)
    claim = span(project, "We will not sit back")
    claim_a = alice.create_claim(article, claim, speaker_mention_id=mention.id).annotation
    claim_b = bob.create_claim(article, claim, speaker_id=biden).annotation
    for coder in (alice, bob):
        coder.create_issue_passage(article, span(project, "Flags"), taiwan)
    lone = bob.create_issue_passage(article, span(project, "fine."), taiwan).annotation
    return {"article": article, "claim_a": claim_a, "claim_b": claim_b, "lone": lone}


def make_view(qtbot, project: Project) -> tuple[AdjudicationView, QUndoStack]:
    stack = QUndoStack()
    view = AdjudicationView(project, SignalHub(), stack)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    return view, stack


def gold(project: Project, article: str) -> Counter:
    return Counter(
        signature(a)
        for a in project.store.annotations.for_article(article)
        if a.annotator == "gold"
    )


def cell(view: AdjudicationView, row: int, column: int) -> str:
    return view.model.data(view.model.index(row, column))


def row_of(view: AdjudicationView, annotation_id: str) -> int:
    return next(
        row
        for row in range(view.model.rowCount())
        if annotation_id
        in {x.id for x in (view.model.item_at(row).a, view.model.item_at(row).b) if x}
    )


def test_each_disagreement_once_with_its_difference(qtbot, gui_project):
    made = two_coders(gui_project)
    view, _ = make_view(qtbot, gui_project)
    view.show_article(made["article"])
    assert (view.coder_a.currentText(), view.coder_b.currentText()) == ("alice", "bob")
    assert view.model.rowCount() == 2  # the claim pair and bob's lone passage; not mirrored
    claim = row_of(view, made["claim_a"].id)
    assert cell(view, claim, 1) == "speaker: Xi Jinping ≠ Joe Biden"
    assert "Xi Jinping" in cell(view, claim, 2) and "Joe Biden" in cell(view, claim, 3)
    assert cell(view, row_of(view, made["lone"].id), 1) == "only B"
    assert cell(view, claim, 4) == "open"
    assert "2 agreed" in view.status.text() and "not started" in view.status.text()
    assert view.articles.count() == 1 and view.articles.item(0).text().startswith("○")


def test_accept_b_then_the_rest_as_a_gives_a_correct_gold(qtbot, gui_project):
    made = two_coders(gui_project)
    view, stack = make_view(qtbot, gui_project)
    view.show_article(made["article"])
    view.select_row(row_of(view, made["claim_a"].id))
    assert view.decide(Decision.ACCEPT_B) is not None
    assert view.decide_rest("A") is not None
    expected = Counter(
        signature(a)
        for a in gui_project.store.annotations.for_article(made["article"])
        if a.annotator == "alice" and a.kind is not AnnotationKind.CLAIM
    )
    expected[signature(made["claim_b"])] += 1  # B's claim, once; bob's lone passage left out
    assert gold(gui_project, made["article"]) == expected
    assert stack.count() == 2
    assert "curated" in view.status.text()
    assert view.articles.item(0).text().startswith("●")


def test_a_new_decision_replaces_the_old_and_each_undoes(qtbot, gui_project):
    made = two_coders(gui_project)
    view, stack = make_view(qtbot, gui_project)
    view.show_article(made["article"])
    before = table_rows(gui_project.path)
    claim = row_of(view, made["claim_a"].id)
    view.select_row(claim)
    view.decide(Decision.ACCEPT_A)
    after_a = table_rows(gui_project.path)
    view.select_row(claim)
    view.decide(Decision.ACCEPT_B)
    claims = [s for s in gold(gui_project, made["article"]) if s[0] is AnnotationKind.CLAIM]
    assert claims == [signature(made["claim_b"])]  # never both speakers' claims
    assert cell(view, claim, 4) == "B's"
    stack.undo()
    assert table_rows(gui_project.path) == after_a
    assert cell(view, claim, 4) == "A's"  # the view followed the undo
    stack.undo()
    assert table_rows(gui_project.path) == before
    assert gold(gui_project, made["article"]) == Counter()
    stack.redo()
    assert table_rows(gui_project.path) == after_a


def test_keys_decide_and_move_to_the_next_open(qtbot, gui_project):
    made = two_coders(gui_project)
    view, _ = make_view(qtbot, gui_project)
    view.show_article(made["article"])
    view.select_row(0)
    view.activateWindow()
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)
    qtbot.keyClick(view.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert cell(view, 0, 4) == "neither"
    assert view.table.currentIndex().row() == 1


def test_accepting_a_side_that_has_nothing_is_refused(qtbot, gui_project):
    made = two_coders(gui_project)
    view, stack = make_view(qtbot, gui_project)
    view.show_article(made["article"])
    view.select_row(row_of(view, made["lone"].id))
    assert view.decide(Decision.ACCEPT_A) is None
    assert "Coder A has nothing here" in view.status.text()
    assert stack.count() == 0


def test_curation_resumes_in_a_new_view(qtbot, gui_project):
    made = two_coders(gui_project)
    view, _ = make_view(qtbot, gui_project)
    view.show_article(made["article"])
    view.select_row(row_of(view, made["claim_a"].id))
    view.decide(Decision.ACCEPT_B)
    again, _ = make_view(qtbot, gui_project)
    again.show_article(made["article"])
    assert cell(again, row_of(again, made["claim_a"].id), 4) == "B's"
    assert "in progress" in again.status.text()
    assert again.articles.item(0).text().startswith("◐")


def test_no_article_or_same_coders_leave_nothing_to_decide(qtbot, gui_project):
    view, stack = make_view(qtbot, gui_project)
    assert view.model.rowCount() == 0
    assert not view.buttons["A"].isEnabled()
    assert view.decide(Decision.ACCEPT_A) is None and view.decide_rest("A") is None
    assert stack.count() == 0
