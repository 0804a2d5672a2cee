"""Properties that must hold for any input, checked on inputs hypothesis makes up: offsets
in any Unicode text, the importer on any bytes, the CSV export read back, fragment rules.
(tests/core/test_offsets.py has the per-position offset properties; these add whole spans.)"""

import csv
import itertools
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.errors import ValidationError
from annotator.core.model import AnnotationKind, CodeKind, Stance
from annotator.core.spans.fragments import make_fragments
from annotator.core.spans.offsets import OffsetMap
from annotator.services.interchange.csv_export import CSV_COLUMNS, export_annotations_csv
from annotator.services.interchange.files import FORMULA_TRIGGERS, neutralise
from annotator.services.interchange.importing import ImportStatus, import_paths
from annotator.services.project import open_memory_project
from annotator.services.reports import check_project

#: Every code point a str can hold in a file: surrogates cannot be encoded at all.
any_char = st.characters(exclude_categories=("Cs",))
astral = st.characters(min_codepoint=0x10000, exclude_categories=("Cs",))
texts = st.text(st.one_of(any_char, astral, st.sampled_from("\n\r\x00“”…😠🇺🇸é =+-@\t,\"'")))


# -- offsets: whole spans, as Qt sees them --------------------------------------------------


@given(texts, st.data())
def test_a_code_point_span_is_the_same_text_in_utf16(text, data):
    offsets = OffsetMap(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    units = text.encode("utf-16-le")
    u_start, u_end = offsets.to_utf16(start), offsets.to_utf16(end)
    assert units[2 * u_start : 2 * u_end].decode("utf-16-le") == text[start:end]


@given(texts, st.data())
def test_any_utf16_selection_maps_to_whole_characters_in_order(text, data):
    offsets = OffsetMap(text)
    a = data.draw(st.integers(0, offsets.utf16_length))
    b = data.draw(st.integers(a, offsets.utf16_length))
    start, end = offsets.to_code_point(a), offsets.to_code_point(b)
    assert 0 <= start <= end <= len(text)
    # What Qt selected, widened to whole characters at the start, is what the store quotes.
    units = text.encode("utf-16-le")
    quoted = units[2 * offsets.to_utf16(start) : 2 * offsets.to_utf16(end)].decode("utf-16-le")
    assert quoted == text[start:end]


# -- fragment validation ----------------------------------------------------------------------


def valid(text: str, spans: list[tuple[int, int]]) -> bool:
    """The rules of make_fragments, written the slow, obvious way."""
    if not spans or any(not 0 <= s < e <= len(text) for s, e in spans):
        return False
    ordered = sorted(spans)
    return all(b[0] >= a[1] for a, b in itertools.pairwise(ordered))


@given(st.text(max_size=30), st.lists(st.tuples(st.integers(-3, 35), st.integers(-3, 35))))
def test_fragments_are_accepted_exactly_when_the_rules_hold(text, spans):
    try:
        fragments = make_fragments(text, spans)
    except ValidationError as exc:
        assert not valid(text, spans), exc
        assert str(exc)
        return
    assert valid(text, spans)
    assert [(f.start, f.end) for f in fragments] == sorted(spans)
    assert all(f.quote == text[f.start : f.end] for f in fragments)


# -- the importer on any bytes ---------------------------------------------------------------

encoded_text = st.tuples(texts, st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"])).map(
    lambda t: t[0].encode(t[1], errors="replace")
)
any_bytes = st.one_of(
    st.binary(max_size=400),
    encoded_text,
    st.tuples(
        st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"---\n", b"<html>"]), encoded_text
    ).map(b"".join),
)
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)  # trafilatura takes a few ms per page


@FUZZ
@given(any_bytes, st.sampled_from([".txt", ".md", ".html"]))
def test_the_importer_takes_any_bytes_or_says_why_not(content, suffix):
    project = open_memory_project()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "article" + suffix)
        path.write_bytes(content)
        report = import_paths(project, [path], source="Wire")
    (outcome,) = report.outcomes
    assert outcome.status in {ImportStatus.IMPORTED, ImportStatus.REJECTED}
    assert outcome.reason and "\n" not in outcome.reason
    if outcome.status is ImportStatus.IMPORTED:
        article = project.store.articles.get(outcome.article_id)
        assert "\r" not in article.text and "\x00" not in article.text and article.text.strip()
    else:
        assert project.store.articles.count() == 0
    assert check_project(project.store) == []


brat_line = st.one_of(
    st.text(max_size=40),
    st.builds(
        "T{}\t{} {} {}\t{}".format,
        st.integers(0, 5),
        st.sampled_from(["Claim", "Speaker", "Other", ""]),
        st.integers(-2, 60),
        st.one_of(st.integers(-2, 60).map(str), st.just("3;5 9")),
        st.text(max_size=10),
    ),
    st.builds("R{}\tSource Arg1:T{} Arg2:T{}".format, *[st.integers(0, 5)] * 3),
    st.builds("#{}\tAnnotatorNotes T{}\t{}".format, st.integers(0, 5), st.integers(0, 5), texts),
)


@st.composite
def brat_files(draw: st.DrawFn) -> tuple[str, str]:
    """A text and an .ann file of well-formed entities (their quotes match) mixed with junk."""
    text = draw(texts.filter(lambda t: t.strip()))
    lines = []
    for number in range(draw(st.integers(0, 6))):
        if draw(st.booleans()):
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, len(text)))
            kind = draw(st.sampled_from(["Claim", "Speaker"]))
            lines.append(f"T{number}\t{kind} {start} {end}\t{text[start:end]}")
        else:
            lines.append(draw(brat_line))
    return text, "\n".join(lines)


@FUZZ
@given(brat_files())
def test_the_brat_importer_takes_any_annotation_file_or_says_why_not(files):
    text, ann = files
    project = open_memory_project()
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "a.txt").write_bytes(text.encode("utf-8"))
        Path(folder, "a.ann").write_bytes(ann.encode("utf-8"))
        report = import_paths(
            project,
            [folder],
            format="brat",
            source="Wire",
            brat_map={"Claim": AnnotationKind.CLAIM, "Speaker": AnnotationKind.SPEAKER},
        )
    (outcome,) = report.outcomes
    assert outcome.status in {ImportStatus.IMPORTED, ImportStatus.REJECTED}
    assert outcome.reason
    assert check_project(project.store) == []


# -- the CSV export, read back -----------------------------------------------------------------

notes = st.text(st.one_of(any_char, st.sampled_from([*FORMULA_TRIGGERS, ",", '"', "\n"])))


@st.composite
def annotated(draw: st.DrawFn) -> tuple[str, list[tuple[AnnotationKind, list, str]]]:
    text = draw(texts.filter(lambda t: len(t.replace("\r", "").replace("\x00", "")) > 2))
    return text, draw(st.lists(st.tuples(st.sampled_from(AnnotationKind), notes), max_size=6))


@settings(max_examples=40, deadline=None)
@given(annotated(), st.data(), st.booleans())
def test_the_csv_export_reads_back_as_the_database(study, data, raw):
    text, wanted = study
    project = open_memory_project()
    article = project.articles.add(text, source="=Wire", title=text[:20] or "x").article
    issues = [c for c in project.store.codes.all() if c.kind is CodeKind.ISSUE]
    speaker = next(c for c in project.store.codes.all() if c.kind is CodeKind.SPEAKER)
    length = len(article.text)
    for kind, note in wanted:
        start = data.draw(st.integers(0, length - 1))
        spans = [(start, data.draw(st.integers(start + 1, length)))]
        if kind is AnnotationKind.CLAIM:
            chosen = data.draw(st.lists(st.sampled_from(issues), max_size=3))
            project.annotations.create_claim(
                article.id, spans, speaker_id=speaker.id, issue_ids=[c.id for c in chosen],
                stance=data.draw(st.sampled_from([None, *Stance])), note=note,
            )  # fmt: skip
        else:
            code = speaker if kind is AnnotationKind.SPEAKER else data.draw(st.sampled_from(issues))
            project.annotations.create(article.id, kind, spans, code_id=code.id)
            if note:
                annotation = project.store.annotations.for_article(article.id)[-1]
                project.annotations.update(annotation.id, note=note)

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder, "out.csv")
        count = export_annotations_csv(project.store, out, raw=raw)
        with out.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
    assert rows[0] == list(CSV_COLUMNS)
    stored = {a.id: a for a in project.store.annotations.for_article(article.id)}
    assert count == len(rows) - 1 == len(stored)
    names = {c.id: c.name for c in project.store.codes.all()}
    cell = (lambda value: value) if raw else neutralise
    for row in rows[1:]:
        got = dict(zip(CSV_COLUMNS, row, strict=True))
        a = stored[got["annotation_id"]]
        assert got["article_id"] == article.id and got["source"] == cell("=Wire")
        assert got["kind"] == a.kind.value
        assert got["fragments"] == ";".join(f"{f.start}-{f.end}" for f in a.fragments)
        assert got["text"] == cell(a.quote)
        assert got["note"] == cell(a.note)
        assert got["code"] == cell(names.get(a.code_id, ""))
        assert got["speaker"] == cell(names.get(a.speaker_id, ""))
        issue_names = sorted((names[i] for i in a.issue_ids), key=lambda n: (n.casefold(), n))
        assert got["issues"] == cell(";".join(issue_names))
        assert got["stance"] == (a.stance.value if a.stance else "")
        assert (got["annotator"], got["created_at"]) == (a.annotator, a.created_at)


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_neutralising_is_only_a_leading_quote(trigger):
    assert neutralise(trigger + "SUM(A1)") == "'" + trigger + "SUM(A1)"
    assert neutralise("a" + trigger) == "a" + trigger
