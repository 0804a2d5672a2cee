"""Article variables from an import: a manifest's extra columns and a text file's extra front
matter keys; each file's bad value refused on its own."""

from pathlib import Path

import pytest

from annotator.core.model import AnnotationKind
from annotator.core.variables import MAX_PER_ARTICLE
from annotator.services.interchange.importing import ImportStatus, import_paths
from annotator.services.project import Project, open_memory_project


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project() -> Project:
    return open_memory_project()


def variables_of(project: Project, article_id: str | None) -> dict[str, str]:
    assert article_id is not None
    return {v.name: v.value for v in project.variables.of_article(article_id)}


def test_extra_columns_become_variables_and_blank_cells_none(project: Project, tmp_path: Path):
    write(tmp_path / "a.txt", "Article A.\n")
    write(tmp_path / "b.txt", "Article B.\n")
    manifest = write(
        tmp_path / "m.csv",
        "file,source,Outlet Type,country\na.txt,Daily Mail,tabloid,“UK” 🇬🇧\nb.txt,BBC,,\n",
    )
    report = import_paths(project, [], manifest=manifest)
    assert report.summary_lines() == [
        "Import finished: 2 imported, 0 duplicate, 0 rejected, 0 skipped."
    ]
    a, b = (o.article_id for o in report.outcomes)
    assert variables_of(project, a) == {"Outlet Type": "tabloid", "country": "“UK” 🇬🇧"}
    assert variables_of(project, b) == {}


def test_a_column_matching_a_variable_ignoring_case_takes_its_spelling(
    project: Project, tmp_path: Path
):
    first = project.articles.add("Already here.", source="Wire").article
    project.variables.set(first.id, "Outlet_Type", "agency")
    write(tmp_path / "a.txt", "Article A.\n")
    manifest = write(tmp_path / "m.csv", "file,source,OUTLET_TYPE\na.txt,Daily Mail,tabloid\n")
    [outcome] = import_paths(project, [], manifest=manifest).outcomes
    assert variables_of(project, outcome.article_id) == {"Outlet_Type": "tabloid"}
    assert project.variables.names() == [("Outlet_Type", 2)]


def test_columns_that_cannot_name_a_variable_are_ignored_and_said(project: Project, tmp_path: Path):
    write(tmp_path / "a.txt", "Article A.\n")
    manifest = write(
        tmp_path / "m.csv", "file,source,STATUS,characters,sec\x07tion,section\na.txt,W,x,1,y,z\n"
    )
    report = import_paths(project, [], manifest=manifest)
    [skipped] = [o for o in report.outcomes if o.status is ImportStatus.SKIPPED]
    assert skipped.reason.startswith("manifest columns ignored: 'STATUS' ('STATUS' is a fixed")
    assert "'characters' ('characters' is a fixed article column" in skipped.reason
    assert "holds a control character (U+0007)" in skipped.reason
    [imported] = [o for o in report.outcomes if o.status is ImportStatus.IMPORTED]
    assert variables_of(project, imported.article_id) == {"section": "z"}


def test_an_overlong_value_refuses_its_file_only(project: Project, tmp_path: Path):
    write(tmp_path / "a.txt", "Article A.\n")
    write(tmp_path / "b.txt", "Article B.\n")
    manifest = write(
        tmp_path / "m.csv", f"file,source,notes\na.txt,W,{'x' * 1001}\nb.txt,W,short\n"
    )
    report = import_paths(project, [], manifest=manifest)
    assert report.summary_lines() == [
        f"rejected: {tmp_path / 'a.txt'}: the value of 'notes' is too long (1,001 characters; "
        "the limit is 1,000) in the manifest",
        "Import finished: 1 imported, 0 duplicate, 1 rejected, 0 skipped.",
    ]
    assert project.store.articles.count() == 1
    assert [(v.name, v.value) for v in project.store.variables.all()] == [("notes", "short")]


def test_a_manifest_of_too_many_variable_columns_is_refused(project: Project, tmp_path: Path):
    write(tmp_path / "a.txt", "Article A.\n")
    names = [f"v{i}" for i in range(MAX_PER_ARTICLE + 1)]
    manifest = write(
        tmp_path / "m.csv", f"file,source,{','.join(names)}\na.txt,W,{','.join(names)}\n"
    )
    [outcome] = import_paths(project, [], manifest=manifest).outcomes
    assert outcome.status is ImportStatus.REJECTED
    assert outcome.reason == "manifest not imported: 101 variable columns; the limit is 100"
    assert project.store.articles.count() == 0


def test_front_matter_keys_become_variables_and_the_manifest_wins(project: Project, tmp_path: Path):
    write(
        tmp_path / "a.txt",
        "---\nsource: BBC\ncountry: FR\nsection: World\nyear: 2024\ntags: [a, b]\n"
        "status: draft\nempty:\n---\nArticle A.\n",
    )
    manifest = write(tmp_path / "m.csv", "file,country\na.txt,UK\n")
    [outcome] = import_paths(project, [], manifest=manifest).outcomes
    assert outcome.status is ImportStatus.IMPORTED
    assert variables_of(project, outcome.article_id) == {
        "country": "UK", "section": "World", "year": "2024",
    }  # fmt: skip
    assert outcome.details[0] == "front matter 'tags' not kept as a variable: a list or mapping"
    assert outcome.details[1].startswith("front matter 'status' not kept as a variable: 'status'")


def test_an_overlong_front_matter_value_refuses_the_file(project: Project, tmp_path: Path):
    path = write(tmp_path / "a.txt", f"---\nsource: W\nnotes: {'y' * 1001}\n---\nArticle A.\n")
    [outcome] = import_paths(project, [path]).outcomes
    assert outcome.reason == (
        "the value of 'notes' is too long (1,001 characters; the limit is 1,000) "
        "in the front matter"
    )
    assert project.store.articles.count() == 0


def test_a_duplicate_adds_what_its_article_lacks_and_keeps_what_it_has(
    project: Project, tmp_path: Path
):
    write(tmp_path / "a.txt", "Article A.\n")
    first = write(tmp_path / "m1.csv", "file,source,country\na.txt,W,UK\n")
    [imported] = import_paths(project, [], manifest=first).outcomes
    again = write(tmp_path / "m2.csv", "file,source,country,section\na.txt,W,FR,World\n")
    report = import_paths(project, [], manifest=again)
    assert report.summary_lines() == [
        f"duplicate: {tmp_path / 'a.txt'}: the same text is already in the project as "
        "'Article A.'; 1 variable added to it",
        "  variable 'country' kept as 'UK' (this file: 'FR')",
        "Import finished: 0 imported, 1 duplicate, 0 rejected, 0 skipped.",
    ]
    assert variables_of(project, imported.article_id) == {"country": "UK", "section": "World"}
    assert import_paths(project, [], manifest=again).outcomes[0].reason.endswith("'Article A.'")


def test_brat_files_from_a_manifest_keep_their_variables(project: Project, tmp_path: Path):
    write(tmp_path / "a.txt", "Xi spoke.\n")
    write(tmp_path / "a.ann", "T1\tSource 0 2\tXi\n")
    manifest = write(tmp_path / "m.csv", "file,source,country\na.txt,Wire,CN\n")
    report = import_paths(
        project, [], manifest=manifest, format="brat", brat_map={"Source": AnnotationKind.SPEAKER}
    )
    [outcome] = report.outcomes
    assert outcome.status is ImportStatus.IMPORTED
    assert variables_of(project, outcome.article_id) == {"country": "CN"}


def test_a_brat_file_with_an_overlong_value_is_refused_whole(project: Project, tmp_path: Path):
    write(tmp_path / "a.txt", "Xi spoke.\n")
    write(tmp_path / "a.ann", "T1\tSource 0 2\tXi\n")
    manifest = write(tmp_path / "m.csv", f"file,source,notes\na.txt,Wire,{'z' * 1001}\n")
    [outcome] = import_paths(project, [], manifest=manifest, format="brat").outcomes
    assert outcome.status is ImportStatus.REJECTED
    assert "'notes' is too long" in outcome.reason
    assert project.store.articles.count() == 0
