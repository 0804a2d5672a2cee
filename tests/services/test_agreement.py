"""Agreement of a project's coders, with every coder writing through AnnotationService."""

import json

import pytest

from annotator.cli.team.agreement import agreement_json
from annotator.core.agreement import Unit, unitizing_alpha
from annotator.core.errors import ValidationError
from annotator.core.model import AnnotationKind, CodeKind
from annotator.services.annotations import AnnotationService
from annotator.services.project import Project, open_memory_project
from annotator.services.team.agreement import measure_agreement, project_coders

CLAIM, SPEAKER, ISSUE = AnnotationKind.CLAIM, AnnotationKind.SPEAKER, AnnotationKind.ISSUE


@pytest.fixture
def team() -> Project:
    project = open_memory_project(annotator="lead")
    yield project
    project.close()


def add_article(project: Project, title: str, text: str, source: str = "Wire") -> str:
    return project.articles.add(text, source=source, title=title).article.id


def coder(project: Project, name: str) -> AnnotationService:
    return AnnotationService(project.store, name)


def code(project: Project, kind: CodeKind, name: str) -> str:
    return project.codebook.find_or_create(kind, name)[0].id


def test_pooled_alpha_lays_the_articles_end_to_end(team):
    # A1 = "aaaa bbbbb", A2 = "ccccc dddd" (10 characters each). A marks [2,6) in A1 and
    # [0,5) in A2; B marks only [2,6) in A1. Pooled continuum of 20: A [2,6) [10,15), B [2,6).
    # D_o = 2·5² / (2·1·20²) = 1/16. D_e: units 4, 4, 5; gaps 2, 4, 5 (A) and 2, 14 (B).
    # A unit of 4: (3−1)·4·3·7/3 + 4²·(1 + 2 + 11) = 280; of 5: 2·5·4·9/3 + 5²·(1 + 10) = 395.
    # D_e = 2·(280 + 280 + 395) / (20·(40·39 − 44)) = 1910/30320, αu = 1 − 30320/30560 = 3/382.
    first = add_article(team, "A1", "aaaa bbbbb")
    second = add_article(team, "A2", "ccccc dddd")
    alice, bob = coder(team, "A"), coder(team, "B")
    alice.create_claim(first, [(2, 6)])
    alice.create_claim(second, [(0, 5)])
    bob.create_claim(first, [(2, 6)])
    # B has coded A2 too (a speaker mention, no claim), so A2 is compared.
    bob.create_speaker_mention(second, [(6, 7)], code(team, CodeKind.SPEAKER, "Someone"))

    report = measure_agreement(team.store, kinds=[CLAIM])
    claims = report.kind(CLAIM)
    assert (report.articles, report.characters, report.coders) == (2, 20, ("A", "B"))
    assert claims.alpha_u.observed == pytest.approx(1 / 16)
    assert claims.alpha_u.expected == pytest.approx(1910 / 30320)
    assert claims.alpha_u.alpha == pytest.approx(3 / 382)
    by_title = {a.title: a.alpha for a in claims.articles}
    assert by_title["A1"] == 1.0
    # A2 alone: D_o = 2·5²/(2·10²) = 1/4; D_e = 2·25·((5-5+1) + (10-5+1)) / (10·(20·19 − 20))
    # = 350/3600; αu = 1 − 18/7 = −11/7: a claim one coder missed is worse than chance.
    assert by_title["A2"] == pytest.approx(-11 / 7)
    assert claims.units == {"A": 2, "B": 1}
    assert claims.f1_exact.f1 == pytest.approx(2 / 3)  # P = 1/1, R = 1/2


def three_coders(team: Project) -> dict[str, str]:
    """Three coders on two articles; carol has not touched a third one."""
    text = "President Xi said the island is ours. Biden replied that trade stays open. " * 2
    one = add_article(team, "One", text)
    two = add_article(team, "Two", text + "More.")
    three = add_article(team, "Three", "Another text entirely, coded by two of them.")
    xi, biden = code(team, CodeKind.SPEAKER, "Xi"), code(team, CodeKind.SPEAKER, "Biden")
    taiwan, trade = code(team, CodeKind.ISSUE, "Taiwan"), code(team, CodeKind.ISSUE, "Trade")
    for name, shift in (("alice", 0), ("bob", 3), ("carol", -2)):
        who = coder(team, name)
        mention = who.create_speaker_mention(one, [(10, 12)], xi).annotation
        who.create_claim(one, [(18, 36 + shift)], speaker_mention_id=mention.id)
        who.create_issue_passage(one, [(22, 36)], taiwan)
        who.create_issue_passage(two, [(52, 74 + shift)], trade)
        if name != "carol":
            who.create_claim(three, [(0, 21)], speaker_id=biden)
    return {"one": one, "two": two, "three": three, "taiwan": taiwan, "trade": trade}


def test_three_coders_built_through_the_services(team):
    ids = three_coders(team)
    assert project_coders(team.store) == ["alice", "bob", "carol"]
    report = measure_agreement(team.store)
    assert report.coders == ("alice", "bob", "carol")
    assert report.articles == 2
    assert [(s.title, s.coders) for s in report.skipped] == [("Three", ("alice", "bob"))]

    claims = report.kind(CLAIM)
    assert [p.key for p in claims.pairs] == ["alice|bob", "alice|carol", "bob|carol"]
    assert claims.f1_exact.f1 == 0.0 and claims.f1_overlap.f1 == 1.0
    assert claims.attribution.share == 1.0 and claims.attribution.pairs == 3
    # The pooled αu is αu of the units laid end to end, in the order of the article list.
    length_one = len(team.store.articles.get(ids["one"]).text)
    length_two = len(team.store.articles.get(ids["two"]).text)
    units = [Unit(c, "claim", 18, 36 + s) for c, s in (("alice", 0), ("bob", 3), ("carol", -2))]
    expected = unitizing_alpha(units, ["alice", "bob", "carol"], length_one + length_two)
    assert claims.alpha_u.alpha == pytest.approx(expected.alpha)
    assert 0.9 < claims.alpha_u.alpha < 1.0

    speakers = report.kind(SPEAKER)
    assert speakers.alpha_u.alpha == 1.0 and speakers.fleiss.value == 1.0
    assert {a.title: a.alpha for a in speakers.articles}["Two"] is None  # no mentions there

    issues = report.kind(ISSUE)
    assert [c.name for c in issues.codes] == ["Taiwan", "Trade"]
    taiwan, trade = issues.codes
    assert taiwan.alpha_u.alpha == 1.0 and taiwan.f1_exact.f1 == 1.0
    assert trade.alpha_u.alpha < 1.0 and trade.f1_exact.f1 == 0.0
    assert issues.lowest_codes(1) == [trade]
    assert issues.lowest_articles(1)[0].title == "Two"

    pair = measure_agreement(team.store, annotators=["Alice", "bob"], kinds=[CLAIM])
    assert pair.coders == ("alice", "bob") and pair.articles == 3 and not pair.skipped
    assert [k.kind for k in pair.kinds] == [CLAIM]


def test_coders_agree_on_the_span_but_not_the_speaker(team):
    article = add_article(team, "Quote", "“We will not sit back,” Xi said, and Biden nodded.")
    xi, biden = code(team, CodeKind.SPEAKER, "Xi"), code(team, CodeKind.SPEAKER, "Biden")
    coder(team, "alice").create_claim(article, [(0, 23)], speaker_id=xi)
    coder(team, "bob").create_claim(article, [(0, 23)], speaker_id=biden)
    claims = measure_agreement(team.store, kinds=[CLAIM]).kind(CLAIM)
    assert claims.alpha_u.alpha == 1.0 and claims.f1_exact.f1 == 1.0
    assert (claims.attribution.pairs, claims.attribution.agreeing) == (1, 0)
    assert claims.attribution.share == 0.0


def test_speaker_mentions_decide_before_codes(team):
    article = add_article(team, "Quote", "“We will not sit back,” Xi said; Xi's aide agreed.")
    xi = code(team, CodeKind.SPEAKER, "Xi")
    for name, mention_at in (("alice", (24, 26)), ("bob", (32, 41))):
        who = coder(team, name)
        mention = who.create_speaker_mention(article, [mention_at], xi).annotation
        who.create_claim(article, [(0, 23)], speaker_mention_id=mention.id)
    claims = measure_agreement(team.store, kinds=[CLAIM]).kind(CLAIM)
    # Both name Xi, but through different mentions: the attribution disagrees.
    assert (claims.attribution.pairs, claims.attribution.agreeing) == (1, 0)


def test_the_json_contract(team):
    three_coders(team)
    data = json.loads(json.dumps(agreement_json(measure_agreement(team.store))))
    assert list(data) == ["claim", "speaker", "issue"]
    for entry in data.values():
        assert {
            "alpha_u_pooled", "alpha_u_by_article", "fleiss_kappa", "cohen_kappa", "f1_exact",
            "f1_overlap", "counts",
        } <= set(entry)  # fmt: skip
        assert set(entry["alpha_u_by_article"]) == {"One", "Two"}
        assert set(entry["cohen_kappa"]) == {"alice|bob", "alice|carol", "bob|carol"}
    assert data["claim"]["speaker_attribution"] == 1.0
    assert "speaker_attribution" not in data["issue"]
    assert data["speaker"]["alpha_u_by_article"]["Two"] is None
    assert set(data["issue"]["by_code"]) == {"Taiwan", "Trade"}
    counts = data["claim"]["counts"]
    assert counts["skipped_articles"] == {"Three": ["alice", "bob"]}
    assert counts["units"] == {"alice": 1, "bob": 1, "carol": 1}
    assert counts["f1_overlap"]["by_pair"]["alice|bob"]["matched_a"] == 1
    assert counts["speaker_attribution"]["pairs"] == 3


def test_no_article_coded_by_everyone_gives_nulls(team):
    first = add_article(team, "A", "Some text here.")
    second = add_article(team, "B", "Other text here.")
    coder(team, "alice").create_claim(first, [(0, 4)])
    coder(team, "bob").create_claim(second, [(0, 4)])
    report = measure_agreement(team.store)
    assert report.articles == 0 and len(report.skipped) == 2
    data = agreement_json(report)["claim"]
    assert data["alpha_u_pooled"] is None and data["fleiss_kappa"] is None
    assert data["cohen_kappa"] == {"alice|bob": None} and data["f1_exact"] is None


def test_repeated_titles_become_distinct_keys(team):
    for source, text in (("AFP", "First text."), ("Reuters", "Second text.")):
        article = add_article(team, "Same", text, source=source)
        for name in ("alice", "bob"):
            coder(team, name).create_claim(article, [(0, 5)])
    titles = [a.title for a in measure_agreement(team.store).kind(CLAIM).articles]
    assert titles == ["Same (AFP)", "Same (Reuters)"]


def test_refuses_unknown_coders_and_fewer_than_two(team):
    with pytest.raises(ValidationError, match="at least two coders"):
        measure_agreement(team.store)
    article = add_article(team, "A", "Some text here.")
    coder(team, "alice").create_claim(article, [(0, 4)])
    with pytest.raises(ValidationError, match="only 'alice'"):
        measure_agreement(team.store)
    coder(team, "bob").create_claim(article, [(0, 4)])
    with pytest.raises(ValidationError, match=r"No annotations by 'zoe'.*alice, bob"):
        measure_agreement(team.store, annotators=["alice", "zoe"])
    with pytest.raises(ValidationError, match="at least two"):
        measure_agreement(team.store, annotators=["alice", "ALICE"])


def test_progress_counts_each_article_read_and_measured_and_can_stop_it(team):
    three_coders(team)
    steps: list[tuple[int, int]] = []
    report = measure_agreement(team.store, progress=lambda done, total: steps.append((done, total)))
    assert report.articles == 2
    total = 2 * (1 + 3)  # two articles read, then measured for each of three kinds
    assert steps == [(done, total) for done in range(1, total + 1)]
    assert measure_agreement(team.store) == report  # the same numbers without it

    class StopError(Exception):
        pass

    def stop_at_three(done: int, _total: int) -> None:
        if done == 3:
            raise StopError

    with pytest.raises(StopError):
        measure_agreement(team.store, progress=stop_at_three)
