import pytest

from annotator.core.errors import NotFoundError, ValidationError
from annotator.core.model import AnnotationKind, CodeKind, Stance
from annotator.services.changes import apply_change
from tests.conftest import TRICKY_TEXT, code_id, table_rows


def span_of(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def test_stored_text_is_canonical(project, article_id):
    article = project.store.articles.get(article_id)
    assert "\r" not in article.text and "\x00" not in article.text
    assert article.text.startswith("Flags 🇺🇸🇨🇳 first.\n")


def test_claim_with_two_fragments_two_issues_and_curly_quotes(project, article_id):
    text = project.store.articles.get(article_id).text
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    issues = [
        code_id(project, CodeKind.ISSUE, "Taiwan"),
        code_id(project, CodeKind.ISSUE, "Export controls / high-tech trade"),
    ]
    spans = [span_of(text, "“We will not sit back,”"), span_of(text, "“fine.”")]
    change = project.annotations.create_claim(
        article_id, spans, speaker_id=xi, issue_ids=issues, stance=Stance.OPPOSES, note="n"
    )
    claim = project.store.annotations.get(change.annotation.id)
    assert claim == change.annotation
    assert claim.kind is AnnotationKind.CLAIM
    assert [(f.start, f.end) for f in claim.fragments] == spans
    assert [f.quote for f in claim.fragments] == ["“We will not sit back,”", "“fine.”"]
    assert set(claim.issue_ids) == set(issues)
    assert claim.speaker_id == xi and claim.stance is Stance.OPPOSES
    assert claim.annotator == "alice"
    # Offsets are code points: the emoji before the span count one each, not two.
    assert claim.start == text.index("“We")
    assert claim.start == TRICKY_TEXT.replace("\r\n", "\n").index("“We")


def test_speaker_mention_and_issue_passage(project, article_id):
    text = project.store.articles.get(article_id).text
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    taiwan = code_id(project, CodeKind.ISSUE, "Taiwan")
    mention = project.annotations.create_speaker_mention(article_id, [span_of(text, "Xi")], xi)
    passage = project.annotations.create_issue_passage(article_id, [(0, len(text))], taiwan)
    assert mention.annotation.code_id == xi
    assert passage.annotation.quote == text
    listed = project.store.annotations.for_article(article_id)
    assert [a.id for a in listed] == [passage.annotation.id, mention.annotation.id]


def test_claim_takes_its_speaker_from_the_mention(project, article_id):
    text = project.store.articles.get(article_id).text
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    mention = project.annotations.create_speaker_mention(article_id, [span_of(text, "Xi")], xi)
    claim = project.annotations.create_claim(
        article_id, [span_of(text, "“fine.”")], speaker_mention_id=mention.annotation.id
    )
    assert claim.annotation.speaker_id == xi


@pytest.mark.parametrize(
    ("kind", "code_name", "message"),
    [
        (AnnotationKind.SPEAKER, "Taiwan", "not speaker"),
        (AnnotationKind.ISSUE, "Xi Jinping", "not issue"),
        (AnnotationKind.ISSUE, None, "needs a code"),
    ],
)
def test_label_must_be_of_the_right_kind(project, article_id, kind, code_name, message):
    kinds = {"Taiwan": CodeKind.ISSUE, "Xi Jinping": CodeKind.SPEAKER}
    code = code_id(project, kinds[code_name], code_name) if code_name else None
    before = table_rows(project.path)
    with pytest.raises(ValidationError, match=message):
        project.annotations.create(article_id, kind, [(0, 3)], code_id=code)
    assert table_rows(project.path) == before


def test_claim_refuses_an_issue_as_speaker(project, article_id):
    taiwan = code_id(project, CodeKind.ISSUE, "Taiwan")
    with pytest.raises(ValidationError):
        project.annotations.create_claim(article_id, [(0, 3)], speaker_id=taiwan)
    with pytest.raises(ValidationError):
        project.annotations.create_claim(
            article_id, [(0, 3)], issue_ids=[code_id(project, CodeKind.SPEAKER, "Joe Biden")]
        )


def test_unknown_article_or_code(project, article_id):
    with pytest.raises(NotFoundError):
        project.annotations.create_claim("nope", [(0, 1)])
    with pytest.raises(NotFoundError):
        project.annotations.create_claim(article_id, [(0, 1)], speaker_id="nope")


def test_update_spans_and_codes_then_undo_restores_exactly(project, article_id):
    text = project.store.articles.get(article_id).text
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    biden = code_id(project, CodeKind.SPEAKER, "Joe Biden")
    taiwan = code_id(project, CodeKind.ISSUE, "Taiwan")
    created = project.annotations.create_claim(
        article_id, [span_of(text, "“fine.”")], speaker_id=xi
    )
    before = table_rows(project.path)
    change = project.annotations.update(
        created.annotation.id,
        speaker_id=biden,
        issue_ids=[taiwan],
        stance=Stance.SUPPORTS,
        spans=[span_of(text, "replied… “fine.”")],
    )
    after = table_rows(project.path)
    updated = project.store.annotations.get(created.annotation.id)
    assert updated.speaker_id == biden and updated.issue_ids == (taiwan,)
    assert updated.quote == "replied… “fine.”"
    apply_change(project.store, change.inverse())
    assert table_rows(project.path) == before
    apply_change(project.store, change)
    assert table_rows(project.path) == after


def test_change_of_kind_drops_claim_fields(project, article_id):
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    taiwan = code_id(project, CodeKind.ISSUE, "Taiwan")
    claim = project.annotations.create_claim(
        article_id, [(0, 5)], speaker_id=xi, issue_ids=[taiwan], stance=Stance.NEUTRAL
    )
    change = project.annotations.update(
        claim.annotation.id, kind=AnnotationKind.ISSUE, code_id=taiwan
    )
    issue = change.annotation
    assert issue.kind is AnnotationKind.ISSUE and issue.code_id == taiwan
    assert issue.speaker_id is None and issue.issue_ids == () and issue.stance is None


def test_second_fragment_added_to_a_claim(project, article_id):
    text = project.store.articles.get(article_id).text
    claim = project.annotations.create_claim(article_id, [span_of(text, "“We will not sit back,”")])
    change = project.annotations.add_fragment(claim.annotation.id, *span_of(text, "“fine.”"))
    assert len(change.annotation.fragments) == 2
    with pytest.raises(ValidationError, match="overlaps"):
        project.annotations.add_fragment(claim.annotation.id, *span_of(text, "We will"))


def test_deleting_a_mention_unlinks_claims_and_undo_relinks(project, article_id):
    text = project.store.articles.get(article_id).text
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    mention = project.annotations.create_speaker_mention(article_id, [span_of(text, "Xi")], xi)
    claim = project.annotations.create_claim(
        article_id, [span_of(text, "“fine.”")], speaker_mention_id=mention.annotation.id
    )
    before = table_rows(project.path)
    change = project.annotations.delete(mention.annotation.id)
    kept = project.store.annotations.get(claim.annotation.id)
    assert kept.speaker_mention_id is None and kept.speaker_id == xi
    with pytest.raises(NotFoundError):
        project.store.annotations.get(mention.annotation.id)
    assert table_rows(project.path)["fragments"] == [
        row for row in before["fragments"] if row[0] != mention.annotation.id
    ]
    apply_change(project.store, change.inverse())
    assert table_rows(project.path) == before


def test_a_failed_action_writes_nothing(project, article_id):
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    good = project.annotations.create_speaker_mention(article_id, [(0, 5)], xi).annotation
    from annotator.core.model import Annotation
    from annotator.services.changes import Change, Snapshot

    broken = Annotation(
        id="x", article_id="missing-article", kind=AnnotationKind.CLAIM,
        fragments=good.fragments, annotator="a", created_at="t", updated_at="t",
    )  # fmt: skip
    before = table_rows(project.path)
    with pytest.raises(Exception, match="FOREIGN KEY"):
        apply_change(
            project.store,
            Change("bad", Snapshot(annotations=(good,)), Snapshot(annotations=(broken,))),
        )
    assert table_rows(project.path) == before


def test_reopened_project_keeps_everything(project_path, project, article_id):
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    created = project.annotations.create_speaker_mention(article_id, [(0, 5)], xi).annotation
    project.close()
    from annotator.services.project import open_project

    with open_project(project_path) as again:
        assert again.store.annotations.get(created.id) == created


def test_annotator_name_is_required(project):
    from annotator.services.annotations import AnnotationService

    with pytest.raises(ValidationError):
        AnnotationService(project.store, "  ")


def test_recoding_a_mention_takes_its_claims_along(project, article_id):
    from annotator.services.reports import check_project

    text = project.store.articles.get(article_id).text
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    media = code_id(project, CodeKind.SPEAKER, "Chinese state media")
    mention = project.annotations.create_speaker_mention(article_id, [span_of(text, "Xi")], xi)
    claim = project.annotations.create_claim(
        article_id, [span_of(text, "“fine.”")], speaker_mention_id=mention.annotation.id
    ).annotation
    before = table_rows(project.path)
    change = project.annotations.update(mention.annotation.id, code_id=media)
    assert project.store.annotations.get(claim.id).speaker_id == media
    assert check_project(project.store) == []
    project.annotations.update(claim.id, note="still editable")
    apply_change(project.store, change.inverse())
    project.annotations.update(claim.id, note="")
    restored = table_rows(project.path)
    # Only the note edit's updated_at differs from the state before the recode.
    assert restored["fragments"] == before["fragments"]
    assert project.store.annotations.get(claim.id).speaker_id == xi
