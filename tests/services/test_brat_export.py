"""The brat standoff export: exactly brat's format, nothing of the coding lost, and offsets
that survive a trip through brat's own line-oriented parser."""

import re
from pathlib import Path

import pytest

from annotator.core.model import Code, CodeKind
from annotator.services.interchange.brat.brat_export import (
    LINE_BREAK,
    brat_type,
    export_brat,
    issue_types,
    safe_stem,
    split_at_line_breaks,
)
from annotator.services.interchange.files import ExportError
from tests.conftest import code_id
from tests.services.test_exporting import Study, build_study


@pytest.fixture
def study(project) -> Study:
    return build_study(project)


def files_of(directory: Path, article_id: str) -> tuple[str, str]:
    (txt,) = directory.glob(f"*-{article_id.replace('-', '')[:8]}.txt")
    ann = txt.with_suffix(".ann")
    return txt.read_bytes().decode("utf-8"), ann.read_bytes().decode("utf-8")


def parse_like_brat(text: str, ann: str) -> dict[str, tuple[str, list[tuple[int, int]]]]:
    """The checks brat's server makes when it reads an .ann file (annotation.py): one
    annotation per line, id TAB data TAB text, spans ascending and apart, the text equal
    to the spans' texts joined by one space, every reference defined."""
    assert ("\r" not in ann and ann.endswith("\n")) or ann == ""
    textbounds: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    references = []
    for line in ann.splitlines():  # str.splitlines: the strictest reader of line ends
        ident, rest = line.split("\t", 1)
        if ident.startswith("T"):
            data, quoted = rest.split("\t", 1)
            kind, offsets = data.split(" ", 1)
            spans = [tuple(map(int, part.split(" "))) for part in offsets.split(";")]
            seen: list[tuple[int, int]] = []
            for start, end in spans:
                assert 0 <= start < end <= len(text)
                assert not any(end >= s and start < e for s, e in seen), line
                seen.append((start, end))
            assert quoted == " ".join(text[s:e] for s, e in spans)
            textbounds[ident] = (kind, spans)
        else:
            references.extend(re.findall(r"\bT\d+\b", rest.split("\t")[0]))
    assert set(references) <= set(textbounds)
    return textbounds


def merged(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """What an importer does: spans separated only by line breaks were one fragment."""
    result = [spans[0]]
    for start, end in spans[1:]:
        gap = text[result[-1][1] : start]
        if gap and not LINE_BREAK.sub("", gap):
            result[-1] = (result[-1][0], end)
        else:
            result.append((start, end))
    return result


def test_the_ann_file_holds_every_part_of_the_coding(project, study, tmp_path):
    result = export_brat(project.store, tmp_path / "brat")
    assert (result.articles, result.annotations, result.skipped) == (4, 7, ())
    text, ann = files_of(tmp_path / "brat", study.tricky)
    assert text == project.store.articles.get(study.tricky).text  # canonical, LF, emoji
    assert ann.split("\n") == [
        "T1\tTaiwan 0 17\tFlags 🇺🇸🇨🇳 first.",
        "T2\tClaim 18 41;80 87\t“We will not sit back,” “fine.”",
        "T3\tSpeaker 42 44\tXi",
        "#1\tAnnotatorNotes T1\tissue=Taiwan",
        "A1\tStance T2 opposes",
        "R1\tSpeaker Arg1:T2 Arg2:T3",
        "#2\tAnnotatorNotes T2\tSaid “firmly” 😠",
        "#3\tAnnotatorNotes T2\tspeaker=Xi Jinping; "
        "issues=AI risk and safety | Export controls / high-tech trade | Taiwan",
        "#4\tAnnotatorNotes T3\tspeaker=Xi Jinping",
        "",
    ]
    parse_like_brat(text, ann)


def test_every_file_passes_brats_checks_and_round_trips(project, study, tmp_path):
    export_brat(project.store, tmp_path)
    for summary in project.store.articles.summaries():
        text, ann = files_of(tmp_path, summary.id)
        textbounds = parse_like_brat(text, ann)
        stored = project.store.annotations.for_article(summary.id)
        assert sorted(merged(text, spans) for _, spans in textbounds.values()) == sorted(
            [(f.start, f.end) for f in a.fragments] for a in stored
        )


def test_line_breaks_split_fragments_and_flatten_notes(project, tmp_path):
    body = "Line one\nLine two\u2028three\n\nend"
    article = project.articles.add(body, source="Wire", title="Breaks").article
    taiwan = code_id(project, CodeKind.ISSUE, "Taiwan")
    passage = project.annotations.create_issue_passage(article.id, [(0, len(body))], taiwan)
    claim = project.annotations.create_claim(article.id, [(5, 12)], note="first\nsecond\r\nthird")
    newline_only = project.annotations.create_issue_passage(article.id, [(23, 25)], taiwan)
    result = export_brat(project.store, tmp_path, sources=["Wire"])
    assert result.skipped == (newline_only.annotation.id,)
    assert result.annotations == 2
    text, ann = files_of(tmp_path, article.id)
    lines = ann.splitlines()
    assert lines[0] == "T1\tTaiwan 0 8;9 17;18 23;25 28\tLine one Line two three end"
    assert lines[1] == "T2\tClaim 5 8;9 12\tone Lin"
    assert "#2\tAnnotatorNotes T2\tfirst second  third" in lines
    assert len(lines) == ann.count("\n")  # no line holds a stray break of any kind
    original = [(f.start, f.end) for f in passage.annotation.fragments]
    assert merged(text, [(0, 8), (9, 17), (18, 23), (25, 28)]) == original == [(0, 28)]
    assert merged(text, [(5, 8), (9, 12)]) == [(5, 12)]
    assert claim.annotation.note.count("\n") == 2


def test_split_at_line_breaks_knows_every_line_boundary():
    text = "a\nb\rc\vd\fe\x1cf\x1dg\x1eh\x85i\u2028j\u2029k"
    pieces = [text[s:e] for s, e in split_at_line_breaks(text, 0, len(text))]
    assert pieces == text.splitlines()
    assert split_at_line_breaks("ab\n", 0, 3) == [(0, 2)]
    assert split_at_line_breaks("\n\n", 0, 2) == []


def test_annotation_conf_declares_every_type_and_nests_issues(project, study, tmp_path):
    export = code_id(project, CodeKind.ISSUE, "Export controls / high-tech trade")
    chips = project.codebook.create(CodeKind.ISSUE, "Chips & fabs").code
    project.codebook.reparent(chips.id, export)
    export_brat(project.store, tmp_path)
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8")
    sections = re.split(r"^\[(\w+)\]$", conf, flags=re.MULTILINE)
    parts = dict(zip(sections[1::2], sections[2::2], strict=True))
    assert list(parts) == ["entities", "relations", "events", "attributes"]
    entities = [line for line in parts["entities"].splitlines() if line]
    assert entities[:2] == ["Claim", "Speaker"]
    assert "Export_controls___high-tech_trade\n\tChips___fabs\n" in parts["entities"]
    assert len(entities) == 2 + len(project.store.codes.all(CodeKind.ISSUE))
    assert "Speaker\tArg1:Claim, Arg2:Speaker" in parts["relations"]
    assert "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>" in parts["relations"]
    assert parts["attributes"].strip() == "Stance\tArg:Claim, Value:supports|opposes|neutral"
    declared = {line.strip() for line in entities}
    for ann in tmp_path.glob("*.ann"):
        for line in ann.read_text(encoding="utf-8").splitlines():
            if line.startswith("T"):
                assert line.split("\t")[1].split(" ")[0] in declared
    visual = (tmp_path / "visual.conf").read_text(encoding="utf-8")
    assert "Chips___fabs | Chips & fabs" in visual
    assert (
        f"Taiwan\tbgColor:{project.store.codes.by_name(CodeKind.ISSUE, 'Taiwan').colour}" in visual
    )


def test_type_names_are_brat_safe_and_unique():
    assert brat_type("Export controls / high-tech trade") == "Export_controls___high-tech_trade"
    assert brat_type("Café crème") == "Cafe_creme"
    assert brat_type("台湾") == "Issue"
    assert re.fullmatch(r"[A-Za-z0-9_-]+", brat_type("Russia's defence: 2024!"))

    def issue(i: int, name: str) -> Code:
        return Code(f"id{i}", CodeKind.ISSUE, name, "#000000")

    codes = [
        issue(1, "A B"),
        issue(2, "A/B"),
        issue(3, "claim"),
        issue(4, "台湾"),
        issue(5, "中国"),
    ]
    codes.append(Code("s", CodeKind.SPEAKER, "Speaker", "#000000"))
    types = issue_types(codes)
    assert types == {
        "id1": "A_B", "id2": "A_B_2", "id3": "claim_2", "id5": "Issue", "id4": "Issue_2",
    }  # fmt: skip


def test_file_names_are_safe_unique_and_readable(project, tmp_path):
    first = project.articles.add("one", source="W", title="Same / title?").article
    second = project.articles.add("two", source="W", title="Same / title?").article
    accented = project.articles.add("three", source="W", title="Ça va: l’été ../x").article
    blank = project.articles.add("four", source="W", title="???").article
    export_brat(project.store, tmp_path, sources=["W"])
    names = sorted(p.name for p in tmp_path.glob("*.txt"))
    assert len(names) == 4
    for article in (first, second):
        assert f"Same_title-{article.id.replace('-', '')[:8]}.txt" in names
    assert f"Ca_va_l_ete_x-{accented.id.replace('-', '')[:8]}.txt" in names
    assert f"article-{blank.id.replace('-', '')[:8]}.txt" in names
    assert all(re.fullmatch(r"[A-Za-z0-9_]+-[0-9a-f]{8}\.txt", n) for n in names)


def test_safe_stem_lengthens_the_suffix_on_a_clash():
    taken: set[str] = set()
    a = safe_stem("T" * 200, "abcdef12-3456-7890", taken)
    b = safe_stem("t" * 200, "abcdef12-9999-0000", taken)  # same stem but for case
    c = safe_stem("T" * 200, "abcdef12-3456-7890", taken)
    assert len({a.casefold(), b.casefold(), c.casefold()}) == 3
    assert a == "T" * 60 + "-abcdef12" and b == "t" * 60 + "-abcdef129999"


def test_filters_apply_and_dangling_relations_are_left_out(project, study, tmp_path):
    progress: list[tuple[int, int]] = []
    result = export_brat(
        project.store, tmp_path, kinds=["claim"], sources=["test wire"],
        on_progress=lambda d, t: progress.append((d, t)),
    )  # fmt: skip
    assert (result.articles, result.annotations) == (1, 1)
    assert progress == [(0, 1), (1, 1)]
    _, ann = files_of(tmp_path, study.tricky)
    assert ann.startswith("T1\tClaim 18 41;80 87\t")
    assert "\tSpeaker " not in ann and "R1" not in ann  # the mention was not exported
    assert "speaker=Xi Jinping; issues=" in ann
    assert len(list(tmp_path.glob("*.txt"))) == 1


def test_an_article_without_annotations_gets_an_empty_ann_file(project, tmp_path):
    export_brat(project.store, tmp_path)
    summary = project.store.articles.summaries()[0]
    text, ann = files_of(tmp_path, summary.id)
    assert ann == "" and text.startswith("Flags")


def test_a_file_in_the_way_is_one_clear_error(project, tmp_path):
    target = tmp_path / "brat"
    target.write_text("not a folder", encoding="utf-8")
    with pytest.raises(ExportError, match="is a file"):
        export_brat(project.store, target)


def test_fragments_brat_cannot_tell_and_unsafe_names_are_in_the_code_note(project, tmp_path):
    body = "Said\u2028 it.\nNext"
    article = project.articles.add(body, source="Wire", title="Cut").article
    issue = project.codebook.create(CodeKind.ISSUE, "Tai\rwan; or | not").code.id
    project.annotations.create_issue_passage(article.id, [(0, 5)], issue)  # ends at U+2028
    project.annotations.create_claim(article.id, [(0, 4), (5, 9)])  # apart by one
    project.annotations.create_claim(article.id, [(6, 14)])  # cut, but rejoined by importers
    export_brat(project.store, tmp_path, sources=["Wire"])
    text, ann = files_of(tmp_path, article.id)
    assert ann.splitlines() == [
        "T1\tTai_wan__or___not 0 4\tSaid",
        "T2\tClaim 0 4;5 9\tSaid  it.",
        "T3\tClaim 6 9;10 14\tit. Next",
        "#1\tAnnotatorNotes T1\tissue=Tai\\u000dwan\\u003b or \\u007c not; fragments=0 5",
        "#2\tAnnotatorNotes T2\tfragments=0 4;5 9",
    ]
    parse_like_brat(text, ann)
