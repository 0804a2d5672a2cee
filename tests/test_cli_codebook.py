"""``annotator codebook list|rename|merge|delete|recolour|set-parent``: the codebook edited
headless. Each verb exits 0 with one line saying what it did, or 2 with one line on stderr and
nothing changed."""

import json

import pytest

from annotator.cli import main
from annotator.core.model import CodeKind
from tests.conftest import TRICKY_TEXT, code_id, table_rows


def codebook(project, *args: str) -> int:
    return main(["--project", str(project.path), "codebook", *args])


def at(needle: str) -> tuple[int, int]:
    text = TRICKY_TEXT.replace("\r\n", "\n").replace("\x00", "")
    start = text.index(needle)
    return start, start + len(needle)


@pytest.fixture
def used(project, article_id):
    """Kirby: one mention, one claim attributed to him. Taiwan: one passage, one claim tagged
    with it, one child issue."""
    kirby = code_id(project, CodeKind.SPEAKER, "John Kirby")
    taiwan = code_id(project, CodeKind.ISSUE, "Taiwan")
    mention = project.annotations.create_speaker_mention(article_id, [at("Xi")], kirby)
    project.annotations.create_claim(
        article_id,
        [at("“We will not sit back,”")],
        speaker_id=kirby,
        speaker_mention_id=mention.annotation.id,
        issue_ids=[taiwan],
    )
    project.annotations.create_issue_passage(article_id, [at("Flags 🇺🇸🇨🇳 first.")], taiwan)
    project.codebook.create(CodeKind.ISSUE, "Strait crossings", parent_id=taiwan)
    return project


def test_list_shows_the_tree_and_the_counts(used, capsys):
    assert codebook(used, "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Issues (13); annotations coded, colour, name"
    assert "     2  #56b4e9  Taiwan" in lines  # a passage and a claim; its child is no use
    assert lines[lines.index("     2  #56b4e9  Taiwan") + 1].endswith("    Strait crossings")
    assert "     2  #daa8c2  John Kirby (U.S. government)" in lines
    assert "Speakers (7); annotations coded, colour, name" in lines


def test_list_json(used, capsys):
    assert codebook(used, "list", "--kind", "speaker", "--json") == 0
    codes = json.loads(capsys.readouterr().out)["codes"]
    assert {c["kind"] for c in codes} == {"speaker"}
    kirby = next(c for c in codes if c["name"] == "John Kirby")
    assert kirby["uses"] == {
        "annotations": 1, "claim_speaker": 1, "claim_issue": 0, "children": 0, "coded": 2,
        "total": 2,
    }  # fmt: skip
    assert kirby["organisation"] == "U.S. government" and kirby["aliases"] == []


def test_rename_ignores_case_and_keeps_every_use(used, capsys):
    before = used.store.codes.usage(code_id(used, CodeKind.SPEAKER, "John Kirby"))
    assert codebook(used, "rename", "speaker", "JOHN KIRBY", "Admiral John Kirby 🇺🇸") == 0
    assert capsys.readouterr().out == ("Renamed speaker 'John Kirby' to 'Admiral John Kirby 🇺🇸'.\n")
    renamed = code_id(used, CodeKind.SPEAKER, "Admiral John Kirby 🇺🇸")
    assert used.store.codes.usage(renamed) == before


def test_merge_moves_every_use(used, capsys):
    assert codebook(used, "merge", "speaker", "john kirby", "The White House") == 0
    assert capsys.readouterr().out == (
        "Merged speaker 'John Kirby' into 'The White House': 2 annotations now use "
        "'The White House'.\n"
    )
    assert used.store.codes.by_name(CodeKind.SPEAKER, "John Kirby") is None
    house = used.store.codes.usage(code_id(used, CodeKind.SPEAKER, "The White House"))
    assert (house.annotations, house.claim_speaker) == (1, 1)


def test_delete_unused_and_forced(used, capsys):
    assert codebook(used, "delete", "issue", "climate change") == 0
    assert capsys.readouterr().out == "Deleted issue 'Climate change'; it was not used.\n"
    assert codebook(used, "delete", "issue", "Taiwan", "--force") == 0
    out = capsys.readouterr().out
    assert "1 issue passage, 1 claim tagged with it, 1 child issue" in out
    (claim,) = used.store.annotations.for_article(used.store.articles.summaries()[0].id)[1:]
    assert claim.issue_ids == ()
    assert used.store.codes.by_name(CodeKind.ISSUE, "Strait crossings").parent_id is None


def test_set_parent_and_back_to_the_top(used, capsys):
    assert codebook(used, "set-parent", "Climate change", "taiwan") == 0
    assert capsys.readouterr().out == "Moved issue 'Climate change' under 'Taiwan'.\n"
    taiwan = code_id(used, CodeKind.ISSUE, "Taiwan")
    assert used.store.codes.by_name(CodeKind.ISSUE, "Climate change").parent_id == taiwan
    for top in (["-"], ["--none"]):
        assert codebook(used, "set-parent", "Climate change", *top) == 0
        assert capsys.readouterr().out == "Moved issue 'Climate change' to the top level.\n"
        assert used.store.codes.by_name(CodeKind.ISSUE, "Climate change").parent_id is None


def test_recolour(used, capsys):
    assert codebook(used, "recolour", "issue", "taiwan", "#ABCDEF") == 0
    assert capsys.readouterr().out == "Recoloured issue 'Taiwan' from #56b4e9 to #abcdef.\n"
    assert codebook(used, "recolor", "issue", "taiwan", "#123456") == 0
    assert used.store.codes.by_name(CodeKind.ISSUE, "Taiwan").colour == "#123456"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rename", "speaker", "Kirbyy", "K"], "No speaker named 'Kirbyy'. Did you mean John "
         "Kirby?"),
        (["rename", "speaker", "JK", "K"], "Did you mean John Kirby?"),
        (["rename", "speaker", "Gina Raimondo", "K"], "No speaker named 'Gina Raimondo'.\n"),
        (["rename", "issue", "John Kirby", "K"], "No issue named 'John Kirby'."),
        (["rename", "speaker", "John Kirby", "joe biden"], "already a speaker code named "
         "'Joe Biden'"),
        (["rename", "speaker", "John Kirby", "  "], "A code needs a name."),
        (["merge", "speaker", "John Kirby", "john kirby"], "cannot be merged into itself"),
        (["merge", "speaker", "John Kirby", "Kirbyy"], "Did you mean John Kirby?"),
        (["delete", "speaker", "John Kirby"], "'John Kirby' is in use (1 speaker mention, "
         "1 claim attributed to it). Merge it into another code, or delete it with its uses. "
         "(--force deletes it with its uses.)"),
        (["delete", "issue", "Taiwan"], "(1 issue passage, 1 claim tagged with it, 1 child "
         "issue)"),
        (["set-parent", "Taiwan", "Strait crossings"], "'Strait crossings' is inside "
         "'Taiwan': that is a loop."),
        (["set-parent", "Taiwan", "taiwan"], "that is a loop"),
        (["set-parent", "Taiwan"], "Name the new parent issue"),
        (["set-parent", "Taiwan", "Climate change", "--none"], "not both"),
        (["set-parent", "John Kirby", "Taiwan"], "No issue named 'John Kirby'."),
        (["recolour", "issue", "Taiwan", "blue"], "Colour 'blue' is not of the form #rrggbb."),
        (["recolour", "issue", "Taiwan", "#12345"], "not of the form #rrggbb"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_changes_nothing(used, capsys, args, message):
    before = table_rows(used.path)
    assert codebook(used, *args) == 2
    err = capsys.readouterr().err
    assert err.startswith("annotator: ") and err.count("\n") == 1
    assert message in err
    assert table_rows(used.path) == before


def test_bad_kind_is_an_argparse_error(used, capsys):
    with pytest.raises(SystemExit) as exit_info:
        codebook(used, "rename", "topic", "Taiwan", "X")
    assert exit_info.value.code == 2
    assert "invalid choice: 'topic'" in capsys.readouterr().err
