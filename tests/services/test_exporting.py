"""The CSV export: its header is a contract with researchers' scripts, its cells must not run
in a spreadsheet, and an interrupted export must leave nothing half-written behind."""

import csv
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import pytest

from annotator.core.errors import ValidationError
from annotator.core.model import AnnotationKind, CodeKind, Stance
from annotator.services.annotations import AnnotationService
from annotator.services.interchange import csv_export, files
from annotator.services.interchange.csv_export import (
    CSV_COLUMNS,
    annotation_rows,
    export_annotations_csv,
)
from annotator.services.interchange.files import ExportError, neutralise
from annotator.services.project import Project
from tests.conftest import code_id

HEADER = (
    "annotation_id,article_id,article_title,source,published,kind,code,speaker,issues,stance,"
    "fragments,text,note,annotator,created_at,updated_at"
)
TRIGGERS = ["=", "+", "-", "@", "\t", "\r"]


@dataclass
class Study:
    tricky: str  # article ids
    zed: str
    alpha: str
    beta: str
    claim: str  # annotation ids
    mention: str
    passage: str
    minus: str


def span_of(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def build_study(project: Project) -> Study:
    """Three kinds, two coders, two sources, articles that sort by date before title; a
    claim with two fragments, three issues, a stance and a speaker mention; emoji and
    curly quotes; texts that start like formulas."""
    tricky = project.store.articles.summaries()[0].id
    text = project.store.articles.get(tricky).text
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    issue = {
        name: code_id(project, CodeKind.ISSUE, name)
        for name in ("Taiwan", "Export controls / high-tech trade", "AI risk and safety")
    }
    alice = project.annotations
    passage = alice.create_issue_passage(
        tricky, [span_of(text, "Flags 🇺🇸🇨🇳 first.")], issue["Taiwan"]
    )
    mention = alice.create_speaker_mention(tricky, [span_of(text, "Xi")], xi)
    claim = alice.create_claim(
        tricky,
        [span_of(text, "“We will not sit back,”"), span_of(text, "“fine.”")],
        speaker_mention_id=mention.annotation.id,
        issue_ids=list(issue.values()),
        stance=Stance.OPPOSES,
        note="Said “firmly” 😠",
    )

    def add(title: str, published: str, body: str) -> str:
        return project.articles.add(body, source="Alpha News", title=title, published=published)

    zed = add("Zed", "2024-01-01", "Zed text about tariffs.").article.id
    beta = add("Beta", "2024-05-01", "-5% growth\n@handle said =SUM(A1) is fine.").article.id
    alpha = add("Alpha", "2024-05-01", "Alpha text.").article.id
    bob = AnnotationService(project.store, "bob")
    climate = code_id(project, CodeKind.ISSUE, "Climate change")
    minus = bob.create_issue_passage(beta, [(0, 10)], climate)
    bob.create_claim(beta, [(11, 18)])
    bob.create_issue_passage(zed, [(0, 3)], climate)
    alice.create_claim(alpha, [(0, 5)], speaker_id=xi)
    return Study(
        tricky, zed, alpha, beta, claim.annotation.id, mention.annotation.id,
        passage.annotation.id, minus.annotation.id,
    )  # fmt: skip


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def study(project) -> Study:
    return build_study(project)


@pytest.fixture
def out_dir(tmp_path) -> Path:
    """Exports go to a folder of their own, so a test sees every file an export leaves."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def test_the_header_is_exactly_the_contract(project, study, tmp_path):
    out = tmp_path / "out.csv"
    export_annotations_csv(project.store, out)
    assert out.read_bytes().decode("utf-8").split("\r\n")[0] == HEADER
    assert ",".join(CSV_COLUMNS) == HEADER


def test_rows_read_back_match_the_database(project, study, tmp_path):
    out = tmp_path / "out.csv"
    assert export_annotations_csv(project.store, out, raw=True) == 7
    rows = read_rows(out)
    assert len(rows) == 7
    for row in rows:
        stored = project.store.annotations.get(row["annotation_id"])
        article = project.store.articles.get(stored.article_id)
        assert row["article_id"] == article.id and row["article_title"] == article.title
        assert row["source"] == project.store.sources.get(article.source_id).name
        assert row["published"] == (article.published or "")
        assert row["kind"] == stored.kind.value
        assert row["text"] == stored.quote
        assert row["fragments"] == ";".join(f"{f.start}-{f.end}" for f in stored.fragments)
        for fragment, cell in zip(stored.fragments, row["fragments"].split(";"), strict=True):
            start, end = map(int, cell.split("-"))
            assert article.text[start:end] == fragment.quote
        assert row["note"] == stored.note and row["annotator"] == stored.annotator
        assert (row["created_at"], row["updated_at"]) == (stored.created_at, stored.updated_at)


def test_claim_mention_and_passage_cells(project, study, tmp_path):
    out = tmp_path / "out.csv"
    export_annotations_csv(project.store, out)
    rows = {row["annotation_id"]: row for row in read_rows(out)}
    claim = rows[study.claim]
    assert claim["kind"] == "claim" and claim["code"] == ""
    assert claim["speaker"] == "Xi Jinping"
    assert claim["issues"] == "AI risk and safety;Export controls / high-tech trade;Taiwan"
    assert claim["stance"] == "opposes"
    assert claim["fragments"] == "18-41;80-87"  # code points: each emoji counts one
    assert claim["text"] == "“We will not sit back,” … “fine.”"
    assert claim["note"] == "Said “firmly” 😠"
    assert (claim["source"], claim["article_title"], claim["published"]) == (
        "Test Wire",
        "Tricky",
        "",
    )
    mention = rows[study.mention]
    assert (mention["kind"], mention["code"], mention["speaker"]) == ("speaker", "Xi Jinping", "")
    assert (mention["issues"], mention["stance"], mention["text"]) == ("", "", "Xi")
    passage = rows[study.passage]
    assert (passage["kind"], passage["code"]) == ("issue", "Taiwan")
    assert passage["text"] == "Flags 🇺🇸🇨🇳 first."


def test_rows_are_ordered_by_source_date_title_then_start(project, study, tmp_path):
    out = tmp_path / "out.csv"
    export_annotations_csv(project.store, out)
    order = [(r["source"], r["article_title"], r["fragments"]) for r in read_rows(out)]
    assert order == [
        ("Alpha News", "Zed", "0-3"),  # January before May, whatever the title
        ("Alpha News", "Alpha", "0-5"),
        ("Alpha News", "Beta", "0-10"),
        ("Alpha News", "Beta", "11-18"),
        ("Test Wire", "Tricky", "0-17"),
        ("Test Wire", "Tricky", "18-41;80-87"),
        ("Test Wire", "Tricky", "42-44"),
    ]


@pytest.mark.parametrize("trigger", TRIGGERS, ids=repr)
def test_each_formula_trigger_is_neutralised_unless_raw(project, study, tmp_path, trigger):
    project.annotations.update(study.claim, note=f"{trigger}HYPERLINK(1)")
    safe, raw = tmp_path / "safe.csv", tmp_path / "raw.csv"
    export_annotations_csv(project.store, safe)
    export_annotations_csv(project.store, raw, raw=True)
    assert {r["annotation_id"]: r["note"] for r in read_rows(safe)}[study.claim] == (
        f"'{trigger}HYPERLINK(1)"
    )
    assert {r["annotation_id"]: r["note"] for r in read_rows(raw)}[study.claim] == (
        f"{trigger}HYPERLINK(1)"
    )


def test_neutralising_touches_only_leading_triggers(project, study, tmp_path):
    out = tmp_path / "out.csv"
    export_annotations_csv(project.store, out)
    rows = {r["annotation_id"]: r for r in read_rows(out)}
    assert rows[study.minus]["text"] == "'-5% growth"
    assert rows[study.claim]["text"] == "“We will not sit back,” … “fine.”"
    assert rows[study.claim]["published"] == ""
    assert neutralise("a=b") == "a=b" and neutralise("") == ""
    assert neutralise("2024-05-01") == "2024-05-01"
    for trigger in TRIGGERS:
        assert neutralise(trigger) == "'" + trigger


def test_filters_combine_and_repeat(project, study):
    def ids(**filters: object) -> set[str]:
        return {r["annotation_id"] for r in annotation_rows(project.store, **filters)}

    everything = ids()
    assert len(everything) == 7
    assert ids(sources=["test wire"]) == {study.claim, study.mention, study.passage}
    assert ids(sources=["Test Wire", "Alpha News"]) == everything
    assert len(ids(annotators=["bob"])) == 3
    assert ids(annotators=["alice", "Bob"]) == everything
    assert ids(kinds=["claim"]) == {
        r["annotation_id"] for r in annotation_rows(project.store) if r["kind"] == "claim"
    }
    assert ids(kinds=[AnnotationKind.SPEAKER]) == {study.mention}
    passages = ids(sources=["Alpha News"], annotators=["bob"], kinds=["issue"])
    assert len(passages) == 2 and study.minus in passages
    assert ids(annotators=["carol"]) == set()


def test_a_coder_with_no_annotations_is_a_warning_listing_the_coders(project, study):
    store = project.store
    assert csv_export.unknown_coders_warning(store, ["ALICE", " bob "]) is None
    assert csv_export.unknown_coders_warning(store, []) is None
    assert csv_export.unknown_coders_warning(store, ["bob", "carol", "dave", "carol"]) == (
        "No annotations by 'carol' or 'dave' (coders: alice, bob); that filter matches nothing."
    )


def test_bad_filters_are_refused_before_anything_is_written(project, study, out_dir):
    out = out_dir / "out.csv"
    with pytest.raises(ValidationError, match=r"No source named 'Reuters'.*Alpha News"):
        export_annotations_csv(project.store, out, sources=["Reuters"])
    with pytest.raises(ValidationError, match="Unknown annotation kind"):
        annotation_rows(project.store, kinds=["quote"])
    assert list(out_dir.iterdir()) == []


def test_rows_are_read_one_article_at_a_time(project, study, monkeypatch):
    loaded: list[str] = []
    original = project.store.annotations.for_article
    monkeypatch.setattr(
        project.store.annotations,
        "for_article",
        lambda article_id: loaded.append(article_id) or original(article_id),
    )
    progress: list[tuple[int, int]] = []
    rows = annotation_rows(project.store, on_progress=lambda d, t: progress.append((d, t)))
    first = next(rows)
    assert list(first) == list(CSV_COLUMNS)
    assert loaded == [study.zed]
    assert list(rows) and len(loaded) == 4
    assert progress == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]


def test_a_failure_mid_export_leaves_no_file_and_no_temporary(project, study, out_dir):
    out = out_dir / "out.csv"

    def fail_after_first(done: int, total: int) -> None:
        if done == 2:
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        export_annotations_csv(project.store, out, on_progress=fail_after_first)
    assert list(out_dir.iterdir()) == []


def test_a_failure_mid_export_keeps_the_previous_file(project, study, out_dir, monkeypatch):
    out = out_dir / "out.csv"
    out.write_text("previous export\n", encoding="utf-8")
    original = csv_export.neutralise  # called for every cell as the rows are made
    calls = []

    def flaky(value: str) -> str:
        calls.append(1)
        if len(calls) == 30:  # in the second row
            raise KeyboardInterrupt  # Ctrl+C mid-way cleans up too
        return original(value)

    monkeypatch.setattr(csv_export, "neutralise", flaky)
    with pytest.raises(KeyboardInterrupt):
        export_annotations_csv(project.store, out)
    assert out.read_text(encoding="utf-8") == "previous export\n"
    assert [p.name for p in out_dir.iterdir()] == ["out.csv"]


def test_a_failed_move_is_reported_and_cleaned_up(project, study, out_dir, monkeypatch):
    def refuse(*_args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.os, "replace", refuse)
    with pytest.raises(ExportError, match="Permission denied"):
        export_annotations_csv(project.store, out_dir / "out.csv")
    assert list(out_dir.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_replacing_a_file_keeps_its_permissions(project, study, tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    export_annotations_csv(project.store, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert read_rows(out)


def test_an_empty_project_gives_the_header_alone(tmp_path):
    from annotator.services.project import open_project

    with open_project(tmp_path / "empty.annotator") as empty:
        out = tmp_path / "out.csv"
        assert export_annotations_csv(empty.store, out) == 0
        assert out.read_bytes() == HEADER.encode() + b"\r\n"  # RFC 4180 line ends


def test_bad_targets_are_one_clear_error(project, study, tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        export_annotations_csv(project.store, tmp_path / "missing" / "out.csv")
    with pytest.raises(ExportError, match="is a folder"):
        export_annotations_csv(project.store, tmp_path)
    with pytest.raises(ExportError, match="project file itself"):
        export_annotations_csv(project.store, project.path)
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("raw", [True, False])
def test_the_streamed_file_has_the_rows_the_preview_shows(project, study, out_dir, raw):
    """The file is written from one joined query per article; the window's preview builds its
    rows from Annotation objects: the two agree cell for cell, in the same order, with or
    without neutralising, and with a coder or kind filter."""
    for options in ({}, {"annotators": ["ALICE"]}, {"kinds": ["claim"]}):
        out = out_dir / "streamed.csv"
        count = export_annotations_csv(project.store, out, raw=raw, **options)
        with out.open(encoding="utf-8", newline="") as handle:
            written = list(csv.reader(handle))[1:]
        expected = [
            [cell if raw else neutralise(cell) for cell in row.values()]
            for row in annotation_rows(project.store, **options)
        ]
        assert written == expected and count == len(expected)
    assert expected, "the study has rows to compare"
