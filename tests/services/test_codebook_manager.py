"""What the codebook manager and the CLI need from the services: codes found by name with
"Did you mean", usage counts of every code at once, aliases edited in one Change, and new
speakers of suggestions mapped before anything is written."""

import pytest

from annotator.core.errors import NotFoundError, ValidationError
from annotator.core.model import AnnotationKind, CodeKind
from annotator.services import suggestions
from annotator.services.changes import apply_change
from tests.conftest import code_id, table_rows

NEWS = (
    "“We will not sit back,” said Commerce Secretary Gina Raimondo 🇺🇸. "
    "Administration officials said the talks were useful. “Fine,” Xi said."
)


def test_find_ignores_case_and_names_the_closest(project):
    assert project.codebook.find(CodeKind.SPEAKER, " john KIRBY ").name == "John Kirby"
    with pytest.raises(NotFoundError, match=r"^No speaker named 'Kirbyy'\. Did you mean John "):
        project.codebook.find(CodeKind.SPEAKER, "Kirbyy")
    with pytest.raises(NotFoundError, match=r"^No issue named 'Raimondo'\.$"):
        project.codebook.find(CodeKind.ISSUE, "Raimondo")
    kirby = code_id(project, CodeKind.SPEAKER, "John Kirby")
    project.codebook.edit(kirby, aliases=["Admiral"])
    with pytest.raises(NotFoundError, match="Did you mean John Kirby"):
        project.codebook.find(CodeKind.SPEAKER, "admiral")


def test_overview_counts_every_code_in_tree_order(project, article_id):
    taiwan = code_id(project, CodeKind.ISSUE, "Taiwan")
    child = project.codebook.create(CodeKind.ISSUE, "Strait", parent_id=taiwan).code
    project.annotations.create_issue_passage(article_id, [(0, 5)], child.id)
    project.annotations.create_claim(article_id, [(6, 9)], issue_ids=[taiwan, child.id])
    entries = project.codebook.overview()
    names = [(e.code.name, e.depth) for e in entries]
    assert names.index(("Strait", 1)) == names.index(("Taiwan", 0)) + 1
    assert [e.code.kind for e in entries[:13]] == [CodeKind.ISSUE] * 13
    usage = {e.code.name: e.usage for e in entries}
    assert (usage["Taiwan"].claim_issue, usage["Taiwan"].children) == (1, 1)
    assert (usage["Strait"].annotations, usage["Strait"].claim_issue) == (1, 1)
    assert project.store.codes.usages() == {
        e.code.id: project.store.codes.usage(e.code.id) for e in entries
    }
    assert {e.code.kind for e in project.codebook.overview(CodeKind.SPEAKER)} == {CodeKind.SPEAKER}


def test_aliases_and_memo_are_one_undoable_edit(project):
    kirby = code_id(project, CodeKind.SPEAKER, "John Kirby")
    before = table_rows(project.path)
    change = project.codebook.edit(
        kirby, description="Spokesman “NSC” 😀", aliases=["Admiral Kirby", "NSC spokesman"]
    )
    assert project.store.codes.get(kirby).description == (
        "Spokesman “NSC” 😀\naliases: Admiral Kirby; NSC spokesman"
    )
    project.codebook.edit(kirby, aliases=[])  # the memo stays
    assert project.store.codes.get(kirby).description == "Spokesman “NSC” 😀"
    project.codebook.edit(kirby, aliases=["Admiral Kirby"])
    apply_change(project.store, change.inverse())
    with pytest.raises(ValidationError):
        project.codebook.edit(kirby, aliases=["a;b"])
    project.codebook.edit(kirby, description="White House national security spokesman.")
    assert table_rows(project.path) == before


@pytest.fixture
def news(project) -> str:
    return project.articles.add(NEWS, source="Wire", title="Raimondo").article.id


def test_new_speakers_are_listed_before_anything_is_written(project, news):
    found = suggestions.suggest_for_article(project.store, news)
    assert suggestions.new_speakers(project.store, found) == [
        "Gina Raimondo",
        "Administration officials",
    ]


def test_accept_all_maps_new_speakers_to_existing_codes_new_names_or_none(project, news):
    codes_before = len(project.store.codes.all())
    house = code_id(project, CodeKind.SPEAKER, "The White House")
    mapping = {"Gina Raimondo": "Secretary Raimondo", "administration officials": house}
    change = suggestions.accept_all(project, news, mapping)
    assert [c.name for c in change.after.codes] == ["Secretary Raimondo"]
    assert len(project.store.codes.all()) == codes_before + 1
    claims = {
        a.quote: a.speaker_id
        for a in project.store.annotations.for_article(news)
        if a.kind is AnnotationKind.CLAIM
    }
    assert claims["the talks were useful"] == house
    raimondo = code_id(project, CodeKind.SPEAKER, "Secretary Raimondo")
    assert claims["“We will not sit back,”"] == raimondo
    apply_change(project.store, change.inverse())
    none = suggestions.accept_all(
        project, news, {"Gina Raimondo": "", "Administration officials": ""}
    )
    assert none.after.codes == ()
    speakers = {a.speaker_id for a in none.after.annotations if a.kind is AnnotationKind.CLAIM}
    assert speakers == {None, code_id(project, CodeKind.SPEAKER, "Xi Jinping")}


def test_a_mapping_to_an_issue_is_refused(project, news):
    before = table_rows(project.path)
    taiwan = code_id(project, CodeKind.ISSUE, "Taiwan")
    with pytest.raises(ValidationError, match="is an issue, not a speaker"):
        suggestions.accept_all(project, news, {"Gina Raimondo": taiwan})
    assert table_rows(project.path) == before
