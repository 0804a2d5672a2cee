"""Suggestions as the window uses them: listed, accepted as one undoable change stored like a
hand annotation, rejected for good, and the schema migration that stores rejections."""

import dataclasses
import sqlite3

import pytest
from sqlite_utils import Database

from annotator.core.errors import ConflictError, NotFoundError
from annotator.core.model import AnnotationKind, CodeKind
from annotator.services.changes import apply_change
from annotator.services.project import open_project
from annotator.services.suggestions import (
    Suggestion,
    accept,
    accept_all,
    reject,
    suggest_for_article,
    suggestion_key,
    unreject,
)
from annotator.store import Store
from annotator.store.files.project_file import APPLICATION_ID
from annotator.store.migrations import SCHEMA_VERSION, migrations
from tests.conftest import code_id, table_rows

WIRE = (
    "Former national security adviser Michael Flynn spoke on Tuesday.\n"
    "“We will not back down,” Flynn said. “Not now, not ever.”\n"
    "Chinese President Xi Jinping told Biden that Taiwan remains a red line, "
    "according to state media.\n"
)


#: "Flynn" of "Flynn said", the speaker mention of the first claim.
FLYNN = (WIRE.index("Flynn said"), WIRE.index("Flynn said") + len("Flynn"))


def add_wire(project) -> str:
    return project.articles.add(WIRE, source="Test Wire", title="Wire").article.id


def claims(suggestions: list[Suggestion]) -> list[Suggestion]:
    return [s for s in suggestions if s.kind is AnnotationKind.CLAIM]


def span(needle: str) -> tuple[int, int]:
    start = WIRE.index(needle)
    return start, start + len(needle)


def test_suggestions_of_an_article(project):
    article = add_wire(project)
    found = suggest_for_article(project.store, article)
    flynn, xi = claims(found)
    assert flynn.fragments == (span("“We will not back down,”"), span("“Not now, not ever.”"))
    assert flynn.text == "“We will not back down,” … “Not now, not ever.”"
    assert flynn.key == suggestion_key(AnnotationKind.CLAIM, flynn.fragments)
    assert flynn.article_id == article and flynn.quoted
    assert flynn.cue == span("said") and flynn.mention == FLYNN
    assert flynn.speaker_name == "Michael Flynn" and flynn.creates_speaker
    assert xi.fragments == (span("Taiwan remains a red line"),)
    assert xi.speaker_code_id == code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    assert xi.speaker_name == "Xi Jinping" and not xi.creates_speaker
    mentions = [s for s in found if s.kind is AnnotationKind.SPEAKER]
    assert [WIRE[s.start : s.end] for s in mentions] == ["Flynn", "Xi Jinping"]
    assert found == sorted(found, key=lambda s: (s.start, s.end, s.kind.value))


def test_keys_do_not_depend_on_the_project(project, tmp_path):
    article = add_wire(project)
    keys = [s.key for s in suggest_for_article(project.store, article)]
    with open_project(tmp_path / "other.annotator") as other:
        assert [s.key for s in suggest_for_article(other.store, add_wire(other))] == keys


def test_accept_creates_code_mention_and_claim_as_one_undoable_change(project, project_path):
    article = add_wire(project)
    before = table_rows(project_path)
    flynn = claims(suggest_for_article(project.store, article))[0]
    change = accept(project, flynn)
    code = project.store.codes.by_name(CodeKind.SPEAKER, "Michael Flynn")
    assert code is not None and change.after.codes == (code,)
    mention, claim = change.after.annotations
    assert mention.kind is AnnotationKind.SPEAKER and mention.code_id == code.id
    assert [(f.start, f.end) for f in mention.fragments] == [flynn.mention]
    assert claim.kind is AnnotationKind.CLAIM and claim.speaker_id == code.id
    assert claim.speaker_mention_id == mention.id
    assert [(f.start, f.end) for f in claim.fragments] == list(flynn.fragments)
    assert claim.annotator == "alice" and change.article_ids == {article}
    assert project.store.annotations.get(claim.id) == claim
    apply_change(project.store, change.inverse())  # the window's undo
    assert table_rows(project_path) == before
    apply_change(project.store, change)  # and redo
    assert project.store.annotations.get(claim.id) == claim
    assert project.store.codes.get(code.id) == code


def comparable(project, article_id: str) -> list[tuple]:
    """The article's annotations and the codebook without ids and timestamps."""
    codes = {c.id: c.name for c in project.store.codes.all()}
    annotations = project.store.annotations.for_article(article_id)
    spans = {a.id: tuple((f.start, f.end) for f in a.fragments) for a in annotations}
    rows = [
        (a.kind, tuple((f.start, f.end, f.quote) for f in a.fragments), codes.get(a.code_id),
         codes.get(a.speaker_id), spans.get(a.speaker_mention_id), a.issue_ids, a.stance,
         a.note, a.annotator)
        for a in annotations
    ]  # fmt: skip
    codebook = [dataclasses.replace(c, id="", created_at="") for c in project.store.codes.all()]
    return [*rows, *codebook]


def test_an_accepted_suggestion_is_stored_like_a_hand_annotation(tmp_path):
    with open_project(tmp_path / "a.annotator", annotator="alice") as suggested:
        article = add_wire(suggested)
        for suggestion in claims(suggest_for_article(suggested.store, article)):
            accept(suggested, suggestion)
        by_suggestion = comparable(suggested, article)
        counts = {t: len(rows) for t, rows in table_rows(tmp_path / "a.annotator").items()}
    with open_project(tmp_path / "b.annotator", annotator="alice") as by_hand:
        article = add_wire(by_hand)
        flynn = by_hand.codebook.create(CodeKind.SPEAKER, "Michael Flynn").code
        mention = by_hand.annotations.create_speaker_mention(article, [FLYNN], flynn.id).annotation
        by_hand.annotations.create_claim(
            article,
            [span("“We will not back down,”"), span("“Not now, not ever.”")],
            speaker_id=flynn.id,
            speaker_mention_id=mention.id,
        )
        xi = code_id(by_hand, CodeKind.SPEAKER, "Xi Jinping")
        xi_mention = by_hand.annotations.create_speaker_mention(
            article, [span("Xi Jinping")], xi
        ).annotation
        by_hand.annotations.create_claim(
            article, [span("Taiwan remains a red line")], speaker_mention_id=xi_mention.id
        )
        assert comparable(by_hand, article) == by_suggestion
    assert {t: len(rows) for t, rows in table_rows(tmp_path / "b.annotator").items()} == counts


def test_an_annotated_mention_is_reused_with_the_coders_speaker(project):
    article = add_wire(project)
    kirby = code_id(project, CodeKind.SPEAKER, "John Kirby")
    project.annotations.create_speaker_mention(article, [span("Xi Jinping")], kirby)
    xi = claims(suggest_for_article(project.store, article))[1]
    change = accept(project, xi)
    (claim,) = change.after.annotations
    assert claim.speaker_id == kirby and claim.speaker_mention_id is not None
    assert change.after.codes == ()


def test_accept_uses_a_code_created_since_and_refuses_a_second_accept(project):
    article = add_wire(project)
    flynn = claims(suggest_for_article(project.store, article))[0]
    code = project.codebook.create(CodeKind.SPEAKER, "michael flynn").code
    change = accept(project, flynn)
    assert change.after.codes == () and change.after.annotations[-1].speaker_id == code.id
    with pytest.raises(ConflictError):
        accept(project, flynn)


def test_accept_after_the_matched_code_was_deleted_falls_back_to_its_name(project):
    article = add_wire(project)
    xi = claims(suggest_for_article(project.store, article))[1]
    project.codebook.delete(xi.speaker_code_id)
    change = accept(project, xi)
    assert [c.name for c in change.after.codes] == ["Xi Jinping"]


def test_covered_suggestions_are_not_offered(project):
    article = add_wire(project)
    project.annotations.create_claim(article, [span("not ever")])
    left = suggest_for_article(project.store, article)
    assert [s.speaker_name for s in claims(left)] == ["Xi Jinping"]
    assert len([s for s in left if s.kind is AnnotationKind.SPEAKER]) == 2  # mentions stay


def test_accept_all_is_one_change_and_leaves_nothing_to_suggest(project, project_path):
    article = add_wire(project)
    before = table_rows(project_path)
    change = accept_all(project, article)
    assert change.description == "accept 2 suggestions"
    assert sorted(a.kind.value for a in change.after.annotations) == [
        "claim", "claim", "speaker", "speaker",
    ]  # fmt: skip
    assert suggest_for_article(project.store, article) == []
    apply_change(project.store, change.inverse())
    assert table_rows(project_path) == before


def test_a_rejected_suggestion_stays_rejected_after_reopening(tmp_path):
    path = tmp_path / "study.annotator"
    with open_project(path) as project:
        article = add_wire(project)
        first = suggest_for_article(project.store, article)[0]
        reject(project.store, article, first, annotator="alice")
        reject(project.store, article, first)  # twice is harmless
        assert first not in suggest_for_article(project.store, article)
    with open_project(path) as reopened:
        assert first not in suggest_for_article(reopened.store, article)
        (record,) = reopened.store.suggestions.for_article(article)
        assert (record.key, record.kind, record.annotator) == (first.key, first.kind.value, "alice")
        unreject(reopened.store, article, first)  # the window's undo
        assert first in suggest_for_article(reopened.store, article)


def test_a_rejection_is_a_change_undone_and_redone_by_apply_change(project, project_path):
    """The window's undo and redo of X write the inverse and the Change, like every edit."""
    article = add_wire(project)
    first = suggest_for_article(project.store, article)[0]
    before = table_rows(project_path)
    change = reject(project.store, article, first, annotator="alice")
    after = table_rows(project_path)
    assert change.description == f"reject suggestion {first.text[:30]!r}"
    (row,) = change.after.rejections
    assert (row.article_id, row.key, row.annotator) == (article, first.key, "alice")
    assert change.before.rejections == () and not change.is_empty
    assert after["rejected_suggestions"] == [dataclasses.astuple(row)]
    apply_change(project.store, change.inverse())
    assert table_rows(project_path) == before
    assert first in suggest_for_article(project.store, article)
    apply_change(project.store, change)
    assert table_rows(project_path) == after  # the same row, rejected_at included
    assert first not in suggest_for_article(project.store, article)


def test_rejecting_twice_changes_nothing(project):
    article = add_wire(project)
    first = suggest_for_article(project.store, article)[0]
    reject(project.store, article, first, annotator="alice")
    again = reject(project.store, article, first, annotator="bob")
    assert again.is_empty  # no second undo step
    (record,) = project.store.suggestions.for_article(article)
    assert record.annotator == "alice"


def test_reject_names_a_missing_article(project):
    article = add_wire(project)
    suggestion = suggest_for_article(project.store, article)[0]
    with pytest.raises(NotFoundError):
        reject(project.store, "no-such-article", suggestion)


# -- the schema ------------------------------------------------------------------------------


def test_a_schema_1_file_is_migrated_to_schema_2_with_a_backup(tmp_path):
    path = tmp_path / "old.annotator"
    db = Database(path)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("PRAGMA journal_mode = WAL")
    migrations.apply(db, stop_before="0002_rejected_suggestions")
    db.close()

    def inspect(file) -> tuple[int, set[str]]:
        conn = sqlite3.connect(file)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            return version, tables
        finally:
            conn.close()

    assert inspect(path)[0] == 1 and "rejected_suggestions" not in inspect(path)[1]
    with Store.open(path) as store:
        assert store.suggestions.rejected_keys("any") == frozenset()
    version, tables = inspect(path)
    assert version == SCHEMA_VERSION >= 2 and "rejected_suggestions" in tables
    sidecars = {path.name, path.name + "-wal", path.name + "-shm"}
    backups = [p for p in tmp_path.rglob("*") if p.is_file() and p.name not in sidecars]
    assert backups, "a backup is written beside the project before migrating"
    assert any(inspect(b) == (1, inspect(b)[1] - {"rejected_suggestions"}) for b in backups)
    assert all(inspect(b)[0] == 1 for b in backups)
