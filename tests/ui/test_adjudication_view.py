"""Adjudication on a real project: the disagreements listed, copies into "gold", undo."""

from PySide6.QtGui import QUndoStack

from annotator.core.model import AnnotationKind, CodeKind
from annotator.services.annotations import AnnotationService
from annotator.services.project import Project
from annotator.ui.adjudication_view import AdjudicationView, signature
from annotator.ui.hub import SignalHub
from tests.conftest import code_id, table_rows


def span(project: Project, needle: str) -> list[tuple[int, int]]:
    text = project.store.articles.get(project.store.articles.summaries()[0].id).text
    start = text.index(needle)
    return [(start, start + len(needle))]


def two_coders(project: Project) -> dict[str, object]:
    """alice and bob: the same mention and issue passage, one claim with other speakers; alice
    attributes hers through her mention."""
    article = project.store.articles.summaries()[0].id
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    biden = code_id(project, CodeKind.SPEAKER, "Joe Biden")
    taiwan = code_id(project, CodeKind.ISSUE, "Taiwan")
    alice, bob = AnnotationService(project.store, "alice"), AnnotationService(project.store, "bob")
    mention = alice.create_speaker_mention(article, span(project, "Xi"), xi).annotation
    bob.create_speaker_mention(article, span(project, "Xi"), xi)
    claim_a = alice.create_claim(
        article, span(project, "We will not sit back"), speaker_mention_id=mention.id
    ).annotation
    claim_b = bob.create_claim(
        article, span(project, "We will not sit back"), speaker_id=biden
    ).annotation
    alice.create_issue_passage(article, span(project, "Flags"), taiwan)
    bob.create_issue_passage(article, span(project, "Flags"), taiwan)
    return {"article": article, "claim_a": claim_a, "claim_b": claim_b, "mention": mention}


def make_view(qtbot, project: Project) -> tuple[AdjudicationView, QUndoStack]:
    stack = QUndoStack()
    view = AdjudicationView(project, SignalHub(), stack)
    qtbot.addWidget(view)
    view.show()
    return view, stack


def gold(project: Project, article: str) -> list:
    return [a for a in project.store.annotations.for_article(article) if a.annotator == "gold"]


def test_lists_the_disagreements(qtbot, gui_project):
    made = two_coders(gui_project)
    view, _ = make_view(qtbot, gui_project)
    view.show_article(made["article"])
    assert (view.coder_a.currentText(), view.coder_b.currentText()) == ("alice", "bob")
    assert [(d.side, d.annotation.id) for d in view.items] == [
        ("A", made["claim_a"].id),
        ("B", made["claim_b"].id),
    ]
    assert [o.id for o in view.items[0].overlapping] == [made["claim_b"].id]
    assert view.list.count() == 2
    assert "Xi Jinping" in view.list.item(0).text() and "Joe Biden" in view.list.item(0).text()
    assert not any(d.resolved for d in view.items)


def test_accept_a_copies_to_gold_and_undo_removes_it(qtbot, gui_project):
    made = two_coders(gui_project)
    view, stack = make_view(qtbot, gui_project)
    view.show_article(made["article"])
    before = table_rows(gui_project.path)
    view.list.setCurrentRow(1)  # bob's claim: "Accept A's" takes alice's overlapping one
    change = view.accept_selected("A")
    assert change is not None and stack.count() == 1
    (copy,) = gold(gui_project, made["article"])
    claim = made["claim_a"]
    assert copy.kind is AnnotationKind.CLAIM
    assert copy.fragments == claim.fragments and copy.speaker_id == claim.speaker_id
    assert copy.speaker_mention_id is None  # gold has no copy of alice's mention
    assert all(d.resolved for d in view.items if d.side == "A")
    assert view.list.item(0).text().startswith("✓ resolved")
    stack.undo()
    assert table_rows(gui_project.path) == before
    assert not view.items[0].resolved  # the view followed the undo through the hub
    stack.redo()
    assert [signature(a) for a in gold(gui_project, made["article"])] == [signature(claim)]


def test_claim_points_at_golds_copy_of_the_mention(qtbot, gui_project):
    made = two_coders(gui_project)
    view, stack = make_view(qtbot, gui_project)
    AnnotationService(gui_project.store, "carol").create_claim(
        made["article"], span(gui_project, "fine.")
    )
    view.show_article(made["article"])
    view.coder_a.setCurrentText("alice")
    view.coder_b.setCurrentText("carol")
    view.refresh()
    before = table_rows(gui_project.path)
    assert view.accept_all("A") is not None
    assert stack.count() == 1  # one step for all of them
    copies = gold(gui_project, made["article"])
    assert sorted(a.kind.value for a in copies) == ["claim", "issue", "speaker"]
    by_kind = {a.kind: a for a in copies}
    assert by_kind[AnnotationKind.CLAIM].speaker_mention_id == by_kind[AnnotationKind.SPEAKER].id
    assert view.accept_all("A") is None  # nothing left: no empty step
    assert stack.count() == 1
    stack.undo()
    assert table_rows(gui_project.path) == before
    assert gold(gui_project, made["article"]) == []


def test_nothing_to_accept_when_a_has_nothing_there(qtbot, gui_project):
    made = two_coders(gui_project)
    AnnotationService(gui_project.store, "bob").create_claim(
        made["article"], span(gui_project, "fine.")
    )
    view, stack = make_view(qtbot, gui_project)
    view.show_article(made["article"])
    row = next(i for i, d in enumerate(view.items) if d.annotation.quote == "fine.")
    view.list.setCurrentRow(row)
    assert view.accept_selected("A") is None
    assert "nothing to copy" in view.status.text()
    assert stack.count() == 0
    assert view.accept_selected("B") is not None
    assert [a.quote for a in gold(gui_project, made["article"])] == ["fine."]


def test_no_article_and_same_coders_disable_accepting(qtbot, gui_project):
    view, _ = make_view(qtbot, gui_project)
    assert view.items == [] and not view.accept_a.isEnabled()
    assert view.accept_all("A") is None
