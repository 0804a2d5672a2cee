"""``annotator agreement``, run in-process as a script would, on the three-coder study of
tests/services/test_agreement.py."""

import json

import pytest

from annotator.cli import main
from annotator.services.project import open_project
from tests.services.test_agreement import three_coders


@pytest.fixture
def study(project_path):
    with open_project(project_path, annotator="lead") as project:
        three_coders(project)
    return project_path


def agreement(path, *args: str) -> int:
    return main(["--project", str(path), "agreement", *args])


def test_prints_a_table_per_kind(study, capsys):
    assert agreement(study) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == (
        "Coders: alice, bob, carol. Compared: 2 articles annotated by all of them (305 characters)."
    )
    assert lines[1] == "Skipped 1 article not annotated by every coder: Three (alice, bob)"
    assert "claim: 3 annotations (alice 1, bob 1, carol 1)" in lines
    assert "  Cohen's kappa alice|carol  " in out
    assert "  F1 exact / overlap   0.000 / 1.000" in lines
    assert "  speaker attribution  1.000  (3 of 3 overlapping claim pairs agree)" in lines
    assert "    Taiwan: alpha-u 1.000, kappa 1.000, F1 overlap 1.000 (3 units)" in lines
    speaker = lines.index("speaker: 3 annotations (alice 1, bob 1, carol 1)")
    assert lines[speaker + 1].startswith("  alpha-u pooled       1.000")
    assert "lowest alpha-u: One 1.000" in out


def test_json_follows_the_contract(study, capsys):
    assert agreement(study, "--json", "--kind", "claim", "issue") == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["claim", "issue"]
    claim = data["claim"]
    assert set(claim["alpha_u_by_article"]) == {"One", "Two"}
    assert claim["alpha_u_by_article"]["Two"] is None  # no claims there
    assert 0.9 < claim["alpha_u_pooled"] < 1.0
    assert set(claim["cohen_kappa"]) == {"alice|bob", "alice|carol", "bob|carol"}
    assert claim["f1_exact"] == 0.0 and claim["f1_overlap"] == 1.0
    assert claim["speaker_attribution"] == 1.0
    assert claim["counts"]["characters"] == 305
    assert data["issue"]["by_code"]["Trade"]["f1_exact"] == 0.0


def test_a_pair_of_coders_compares_more_articles(study, capsys):
    assert agreement(study, "--json", "--annotators", "ALICE, bob", "--kind", "claim") == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["claim"]["alpha_u_by_article"]) == {"One", "Two", "Three"}
    assert data["claim"]["alpha_u_by_article"]["Three"] == 1.0
    assert list(data["claim"]["cohen_kappa"]) == ["alice|bob"]


def test_errors_are_one_line(study, tmp_path, capsys):
    assert agreement(study, "--annotators", "alice") == 2
    err = capsys.readouterr().err
    assert err == "annotator: Agreement needs at least two coders; this compares only 'alice'.\n"
    assert agreement(study, "--annotators", "alice,zoe") == 2
    assert "No annotations by 'zoe'" in capsys.readouterr().err
    missing = tmp_path / "typo.annotator"
    assert agreement(missing) == 2
    assert not missing.exists()
    with pytest.raises(SystemExit):
        agreement(study, "--kind", "quote")
