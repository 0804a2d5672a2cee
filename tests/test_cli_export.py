"""``annotator export`` and ``annotator codebook``, run in-process as a script would run them:
exit 0 with one summary line, or exit 2 with one line on stderr and nothing written."""

import csv
import json

import pytest

from annotator.cli import main
from annotator.core.model import CodeKind
from annotator.services.project import open_project
from tests.services.test_exporting import HEADER, build_study


def rows_of(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def study(project):
    return build_study(project)


def export(project, *args: str) -> int:
    return main(["--project", str(project.path), "export", *args])


def test_export_csv_writes_every_annotation(project, study, tmp_path, capsys):
    out = tmp_path / "out.csv"
    assert export(project, "--csv", str(out)) == 0
    assert capsys.readouterr().out == f"Wrote 7 annotations to {out}\n"
    assert out.read_bytes().decode("utf-8").startswith(HEADER + "\r\n")
    assert len(rows_of(out)) == 7


def test_export_neutralises_unless_raw(project, study, tmp_path):
    project.annotations.update(study.claim, note="=HYPERLINK(1)")
    safe, raw = tmp_path / "safe.csv", tmp_path / "raw.csv"
    assert export(project, "--csv", str(safe)) == 0
    assert export(project, "--csv", str(raw), "--raw") == 0
    assert {r["note"] for r in rows_of(safe)} >= {"'=HYPERLINK(1)"}
    assert {r["note"] for r in rows_of(raw)} >= {"=HYPERLINK(1)"}


def test_filters_repeat_and_leave_the_coder_option_alone(project, study, tmp_path, capsys):
    out = tmp_path / "out.csv"
    args = ["--source", "Test Wire", "--kind", "claim", "--kind", "speaker"]
    assert export(project, "--csv", str(out), *args) == 0
    assert sorted(r["kind"] for r in rows_of(out)) == ["claim", "speaker"]
    # The global --annotator (who is coding) and the export filter do not clash.
    command = ["--project", str(project.path), "--annotator", "carol", "export"]
    assert main([*command, "--csv", str(out), "--annotator", "bob", "--annotator", "BOB"]) == 0
    assert {r["annotator"] for r in rows_of(out)} == {"bob"}
    assert "Wrote 3 annotations" in capsys.readouterr().out


def test_export_brat_and_csv_together(project, study, tmp_path, capsys):
    out, folder = tmp_path / "out.csv", tmp_path / "brat"
    assert export(project, "--csv", str(out), "--brat", str(folder)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"Wrote 7 annotations to {out}",
        f"Wrote 4 articles with 7 annotations to {folder}",
    ]
    assert len(list(folder.glob("*.ann"))) == 4 and (folder / "annotation.conf").exists()


def test_the_coder_filter_applies_to_brat_too_and_warns_of_an_unknown_coder(
    project, study, tmp_path, capsys
):
    out, folder = tmp_path / "bob.csv", tmp_path / "bob"
    assert export(project, "--csv", str(out), "--brat", str(folder), "--annotator", "Bob") == 0
    assert capsys.readouterr().out.splitlines() == [
        f"Wrote 3 annotations to {out}",
        f"Wrote 4 articles with 3 annotations to {folder}",
    ]
    assert {r["annotator"] for r in rows_of(out)} == {"bob"}
    ann = [line for path in folder.glob("*.ann") for line in path.read_text().splitlines()]
    assert sum(line.startswith("T") for line in ann) == 3
    # An unknown coder matches nothing, as in `coverage`, but says who the coders are.
    assert export(project, "--csv", str(out), "--annotator", "bbo") == 0
    captured = capsys.readouterr()
    assert captured.out == f"Wrote 0 annotations to {out}\n"
    assert captured.err == (
        "annotator: warning: No annotations by 'bbo' (coders: alice, bob); "
        "that filter matches nothing.\n"
    )


def test_brat_reports_skipped_annotations_on_stderr(project, study, tmp_path, capsys):
    added = project.articles.add("a\n\nb", source="Wire", title="Gaps").article
    taiwan = project.store.codes.by_name(CodeKind.ISSUE, "Taiwan").id
    gap = project.annotations.create_issue_passage(added.id, [(1, 3)], taiwan).annotation
    assert export(project, "--brat", str(tmp_path / "b"), "--source", "Wire") == 0
    err = capsys.readouterr().err
    assert err == f"skipped annotation {gap.id}: it covers only line breaks\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "Say where to export"),
        (["--csv", "{tmp}/out.csv", "--source", "Reuters"], "No source named 'Reuters'"),
        (["--csv", "{tmp}/missing/out.csv"], "does not exist"),
        (["--csv", "{project}"], "project file itself"),
        (["--brat", "{project}"], "is a file"),
    ],
)
def test_export_errors_are_one_line_and_exit_2(project, study, tmp_path, capsys, args, message):
    before = sorted(p.name for p in tmp_path.iterdir())
    filled = [a.format(tmp=tmp_path, project=project.path) for a in args]
    assert export(project, *filled) == 2
    err = capsys.readouterr().err
    assert err.startswith("annotator: ") and message in err and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_bad_choices_are_argparse_errors(project, capsys):
    with pytest.raises(SystemExit) as exit_info:
        export(project, "--csv", "x.csv", "--kind", "quote")
    assert exit_info.value.code == 2
    assert "invalid choice: 'quote'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--project", str(project.path), "codebook"])


def test_export_and_codebook_never_create_a_missing_project(tmp_path, capsys):
    missing = tmp_path / "typo" / "stdy.annotator"
    for command in (["export", "--csv", str(tmp_path / "o.csv")], ["codebook", "export", "c.csv"]):
        assert main(["--project", str(missing), *command]) == 2
        assert "There is no project" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_codebook_export_then_import_into_another_project(project, tmp_path, capsys, suffix):
    project.codebook.create(CodeKind.ISSUE, "Chips", colour="#123456")
    path = tmp_path / f"codebook{suffix}"
    assert main(["--project", str(project.path), "codebook", "export", str(path)]) == 0
    assert capsys.readouterr().out == f"Wrote 20 codes to {path}\n"
    other = tmp_path / "other.annotator"
    open_project(other).close()
    assert main(["--project", str(other), "codebook", "import", str(path)]) == 0
    assert capsys.readouterr().out == (
        "Added 1 code (1 issue, 0 speakers); 19 already present; 0 differ\n"
    )
    with open_project(other) as opened:
        assert opened.store.codes.by_name(CodeKind.ISSUE, "chips").colour == "#123456"


def test_codebook_import_prints_each_difference(project, tmp_path, capsys):
    path = tmp_path / "team.json"
    records = [{"kind": "speaker", "name": "Joe Biden", "colour": "#000000"}]
    path.write_text(json.dumps(records), encoding="utf-8")
    assert main(["--project", str(project.path), "codebook", "import", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Added 0 codes (0 issues, 0 speakers); 0 already present; 1 differ",
        "speaker 'Joe Biden' differs: colour #000000 in the file, #954956 in the project "
        "(kept the project's)",
    ]


def test_codebook_import_errors_name_the_row_and_add_nothing(project, tmp_path, capsys):
    path = tmp_path / "team.csv"
    path.write_text("kind,name,colour\nissue,Fine,#111111\nissue,Bad,red\n", encoding="utf-8")
    count = len(project.store.codes.all())
    assert main(["--project", str(project.path), "codebook", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == "annotator: team.csv row 3: colour 'red' is not of the form #rrggbb.\n"
    assert len(project.store.codes.all()) == count
