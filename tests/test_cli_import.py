"""``annotator import``: the summary it prints and its exit codes, run in-process."""

import json
from pathlib import Path

import pytest

from annotator.cli import main


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project_file(tmp_path) -> Path:
    return tmp_path / "p.annotator"


def run(project_file: Path, *args: str) -> int:
    return main(["--project", str(project_file), "import", *args])


def stats(project_file: Path, capsys) -> dict:
    assert main(["--project", str(project_file), "stats", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_clean_import_prints_only_the_totals_and_exits_0(tmp_path, project_file, capsys):
    folder = tmp_path / "in"
    write(folder / "a.txt", "---\nsource: AFP\n---\nFirst article.\n")
    write(folder / "b.md", "Second article.\n")
    assert run(project_file, str(folder), "--source", "Reuters") == 0
    assert capsys.readouterr().out.splitlines() == [
        "Import finished: 2 imported, 0 duplicate, 0 rejected, 0 skipped."
    ]
    assert stats(project_file, capsys)["per_source"] == {
        "AFP": {"articles": 1, "annotations": 0},
        "Reuters": {"articles": 1, "annotations": 0},
    }


def test_duplicates_and_skipped_files_are_listed_but_exit_0(tmp_path, project_file, capsys):
    folder = tmp_path / "in"
    write(folder / "a.txt", "An article.\n")
    write(folder / "photo.jpg", b"\xff\xd8\xff")
    assert run(project_file, str(folder / "a.txt"), "--source", "AFP") == 0
    capsys.readouterr()
    assert run(project_file, str(folder), "--source", "AFP") == 0
    assert capsys.readouterr().out.splitlines() == [
        f"duplicate: {folder / 'a.txt'}: the same text is already in the project as 'An article.'",
        f"skipped: {folder / 'photo.jpg'}: not a text or HTML file (.txt, .md, .html, .htm)",
        "Import finished: 0 imported, 1 duplicate, 0 rejected, 1 skipped.",
    ]


def test_a_rejected_file_is_one_line_and_exits_1(tmp_path, project_file, capsys):
    folder = tmp_path / "in"
    write(folder / "good.txt", "A good article.\n")
    write(folder / "png.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    write(folder / "nosource.txt", "Nobody said where this is from.\n")
    write(folder / "sourced.txt", "---\nsource: AFP\n---\nSourced.\n")
    assert run(project_file, str(folder)) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"rejected: {folder / 'good.txt'}: no source: add 'source:' to its front matter or a "
        "source column to the manifest, or give --source",
        f"rejected: {folder / 'nosource.txt'}: no source: add 'source:' to its front matter or a "
        "source column to the manifest, or give --source",
        f"rejected: {folder / 'png.txt'}: binary file (image/png), not text",
        "Import finished: 1 imported, 0 duplicate, 3 rejected, 0 skipped.",
    ]


def test_manifest(tmp_path, project_file, capsys):
    """An extra column is an article variable (migration 0009); one that cannot name a
    variable (a fixed article column) is still ignored and reported."""
    write(tmp_path / "m" / "a.txt", "Article A.\n")
    manifest = write(
        tmp_path / "m" / "list.csv", "file,title,source,extra,Status\na.txt,A,AFP,x,done\n"
    )
    assert run(project_file, "--manifest", str(manifest)) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"skipped: {manifest}: manifest columns ignored: 'Status' ('Status' is a fixed article "
        "column (article_id, title, source, published, author, url, status, characters, "
        "annotations); give the variable another name)"
    )
    assert out[1] == "Import finished: 1 imported, 0 duplicate, 0 rejected, 1 skipped."


def test_brat(tmp_path, project_file, capsys):
    text = "Xi said Taiwan matters.\n"
    write(tmp_path / "b" / "a.txt", text)
    write(
        tmp_path / "b" / "a.ann",
        "T1\tSource 0 2\tXi\nT2\tContent 8 23\tTaiwan matters.\nT3\tPlace 8 14\tTaiwan\n"
        "R1\tSays Arg1:T1 Arg2:T2\n",
    )
    args = ["--format", "brat", str(tmp_path / "b"), "--source", "AFP"]
    assert run(project_file, *args, "--map", "Source=speaker", "--map", "Content=claim") == 0
    assert capsys.readouterr().out.splitlines() == [
        f"imported: {tmp_path / 'b' / 'a.txt'}: as 'Xi said Taiwan matters.'; annotations: "
        "1 claim(s), 1 speaker mention(s)",
        "  types without --map, not imported: Place (1)",
        "Import finished: 1 imported, 0 duplicate, 0 rejected, 0 skipped.",
    ]
    assert stats(project_file, capsys)["annotations"] == {"claim": 1, "speaker": 1, "issue": 0}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "Name at least one file or folder"),
        (["x.txt", "--map", "A=claim"], "--map applies to brat imports only"),
        (["--format", "brat", "x", "--map", "A=person"], "--map expects TYPE=KIND"),
    ],
)
def test_usage_errors_exit_2(project_file, capsys, args, message):
    assert run(project_file, *args) == 2
    assert message in capsys.readouterr().err


def test_help_documents_the_manifest(capsys):
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    out = capsys.readouterr().out
    assert "file,title,source,published,author,url" in out
    assert "ignored" in out and "--map" in out


def test_annotator_option_after_the_import_command_sets_the_coder(tmp_path):
    from annotator.cli import main
    from annotator.services.project import open_project

    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "a.txt").write_text("Xi said the talks went well.\n", encoding="utf-8")
    (folder / "a.ann").write_text("T1\tSpeaker 0 2\tXi\n", encoding="utf-8")
    project = tmp_path / "p.annotator"
    args = ["--project", str(project), "import", "--format", "brat", str(folder),
            "--source", "W", "--map", "Speaker=speaker", "--annotator", "bob"]  # fmt: skip
    assert main(args) == 0
    with open_project(project) as opened:
        (summary,) = opened.store.articles.summaries()
        (mention,) = opened.store.annotations.for_article(summary.id)
    assert mention.annotator == "bob"


def test_hostile_files_are_one_line_each_and_the_rest_imports(tmp_path, project_file, capsys):
    folder = tmp_path / "in"
    write(folder / "a.txt", "A good article.\n")
    bomb, previous = "---\na: &a [x, x, x, x, x, x, x, x, x]\n", "a"
    for name in "bcdefghi":  # nine levels of nine aliases each: 9**9 strings once expanded
        bomb += f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
        previous = name
    write(folder / "bomb.md", bomb + "title: *i\n---\nBody.\n")
    write(folder / "long.txt", "---\ntitle: " + "t" * 1_001 + "\n---\nBody.\n")
    secret = write(tmp_path / "secret.txt", "Private.\n")
    (folder / "link.txt").symlink_to(secret)
    assert run(project_file, str(folder), "--source", "AFP") == 1
    assert capsys.readouterr().out.splitlines() == [
        f"rejected: {folder / 'bomb.md'}: Front matter uses YAML aliases (&/*), which are not "
        "allowed.",
        f"rejected: {folder / 'link.txt'}: leads outside the imported folder (to {secret})",
        f"rejected: {folder / 'long.txt'}: title too long in the front matter (1,001 characters; "
        "the limit is 1,000)",
        "Import finished: 1 imported, 0 duplicate, 3 rejected, 0 skipped.",
    ]
