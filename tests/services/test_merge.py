"""Merging another coder's project: matched by content, copied by id, one transaction."""

import dataclasses
import hashlib
import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import ValidationError
from annotator.core.model import CodeKind
from annotator.core.text import text_sha256
from annotator.services.backup import list_backups
from annotator.services.project import (
    ProjectFileError,
    ProjectInUseError,
    ProjectReadOnlyError,
    open_memory_project,
    open_project,
)
from annotator.services.reports import check_project
from annotator.services.team import merge as merge_module
from annotator.services.team.merge import merge_project
from annotator.services.team.merge_result import CodeConflict
from annotator.store.files.errors import UntrustedSchemaError
from annotator.store.files.lock import lock_path
from tests.conftest import TRICKY_TEXT, code_id, table_rows
from tests.test_crash_safety import holding, snapshot

QUOTE = "“We will not sit back,” Xi said. Trade talks resume in May, officials said."


def make_other(path: Path, coder: str = "bob") -> dict[str, str]:
    """Another coder's project: the shared tricky article imported on its own (other ids),
    one article of its own, codes of its own, and a claim, a mention and an issue passage."""
    with open_project(path, annotator=coder) as other:
        shared = other.articles.add(TRICKY_TEXT, source="test wire", title="Tricky").article
        own = other.articles.add(QUOTE, source="Reuters", title="Quote").article
        xi = other.codebook.find_or_create(CodeKind.SPEAKER, "Xi Jinping")[0]
        trade = other.codebook.create(CodeKind.ISSUE, "Trade talks", shortcut="t").code
        mention = other.annotations.create_speaker_mention(own.id, [(24, 26)], xi.id).annotation
        claim = other.annotations.create_claim(
            own.id, [(0, 23)], speaker_mention_id=mention.id, issue_ids=[trade.id]
        ).annotation
        passage = other.annotations.create_issue_passage(shared.id, [(0, 5)], trade.id)
        return {
            "shared": shared.id,
            "own": own.id,
            "claim": claim.id,
            "mention": mention.id,
            "passage": passage.annotation.id,
            "trade": trade.id,
        }


def test_merge_copies_by_id_matches_by_content_and_twice_changes_nothing(
    project, project_path, article_id, tmp_path
):
    other = tmp_path / "bob.annotator"
    ids = make_other(other)
    before = snapshot(other)
    result = merge_project(project.store, other)

    assert result.changed and result.annotations_added == 3
    assert result.articles_matched == 1 and result.articles_added == ("Quote",)
    assert result.sources_added == ("Reuters",)  # "test wire" is this project's "Test Wire"
    assert result.codes_added == ("issue 'Trade talks'",)
    assert result.coders == {"bob": 3}
    store = project.store
    passage = store.annotations.get(ids["passage"])
    assert passage.article_id == article_id  # attached to this project's copy of the text
    assert passage.annotator == "bob" and passage.quote == TRICKY_TEXT.replace("\r\n", "\n")[:5]
    claim = store.annotations.get(ids["claim"])
    assert claim.article_id == ids["own"]  # a free id is kept
    assert claim.speaker_mention_id == ids["mention"]
    assert claim.speaker_id == code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    assert claim.issue_ids == (ids["trade"],)
    assert store.articles.get(ids["own"]).text == QUOTE

    assert snapshot(other) == before  # the other file was only read
    assert not lock_path(other).exists()
    backups = [b for b in list_backups(project_path) if b.label == "manual"]
    assert len(backups) == 1 and result.backup == backups[0].path

    rows = table_rows(project_path)
    again = merge_project(store, other)
    assert not again.changed and again.backup is None
    assert (again.annotations_unchanged, again.articles_matched, again.codes_added) == (3, 2, ())
    assert table_rows(project_path) == rows
    assert len([b for b in list_backups(project_path) if b.label == "manual"]) == 1
    assert "Nothing to change." in again.lines()


def test_the_backup_holds_the_project_as_it_was_before(project, project_path, tmp_path):
    other = tmp_path / "bob.annotator"
    make_other(other)
    rows = table_rows(project_path)
    result = merge_project(project.store, other)
    assert table_rows(result.backup) == rows
    assert table_rows(project_path) != rows


def test_conflicting_codes_are_reported_and_this_projects_kept(project, tmp_path):
    here = project.store.codes
    parent = project.codebook.create(CodeKind.ISSUE, "Geopolitics").code
    straits = project.codebook.create(CodeKind.ISSUE, "Straits", colour="#112233").code
    project.codebook.create(CodeKind.ISSUE, "Chips", parent_id=parent.id, shortcut="t")
    other = tmp_path / "bob.annotator"
    with open_project(other, annotator="bob") as theirs:
        security = theirs.codebook.create(CodeKind.ISSUE, "Security").code
        theirs.codebook.create(CodeKind.ISSUE, "straits", colour="#AA0000", parent_id=security.id)
        theirs.codebook.create(CodeKind.ISSUE, "Chips", shortcut="k")
        theirs.codebook.create(CodeKind.ISSUE, "Export rules", parent_id=security.id, shortcut="t")
    result = merge_project(project.store, other)

    assert set(result.conflicts) >= {
        CodeConflict(CodeKind.ISSUE, "Straits", "colour", "#112233", "#AA0000"),
        CodeConflict(CodeKind.ISSUE, "Straits", "parent", None, "Security"),
        CodeConflict(CodeKind.ISSUE, "Chips", "parent", "Geopolitics", None),
        CodeConflict(CodeKind.ISSUE, "Export rules", "shortcut", None, "t"),
    }
    assert here.get(straits.id) == straits  # nothing guessed
    exports = here.by_name(CodeKind.ISSUE, "Export rules")
    assert exports.shortcut is None
    assert exports.parent_id == here.by_name(CodeKind.ISSUE, "Security").id
    lines = "\n".join(result.lines())
    assert "Conflict: issue 'Straits': colour differs (here '#112233', there '#AA0000')" in lines
    assert "Conflict: issue 'Chips': parent differs (here 'Geopolitics', there none)" in lines


def test_an_edit_made_later_there_replaces_the_copy_here_and_not_the_reverse(project, tmp_path):
    other = tmp_path / "bob.annotator"
    ids = make_other(other)
    merge_project(project.store, other)
    with open_project(other, annotator="bob") as theirs:
        theirs.annotations.update(ids["claim"], note="checked again")
    result = merge_project(project.store, other)
    assert (result.annotations_updated, result.annotations_unchanged) == (1, 2)
    assert project.store.annotations.get(ids["claim"]).note == "checked again"

    project.annotations.update(ids["passage"], spans=[(0, 4)])  # the lead fixes it here
    with open_project(other, annotator="bob") as theirs:
        older = theirs.store.annotations.get(ids["passage"])
        theirs.store.annotations.update(dataclasses.replace(older, note="stale"))
    result = merge_project(project.store, other)
    assert result.annotations_kept == 1 and not result.changed
    assert project.store.annotations.get(ids["passage"]).end == 4


def test_a_failed_merge_writes_nothing(project, project_path, tmp_path, monkeypatch):
    other = tmp_path / "bob.annotator"
    make_other(other)
    rows = table_rows(project_path)
    calls = []

    def fail_on_second(annotation):
        calls.append(annotation)
        if len(calls) == 2:
            raise RuntimeError("disk gone")
        original(annotation)

    original = project.store.annotations.add
    monkeypatch.setattr(project.store.annotations, "add", fail_on_second)
    with pytest.raises(RuntimeError):
        merge_project(project.store, other)
    assert table_rows(project_path) == rows


def test_refuses_itself_what_is_no_project_and_a_project_in_use(project, project_path, tmp_path):
    with pytest.raises(ValidationError, match="is this project"):
        merge_project(project.store, project_path)
    with pytest.raises(ProjectFileError, match="There is no project"):
        merge_project(project.store, tmp_path / "missing.annotator")
    text = tmp_path / "notes.annotator"
    text.write_text("not a database")
    with pytest.raises(ProjectFileError, match="not an Annotator project"):
        merge_project(project.store, text)
    other = tmp_path / "bob.annotator"
    make_other(other)
    rows = table_rows(project_path)
    with holding(other), pytest.raises(ProjectInUseError, match="Close it there first"):
        merge_project(project.store, other)
    assert table_rows(project_path) == rows


def test_a_project_in_a_read_only_folder_is_merged_without_a_lock(project, tmp_path, monkeypatch):
    """No lock file can be made there, and no Annotator can be writing there either."""
    other = tmp_path / "bob.annotator"
    make_other(other)

    def read_only(path, **_kw):
        raise ProjectReadOnlyError(f"Cannot create the lock file for {path}")

    monkeypatch.setattr(merge_module.ProjectLock, "acquire", read_only)
    assert merge_project(project.store, other).annotations_added == 3


def test_a_project_this_process_has_open_is_read_with_its_journal(project, tmp_path):
    other = tmp_path / "bob.annotator"
    make_other(other)
    with open_project(other, annotator="bob") as theirs:
        article = theirs.store.articles.summaries()[0].id
        theirs.annotations.create_issue_passage(
            article, [(0, 3)], code_id(theirs, CodeKind.ISSUE, "Taiwan")
        )  # still in the -wal file
        assert merge_project(project.store, other).annotations_added == 4


def test_a_newer_project_is_refused(project, tmp_path):
    other = tmp_path / "bob.annotator"
    make_other(other)
    conn = sqlite3.connect(other)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(ProjectFileError, match="newer version"):
        merge_project(project.store, other)


def test_merge_into_a_project_in_memory_needs_no_backup(tmp_path):
    other = tmp_path / "bob.annotator"
    make_other(other)
    target = open_memory_project(annotator="lead")
    try:
        result = merge_project(target.store, other)
        assert result.backup is None and result.annotations_added == 3
        assert len(target.store.articles.summaries()) == 2
    finally:
        target.close()


def test_a_tampered_project_is_refused_before_any_of_its_rows_is_read(
    project, project_path, tmp_path, monkeypatch
):
    """One of Annotator's own triggers with another body, and a stale row that would fire it
    when the copy is opened: refused at the door, the other file and this project untouched."""
    other = tmp_path / "bob.annotator"
    make_other(other)
    conn = sqlite3.connect(other)
    conn.execute("DROP TRIGGER issue_coverage_insert")
    conn.execute(
        "CREATE TRIGGER issue_coverage_insert AFTER INSERT ON issue_coverage BEGIN "
        "UPDATE issue_coverage SET passages = passages + 1; DELETE FROM fragments; END"
    )
    conn.execute("INSERT INTO coverage_stale SELECT id, '' FROM articles")
    conn.commit()
    conn.close()
    digest = hashlib.sha256(other.read_bytes()).hexdigest()
    before, rows = snapshot(other), table_rows(project_path)

    def no_rows_read(_path):
        raise AssertionError("the other project was opened")

    monkeypatch.setattr(merge_module.Store, "open", no_rows_read)
    with pytest.raises(UntrustedSchemaError, match="trigger 'issue_coverage_insert' differs"):
        merge_project(project.store, other)
    assert hashlib.sha256(other.read_bytes()).hexdigest() == digest
    assert snapshot(other) == before and not lock_path(other).exists()
    assert table_rows(project_path) == rows


# -- a hostile merge source ---------------------------------------------------------------------


def tamper(path: Path, *statements: str) -> None:
    """Rows changed behind Annotator's back, the schema left as it is (CHECK constraints are
    no obstacle to someone with sqlite3)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def make_hostile(path: Path) -> dict[str, str]:
    """make_other's project with more articles and annotations, each one to be tampered
    with on its own."""
    ids = make_other(path)
    with open_project(path, annotator="bob") as other:
        taiwan = code_id(other, CodeKind.ISSUE, "Taiwan")
        xi = code_id(other, CodeKind.SPEAKER, "Xi Jinping")
        for name in ("bogus", "forged", "sound"):
            article = other.articles.add(f"The {name} article.", source="Reuters").article
            ids[name] = article.id
            ids[f"{name} passage"] = other.annotations.create_issue_passage(
                article.id, [(4, 4 + len(name))], taiwan
            ).annotation.id
        ids["long"] = other.annotations.create_issue_passage(
            ids["shared"], [(6, 10)], taiwan
        ).annotation.id
        ids["future"] = other.annotations.create_speaker_mention(
            ids["sound"], [(0, 3)], xi
        ).annotation.id
        ids["stance"] = other.annotations.create_claim(ids["sound"], [(4, 9)]).annotation.id
        person = other.codebook.create(CodeKind.SPEAKER, "Nobody").code
        ids["person"] = person.id
        ids["person mention"] = other.annotations.create_speaker_mention(
            ids["sound"], [(10, 17)], person.id
        ).annotation.id
    return ids


def test_a_hostile_source_is_checked_row_by_row_and_the_rest_merged(project, tmp_path):
    other = tmp_path / "other.annotator"
    ids = make_hostile(other)
    tamper(
        other,
        f"UPDATE fragments SET \"end\" = 1000000000 WHERE annotation_id = '{ids['long']}'",
        f"UPDATE articles SET sha256 = '{'0' * 64}' WHERE id = '{ids['forged']}'",
        f"UPDATE articles SET status = 'archived' WHERE id = '{ids['bogus']}'",
        f"UPDATE annotations SET updated_at = '9999-12-31T00:00:00.000+00:00' "
        f"WHERE id = '{ids['future']}'",
        f"UPDATE annotations SET stance = 'furious' WHERE id = '{ids['stance']}'",
        f"UPDATE codes SET kind = 'person' WHERE id = '{ids['person']}'",
    )
    result = merge_project(project.store, other)

    assert dict(result.refused) == {
        "fragment outside the text": 1,
        "hash mismatch": 1,
        "unknown status": 1,
        # the forged and the bogus article's passages, and bob's status of each (his first
        # annotation in an article marks it in progress for him)
        "its article was refused": 4,
        "time in the future": 1,
        "unknown stance": 1,
        "unknown code kind": 1,
        "its code was refused": 1,
    }
    lines = result.lines()
    assert lines[2].startswith(
        "Refused 11 rows from other.annotator: its article was refused (4), "
    )
    assert "fragment outside the text (1)" in lines[2] and "hash mismatch (1)" in lines[2]
    store = project.store
    assert result.annotations_added == 4  # the claim, mention and passage of make_other, and
    assert store.annotations.get(ids["sound passage"]).annotator == "bob"  # this one
    assert store.articles.by_sha256(text_sha256("The sound article.")) is not None
    for refused in ("long", "future", "stance", "person mention", "bogus passage"):
        assert not store.merging.existing_ids("annotations", [ids[refused]])
    assert store.articles.by_sha256(text_sha256("The forged article.")) is None
    assert store.codes.by_name(CodeKind.SPEAKER, "Nobody") is None
    assert check_project(store) == []
    again = merge_project(store, other)  # nothing refused before is let in on a second try
    assert not again.changed and dict(again.refused) == dict(result.refused)


#: A change to make_hostile's project, and the reason the merge refuses the row for.
RULES = [
    ("UPDATE fragments SET quote = 'other words' WHERE annotation_id = '{passage}'",
     "quote differs from the text"),
    ("UPDATE fragments SET start = 3, \"end\" = 3 WHERE annotation_id = '{passage}'",
     "empty fragment"),
    ("UPDATE fragments SET start = 'x' WHERE annotation_id = '{passage}'",
     "value of the wrong type"),
    ("DELETE FROM fragments WHERE annotation_id = '{passage}'",
     "annotation without a fragment"),
    ("UPDATE annotations SET updated_at = 'yesterday' WHERE id = '{passage}'",
     "unreadable time"),
    ("UPDATE annotations SET kind = 'claim' WHERE id = '{passage}'",
     "fields its kind cannot have"),
    ("UPDATE annotations SET annotator = ' ' WHERE id = '{passage}'",
     "annotation without an annotator"),
    ("UPDATE annotations SET code_id = (SELECT id FROM codes WHERE kind = 'speaker' LIMIT 1)"
     " WHERE id = '{passage}'", "code of the wrong kind"),
    ("UPDATE articles SET text = text || char(13) WHERE id = '{sound}'",
     "text not in canonical form"),
    ("UPDATE codes SET colour = 'red' WHERE id = '{trade}'", "colour not of the form #rrggbb"),
    ("UPDATE codes SET shortcut = 'tt' WHERE id = '{trade}'", "shortcut not a single key"),
    ("UPDATE codes SET parent_id = '{trade}' WHERE id = '{trade}'", "loop of parent issues"),
    ("UPDATE annotations SET speaker_id = NULL WHERE id = '{claim}'",
     "speaker mention that does not fit the claim"),
]  # fmt: skip


@pytest.mark.parametrize(("statement", "reason"), [pytest.param(s, r, id=r) for s, r in RULES])
def test_each_rule_refuses_its_row(project, tmp_path, statement, reason):
    other = tmp_path / "other.annotator"
    ids = make_hostile(other)
    tamper(other, statement.format(**ids))
    result = merge_project(project.store, other)
    assert reason in dict(result.refused)
    assert check_project(project.store) == []


def test_a_damaged_source_is_still_refused_whole(project, tmp_path):
    other = tmp_path / "other.annotator"
    make_hostile(other)
    conn = sqlite3.connect(other)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'fragments'").fetchone()
    (size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    data = bytearray(other.read_bytes())
    start = (root - 1) * size
    data[start + 8 : start + size] = b"\xa5" * (size - 8)  # the fragments' page, garbled
    other.write_bytes(bytes(data))
    with pytest.raises(ProjectFileError, match=r"damaged|malformed"):
        merge_project(project.store, other)
    assert check_project(project.store) == []


def test_a_claim_whose_mention_was_recoded_here_is_refused(project, tmp_path):
    """Not hostile, only unlucky: the lead recoded the mention here, bob edited the claim
    later there. Merged, the claim would name a speaker its mention does not."""
    other = tmp_path / "bob.annotator"
    ids = make_other(other)
    merge_project(project.store, other)
    biden = project.codebook.find_or_create(CodeKind.SPEAKER, "Joe Biden")[0]
    project.annotations.update(ids["mention"], code_id=biden.id)  # its claim follows it here
    with open_project(other, annotator="bob") as theirs:
        theirs.annotations.update(ids["claim"], note="edited later, still Xi's")
    result = merge_project(project.store, other)
    assert dict(result.refused) == {"speaker mention that differs here": 1}
    assert project.store.annotations.get(ids["claim"]).speaker_id == biden.id
    assert check_project(project.store) == []


def test_a_mention_recoded_there_is_kept_as_here_while_claims_here_cite_it(project, tmp_path):
    other = tmp_path / "bob.annotator"
    ids = make_other(other)
    merge_project(project.store, other)
    with open_project(other, annotator="bob") as theirs:
        biden = theirs.codebook.find_or_create(CodeKind.SPEAKER, "Joe Biden")[0]
        theirs.annotations.update(ids["mention"], code_id=biden.id)  # and its claim there
    project.annotations.update(ids["claim"], note="the lead's later edit")  # kept here
    result = merge_project(project.store, other)
    assert dict(result.refused) == {"edit of a speaker mention that claims here cite": 1}
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    assert project.store.annotations.get(ids["mention"]).code_id == xi
    assert check_project(project.store) == []
