"""``annotator merge``, run in-process as a researcher would run it."""

from annotator.cli import main
from annotator.services.backup import list_backups
from annotator.services.project import open_project
from tests.conftest import table_rows
from tests.services.test_merge import make_hostile, make_other, tamper


def test_merge_into_a_new_team_project_and_again(tmp_path, capsys):
    bob, carol = tmp_path / "bob.annotator", tmp_path / "carol.annotator"
    make_other(bob, "bob")
    make_other(carol, "carol")
    team = tmp_path / "team.annotator"
    # --project after the command, as the issue writes it.
    assert main(["merge", str(bob), str(carol), "--project", str(team)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Merged {bob}: 3 annotations added, 0 updated, 0 already here"
    assert out[1].startswith("Articles: 2 added, 0 already here; codes: 1 added")
    assert "Coders: bob (3)" in out and "Coders: carol (3)" in out
    assert sum(line.startswith("Backup before the merge: ") for line in out) == 2
    with open_project(team) as project:
        counts = project.store.reports.counts()
        assert counts.annotators == {"bob": 3, "carol": 3}
        assert counts.articles == 2  # the texts both imported are one article each

    rows = table_rows(team)
    assert main(["--project", str(team), "merge", str(bob)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Merged {bob}: 0 annotations added, 0 updated, 3 already here"
    assert out[-1] == "Nothing to change."
    assert table_rows(team) == rows
    assert len([b for b in list_backups(team) if b.label == "manual"]) == 2


def test_a_file_that_cannot_be_merged_is_reported_and_the_rest_merged(project, tmp_path, capsys):
    bob = tmp_path / "bob.annotator"
    make_other(bob)
    bad = tmp_path / "notes.annotator"
    bad.write_text("not a project")
    assert main(["--project", str(project.path), "merge", str(bad), str(bob)]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith(f"annotator: not merged: {bad}: ")
    assert captured.err.count("\n") == 1
    assert f"Merged {bob}: 3 annotations added" in captured.out
    assert bad.read_text() == "not a project"


def test_a_hostile_file_is_merged_without_what_breaks_the_rules(tmp_path, capsys):
    bob = tmp_path / "bob.annotator"
    ids = make_hostile(bob)
    tamper(
        bob,
        f"UPDATE fragments SET \"end\" = 1000000000 WHERE annotation_id = '{ids['long']}'",
        f"UPDATE fragments SET \"end\" = 1000000000 WHERE annotation_id = '{ids['passage']}'",
        f"UPDATE articles SET sha256 = '{'0' * 64}' WHERE id = '{ids['forged']}'",
    )
    team = tmp_path / "team.annotator"
    assert main(["--project", str(team), "merge", str(bob)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[2] == (  # the forged article's passage and bob's status of that article
        "Refused 5 rows from bob.annotator: fragment outside the text (2), "
        "its article was refused (2), hash mismatch (1)"
    )
    assert main(["--project", str(team), "check"]) == 0
