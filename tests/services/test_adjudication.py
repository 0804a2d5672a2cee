"""Curation into gold, without a window: pairing, named differences, decisions that replace
each other, undo, resume, and the headless run that makes gold equal one coder's work."""

import dataclasses
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.curation import Pairing, differences, pair_up, signature
from annotator.core.errors import ValidationError
from annotator.core.model import Annotation, AnnotationKind, CodeKind, Decision, Stance
from annotator.services.annotations import AnnotationService
from annotator.services.changes import apply_change
from annotator.services.project import Project, open_memory_project, open_project
from annotator.services.team.adjudication import CurationService, gold_coders
from annotator.services.team.curation_state import CurationState
from tests.conftest import code_id, loose_annotation

TEXT = "Officials said on Tuesday that the export controls would remain in force."


def first_article(project: Project) -> str:
    return project.store.articles.summaries()[0].id


def span(project: Project, needle: str, article: str | None = None) -> list[tuple[int, int]]:
    text = project.store.articles.get(article or first_article(project)).text
    start = text.index(needle)
    return [(start, start + len(needle))]


def annotations_of(project: Project, coder: str, article: str | None = None) -> list[Annotation]:
    articles = [article] if article else [s.id for s in project.store.articles.summaries()]
    return [
        a
        for article_id in articles
        for a in project.store.annotations.for_article(article_id)
        if a.annotator == coder
    ]


def labels(annotations: list[Annotation]) -> Counter:
    return Counter((a.article_id, signature(a)) for a in annotations)


@pytest.fixture
def team() -> Project:
    """alice and bob on the first sample: one agreed mention and passage, a claim with
    different speakers, a claim with a longer boundary and an extra issue, and one passage
    each that the other lacks."""
    project = open_memory_project(samples=True)
    article = first_article(project)
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    biden = code_id(project, CodeKind.SPEAKER, "Joe Biden")
    taiwan = code_id(project, CodeKind.ISSUE, "Taiwan")
    trade = code_id(project, CodeKind.ISSUE, "Export controls / high-tech trade")
    alice, bob = AnnotationService(project.store, "alice"), AnnotationService(project.store, "bob")
    for coder in (alice, bob):
        coder.create_speaker_mention(article, span(project, "Xi"), xi)
        coder.create_issue_passage(article, span(project, "on Taiwan"), taiwan)
    alice.create_claim(article, span(project, "we will not sit idly by"), speaker_id=xi)
    bob.create_claim(article, span(project, "we will not sit idly by"), speaker_id=biden)
    ((start, end),) = span(project, "ban on high-tech exports")
    alice.create_claim(article, [(start, end)], speaker_id=biden, issue_ids=[trade])
    bob.create_claim(article, [(start, end + 12)], speaker_id=biden, issue_ids=[trade, taiwan])
    alice.create_issue_passage(article, span(project, "Hong Kong"), taiwan)
    bob.create_issue_passage(article, span(project, "TikTok"), trade)
    return project


def test_every_annotation_is_in_exactly_one_place(team):
    curation = CurationService(team.store, "alice", "bob").load(first_article(team))
    places = [*curation.agreed, *(i.pairing for i in curation.items)]
    for coder, side in (("alice", "a"), ("bob", "b")):
        ids = [getattr(p, side).id for p in places if getattr(p, side) is not None]
        assert sorted(ids) == sorted(a.id for a in annotations_of(team, coder))
    assert len(curation.agreed) == 2
    assert len(curation.items) == 4  # two paired claims, one passage each alone
    assert len({i.key for i in curation.items}) == 4  # listed once, not mirrored


def test_the_difference_is_named(team):
    items = CurationService(team.store, "alice", "bob").load(first_article(team)).items
    named = sorted(i.differences for i in items)
    assert ("only A",) in named and ("only B",) in named
    assert ("speaker: Xi Jinping ≠ Joe Biden",) in named
    assert ("boundary: +12 characters at the end", "issues: +Taiwan") in named


def test_differences_of_fragments_start_and_stance():
    a = loose_annotation(TEXT, "x", AnnotationKind.CLAIM, [(10, 20)])
    b = dataclasses.replace(
        a, id="y", fragments=(dataclasses.replace(a.fragments[0], start=7),), stance=Stance.OPPOSES
    )
    said = differences(Pairing(AnnotationKind.CLAIM, a, b), {})
    assert said == ("boundary: +3 characters at the start", "stance: none ≠ opposes")
    shorter = dataclasses.replace(b, fragments=(dataclasses.replace(a.fragments[0], start=11),))
    assert differences(Pairing(AnnotationKind.CLAIM, a, shorter), {})[0] == (
        "boundary: −1 character at the start"
    )


def test_identical_twins_of_one_coder_match_one_to_one():
    one = dataclasses.replace(
        loose_annotation(TEXT, "a1", AnnotationKind.ISSUE, [(0, 5)]), code_id="c"
    )
    twin = dataclasses.replace(one, id="a2")
    theirs = dataclasses.replace(one, id="b1", annotator="bob")
    pairings = pair_up([one, twin], [theirs])
    assert sum(p.agreed for p in pairings) == 1
    assert [(p.a and p.a.id, p.b) for p in pairings if not p.agreed] == [("a2", None)]


def test_accept_b_then_accept_all_of_a_never_duplicates(team):
    """The defect this was built for: B's version of one place, then "all of A's", left the
    same claim twice in gold and none of the agreed annotations."""
    service = CurationService(team.store, "alice", "bob")
    article = first_article(team)
    curation = service.load(article)
    speaker_item = next(i for i in curation.items if i.differences[0].startswith("speaker"))
    service.decide(curation, speaker_item.key, Decision.ACCEPT_B)
    service.decide_rest(service.load(article), "A")
    gold = annotations_of(team, "gold")
    after = service.load(article)
    assert after.state is CurationState.CURATED
    # Two agreed, B's claim, A's other claim, A's lone passage; B's lone passage rejected.
    assert len(gold) == 5
    assert len({signature(a) for a in gold}) == 5
    claims = [a for a in gold if a.kind is AnnotationKind.CLAIM]
    assert speaker_item.b is not None
    assert signature(speaker_item.b) in {signature(c) for c in claims}
    assert speaker_item.a is not None
    assert signature(speaker_item.a) not in {signature(c) for c in claims}


def test_a_new_decision_replaces_the_earlier_one(team):
    service = CurationService(team.store, "alice", "bob")
    article = first_article(team)
    item = next(i for i in service.load(article).items if i.a and i.b)
    for decision in (Decision.ACCEPT_A, Decision.BOTH, Decision.ACCEPT_B, Decision.REJECTED):
        service.decide(service.load(article), item.key, decision)
        gold = labels(annotations_of(team, "gold"))
        expected = {
            Decision.ACCEPT_A: [item.a],
            Decision.BOTH: [item.a, item.b],
            Decision.ACCEPT_B: [item.b],
            Decision.REJECTED: [],
        }[decision]
        agreed = labels([p.a for p in service.load(article).agreed])
        assert gold == agreed + labels(expected)


def test_each_decision_undoes_exactly(team):
    service = CurationService(team.store, "alice", "bob")
    article = first_article(team)
    item = service.load(article).items[0]
    first = service.decide(service.load(article), item.key, Decision.BOTH)
    after_first = labels(annotations_of(team, "gold"))
    second = service.decide(service.load(article), item.key, Decision.REJECTED)
    apply_change(team.store, second.inverse())
    assert labels(annotations_of(team, "gold")) == after_first
    assert service.load(article).items[0].decision.decision is Decision.BOTH
    apply_change(team.store, first.inverse())
    assert annotations_of(team, "gold") == []
    assert service.load(article).state is CurationState.NOT_STARTED


def test_edit_then_accept(team):
    service = CurationService(team.store, "alice", "bob")
    article = first_article(team)
    curation = service.load(article)
    item = next(i for i in curation.items if i.differences[0].startswith("boundary"))
    assert item.a is not None
    ((start, end),) = span(team, "ban on high-tech exports")
    taiwan = code_id(team, CodeKind.ISSUE, "Taiwan")
    edited = service.edited_version(
        item.a, spans=[(start, end + 5)], issue_ids=[taiwan], stance=Stance.OPPOSES
    )
    service.decide(curation, item.key, Decision.EDITED, [edited])
    copy = next(
        a
        for a in annotations_of(team, "gold")
        if a.kind is AnnotationKind.CLAIM and a.start == start
    )
    assert (copy.end, copy.issue_ids, copy.stance) == (end + 5, (taiwan,), Stance.OPPOSES)
    assert item.a in annotations_of(team, "alice")  # the coder's own is untouched


def test_an_edit_outside_the_text_is_refused(team):
    service = CurationService(team.store, "alice", "bob")
    item = service.load(first_article(team)).items[0]
    assert item.version("A") or item.version("B")
    source = item.a or item.b
    with pytest.raises(ValidationError):
        service.edited_version(source, spans=[(0, 10**9)])


def test_curation_resumes_after_reopening(tmp_path):
    path = tmp_path / "team.annotator"
    with open_project(path) as project:
        text = "The minister said the tariffs would stay. Critics disagreed sharply."
        article = project.articles.add(text, source="Daily", title="Tariffs").article.id
        issue = project.codebook.create(CodeKind.ISSUE, "Trade").code.id  # type: ignore[union-attr]
        for coder, end in (("alice", 40), ("bob", 30)):
            AnnotationService(project.store, coder).create_issue_passage(article, [(0, end)], issue)
        service = CurationService(project.store, "alice", "bob")
        item = service.load(article).items[0]
        service.decide(service.load(article), item.key, Decision.ACCEPT_B)
    with open_project(path) as project:
        curation = CurationService(project.store, "alice", "bob").load(article)
        assert curation.items[0].decision is not None
        assert curation.items[0].decision.decision is Decision.ACCEPT_B
        assert curation.state is CurationState.CURATED
        assert [a.end for a in annotations_of(project, "gold")] == [30]


def test_the_target_must_be_another_coder(team):
    with pytest.raises(ValidationError, match="target"):
        CurationService(team.store, "alice", "bob", target="bob")
    with pytest.raises(ValidationError, match="different"):
        CurationService(team.store, "alice", "alice")


@pytest.mark.parametrize("prefer", ["A", "B"])
def test_prefer_gives_exactly_one_coders_annotations(team, prefer):
    service = CurationService(team.store, "alice", "bob")
    report = service.adjudicate(prefer=prefer)
    chosen = "alice" if prefer == "A" else "bob"
    assert labels(annotations_of(team, "gold")) == labels(annotations_of(team, chosen))
    assert report.as_dict() == {
        "articles": 1, "agreed": 2, "disagreements": 4, "resolved": 4, "unresolved": 0,
        "copied": len(annotations_of(team, chosen)),
    }  # fmt: skip
    again = service.adjudicate(prefer=prefer)
    assert again.copied == 0 and again.resolved == 4
    assert labels(annotations_of(team, "gold")) == labels(annotations_of(team, chosen))
    assert gold_coders(team.store) == ["gold"]


def test_without_prefer_only_agreements_are_copied(team):
    report = CurationService(team.store, "alice", "bob").adjudicate()
    assert (report.copied, report.unresolved, report.resolved) == (2, 4, 0)
    assert CurationService(team.store, "alice", "bob").adjudicate().copied == 0


def test_a_claim_copy_points_at_the_mention_copy(team):
    article = first_article(team)
    alice = AnnotationService(team.store, "alice")
    mention = next(a for a in annotations_of(team, "alice") if a.kind is AnnotationKind.SPEAKER)
    claim = next(
        a
        for a in annotations_of(team, "alice")
        if a.kind is AnnotationKind.CLAIM and a.speaker_id == mention.code_id
    )
    alice.update(claim.id, speaker_mention_id=mention.id)
    CurationService(team.store, "alice", "bob").adjudicate(prefer="A", article_ids=[article])
    gold = annotations_of(team, "gold")
    gold_mention = next(a for a in gold if a.kind is AnnotationKind.SPEAKER)
    gold_claim = next(a for a in gold if a.kind is AnnotationKind.CLAIM and a.start == claim.start)
    assert gold_claim.speaker_mention_id == gold_mention.id


def test_an_article_not_coded_by_both_is_refused(team):
    other = team.store.articles.summaries()[1].id
    with pytest.raises(ValidationError, match="not annotated by both"):
        CurationService(team.store, "alice", "bob").adjudicate(prefer="A", article_ids=[other])
    assert annotations_of(team, "gold") == []


# -- property: any sequence of decisions ------------------------------------------------------

DECISIONS = [Decision.ACCEPT_A, Decision.ACCEPT_B, Decision.BOTH, Decision.REJECTED]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_gold_after_any_decisions_holds_each_decided_place_once(data):
    project = open_memory_project(samples=True)
    article = first_article(project)
    text = project.store.articles.get(article).text
    issues = [c.id for c in project.store.codes.all(CodeKind.ISSUE)][:3]
    speakers = [c.id for c in project.store.codes.all(CodeKind.SPEAKER)][:3]
    for coder in ("alice", "bob"):
        service = AnnotationService(project.store, coder)
        for _ in range(data.draw(st.integers(1, 6), label=f"{coder} count")):
            start = data.draw(st.integers(0, 60), label="start")
            length = data.draw(st.integers(1, 25), label="length")
            spans = [(start, min(start + length, len(text)))]
            if data.draw(st.booleans(), label="claim"):
                service.create_claim(
                    article, spans, speaker_id=data.draw(st.sampled_from(speakers)),
                    issue_ids=data.draw(st.lists(st.sampled_from(issues), max_size=2)),
                )  # fmt: skip
            else:
                service.create_issue_passage(article, spans, data.draw(st.sampled_from(issues)))
    curation_service = CurationService(project.store, "alice", "bob")
    for _ in range(data.draw(st.integers(0, 8), label="decisions")):
        curation = curation_service.load(article)
        if not curation.items:
            break
        item = data.draw(st.sampled_from(curation.items), label="item")
        choices = [d for d in DECISIONS if d is Decision.REJECTED or all(
            item.version(s) for s in {Decision.ACCEPT_A: "A", Decision.ACCEPT_B: "B",
                                      Decision.BOTH: "AB"}[d])]  # fmt: skip
        if data.draw(st.booleans(), label="rest"):
            curation_service.decide_rest(curation, data.draw(st.sampled_from("AB")))
        else:
            curation_service.decide(curation, item.key, data.draw(st.sampled_from(choices)))
    final = curation_service.load(article)
    gold = annotations_of(project, "gold")
    expected: list[Annotation] = [p.a for p in final.agreed if p.key in final.decisions]
    for item in final.items:
        if item.decision is None:
            continue
        expected += {
            Decision.ACCEPT_A: [item.a], Decision.ACCEPT_B: [item.b],
            Decision.BOTH: [item.a, item.b], Decision.REJECTED: [],
        }[item.decision.decision]  # fmt: skip
    assert labels(gold) == labels(expected)
    copies = [c for d in final.decisions.values() for _s, c in d.copies]
    assert sorted(copies) == sorted(a.id for a in gold)  # each copy made once, none left over
