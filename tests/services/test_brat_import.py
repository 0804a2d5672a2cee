"""brat standoff import: spans, relations, events, notes, unmapped types, duplicates."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.errors import ValidationError
from annotator.core.formats.brat_ann import canonical_offsets, parse_ann
from annotator.core.model import AnnotationKind, CodeKind, Stance
from annotator.core.text import canonicalize_text
from annotator.services.interchange.brat.brat_import import parse_brat_map
from annotator.services.interchange.importing import ImportStatus, import_paths, plan_import
from annotator.services.project import Project
from tests.conftest import code_id

TEXT = (
    "Xi warns Biden over Taiwan\n"
    "China will not sit back, Xi Jinping said, over Taiwan.\n"
    "Biden replied that talks go on.\n"
)
MAP = {
    "Content": AnnotationKind.CLAIM,
    "Source": AnnotationKind.SPEAKER,
    "Taiwan": AnnotationKind.ISSUE,
    "South_China_Sea": AnnotationKind.ISSUE,
}


def span(text: str, quote: str, nth: int = 1) -> str:
    """``start end`` of the nth occurrence of ``quote``."""
    start = -1
    for _ in range(nth):
        start = text.index(quote, start + 1)
    return f"{start} {start + len(quote)}"


def pair(folder: Path, name: str, text: str, ann: list[str], *, newline: str = "\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    txt = folder / f"{name}.txt"
    txt.write_bytes(text.replace("\n", newline).encode("utf-8"))
    (folder / f"{name}.ann").write_text("\n".join(ann) + "\n", encoding="utf-8")
    return txt


def claim_lines(text: str = TEXT) -> list[str]:
    return [
        f"T1\tContent {span(text, 'China will not sit back')};{span(text, 'over Taiwan.')}"
        "\tChina will not sit back over Taiwan.",
        f"T2\tSource {span(text, 'Xi Jinping')}\tXi Jinping",
        f"T3\tTaiwan {span(text, 'Taiwan', 2)}\tTaiwan",
        "R1\tSays Arg1:T2 Arg2:T1",
        "R2\tAbout Arg1:T1 Arg2:T3",
    ]


def imported(project: Project, folder: Path, mapping=None):
    brat_map = MAP if mapping is None else mapping
    return import_paths(project, [folder], format="brat", source="AFP", brat_map=brat_map)


def annotations(project: Project, article_id: str | None) -> dict[AnnotationKind, list]:
    assert article_id is not None
    found: dict[AnnotationKind, list] = {kind: [] for kind in AnnotationKind}
    for annotation in project.store.annotations.for_article(article_id):
        found[annotation.kind].append(annotation)
    return found


# -- parsing ---------------------------------------------------------------------------------


def test_parse_every_line_kind():
    doc = parse_ann(
        "T1\tClaim 0 5;9 14\thello world\r\n"
        "T2\tSpeaker 20 22\tXi\n"
        "R1\tSays Arg1:T2 Arg2:T1\n"
        "E1\tStatement:T3 Agent:T2 Content:T1\n"
        "A1\tStance T1 supports\n"
        "M2\tNegated T2\n"
        "N1\tReference T2 Wikidata:Q15031\tXi Jinping\n"
        "*\tEquiv T1 T2\n"
        "#1\tAnnotatorNotes T1\ta note\n"
        "#2\tOtherNote T1\tsomething\n"
        "\n"
        "T9\tClaim x 5\tbad\n"
        "Q1\twhat\n"
    )
    assert [(e.id, e.type, e.spans, e.text) for e in doc.entities] == [
        ("T1", "Claim", ((0, 5), (9, 14)), "hello world"),
        ("T2", "Speaker", ((20, 22),), "Xi"),
    ]
    assert [(link.id, link.type, link.members) for link in doc.links] == [
        ("R1", "Says", ("T2", "T1")),
        ("E1", "Statement", ("T3", "T2", "T1")),
    ]
    assert [(a.name, a.target, a.value) for a in doc.attributes] == [
        ("Stance", "T1", "supports"),
        ("Negated", "T2", ""),
    ]
    assert [(n.target, n.text) for n in doc.notes] == [("T1", "a note")]
    assert doc.ignored == {"normalisation": 1, "equivalence": 1, "note of another kind": 1}
    assert len(doc.problems) == 2
    assert doc.problems[0].startswith("line 12: offsets 'x 5' are not two whole numbers")
    assert doc.problems[1].startswith("line 13: not a brat annotation line")


@given(st.text(alphabet="ab\r\n\x00\ufeff", max_size=30))
def test_offsets_map_onto_the_canonical_text(original):
    canonical = canonicalize_text(original)
    to_canonical = canonical_offsets(original, canonical)
    assert to_canonical(0) == 0 and to_canonical(len(original)) == len(canonical)
    for i, char in enumerate(original):
        if char in "ab":
            assert canonical[to_canonical(i)] == char


def test_parse_brat_map():
    assert parse_brat_map(["Source=speaker", " Content = CLAIM ", "Taiwan=issue"]) == {
        "Source": AnnotationKind.SPEAKER,
        "Content": AnnotationKind.CLAIM,
        "Taiwan": AnnotationKind.ISSUE,
    }
    for bad in (["Source"], ["Source=actor"], ["=claim"], ["A=claim", "A=issue"]):
        with pytest.raises(ValidationError):
            parse_brat_map(bad)


# -- importing -------------------------------------------------------------------------------


def test_claim_with_discontinuous_span_speaker_and_issue(project, tmp_path):
    pair(tmp_path / "corpus", "a", TEXT, claim_lines())
    [outcome] = imported(project, tmp_path / "corpus").outcomes
    assert outcome.status is ImportStatus.IMPORTED, outcome.summary_lines()
    assert outcome.details == ()
    article = project.store.articles.get(outcome.article_id or "")
    assert article.title == "Xi warns Biden over Taiwan"
    assert project.store.sources.get(article.source_id).name == "AFP"
    found = annotations(project, outcome.article_id)
    [claim], [mention], [passage] = found[AnnotationKind.CLAIM], found[
        AnnotationKind.SPEAKER
    ], found[AnnotationKind.ISSUE]  # fmt: skip
    assert [f.quote for f in claim.fragments] == ["China will not sit back", "over Taiwan."]
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")  # matched, not created
    assert mention.code_id == xi and mention.quote == "Xi Jinping"
    assert (claim.speaker_id, claim.speaker_mention_id) == (xi, mention.id)
    taiwan = code_id(project, CodeKind.ISSUE, "Taiwan")
    assert passage.code_id == taiwan and claim.issue_ids == (taiwan,)
    assert {a.annotator for a in found[AnnotationKind.CLAIM] + [mention, passage]} == {"alice"}


def test_an_event_joins_a_claim_to_its_speaker(project, tmp_path):
    lines = [
        *claim_lines()[:2],
        f"T4\tStatement {span(TEXT, 'said')}\tsaid",
        "E1\tStatement:T4 Speaker:T2 Message:T1",
    ]
    pair(tmp_path / "c", "a", TEXT, lines)
    [outcome] = imported(project, tmp_path / "c").outcomes
    [claim] = annotations(project, outcome.article_id)[AnnotationKind.CLAIM]
    assert claim.speaker_id == code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    assert outcome.details == ("types without --map, not imported: Statement (1)",)


def test_new_speakers_and_issues_are_created_and_matched_ignoring_case(project, tmp_path):
    text = "BIDEN and xi jinping discussed the South China Sea. Biden spoke.\n"
    lines = [
        f"T1\tSource {span(text, 'BIDEN')}\tBIDEN",
        f"T2\tSource {span(text, 'xi jinping')}\txi jinping",
        f"T3\tSource {span(text, 'Biden')}\tBiden",
        f"T4\tSouth_China_Sea {span(text, 'South China Sea')}\tSouth China Sea",
        f"T5\tTrade {span(text, 'discussed')}\tdiscussed",
    ]
    pair(tmp_path / "c", "a", text, lines)
    codes_before = len(project.store.codes.all())
    [outcome] = imported(project, tmp_path / "c", {**MAP, "Trade": AnnotationKind.ISSUE}).outcomes
    found = annotations(project, outcome.article_id)
    names = [project.store.codes.get(a.code_id or "").name for a in found[AnnotationKind.SPEAKER]]
    assert sorted(names) == ["BIDEN", "BIDEN", "Xi Jinping"]  # "Biden" found "BIDEN"
    issues = {project.store.codes.get(a.code_id or "").name for a in found[AnnotationKind.ISSUE]}
    assert issues == {"South China Sea", "Trade"}
    assert len(project.store.codes.all()) == codes_before + 2  # BIDEN and Trade


def test_unmapped_types_relations_and_attributes_are_reported(project, tmp_path):
    lines = [
        *claim_lines(),
        f"T4\tLocation {span(TEXT, 'China')}\tChina",
        f"T5\tLocation {span(TEXT, 'Taiwan')}\tTaiwan",
        f"T6\tDate {span(TEXT, 'talks')}\ttalks",
        "R3\tNear Arg1:T4 Arg2:T5",
        "A1\tNegated T1",
        "N1\tReference T2 Wikidata:Q15031\tXi",
    ]
    pair(tmp_path / "c", "a", TEXT, lines)
    [outcome] = imported(project, tmp_path / "c").outcomes
    assert outcome.status is ImportStatus.IMPORTED
    assert outcome.details == (
        "types without --map, not imported: Date (1), Location (2)",
        "relations/events joining no imported claim to a speaker or issue, not imported: Near (1)",
        "attributes not imported: Negated (1)",
        "not imported (no place in this model): normalisation (1)",
    )
    lines = outcome.summary_lines()
    assert lines[0].startswith(f"imported: {tmp_path / 'c' / 'a.txt'}: as 'Xi warns Biden")
    assert all(line.startswith("  ") for line in lines[1:])


def test_a_mismatched_annotation_is_reported_and_the_rest_imports(project, tmp_path):
    lines = [
        *claim_lines(),
        f"T4\tSource {span(TEXT, 'Biden', 2)}\tBiden",
        "T5\tSource 0 2\tBi",  # the text there is "Xi"
        "T6\tSource 500 510\tfar away",
        "T7\tSource 9 5\tbackwards",
        "T8\tContent 0 5;3 8\tXi wa warns",
    ]
    pair(tmp_path / "c", "a", TEXT, lines)
    [outcome] = imported(project, tmp_path / "c").outcomes
    assert outcome.status is ImportStatus.IMPORTED
    found = annotations(project, outcome.article_id)
    assert len(found[AnnotationKind.SPEAKER]) == 2 and len(found[AnnotationKind.CLAIM]) == 1
    assert outcome.details[0] == "T5 (line 7): the .ann quotes 'Bi' but the text at 0..2 reads 'Xi'"
    assert outcome.details[1].startswith("T6 (line 8): offsets 500..510 lie outside the text")
    assert outcome.details[2] == "T7 (line 9): empty or reversed offsets 9..5"
    assert outcome.details[3] == "T8 (line 10): Fragment 3..8 overlaps the fragment before it."


def test_crlf_offsets_are_mapped_onto_the_canonical_text(project, tmp_path):
    crlf = TEXT.replace("\n", "\r\n")
    pair(tmp_path / "c", "a", TEXT, claim_lines(crlf), newline="\r\n")
    [outcome] = imported(project, tmp_path / "c").outcomes
    assert outcome.details == ()
    article = project.store.articles.get(outcome.article_id or "")
    assert "\r" not in article.text
    found = annotations(project, outcome.article_id)
    [claim] = found[AnnotationKind.CLAIM]
    assert [f.quote for f in claim.fragments] == ["China will not sit back", "over Taiwan."]
    assert all(
        article.text[f.start : f.end] == f.quote
        for a in found[AnnotationKind.ISSUE]
        for f in a.fragments
    )


def test_pieces_split_only_at_line_breaks_are_one_fragment(project, tmp_path):
    lines = [f"T1\tContent {span(TEXT, 'Taiwan')};{span(TEXT, 'China')}\tTaiwan China"]
    pair(tmp_path / "c", "a", TEXT, lines)
    [outcome] = imported(project, tmp_path / "c").outcomes
    [claim] = annotations(project, outcome.article_id)[AnnotationKind.CLAIM]
    assert [f.quote for f in claim.fragments] == ["Taiwan\nChina"]


def test_notes_stance_and_code_notes(project, tmp_path):
    lines = [
        *claim_lines()[:1],
        f"T2\tSource {span(TEXT, 'Xi', 1)}\tXi",
        f"T3\tTaiwan {span(TEXT, 'Taiwan', 2)}\tTaiwan",
        "A1\tStance T1 opposes",
        "#1\tAnnotatorNotes T1\tstrong words",
        "#2\tAnnotatorNotes T1\tspeaker=Xi Jinping; issues=Taiwan | South China Sea",
        "#3\tAnnotatorNotes T2\tspeaker=Xi Jinping",
        "#4\tAnnotatorNotes T3\tissue=Export controls / high-tech trade",
    ]
    pair(tmp_path / "c", "a", TEXT, lines)
    [outcome] = imported(project, tmp_path / "c").outcomes
    found = annotations(project, outcome.article_id)
    [claim], [mention], [passage] = (found[k] for k in AnnotationKind)
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    assert (claim.stance, claim.note, claim.speaker_id) == (Stance.OPPOSES, "strong words", xi)
    assert set(claim.issue_ids) == {
        code_id(project, CodeKind.ISSUE, "Taiwan"),
        code_id(project, CodeKind.ISSUE, "South China Sea"),
    }
    assert mention.code_id == xi
    assert passage.code_id == code_id(project, CodeKind.ISSUE, "Export controls / high-tech trade")


def test_a_text_already_in_the_project_gets_the_annotations_once(project, tmp_path):
    project.articles.add(TEXT.replace("\n", "\r\n"), source="Reuters", title="Already here")
    pair(tmp_path / "c", "a", TEXT, claim_lines())
    [outcome] = imported(project, tmp_path / "c").outcomes
    assert outcome.status is ImportStatus.IMPORTED
    assert outcome.reason.startswith("text already in the project as 'Already here'")
    assert project.store.articles.count() == 2  # the fixture's and this one
    assert sum(len(v) for v in annotations(project, outcome.article_id).values()) == 3
    [again] = imported(project, tmp_path / "c").outcomes
    assert again.status is ImportStatus.DUPLICATE
    assert again.details == ("3 annotation(s) already in the project, not added again",)
    assert sum(len(v) for v in annotations(project, outcome.article_id).values()) == 3


def test_missing_or_orphan_ann_files_and_other_files(project, tmp_path):
    folder = tmp_path / "c"
    pair(folder, "good", TEXT, claim_lines())
    (folder / "lonely.txt").write_text("No annotations beside me.\n", encoding="utf-8")
    (folder / "orphan.ann").write_text("T1\tSource 0 2\tXi\n", encoding="utf-8")
    (folder / "annotation.conf").write_text("[entities]\n", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "empty.ann").write_text("", encoding="utf-8")
    (folder / "bare.txt").write_text("Text with an empty .ann.\n", encoding="utf-8")
    (folder / "bare.ann").write_text("", encoding="utf-8")
    report = imported(project, folder)
    assert {o.path.name: (o.status.value, o.reason) for o in report.outcomes} == {
        "annotation.conf": ("skipped", "not a .txt file (brat import)"),
        "bare.txt": ("imported", "as 'Text with an empty .ann.'; annotations: none"),
        "empty.txt": ("rejected", "empty file"),
        "good.txt": ("imported", "as 'Xi warns Biden over Taiwan'; annotations: 1 claim(s), "
                                 "1 speaker mention(s), 1 issue passage(s)"),
        "lonely.txt": ("rejected", "no brat .ann file beside it"),
        "orphan.ann": ("rejected", "no .txt beside this .ann"),
    }  # fmt: skip


def test_brat_needs_a_source(project, tmp_path):
    pair(tmp_path / "c", "a", TEXT, claim_lines())
    [outcome] = import_paths(project, [tmp_path / "c"], format="brat", brat_map=MAP).outcomes
    assert outcome.status is ImportStatus.REJECTED and outcome.reason.startswith("no source")


def test_naming_the_ann_file_imports_its_pair(project, tmp_path):
    pair(tmp_path / "c", "a", TEXT, claim_lines())
    [item] = plan_import([tmp_path / "c" / "a.ann"], format="brat")
    assert item.path == tmp_path / "c" / "a.txt" and item.verdict is None


def test_an_undecodable_ann_rejects_its_pair(project, tmp_path):
    pair(tmp_path / "c", "a", TEXT, [])
    (tmp_path / "c" / "a.ann").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    [outcome] = imported(project, tmp_path / "c").outcomes
    assert outcome.status is ImportStatus.REJECTED
    assert outcome.reason == "a.ann: binary file (image/png), not text"
    assert project.store.articles.count() == 1  # only the fixture's: nothing half-imported


def test_a_utf8_byte_order_mark_counts_as_brat_counts_it(project, tmp_path):
    folder = tmp_path / "c"
    pair(folder, "a", TEXT, [])
    (folder / "a.txt").write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    start = TEXT.index("Xi Jinping") + 1  # brat read the mark as a character
    (folder / "a.ann").write_text(f"T1\tSource {start} {start + 10}\tXi Jinping\n", "utf-8")
    [outcome] = imported(project, folder).outcomes
    assert outcome.details == ()
    [mention] = annotations(project, outcome.article_id)[AnnotationKind.SPEAKER]
    assert mention.quote == "Xi Jinping"


def test_a_second_coder_s_identical_spans_are_imported_as_theirs(tmp_path):
    """Another coder's identical span is a separate judgement: agreement needs both."""
    from annotator.core.model import AnnotationKind
    from annotator.services.interchange.importing import import_paths
    from annotator.services.project import open_project

    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "a.txt").write_text("Xi said the talks went well.\n", encoding="utf-8")
    (folder / "a.ann").write_text("T1\tSpeaker 0 2\tXi\n", encoding="utf-8")
    mapping = {"Speaker": AnnotationKind.SPEAKER}
    path = tmp_path / "team.annotator"
    for coder in ("alice", "bob"):
        with open_project(path, annotator=coder) as project:
            report = import_paths(project, [folder], format="brat", source="W", brat_map=mapping)
            assert report.rejected == 0
    with open_project(path, annotator="carol") as project:
        (summary,) = project.store.articles.summaries()
        coders = sorted(a.annotator for a in project.store.annotations.for_article(summary.id))
    assert coders == ["alice", "bob"]


def test_a_fragments_note_gives_fragments_only_where_it_fits_the_offsets(project, tmp_path):
    """``fragments=`` (the export's, for fragments brat cuts at a line break) is believed
    when cutting it at line breaks gives the T line's spans; otherwise it is reported."""
    end = TEXT.index("\n") + 1
    lines = [
        f"T1\tContent 0 {end - 1}\tXi warns Biden over Taiwan",
        f"#1\tAnnotatorNotes T1\tfragments=0 {end}",  # ends at the line break
        f"T2\tContent 0 {end - 1}\tXi warns Biden over Taiwan",
        "#2\tAnnotatorNotes T2\tfragments=0 5",  # does not cut to T2's span
        f"T3\tSource {span(TEXT, 'Xi Jinping')}\tXi Jinping",
        "#3\tAnnotatorNotes T3\tspeaker=Xi\\u000aJinping",  # a name with a line break
    ]
    pair(tmp_path / "c", "a", TEXT, lines)
    [outcome] = imported(project, tmp_path / "c").outcomes
    assert outcome.details == (
        "T2 (line 3): its note's fragments=0 5 do not fit its offsets; "
        "its fragments are read from the offsets",
    )
    found = annotations(project, outcome.article_id)
    assert sorted(c.fragments[0].end for c in found[AnnotationKind.CLAIM]) == [end - 1, end]
    [mention] = found[AnnotationKind.SPEAKER]
    assert project.store.codes.get(mention.code_id).name == "Xi\nJinping"
