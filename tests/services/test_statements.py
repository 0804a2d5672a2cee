"""The statements table: one row per claim and issue, article variables appended."""

import csv

from annotator.cli import main
from annotator.services.interchange.statements import STATEMENT_COLUMNS, statement_table
from tests.services.test_exporting import build_study


def test_one_row_per_claim_and_issue_and_one_for_a_claim_without_issues(project, tmp_path):
    study = build_study(project)
    project.variables.set(study.tricky, "Outlet type", "wire 📰")
    header, rows = statement_table(project.store)
    assert header == [*STATEMENT_COLUMNS, "Outlet type"]
    by_claim: dict[str, list[list[str]]] = {}
    for row in rows:
        by_claim.setdefault(row[0], []).append(row)
    # Three claims: alice's with three issues, bob's bare one, alice's with only a speaker.
    assert sorted(len(found) for found in by_claim.values()) == [1, 1, 3]
    three = by_claim[study.claim]
    named = {
        column: [dict(zip(header, r, strict=True))[column] for r in three] for column in header
    }
    assert named["issue"] == ["AI risk and safety", "Export controls / high-tech trade", "Taiwan"]
    assert set(named["speaker"]) == {"Xi Jinping"} and set(named["stance"]) == {"opposes"}
    assert set(named["text"]) == {"“We will not sit back,” … “fine.”"}
    assert set(named["Outlet type"]) == {"wire 📰"}
    bare = [r for r in rows if r[0] not in (study.claim,) and r[11] == "bob"]
    assert len(bare) == 1 and bare[0][7] == "" and bare[0][5] == ""


def test_cli_writes_the_table_readable_by_a_csv_reader(project, tmp_path, capsys):
    build_study(project)
    out = tmp_path / "statements.csv"
    assert main(["--project", str(project.path), "export", "--statements", str(out)]) == 0
    assert capsys.readouterr().out == f"Wrote 5 statements to {out}\n"
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(STATEMENT_COLUMNS)
    assert len(rows) == 5
    bob = ["--annotator", "bob"]
    assert main(["--project", str(project.path), "export", "--statements", str(out), *bob]) == 0
    assert "Wrote 1 statement " in capsys.readouterr().out
