"""``annotator search``, ``code-all`` and ``retrieve``, run in-process as a script would."""

import csv
import json

import pytest

from annotator.cli import COMMANDS, main, reads_only
from annotator.core.model import CodeKind
from annotator.services.corpus.retrieval import CSV_COLUMNS
from annotator.services.project import open_project
from tests.conftest import TRICKY_TEXT

HEADER = (
    "annotation_id,article_id,article_title,source,published,kind,code,annotator,before,text,after"
)
OTHER = "Xi spoke. Then xi spoke again; Xinhua said Xi’s aide agreed.\n=Xi."


@pytest.fixture
def path(project_path):
    with open_project(project_path, annotator="alice") as project:
        project.articles.add(TRICKY_TEXT, source="Test Wire", title="Tricky")
        project.articles.add(OTHER, source="Other Wire", title="=Other", published="2024-04-02")
    return project_path


def cli(path, *args: str, coder: str = "alice") -> int:
    return main(["--project", str(path), "--annotator", coder, *args])


def json_of(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


def one_error_line(capsys) -> str:
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1, captured
    return captured.err


def test_search_json_counts_every_whole_word_match_in_code_points(path, capsys):
    assert cli(path, "search", "xi", "--whole-word", "--json") == 0
    found = json_of(capsys)
    assert found["matches"] == 5 and found["articles"] == 2 and len(found["hits"]) == 5
    tricky = [h for h in found["hits"] if h["article_title"] == "Tricky"]
    text = TRICKY_TEXT.replace("\r\n", "\n")
    assert [(h["start"], h["end"], h["text"]) for h in tricky] == [
        (text.index("Xi"), text.index("Xi") + 2, "Xi")
    ]
    assert tricky[0]["before"] == "“We will not sit back,” "
    assert set(tricky[0]) == {
        "article_id", "article_title", "start", "end", "text", "before", "after",
    }  # fmt: skip
    assert cli(path, "search", "XI", "--case-sensitive", "--json") == 0
    assert json_of(capsys)["matches"] == 0
    assert cli(path, "search", r"x\w{2,}", "--regex", "--json") == 0
    assert [h["text"] for h in json_of(capsys)["hits"]] == ["Xinhua"]


def test_search_text_groups_keyword_in_context_lines_by_article(path, capsys):
    assert cli(path, "search", "spoke") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("=Other (") and len(lines) == 4
    assert lines[1].split()[:4] == ["3", "Xi", "[spoke].", "Then"]
    assert lines[1].index("[") == lines[2].index("[")  # the hits line up
    assert lines[-1] == "2 matches in 1 article"
    assert cli(path, "search", "nothing like this") == 0
    assert capsys.readouterr().out == "0 matches in 0 articles\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", ""], "empty"),
        (["search", "  "], "empty"),
        (["search", "(", "--regex"], "Bad regular expression '(': missing )"),
        (["search", "a{2,1}", "--regex", "--json"], "Bad regular expression"),
        (["code-all", "(", "--regex", "--kind", "issue", "--code", "Taiwan"], "Bad regular"),
        (["code-all", "", "--kind", "issue", "--code", "Taiwan"], "empty"),
        (["code-all", "Xi", "--kind", "speaker", "--code", "Kirbyy"], "Did you mean 'John Kirby'"),
        (["code-all", "Xi", "--kind", "issue", "--code", "Nope"], "No issue named 'Nope'."),
        (["code-all", "Xi", "--kind", "claim", "--code", "Taiwan"], "needs a speaker"),
        (["code-all", "Xi", "--kind", "claim", "--speaker", "Xi Jnping"], "Did you mean 'Xi "),
        (["code-all", "Xi", "--kind", "issue"], "--code NAME"),
        (["retrieve", "--code", "Taiwn"], "No issue or speaker named 'Taiwn'. Did you mean"),
        (["retrieve", "--code", "Taiwan", "--source", "Nowhere"], "No source named 'Nowhere'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(path, capsys, args, message):
    assert cli(path, *args) == 2
    assert message in one_error_line(capsys)


def test_code_all_creates_each_hit_once_and_a_second_run_creates_nothing(path, capsys):
    args = ["code-all", "xi", "--whole-word", "--kind", "speaker", "--code", "xi jinping"]
    assert cli(path, *args, "--dry-run", "--json") == 0
    assert json_of(capsys) == {
        "matches": 5, "created": 0, "already": 0, "dry_run": True, "would_create": 5,
    }  # fmt: skip
    assert cli(path, *args, "--json") == 0
    assert json_of(capsys) == {"matches": 5, "created": 5, "already": 0}
    assert cli(path, *args, "--json") == 0
    assert json_of(capsys) == {"matches": 5, "created": 0, "already": 5}
    assert cli(path, *args, "--json", coder="bob") == 0  # bob codes for himself
    assert json_of(capsys) == {"matches": 5, "created": 5, "already": 0}
    assert cli(path, *args) == 0
    assert capsys.readouterr().out == (
        "5 matches: coded 0 as speaker mention of 'Xi Jinping'; 5 already coded\n"
    )
    with open_project(path) as project:
        counts = project.store.reports.counts()
        assert counts.annotations["speaker"] == 10 and counts.annotators == {"alice": 5, "bob": 5}


def test_a_dry_run_writes_nothing_and_runs_as_a_reader(path, capsys):
    before = path.read_bytes()
    assert cli(path, "code-all", "Xi", "--kind", "issue", "--code", "Taiwan", "--dry-run") == 0
    assert capsys.readouterr().out == (
        "6 matches: would code 6 as issue passage of 'Taiwan'; 0 already coded "
        "(dry run: nothing written)\n"
    )
    assert path.read_bytes() == before
    parsed = type("Args", (), {"dry_run": True})()
    assert reads_only(COMMANDS["code-all"], parsed) is True
    assert reads_only(COMMANDS["search"], parsed) and reads_only(COMMANDS["retrieve"], parsed)


def test_code_all_as_claims_then_retrieve_them_as_csv(path, tmp_path, capsys):
    assert cli(path, "code-all", "spoke", "--kind", "claim", "--speaker", "Xi Jinping",
               "--code", "Taiwan", "--json") == 0  # fmt: skip
    assert json_of(capsys) == {"matches": 2, "created": 2, "already": 0}
    assert cli(path, "code-all", "=Xi", "--kind", "issue", "--code", "Taiwan") == 0
    capsys.readouterr()
    out = tmp_path / "taiwan.csv"
    assert cli(path, "retrieve", "--code", "taiwan", "--csv", str(out)) == 0
    assert capsys.readouterr().out == f"Wrote 3 passages coded 'Taiwan' to {out}\n"
    assert out.read_bytes().decode("utf-8").startswith(HEADER + "\r\n")
    assert ",".join(CSV_COLUMNS) == HEADER
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["kind"], r["text"], r["before"]) for r in rows] == [
        ("claim", "spoke", "Xi "),
        ("claim", "spoke", "Xi spoke. Then xi "),
        ("issue", "'=Xi", ""),  # formulas neutralised
    ]
    assert {r["article_title"] for r in rows} == {"'=Other"}
    assert {(r["source"], r["published"], r["code"], r["annotator"]) for r in rows} == {
        ("Other Wire", "2024-04-02", "Taiwan", "alice")
    }
    assert rows[0]["after"] == ". Then xi spoke again; Xinhua said Xi’s aide agreed."
    raw = tmp_path / "raw.csv"
    assert cli(path, "retrieve", "--code", "Taiwan", "--csv", str(raw), "--raw") == 0
    with raw.open(encoding="utf-8", newline="") as handle:
        assert list(csv.DictReader(handle))[2]["text"] == "=Xi"


def test_retrieve_prints_a_list_and_filters_by_coder_and_kind(path, capsys):
    assert cli(path, "code-all", "spoke", "--kind", "issue", "--code", "Taiwan") == 0
    assert cli(path, "code-all", "xi", "--whole-word", "--kind", "issue", "--code", "Taiwan",
               coder="bob") == 0  # fmt: skip
    capsys.readouterr()
    assert cli(path, "retrieve", "--code", "Taiwan") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("=Other (Other Wire, 2024-04-02; ") and out[1].split()[:2] == [
        "issue", "bob",
    ]  # fmt: skip
    assert out[-1] == "7 passages coded 'Taiwan' in 2 articles"
    assert cli(path, "retrieve", "--code", "Taiwan", "--annotator", "ALICE") == 0
    assert capsys.readouterr().out.splitlines()[-1] == "2 passages coded 'Taiwan' in 1 article"
    assert cli(path, "retrieve", "--code", "Taiwan", "--annotator", "nobody") == 0
    captured = capsys.readouterr()
    assert captured.out == "0 passages coded 'Taiwan' in 0 articles\n"
    assert "nobody" in captured.err


def test_retrieve_asks_for_the_kind_when_an_issue_and_a_speaker_share_a_name(path, capsys):
    with open_project(path) as project:
        project.codebook.create(CodeKind.SPEAKER, "Taiwan")
    assert cli(path, "retrieve", "--code", "Taiwan") == 2
    assert "both an issue and a speaker; say which with --kind" in one_error_line(capsys)
    assert cli(path, "retrieve", "--code", "Taiwan", "--kind", "speaker") == 0
    assert capsys.readouterr().out == "0 passages coded 'Taiwan' in 0 articles\n"
