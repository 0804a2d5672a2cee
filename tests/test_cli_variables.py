"""Article variables headless: a manifest's extra columns round-trip through
``annotator export --articles``, and ``annotator coverage --where/--by`` filter and group by
them (numbers counted by hand on a tiny project)."""

import csv
from dataclasses import replace
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.model import ArticleStatus, CodeKind
from annotator.services.coverage import (
    CoverageFilter,
    annotations_behind,
    coverage_table,
    variable_pairs,
)
from annotator.services.project import open_project

TEXTS = {
    "a.txt": "Ports are busy. Taiwan is tense.\n",  # 33 code points
    "b.txt": "Ports again here.\n",  # 18
    "c.txt": "Taiwan news “today” 🇹🇼.\n",  # 24
    "d.txt": "Nothing to see.\n",  # 16
}
MANIFEST = (
    "file,title,source,published,outlet_type,country,notes\n"
    'a.txt,A,Daily Mail,2024-01-02,tabloid,UK,=HYPERLINK("x")\n'
    "b.txt,B,The Sun,2024-01-03,tabloid,UK,\n"
    "c.txt,C,The Times,2024-01-04,broadsheet,UK,\n"
    "d.txt,D,Le Monde,2024-01-05,,FR,\n"
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    """A project of the four articles, imported through the manifest."""
    for name, text in TEXTS.items():
        write(tmp_path / "in" / name, text)
    manifest = write(tmp_path / "in" / "m.csv", MANIFEST)
    project_file = tmp_path / "p.annotator"
    assert main(["--project", str(project_file), "import", "--manifest", str(manifest)]) == 0
    return project_file


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_variables_round_trip_through_the_articles_export(imported: Path, tmp_path: Path, capsys):
    out = tmp_path / "articles.csv"
    args = ["--project", str(imported), "--annotator", "alice", "export", "--articles", str(out)]
    assert main(args) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"Wrote 4 articles to {out} (statuses: alice's)"
    )
    header, *rows = read_csv(out)
    assert header == [
        "article_id", "title", "source", "published", "author", "url", "status", "characters",
        "annotations", "country", "notes", "outlet_type",
    ]  # fmt: skip
    by_title = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert [row[1] for row in rows] == ["A", "D", "B", "C"]  # by source: Daily, Le, The S, The T
    assert by_title["A"]["notes"] == '\'=HYPERLINK("x")'  # neutralised
    assert (by_title["A"]["outlet_type"], by_title["A"]["country"]) == ("tabloid", "UK")
    assert (by_title["D"]["outlet_type"], by_title["D"]["country"]) == ("", "FR")
    assert by_title["C"]["characters"] == "24"
    assert by_title["C"]["status"] == "new"
    assert main([*args, "--raw"]) == 0
    raw = {row[1]: row for row in read_csv(out)[1:]}
    assert raw["A"][10] == '=HYPERLINK("x")'
    # Back in: the export's variable columns are a manifest's extra columns.
    with open_project(imported, create=False, read_only=True) as project:
        stored = {
            project.store.articles.get(v.article_id).title: v.value
            for v in project.store.variables.all()
            if v.name == "outlet_type"
        }
    assert stored == {"A": "tabloid", "B": "tabloid", "C": "broadsheet"}


def test_the_status_column_is_the_coders(imported: Path, tmp_path: Path):
    with open_project(imported, annotator="bob") as project:
        first = next(a for a in project.store.articles.iter_all() if a.title == "A")
        project.articles.set_status(first.id, ArticleStatus.DONE)
    out = tmp_path / "articles.csv"
    for coder, status in (("bob", "done"), ("alice", "new")):
        args = ["--project", str(imported), "--annotator", coder, "export", "--articles", str(out)]
        assert main(args) == 0
        rows = {row[1]: row for row in read_csv(out)[1:]}
        assert rows["A"][6] == status


def test_the_articles_export_refuses_an_unknown_source(imported: Path, tmp_path: Path, capsys):
    out = tmp_path / "articles.csv"
    args = ["--project", str(imported), "export", "--articles", str(out), "--source", "Nope"]
    assert main(args) == 2
    assert "No source named 'Nope'" in capsys.readouterr().err
    assert not out.exists()


def annotate(project_file: Path) -> None:
    """Issue passages: Ports on A (0-15) and B (0-17); Taiwan on A twice, overlapping
    (16-32 and 16-22: 16 characters covered), and on C (0-6). D has none."""
    with open_project(project_file, annotator="alice") as project:
        ports = project.codebook.create(CodeKind.ISSUE, "Ports").code
        taiwan = project.store.codes.by_name(CodeKind.ISSUE, "Taiwan")
        assert ports is not None and taiwan is not None
        articles = {a.title: a for a in project.store.articles.iter_all()}
        for title, issue, start, end in (
            ("A", ports, 0, 15), ("B", ports, 0, 17), ("A", taiwan, 16, 32),
            ("A", taiwan, 16, 22), ("C", taiwan, 0, 6),
        ):  # fmt: skip
            project.annotations.create_issue_passage(articles[title].id, [(start, end)], issue.id)


def coverage(project_file: Path, tmp_path: Path, *args: str) -> list[dict[str, str]]:
    """The tidy CSV's rows with counts, as dicts; zeros left out."""
    out = tmp_path / "coverage.csv"
    assert main(["--project", str(project_file), "coverage", "--csv", str(out), *args]) == 0
    with out.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["annotations"] != "0"]


def cells(rows: list[dict[str, str]], first: str) -> set[tuple[str, ...]]:
    return {(r[first], r["issue"], r["annotations"], r["characters"], r["articles"]) for r in rows}


def test_coverage_grouped_by_a_variable(imported: Path, tmp_path: Path, capsys):
    annotate(imported)
    rows = coverage(imported, tmp_path, "--by", "Outlet_Type")  # any case
    assert cells(rows, "outlet_type") == {
        ("tabloid", "Ports", "2", "32", "2"),  # A 15 + B 17
        ("tabloid", "Taiwan", "2", "16", "1"),  # A's two passages, their union
        ("broadsheet", "Taiwan", "1", "6", "1"),
    }
    share = {(r["outlet_type"], r["issue"]): float(r["share_of_text"]) for r in rows}
    assert share["tabloid", "Ports"] == pytest.approx(32 / 51)  # A 33 + B 18 characters
    assert share["broadsheet", "Taiwan"] == pytest.approx(6 / 24)
    out = capsys.readouterr().out
    assert "Annotations by outlet_type and issue (4 articles in 3 groups)" in out
    assert "(none)" in out  # D, without the variable: a row of its own, with no annotations


def test_coverage_filtered_by_variables(imported: Path, tmp_path: Path, capsys):
    annotate(imported)
    tabloid = coverage(imported, tmp_path, "--where", "outlet_type=tabloid")
    assert cells(tabloid, "source") == {
        ("Daily Mail", "Ports", "1", "15", "1"),
        ("Daily Mail", "Taiwan", "2", "16", "1"),
        ("The Sun", "Ports", "1", "17", "1"),
    }
    either = coverage(
        imported, tmp_path, "--where", "outlet_type=tabloid", "--where", "outlet_type=broadsheet"
    )
    assert {r["source"] for r in either} == {"Daily Mail", "The Sun", "The Times"}  # OR
    capsys.readouterr()
    both = ["--where", "outlet_type=tabloid", "--where", "country=FR"]  # AND: no article
    assert coverage(imported, tmp_path, *both) == []
    assert "No articles match the filters." in capsys.readouterr().out
    grouped = coverage(imported, tmp_path, "--where", "country=UK", "--by", "outlet_type")
    assert {r["outlet_type"] for r in grouped} == {"tabloid", "broadsheet"}
    assert main(["--project", str(imported), "coverage", "--where", "country=UK",
                 "--by", "outlet_type"]) == 0  # fmt: skip
    assert "(none)" not in capsys.readouterr().out  # D is French: filtered out


def test_the_summary_and_the_spans_agree_on_a_variable_filter(imported: Path):
    annotate(imported)
    with open_project(imported, create=False, read_only=True) as project:
        store = project.store
        flt = CoverageFilter(variables=variable_pairs(store, ["outlet_type=tabloid"]))
        assert store.coverage.summarised(flt)
        from_spans = coverage_table(store, replace(flt, roll_up=True))  # no child issues
        assert coverage_table(store, flt) == from_spans
        assert not store.coverage.summarised(replace(flt, group_by="outlet_type"))


def test_the_annotations_behind_a_grouped_bar(imported: Path):
    annotate(imported)
    with open_project(imported, create=False, read_only=True) as project:
        store = project.store
        taiwan = store.codes.by_name(CodeKind.ISSUE, "Taiwan")
        assert taiwan is not None
        flt = CoverageFilter(group_by="outlet_type")
        quotes = [a.quote for a in annotations_behind(store, "tabloid", taiwan.id, flt)]
        assert sorted(quotes) == ["Taiwan", "Taiwan is tense."]
        assert [a.quote for a in annotations_behind(store, "broadsheet", taiwan.id, flt)] == [
            "Taiwan"
        ]
        assert annotations_behind(store, "", taiwan.id, flt) == []  # the (none) row: D


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ["--by", "outlet"],
            "No variable named 'outlet' (variables: country, notes, outlet_type).",
        ),
        (["--by", "source"], "No variable named 'source' (variables: country, notes,"),
        (["--where", "outlet_type"], "A variable condition is NAME=VALUE, not 'outlet_type'."),
        (["--where", "=tabloid"], "A variable condition is NAME=VALUE, not '=tabloid'."),
        (["--where", "outlet_type= "], "A variable condition is NAME=VALUE"),
        (["--where", "region=north"], "No variable named 'region'"),
    ],
)
def test_bad_variable_arguments_are_one_line_errors(imported: Path, capsys, args, error):
    assert main(["--project", str(imported), "coverage", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"annotator: {error}")
    assert len(err.splitlines()) == 1


def test_a_value_no_article_has_is_a_warning(imported: Path, capsys):
    assert main(["--project", str(imported), "coverage", "--where", "outlet_type=tabliod"]) == 0
    assert capsys.readouterr().err == (
        "annotator: warning: No article has outlet_type = 'tabliod' "
        "(outlet_type: broadsheet, tabloid).\n"
    )


def test_a_project_without_variables_says_so(tmp_path: Path, capsys):
    project_file = tmp_path / "empty.annotator"
    open_project(project_file).close()
    assert main(["--project", str(project_file), "coverage", "--by", "x"]) == 2
    assert "(variables: none yet: import a manifest" in capsys.readouterr().err
