"""Searching every article, coding every hit, and retrieving what a code holds."""

import pytest

from annotator.core.errors import ValidationError
from annotator.core.model import AnnotationKind, ArticleStatus, CodeKind
from annotator.core.search import SearchQuery
from annotator.services.annotations import AnnotationService
from annotator.services.changes import apply_change
from annotator.services.code_lookup import close_names, find_code
from annotator.services.corpus.code_all import code_all, plan_code_all, resolve_target
from annotator.services.corpus.retrieval import retrieve
from annotator.services.corpus.search import iter_matches, result_json, search
from annotator.services.project import Project
from tests.conftest import code_id

OTHER = "Xi spoke. Then xi spoke again; Xinhua said Xi’s aide agreed.\nXi."


@pytest.fixture
def two(project: Project) -> Project:
    """The tricky article (Test Wire) and another (Other Wire, dated)."""
    project.articles.add(OTHER, source="Other Wire", title="=Other", published="2024-04-02")
    return project


def ids_by_title(project: Project) -> dict[str, str]:
    return {s.title: s.id for s in project.store.articles.summaries()}


def test_search_counts_every_match_in_every_article_in_list_order(two):
    result = search(two.store, SearchQuery("xi", whole_word=True))
    assert result.matches == 5 and result.article_count == 2 and not result.truncated
    assert [a.title for a in result.articles] == ["=Other", "Tricky"]  # by source name
    assert [h.text for h in result.articles[0].hits] == ["Xi", "xi", "Xi", "Xi"]
    assert search(two.store, SearchQuery("xi")).matches == 6  # Xinhua too
    assert search(two.store, SearchQuery("xi", case_sensitive=True)).matches == 1
    shape = result_json(result)
    assert shape["matches"] == 5 and shape["articles"] == 2
    assert list(shape["hits"][0]) == [
        "article_id", "article_title", "start", "end", "text", "before", "after",
    ]  # fmt: skip


def test_a_limit_keeps_the_first_hits_and_counts_all(two):
    result = search(two.store, SearchQuery("xi"), limit=3)
    assert result.matches == 6 and result.article_count == 2 and result.truncated
    assert result.shown == 3 and len(result.articles) == 1


def test_a_bad_pattern_is_refused_before_any_text_is_read(two, monkeypatch):
    monkeypatch.setattr(two.store.texts, "texts", lambda *_: pytest.fail("read texts"))
    with pytest.raises(ValidationError, match="Bad regular expression"):
        list(iter_matches(two.store, SearchQuery("(", regex=True)))
    with pytest.raises(ValidationError, match="empty"):
        search(two.store, SearchQuery(""))


def test_texts_come_in_batches_in_the_order_asked(two):
    ids = [s.id for s in two.store.articles.summaries()]
    got = list(two.store.texts.texts([*reversed(ids), "missing"], batch=1))
    assert [row[0] for row in got] == list(reversed(ids))
    assert got[0][2] == two.store.articles.get(ids[-1]).text


def test_code_all_codes_each_match_once_and_a_second_run_adds_nothing(two):
    xi = code_id(two, CodeKind.SPEAKER, "Xi Jinping")
    query = SearchQuery("xi", whole_word=True)
    target = resolve_target(two.store, AnnotationKind.SPEAKER, "xi jinping")
    plan = plan_code_all(two.store, "alice", query, target)
    assert (plan.matches, plan.to_create, plan.already) == (5, 5, 0)
    change = code_all(two, plan)
    made = change.after.annotations
    assert len(made) == 5 and {a.code_id for a in made} == {xi}
    assert {a.annotator for a in made} == {"alice"} and {a.quote for a in made} == {"Xi", "xi"}
    statuses = {s.article_id: s.status for s in change.after.statuses}
    assert statuses == dict.fromkeys(ids_by_title(two).values(), ArticleStatus.IN_PROGRESS)
    again = plan_code_all(two.store, "alice", query, target)
    assert (again.matches, again.to_create, again.already) == (5, 0, 5)
    assert code_all(two, again).is_empty
    # Another coder has coded none of them; a plain search also finds "Xi" in "Xinhua".
    assert plan_code_all(two.store, "bob", query, target).to_create == 5
    wider = plan_code_all(two.store, "alice", SearchQuery("xi"), target)
    assert (wider.to_create, wider.already) == (1, 5)


def test_code_all_is_one_change_that_undoes_whole(two):
    before = two.store.reports.counts().annotations
    target = resolve_target(two.store, AnnotationKind.ISSUE, "Taiwan")
    plan = plan_code_all(two.store, "alice", SearchQuery("xi"), target)
    change = code_all(two, plan)
    assert two.store.reports.counts().annotations["issue"] == 6
    apply_change(two.store, change.inverse())
    assert two.store.reports.counts().annotations == before
    assert not two.store.articles.statuses()


def test_issue_passages_count_as_already_only_with_the_same_code_and_span(two, article_id):
    text = two.store.articles.get(article_id).text
    start = text.index("Xi")
    taiwan = code_id(two, CodeKind.ISSUE, "Taiwan")
    other = code_id(two, CodeKind.ISSUE, "South China Sea")
    two.annotations.create_issue_passage(article_id, [(start, start + 2)], taiwan)
    two.annotations.create_issue_passage(article_id, [(start, start + 5)], other)
    target = resolve_target(two.store, AnnotationKind.ISSUE, "Taiwan")
    plan = plan_code_all(two.store, "alice", SearchQuery("Xi", whole_word=True), target)
    assert (plan.matches, plan.already) == (5, 1)
    target = resolve_target(two.store, AnnotationKind.ISSUE, "south china sea")
    assert plan_code_all(two.store, "alice", SearchQuery("Xi"), target).already == 0


def test_code_all_as_claims_with_a_speaker_and_an_issue(two):
    target = resolve_target(two.store, AnnotationKind.CLAIM, "Taiwan", "Xi Jinping")
    assert target.label == "claim by 'Xi Jinping' on 'Taiwan'"
    query = SearchQuery("spoke", whole_word=True)
    change = code_all(two, plan_code_all(two.store, "alice", query, target))
    xi = code_id(two, CodeKind.SPEAKER, "Xi Jinping")
    taiwan = code_id(two, CodeKind.ISSUE, "Taiwan")
    assert [(a.kind, a.speaker_id, a.issue_ids, a.code_id) for a in change.after.annotations] == [
        (AnnotationKind.CLAIM, xi, (taiwan,), None)
    ] * 2
    assert plan_code_all(two.store, "alice", query, target).already == 2
    # Without the issue the same claims count too; with another issue they do not.
    plain = resolve_target(two.store, AnnotationKind.CLAIM, None, "Xi Jinping")
    assert plan_code_all(two.store, "alice", query, plain).already == 2
    other = resolve_target(two.store, AnnotationKind.CLAIM, "Climate change", "Xi Jinping")
    assert plan_code_all(two.store, "alice", query, other).already == 0
    biden = resolve_target(two.store, AnnotationKind.CLAIM, None, "Joe Biden")
    assert plan_code_all(two.store, "alice", query, biden).already == 0


def test_targets_refuse_what_they_cannot_code(two):
    store = two.store
    with pytest.raises(ValidationError, match="Did you mean 'John Kirby'"):
        resolve_target(store, AnnotationKind.SPEAKER, "Kirbyy")
    with pytest.raises(ValidationError, match="No speaker named 'Taiwan'"):
        resolve_target(store, AnnotationKind.SPEAKER, "Taiwan")
    with pytest.raises(ValidationError, match="needs a speaker"):
        resolve_target(store, AnnotationKind.CLAIM, "Taiwan")
    with pytest.raises(ValidationError, match="--speaker goes with --kind claim"):
        resolve_target(store, AnnotationKind.ISSUE, "Taiwan", "Xi Jinping")
    with pytest.raises(ValidationError, match="--code NAME"):
        resolve_target(store, AnnotationKind.ISSUE, None)
    with pytest.raises(ValidationError, match="No issue named 'Xi Jinping'"):
        resolve_target(store, AnnotationKind.CLAIM, "Xi Jinping", "Xi Jinping")


def test_names_are_found_ignoring_case_and_ambiguity_asks_for_the_kind(two):
    assert find_code(two.store, "  taiwan ").name == "Taiwan"
    assert close_names(two.store, "kirby") == ["John Kirby"]
    assert close_names(two.store, "White Hose", CodeKind.SPEAKER) == ["The White House"]
    assert close_names(two.store, "zzzz") == []
    two.codebook.create(CodeKind.SPEAKER, "Taiwan")
    with pytest.raises(ValidationError, match=r"both an issue and a speaker.*--kind"):
        find_code(two.store, "Taiwan")
    assert find_code(two.store, "Taiwan", CodeKind.SPEAKER).kind is CodeKind.SPEAKER
    with pytest.raises(ValidationError, match="code name is needed"):
        find_code(two.store, " ")


def test_retrieve_lists_every_passage_of_an_issue_with_context(two):
    ids = ids_by_title(two)
    other_text = two.store.articles.get(ids["=Other"]).text
    taiwan = find_code(two.store, "Taiwan")
    xi = code_id(two, CodeKind.SPEAKER, "Xi Jinping")
    two.annotations.create_issue_passage(ids["=Other"], [(3, 8)], taiwan.id)
    claim = two.annotations.create_claim(
        ids["Tricky"], [(0, 5)], speaker_id=xi, issue_ids=[taiwan.id]
    ).annotation
    AnnotationService(two.store, "bob").create_issue_passage(ids["Tricky"], [(6, 8)], taiwan.id)
    two.annotations.create_issue_passage(
        ids["Tricky"], [(9, 14)], code_id(two, CodeKind.ISSUE, "South China Sea")
    )
    segments = retrieve(two.store, taiwan)
    assert [(s.article_title, s.kind, s.annotator, s.text) for s in segments] == [
        ("=Other", AnnotationKind.ISSUE, "alice", "spoke"),
        ("Tricky", AnnotationKind.CLAIM, "alice", "Flags"),
        ("Tricky", AnnotationKind.ISSUE, "bob", "🇺🇸"),
    ]
    first = segments[0]
    assert (first.before, first.after) == ("Xi ", other_text[8 : other_text.index("\n")])
    assert (first.source, first.published, first.code) == ("Other Wire", "2024-04-02", "Taiwan")
    assert segments[1].annotation_id == claim.id and segments[1].published == ""
    assert [s.annotator for s in retrieve(two.store, taiwan, annotators=["BOB"])] == ["bob"]
    assert len(retrieve(two.store, taiwan, sources=["test wire"])) == 2
    with pytest.raises(ValidationError, match="No source named 'Nowhere'"):
        retrieve(two.store, taiwan, sources=["Nowhere"])


def test_retrieve_a_speaker_lists_mentions_and_claims_by_it(two):
    ids = ids_by_title(two)
    xi = find_code(two.store, "Xi Jinping")
    mention = two.annotations.create_speaker_mention(ids["=Other"], [(0, 2)], xi.id).annotation
    two.annotations.create_claim(ids["=Other"], [(3, 8)], speaker_mention_id=mention.id)
    two.annotations.create_claim(
        ids["=Other"], [(10, 14)], speaker_id=code_id(two, CodeKind.SPEAKER, "Joe Biden")
    )
    segments = retrieve(two.store, xi)
    assert [(s.kind, s.text) for s in segments] == [
        (AnnotationKind.SPEAKER, "Xi"),
        (AnnotationKind.CLAIM, "spoke"),
    ]
    assert retrieve(two.store, find_code(two.store, "John Kirby")) == []
