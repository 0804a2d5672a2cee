"""A merge keeps article variables: taken where this project has none, this project's value
kept (and said) where they differ."""

import sqlite3
from pathlib import Path

from annotator.services.project import open_project
from annotator.services.team.merge import merge_project
from tests.conftest import TRICKY_TEXT


def variables(path: Path) -> dict[tuple[str, str], str]:
    """(article title, name) → value."""
    with open_project(path, create=False, read_only=True) as project:
        return {
            (project.store.articles.get(v.article_id).title, v.name): v.value
            for v in project.store.variables.all()
        }


def test_merge_takes_the_variables_this_project_lacks(tmp_path: Path):
    mine, theirs = tmp_path / "alice.annotator", tmp_path / "bob.annotator"
    with open_project(mine, annotator="alice") as project:
        shared = project.articles.add(TRICKY_TEXT, source="Wire", title="Tricky").article
        project.variables.set(shared.id, "Outlet_Type", "agency")
        project.variables.set(shared.id, "country", "US")
    with open_project(theirs, annotator="bob") as other:
        copy = other.articles.add(TRICKY_TEXT, source="wire", title="Tricky (bob)").article
        own = other.articles.add("Bob's own article.", source="Daily", title="Own").article
        other.variables.set(copy.id, "outlet_type", "agency")  # the same, another spelling
        other.variables.set(copy.id, "country", "CN")  # differs: ours is kept
        other.variables.set(copy.id, "section", "World 🌍")  # new to this article
        other.variables.set(own.id, "outlet_type", "tabloid")  # on an article merged in
    with open_project(mine, annotator="alice") as project:
        result = merge_project(project.store, theirs)
    assert result.variables_set == 2
    assert "Article variables: 2 taken from the other project" in result.lines()
    assert (
        "Conflict: article 'Tricky': variable 'country' differs (here 'US', there 'CN'); "
        "kept this project's"
    ) in result.lines()
    assert variables(mine) == {
        ("Tricky", "Outlet_Type"): "agency",
        ("Tricky", "country"): "US",
        ("Tricky", "section"): "World 🌍",
        ("Own", "Outlet_Type"): "tabloid",
    }
    with open_project(mine, annotator="alice") as project:  # a second merge changes nothing
        again = merge_project(project.store, theirs)
    assert again.variables_set == 0 and not again.changed


def test_variables_alone_make_a_merge_change_something(tmp_path: Path):
    mine, theirs = tmp_path / "alice.annotator", tmp_path / "bob.annotator"
    with open_project(mine, annotator="alice") as project:
        project.articles.add(TRICKY_TEXT, source="Wire", title="Tricky")
    with open_project(theirs, annotator="bob") as other:
        copy = other.articles.add(TRICKY_TEXT, source="Wire", title="Tricky").article
        other.variables.set(copy.id, "country", "UK")
    with open_project(mine, annotator="alice") as project:
        result = merge_project(project.store, theirs)
    assert result.changed and result.backup is not None
    assert variables(mine) == {("Tricky", "country"): "UK"}


def test_a_variable_this_version_would_refuse_is_left_out_and_said(tmp_path: Path):
    mine, theirs = tmp_path / "alice.annotator", tmp_path / "bob.annotator"
    with open_project(mine, annotator="alice") as project:
        project.articles.add(TRICKY_TEXT, source="Wire", title="Tricky")
    with open_project(theirs, annotator="bob") as other:
        copy = other.articles.add(TRICKY_TEXT, source="Wire", title="Tricky").article
        other.variables.set(copy.id, "country", "UK")
    conn = sqlite3.connect(theirs)  # as another program (or version) might have written it
    with conn:
        conn.execute(
            "INSERT INTO article_variables VALUES (?, 'status', 'done'), (?, 'note', ?)",
            [copy.id, copy.id, "x" * 5000],
        )
    conn.close()
    with open_project(mine, annotator="alice") as project:
        result = merge_project(project.store, theirs)
    assert variables(mine) == {("Tricky", "country"): "UK"}
    refused = [line for line in result.lines() if line.startswith("Variable not taken")]
    assert len(refused) == 2
    assert any("'status' is a fixed article column" in line for line in refused)
    assert any("The value of 'note' is too long (5,000 characters" in line for line in refused)
