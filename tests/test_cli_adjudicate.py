"""``annotator adjudicate`` on a three-coder study of the sample articles: --prefer gives
exactly one coder's annotations, a second run changes nothing, agreement is unmoved."""

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.curation import signature
from annotator.services.project import open_project
from tests.conftest import table_rows
from tests.team_study import build_study


def labels(path: Path, coder: str) -> Counter:
    with open_project(path) as project:
        return Counter(
            (s.id, signature(a))
            for s in project.store.articles.summaries()
            for a in project.store.annotations.for_article(s.id)
            if a.annotator == coder
        )


@pytest.fixture(scope="module")
def study_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("study") / "study.annotator"
    with open_project(path, annotator="lead") as project:
        from annotator.services.samples import load_sample_articles

        with project.store.atomic():
            load_sample_articles(project.store)
        build_study(project)
    return path


@pytest.fixture
def study(study_file, tmp_path) -> Path:
    path = tmp_path / "copy.annotator"
    shutil.copy(study_file, path)
    return path


def run(path: Path, *args: str) -> int:
    return main(["--project", str(path), *args])


@pytest.mark.parametrize(("prefer", "coder"), [("A", "alice"), ("B", "bob")])
def test_prefer_gives_exactly_that_coders_annotations(study, capsys, prefer, coder):
    assert run(study, "agreement", "--json") == 0
    before = capsys.readouterr().out
    assert run(study, "adjudicate", "--coders", "alice,bob", "--prefer", prefer, "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["articles"] == 2 and report["unresolved"] == 0
    assert report["disagreements"] > 10 and report["agreed"] > 10
    assert report["copied"] == sum(labels(study, coder).values())
    assert labels(study, "gold") == labels(study, coder)
    rows = table_rows(study)
    assert run(study, "adjudicate", "--coders", "alice,bob", "--prefer", prefer, "--json") == 0
    again = json.loads(capsys.readouterr().out)
    assert again["copied"] == 0 and again["resolved"] == report["resolved"]
    assert table_rows(study) == rows  # a second run changes nothing
    assert run(study, "agreement", "--json") == 0
    assert capsys.readouterr().out == before  # gold is not a coder of the comparison


def test_without_prefer_the_disagreements_are_left_open(study, capsys):
    assert run(study, "adjudicate", "--coders", "alice,bob") == 0
    out = capsys.readouterr().out
    assert "2 articles annotated by both alice (A) and bob (B), curated into gold." in out
    assert "open" in out and "--prefer" in out
    assert run(study, "adjudicate", "--coders", "alice,bob", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["copied"] == 0 and report["resolved"] == 0
    assert report["unresolved"] == report["disagreements"] > 0


def test_gold_can_be_compared_when_asked(study, capsys):
    assert run(study, "adjudicate", "--coders", "alice,bob", "--prefer", "A") == 0
    capsys.readouterr()
    assert run(study, "agreement", "--json", "--annotators", "alice,gold", "--kind", "claim") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["claim"]["f1_exact"] == 1.0  # gold is alice's work exactly
    assert run(study, "agreement", "--json", "--include", "gold", "--kind", "claim") == 0
    assert "alice|gold" in json.loads(capsys.readouterr().out)["claim"]["cohen_kappa"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--coders", "alice"], "exactly two"),
        (["--coders", "alice,nobody"], "No annotations by 'nobody'"),
        (["--coders", "alice,bob", "--into", "bob"], "target"),
        (["--coders", "alice,bob", "--article", "no-such-id"], "not annotated by both"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(study, capsys, args, message):
    rows = table_rows(study)
    assert run(study, "adjudicate", *args) == 2
    assert message in capsys.readouterr().err
    assert table_rows(study) == rows


def test_a_missing_project_is_not_created(tmp_path, capsys):
    path = tmp_path / "typo" / "new.annotator"
    assert run(path, "adjudicate", "--coders", "a,b") == 2
    assert not path.parent.exists()
