"""Article variables (migration 0009): the migration from a version-8 file, the name and
value checks, and editing through Changes that undo."""

import re
from pathlib import Path

import pytest
from sqlite_utils import Database

from annotator.core.errors import ConflictError, NotFoundError, ValidationError
from annotator.core.variables import MAX_NAME, MAX_VALUE, ArticleVariable, check_name
from annotator.services.changes import apply_change, compose
from annotator.services.project import Project, open_memory_project
from annotator.store import Store
from annotator.store.files.project_file import APPLICATION_ID, inspect_project_file
from annotator.store.migrations import SCHEMA_VERSION, migrations


@pytest.fixture
def project() -> Project:
    project = open_memory_project()
    project.articles.add("One text about ports.", source="Wire", title="One")
    project.articles.add("Another text.", source="Daily", title="Two")
    return project


def ids(project: Project) -> list[str]:
    return [a.id for a in project.store.articles.iter_all()]


def test_a_version_8_file_gains_the_table_and_keeps_its_articles(tmp_path: Path):
    path = tmp_path / "old.annotator"
    db = Database(path)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    migrations.apply(db, stop_before="0009_article_variables")
    assert db.execute("PRAGMA user_version").fetchone()[0] == 8
    with db.conn:
        db.execute("INSERT INTO sources (id, name) VALUES ('s', 'Wire')")
        db.execute(
            "INSERT INTO articles (id, source_id, title, text, sha256, created_at) "
            "VALUES ('a', 's', 'Old', 'old text', 'sha', 'then')"
        )
    db.close()
    with Store.open(path) as store:
        assert store.variables.for_article("a") == []
        store.variables.put(ArticleVariable("a", "country", "UK"))
        assert store.variables.names() == [("country", 1)]
        assert store.articles.get("a").title == "Old"
    assert inspect_project_file(path) == SCHEMA_VERSION >= 9  # migrated to the newest


def test_the_table_refuses_a_blank_name_and_follows_its_article(project: Project):
    store = project.store
    first = ids(project)[0]
    with pytest.raises(Exception, match="CHECK"):
        store.variables.put(ArticleVariable(first, "  ", "x"))
    store.variables.put(ArticleVariable(first, "country", "UK"))
    with store._db.atomic():  # articles are never deleted by the app; the cascade still holds
        store._db.execute("DELETE FROM annotations")
        store._db.execute("DELETE FROM articles WHERE id = ?", [first])
    assert store.variables.all() == []


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("", "needs a name"),
        ("   ", "needs a name"),
        ("out\tlet", "control character (U+0009)"),
        ("out\nlet", "control character (U+000A)"),
        ("bidi\u202eevil", "control character (U+202E)"),
        ("x" * (MAX_NAME + 1), "the limit is 100"),
        ("status", "fixed article column"),
        ("Title", "fixed article column"),
        (" ARTICLE_ID ", "fixed article column"),
        ("Annotations", "fixed article column"),
    ],
)
def test_bad_names_are_refused_with_a_reason(project: Project, name: str, says: str):
    with pytest.raises(ValidationError, match=re.escape(says)):
        project.variables.set(ids(project)[0], name, "tabloid")
    assert project.store.variables.all() == []


def test_names_are_trimmed_and_may_hold_spaces_emoji_and_joiners():
    assert check_name("  outlet type ") == "outlet type"
    assert check_name("région 🇫🇷") == "région 🇫🇷"
    assert check_name("می\u200cخواهم") == "می\u200cخواهم"  # a zero-width non-joiner: Persian


@pytest.mark.parametrize(
    ("value", "says"),
    [("", "needs a value"), ("  ", "needs a value"), ("a\x00b", "control character"),
     ("x" * (MAX_VALUE + 1), "the limit is 1,000")],
)  # fmt: skip
def test_bad_values_are_refused(project: Project, value: str, says: str):
    with pytest.raises(ValidationError, match=says):
        project.variables.set(ids(project)[0], "outlet_type", value)


def test_a_value_keeps_its_line_breaks_as_lf(project: Project):
    first = ids(project)[0]
    project.variables.set(first, "note", " two\r\nlines\t! ")
    assert project.variables.of_article(first) == [ArticleVariable(first, "note", "two\nlines\t!")]


def test_a_name_takes_the_spelling_of_an_existing_one_ignoring_case(project: Project):
    first, second = ids(project)
    project.variables.set(first, "Outlet Type", "tabloid")
    project.variables.set(second, "outlet type", "broadsheet")
    assert project.variables.names() == [("Outlet Type", 2)]
    assert project.variables.values("OUTLET TYPE") == [("broadsheet", 1), ("tabloid", 1)]
    with pytest.raises(ValidationError, match=r"No variable named 'country' \(variables: Outlet"):
        project.variables.values("country")


def test_each_edit_is_a_change_that_undoes(project: Project):
    first = ids(project)[0]
    added = project.variables.set(first, "country", "UK")
    changed = project.variables.set(first, "country", "FR")
    renamed = project.variables.set(first, "nation", "FR", replacing="country")
    assert project.variables.of_article(first) == [ArticleVariable(first, "nation", "FR")]
    removed = project.variables.delete(first, "nation")
    assert project.variables.of_article(first) == []
    for change, left in (
        (removed, [ArticleVariable(first, "nation", "FR")]),
        (renamed, [ArticleVariable(first, "country", "FR")]),
        (changed, [ArticleVariable(first, "country", "UK")]),
        (added, []),
    ):
        apply_change(project.store, change.inverse())
        assert project.variables.of_article(first) == left
    assert changed.variable_article_ids == {first}


def test_compose_covers_variables(project: Project):
    first = ids(project)[0]
    parts = [project.variables.set(first, "country", "UK"),
             project.variables.set(first, "country", "FR")]  # fmt: skip
    joined = compose("two edits", parts)
    assert joined.before.variables == ()
    assert joined.after.variables == (ArticleVariable(first, "country", "FR"),)
    apply_change(project.store, joined.inverse())
    assert project.variables.of_article(first) == []


def test_setting_the_same_value_changes_nothing(project: Project):
    first = ids(project)[0]
    project.variables.set(first, "country", "UK")
    assert project.variables.set(first, "Country", " UK ").is_empty


def test_edits_of_what_is_not_there_are_refused(project: Project):
    first, second = ids(project)
    project.variables.set(first, "country", "UK")
    project.variables.set(first, "section", "World")
    with pytest.raises(NotFoundError):
        project.variables.set("no-such-article", "country", "UK")
    with pytest.raises(ValidationError, match="has no variable 'region'"):
        project.variables.delete(second, "region")
    with pytest.raises(ValidationError, match="has no variable 'region'"):
        project.variables.set(first, "x", "y", replacing="region")
    with pytest.raises(ConflictError, match="already has a variable 'section'"):
        project.variables.set(first, "Section", "UK", replacing="country")
    assert len(project.store.variables.all()) == 2
