import pytest

from annotator.core.errors import ConflictError, ValidationError
from annotator.core.model import CodeKind
from annotator.services.changes import apply_change
from tests.conftest import code_id, table_rows


@pytest.fixture
def codes(project):
    def get(name: str, kind: CodeKind = CodeKind.ISSUE) -> str:
        return code_id(project, kind, name)

    return get


def test_starter_codebook_is_loaded(project):
    issues = {c.name for c in project.store.codes.all(CodeKind.ISSUE)}
    speakers = {c.name for c in project.store.codes.all(CodeKind.SPEAKER)}
    assert {"Taiwan", "Election interference", "Cyberattacks (Volt Typhoon)"} <= issues
    assert {"Joe Biden", "Xi Jinping", "John Kirby", "Chinese state media"} <= speakers
    assert len(issues) == 12 and len(speakers) == 7
    kirby = project.store.codes.by_name(CodeKind.SPEAKER, "john kirby")
    assert kirby.organisation == "U.S. government"


def test_create_gives_a_fresh_colour_and_refuses_duplicates(project):
    change = project.codebook.create(CodeKind.ISSUE, "Trade war")
    used = {c.colour for c in project.store.codes.all() if c.id != change.code.id}
    assert change.code.colour not in used
    with pytest.raises(ConflictError):
        project.codebook.create(CodeKind.ISSUE, "trade WAR")
    # The same name as another kind is fine: a speaker may be named like an issue.
    project.codebook.create(CodeKind.SPEAKER, "Trade war")


def test_find_or_create(project):
    found, change = project.codebook.find_or_create(CodeKind.SPEAKER, "xi jinping")
    assert found.name == "Xi Jinping" and change is None
    new, change = project.codebook.find_or_create(CodeKind.SPEAKER, "  Gina Raimondo ")
    assert new.name == "Gina Raimondo" and change is not None


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"name": " "}, ValidationError),
        ({"name": "taiwan"}, ConflictError),
        ({"colour": "blue"}, ValidationError),
        ({"shortcut": "c"}, ValidationError),
        ({"shortcut": "ab"}, ValidationError),
    ],
)
def test_bad_edits_are_refused(project, codes, fields, error):
    with pytest.raises(error):
        project.codebook.edit(codes("South China Sea"), **fields)


def test_rename_recolour_and_shortcuts(project, codes):
    project.codebook.rename(codes("Taiwan"), "Taiwan Strait")
    project.codebook.recolour(codes("Taiwan Strait"), "#123456")
    project.codebook.edit(codes("Taiwan Strait"), shortcut="t")
    code = project.store.codes.get(codes("Taiwan Strait"))
    assert (code.colour, code.shortcut) == ("#123456", "t")
    with pytest.raises(ConflictError, match="already the shortcut"):
        project.codebook.edit(codes("Climate change"), shortcut="T")
    project.codebook.edit(codes("Taiwan Strait"), shortcut="")
    assert project.store.codes.get(codes("Taiwan Strait")).shortcut is None


def test_reparent_refuses_loops_and_speakers(project, codes):
    trade = codes("Export controls / high-tech trade")
    ai = codes("AI risk and safety")
    project.codebook.reparent(ai, trade)
    assert project.store.codes.get(ai).parent_id == trade
    with pytest.raises(ValidationError, match="loop"):
        project.codebook.reparent(trade, ai)
    with pytest.raises(ValidationError, match="loop"):
        project.codebook.reparent(trade, trade)
    with pytest.raises(ValidationError, match="Only issues"):
        project.codebook.reparent(codes("Xi Jinping", CodeKind.SPEAKER), trade)
    project.codebook.reparent(ai, None)
    assert project.store.codes.get(ai).parent_id is None


def test_merge_moves_every_use(project, article_id, codes):
    xi = codes("Xi Jinping", CodeKind.SPEAKER)
    state_media = codes("Chinese state media", CodeKind.SPEAKER)
    trade, ai = codes("Export controls / high-tech trade"), codes("AI risk and safety")
    child = project.codebook.create(CodeKind.ISSUE, "Chips", parent_id=ai).code
    both = project.annotations.create_claim(article_id, [(0, 5)], issue_ids=[trade, ai]).annotation
    only_ai = project.annotations.create_claim(
        article_id, [(6, 9)], issue_ids=[ai], speaker_id=state_media
    ).annotation
    passage = project.annotations.create_issue_passage(article_id, [(10, 20)], ai).annotation
    mention = project.annotations.create_speaker_mention(
        article_id, [(21, 25)], state_media
    ).annotation
    before = table_rows(project.path)

    change = project.codebook.merge(ai, trade)
    get = project.store.annotations.get
    assert get(both.id).issue_ids == (trade,)
    assert get(only_ai.id).issue_ids == (trade,)
    assert get(passage.id).code_id == trade
    assert project.store.codes.get(child.id).parent_id == trade
    assert project.store.codes.by_name(CodeKind.ISSUE, "AI risk and safety") is None
    project.codebook.merge(state_media, xi)
    assert get(only_ai.id).speaker_id == xi and get(mention.id).code_id == xi

    with pytest.raises(ValidationError, match="different kinds"):
        project.codebook.merge(xi, trade)
    with pytest.raises(ValidationError, match="itself"):
        project.codebook.merge(xi, xi)

    assert (
        change.description == "merge 'AI risk and safety' into 'Export controls / high-tech trade'"
    )
    assert table_rows(project.path) != before
    assert check_clean(project)


def check_clean(project) -> bool:
    from annotator.services.reports import check_project

    return check_project(project.store) == []


def test_merge_undo_restores_exactly(project, article_id, codes):
    trade, ai = codes("Export controls / high-tech trade"), codes("AI risk and safety")
    project.codebook.create(CodeKind.ISSUE, "Chips", parent_id=ai)
    project.annotations.create_claim(article_id, [(0, 5)], issue_ids=[trade, ai])
    project.annotations.create_issue_passage(article_id, [(10, 20)], ai)
    before = table_rows(project.path)
    change = project.codebook.merge(ai, trade)
    apply_change(project.store, change.inverse())
    assert table_rows(project.path) == before


def test_merging_a_parent_into_its_child(project, codes):
    trade = codes("Export controls / high-tech trade")
    chips = project.codebook.create(CodeKind.ISSUE, "Chips", parent_id=trade).code
    gpus = project.codebook.create(CodeKind.ISSUE, "GPUs", parent_id=trade).code
    project.codebook.merge(trade, chips.id)
    assert project.store.codes.get(chips.id).parent_id is None
    assert project.store.codes.get(gpus.id).parent_id == chips.id


def test_delete_unused_code(project, codes):
    project.codebook.delete(codes("Climate change"))
    assert project.store.codes.by_name(CodeKind.ISSUE, "Climate change") is None


def test_delete_code_in_use_is_refused_with_counts(project, article_id, codes):
    taiwan = codes("Taiwan")
    project.annotations.create_issue_passage(article_id, [(0, 5)], taiwan)
    project.annotations.create_claim(article_id, [(6, 9)], issue_ids=[taiwan])
    before = table_rows(project.path)
    with pytest.raises(ConflictError, match=r"\(1 issue passage, 1 claim tagged with it\)"):
        project.codebook.delete(taiwan)
    assert table_rows(project.path) == before


def test_forced_delete_removes_uses_and_keeps_claims(project, article_id, codes):
    xi = codes("Xi Jinping", CodeKind.SPEAKER)
    taiwan = codes("Taiwan")
    sub = project.codebook.create(CodeKind.ISSUE, "Strait crossings", parent_id=taiwan).code
    mention = project.annotations.create_speaker_mention(article_id, [(0, 5)], xi).annotation
    claim = project.annotations.create_claim(
        article_id, [(6, 9)], speaker_mention_id=mention.id, issue_ids=[taiwan]
    ).annotation
    before = table_rows(project.path)

    change = project.codebook.delete(xi, force=True)
    kept = project.store.annotations.get(claim.id)
    assert kept.speaker_id is None and kept.speaker_mention_id is None
    assert [a.id for a in project.store.annotations.for_article(article_id)] == [claim.id]
    project.codebook.delete(taiwan, force=True)
    assert project.store.annotations.get(claim.id).issue_ids == ()
    assert project.store.codes.get(sub.id).parent_id is None
    assert check_clean(project)
    assert {a.id for a in change.before.annotations} == {mention.id, claim.id}
    assert before != table_rows(project.path)


def test_forced_delete_undo_restores_exactly(project, article_id, codes):
    xi = codes("Xi Jinping", CodeKind.SPEAKER)
    mention = project.annotations.create_speaker_mention(article_id, [(0, 5)], xi).annotation
    project.annotations.create_claim(article_id, [(6, 9)], speaker_mention_id=mention.id)
    before = table_rows(project.path)
    change = project.codebook.delete(xi, force=True)
    apply_change(project.store, change.inverse())
    assert table_rows(project.path) == before


def test_merging_a_code_into_its_grandchild_makes_no_loop(project, codes):
    trade = codes("Export controls / high-tech trade")
    chips = project.codebook.create(CodeKind.ISSUE, "Chips", parent_id=trade).code
    gpus = project.codebook.create(CodeKind.ISSUE, "GPUs", parent_id=chips.id).code
    before = table_rows(project.path)
    change = project.codebook.merge(trade, gpus.id)
    assert project.store.codes.get(gpus.id).parent_id is None
    assert project.store.codes.get(chips.id).parent_id == gpus.id
    assert project.store.codes.ancestors(chips.id) == [gpus.id]
    apply_change(project.store, change.inverse())
    assert table_rows(project.path) == before


def test_names_clash_ignoring_case_beyond_ascii(project):
    project.codebook.create(CodeKind.ISSUE, "Élections")
    with pytest.raises(ConflictError):
        project.codebook.create(CodeKind.ISSUE, "élections")
    assert project.store.codes.by_name(CodeKind.ISSUE, "ÉLECTIONS") is not None


def test_forced_delete_of_a_speaker_describes_the_unlinked_claims(project, article_id, codes):
    xi = codes("Xi Jinping", CodeKind.SPEAKER)
    mention = project.annotations.create_speaker_mention(article_id, [(0, 5)], xi).annotation
    claim = project.annotations.create_claim(
        article_id, [(6, 9)], speaker_mention_id=mention.id
    ).annotation
    change = project.codebook.delete(xi, force=True)
    (kept,) = change.after.annotations
    assert kept == project.store.annotations.get(claim.id)
    assert kept.speaker_mention_id is None
