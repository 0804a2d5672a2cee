"""``annotator suggest``, run in-process as a script would run it."""

import csv

from annotator.cli import main
from annotator.core.model import CodeKind
from annotator.services.annotations import AnnotationService
from annotator.services.project import open_project
from annotator.services.suggestions import reject, suggest_for_article

HEADER = "article_id,article_title,kind,fragments,text,speaker"
TEXT = (
    "-5 percent growth is likely this year, the finance minister said.\n"
    "“We will not back down,” Xi said. “Not now.”\n"
)


def where(needle: str) -> str:
    start = TEXT.index(needle)
    return f"{start}-{start + len(needle)}"


def make_project(path) -> tuple[str, str]:
    with open_project(path) as project:
        first = project.articles.add(TEXT, source="Wire", title="=Budget").article.id
        other = project.articles.add("Nothing was said here.", source="Wire", title="Quiet")
        return first, other.article.id


def suggest(path, *args: str) -> int:
    return main(["--project", str(path), "suggest", *args])


def rows_of(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_prints_the_suggestions(project_path, capsys):
    article, _ = make_project(project_path)
    assert suggest(project_path) == 0
    out = capsys.readouterr().out
    assert f"=Budget ({article})" in out and "Quiet" not in out
    assert (
        f"claim   {where('-5 percent growth is likely this year')}" in out
        and "Finance minister (new)" in out
    )
    assert "Xi Jinping" in out and "(new)" not in out.split("Xi Jinping")[1].split("\n")[0]
    assert out.rstrip().endswith("4 suggestions in 1 article")


def test_writes_csv_with_the_fixed_header_and_neutralised_cells(project_path, tmp_path, capsys):
    article, _ = make_project(project_path)
    out = tmp_path / "suggestions.csv"
    assert suggest(project_path, "--all", "--csv", str(out)) == 0
    assert capsys.readouterr().out == f"Wrote 4 suggestions to {out}\n"
    assert out.read_bytes().decode("utf-8").startswith(HEADER + "\r\n")
    rows = rows_of(out)
    assert [(r["kind"], r["fragments"]) for r in rows] == [
        ("claim", where("-5 percent growth is likely this year")),
        ("speaker", where("finance minister")),
        ("claim", where("“We will not back down,”") + ";" + where("“Not now.”")),
        ("speaker", where("Xi")),
    ]
    assert rows[0]["article_id"] == article and rows[0]["article_title"] == "'=Budget"
    assert rows[0]["text"] == "'-5 percent growth is likely this year"
    assert rows[2]["text"] == "“We will not back down,” … “Not now.”"
    assert [r["speaker"] for r in rows] == ["Finance minister"] * 2 + ["Xi Jinping"] * 2
    raw = tmp_path / "raw.csv"
    assert suggest(project_path, "--csv", str(raw), "--raw") == 0
    assert rows_of(raw)[0]["text"] == "-5 percent growth is likely this year"


def test_one_article_and_rejections(project_path, tmp_path):
    article, quiet = make_project(project_path)
    with open_project(project_path) as project:
        first = suggest_for_article(project.store, article)[0]
        reject(project.store, article, first)
    out = tmp_path / "one.csv"
    assert suggest(project_path, "--article", article, "--csv", str(out)) == 0
    assert len(rows_of(out)) == 3 and first.text not in {r["text"] for r in rows_of(out)}
    assert suggest(project_path, "--article", quiet, "--csv", str(out)) == 0
    assert rows_of(out) == []


def test_only_the_chosen_coders_annotations_count_as_already_annotated(
    project_path, tmp_path, capsys
):
    article, _ = make_project(project_path)
    xi = where("Xi")
    with open_project(project_path) as project:
        code = project.store.codes.by_name(CodeKind.SPEAKER, "Xi Jinping")
        start, end = (int(n) for n in xi.split("-"))
        AnnotationService(project.store, "alice").create_speaker_mention(
            article, [(start, end)], code.id
        )
        store = project.store
        assert len(suggest_for_article(store, article)) == 3  # alice's mention counts
        assert len(suggest_for_article(store, article, annotators=["bob"])) == 4
        assert len(suggest_for_article(store, article, annotators=["ALICE", "bob"])) == 3
    out = tmp_path / "bob.csv"
    assert suggest(project_path, "--csv", str(out), "--annotator", "bob") == 0
    assert xi in {r["fragments"] for r in rows_of(out)}  # bob has not marked it
    captured = capsys.readouterr()
    assert captured.err == (
        "annotator: warning: No annotations by 'bob' (coders: alice); "
        "that filter matches nothing.\n"
    )
    assert suggest(project_path, "--csv", str(out), "--annotator", "Alice") == 0
    assert xi not in {r["fragments"] for r in rows_of(out)}
    assert capsys.readouterr().err == ""


def test_errors_are_one_line_and_create_nothing(project_path, tmp_path, capsys):
    make_project(project_path)
    assert suggest(project_path, "--article", "nope") == 2
    assert capsys.readouterr().err.startswith("annotator: No article with id nope")
    missing = tmp_path / "missing.annotator"
    assert suggest(missing) == 2
    assert not missing.exists()
    assert suggest(project_path, "--csv", str(project_path)) == 2
    assert "project file itself" in capsys.readouterr().err


def test_min_confidence_keeps_the_surer_suggestions_and_shows_why(project_path, capsys):
    make_project(project_path)
    assert suggest(project_path) == 0
    out = capsys.readouterr().out
    assert "(0.90: “said” (say cue, speaker after the claim))" in out
    assert suggest(project_path, "--min-confidence", "0.92") == 0
    out = capsys.readouterr().out
    assert "We will not back down" in out and "growth is likely" not in out  # a quote: 0.95
    assert out.rstrip().endswith("2 suggestions in 1 article")
    assert suggest(project_path, "--min-confidence", "1") == 0
    assert capsys.readouterr().out.rstrip().endswith("0 suggestions in 0 articles")


def test_min_confidence_out_of_range_is_one_clear_line(project_path, capsys):
    make_project(project_path)
    assert suggest(project_path, "--min-confidence", "1.5") == 2
    err = capsys.readouterr().err
    assert err == "annotator: --min-confidence must be between 0 and 1, not 1.5.\n"
