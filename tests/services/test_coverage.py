"""Coverage on a real project whose every number is worked out by hand below.

Alpha Daily: a1 (100 code points of accented letters and emoji, so bytes would give other
numbers; 2024-01-15, done) and a2 (200; 2024-03-01, new). Beta Post: b1 (50; undated, in
progress). Test Wire: the conftest's tricky article (undated, new), never annotated. Statuses
are per coder: each is set for both coders after the annotations (a first annotation would
mark the article in progress for its coder), so "done" and "in progress" hold for everyone.
T = Taiwan, E = Export controls, C = "Taiwan arms sales" (a child of Taiwan).

    a1  P1 issue T [0,40) alice      P2 issue T [30,60) bob      P3 issue C [80,90) alice
        K1 claim Xi {T, E} [50,70) alice                         M1 speaker mention Xi [50,52)
    a2  K2 claim Biden {C, T} [0,10)+[20,30) bob   K4 claim Xi {C} [40,60) alice
        P4 issue E [100,150) alice
    b1  K3 claim Xi, no issue [0,10) alice         P5 issue T [5,25) alice
"""

import csv
from dataclasses import dataclass

import pytest

from annotator.core.errors import NotFoundError, ValidationError
from annotator.core.model import AnnotationKind, ArticleStatus, CodeKind
from annotator.services.annotations import AnnotationService
from annotator.services.articles import ArticleService
from annotator.services.coverage import (
    CoverageCell,
    CoverageFilter,
    CoverageTable,
    Measure,
    annotations_behind,
    claims_behind,
    counted_coders,
    coverage_table,
    speaker_table,
    write_coverage_csv,
)
from annotator.services.interchange.files import ExportError
from annotator.services.project import Project
from annotator.services.team.adjudication import CurationService
from tests.conftest import code_id

ISSUE, CLAIM = AnnotationKind.ISSUE, AnnotationKind.CLAIM


@dataclass
class Study:
    alpha: str  # source ids
    beta: str
    wire: str
    wire_chars: int
    t: str  # code ids
    e: str
    c: str
    xi: str
    biden: str
    ids: dict[str, str]  # annotation label (P1, K2, ...) -> id


def build_study(project: Project) -> Study:
    store = project.store
    t = code_id(project, CodeKind.ISSUE, "Taiwan")
    e = code_id(project, CodeKind.ISSUE, "Export controls / high-tech trade")
    c = project.codebook.create(CodeKind.ISSUE, "Taiwan arms sales", parent_id=t).code.id
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    biden = code_id(project, CodeKind.SPEAKER, "Joe Biden")

    statuses: dict[str, ArticleStatus] = {}

    def add(text: str, source: str, published: str | None, status: ArticleStatus) -> str:
        article = project.articles.add(text, source=source, title=source, published=published)
        statuses[article.article.id] = status
        return article.article.id

    a1 = add("é😠" * 50, "Alpha Daily", "2024-01-15", ArticleStatus.DONE)
    a2 = add("word " * 40, "Alpha Daily", "2024-03-01", ArticleStatus.NEW)
    b1 = add("b" * 50, "Beta Post", None, ArticleStatus.IN_PROGRESS)
    alice, bob = project.annotations, AnnotationService(store, "bob")
    made = {
        "P1": alice.create_issue_passage(a1, [(0, 40)], t),
        "P2": bob.create_issue_passage(a1, [(30, 60)], t),
        "P3": alice.create_issue_passage(a1, [(80, 90)], c),
        "K1": alice.create_claim(a1, [(50, 70)], speaker_id=xi, issue_ids=[t, e]),
        "M1": alice.create_speaker_mention(a1, [(50, 52)], xi),
        "K2": bob.create_claim(a2, [(0, 10), (20, 30)], speaker_id=biden, issue_ids=[c, t]),
        "K4": alice.create_claim(a2, [(40, 60)], speaker_id=xi, issue_ids=[c]),
        "P4": alice.create_issue_passage(a2, [(100, 150)], e),
        "K3": alice.create_claim(b1, [(0, 10)], speaker_id=xi),
        "P5": alice.create_issue_passage(b1, [(5, 25)], t),
    }
    for coder in (alice.annotator, bob.annotator):
        marking = ArticleService(store, coder=lambda coder=coder: coder)
        for article_id, status in statuses.items():
            marking.set_status(article_id, status)
    sources = {s.name: s.id for s in store.sources.all()}
    wire = next(s for s in store.articles.summaries() if s.source_name == "Test Wire")
    return Study(
        alpha=sources["Alpha Daily"], beta=sources["Beta Post"], wire=sources["Test Wire"],
        wire_chars=wire.length, t=t, e=e, c=c, xi=xi, biden=biden,
        ids={name: change.annotation.id for name, change in made.items()},
    )  # fmt: skip


@pytest.fixture
def study(project: Project) -> Study:
    return build_study(project)


def counts(table: CoverageTable) -> dict[tuple[str, str], tuple[int, int, int]]:
    """(source name, code name) -> (annotations, characters, articles)."""
    sources = {s.id: s.name for s in table.sources}
    codes = {c.id: c.name for c in table.issues}
    return {
        (sources[c.source_id], codes[c.issue_id]): (c.annotations, c.characters, c.articles)
        for c in table.cells
    }


def names(annotations, study: Study) -> list[str]:
    label = {v: k for k, v in study.ids.items()}
    return [label[a.id] for a in annotations]


ALPHA, BETA, WIRE = "Alpha Daily", "Beta Post", "Test Wire"
T, E, C = "Taiwan", "Export controls / high-tech trade", "Taiwan arms sales"


def test_the_default_table(project, study):
    table = coverage_table(project.store)
    assert [(s.name, s.articles, s.characters) for s in table.sources] == [
        (ALPHA, 2, 300), (BETA, 1, 50), (WIRE, 1, study.wire_chars),
    ]  # fmt: skip
    assert [i.name for i in table.issues] == [E, T, C]
    assert counts(table) == {
        # a1 union [0,70) = 70 (P1, P2, K1 overlap), a2 K2 = 20; the mention M1 never counts.
        (ALPHA, T): (4, 90, 2),
        (ALPHA, E): (2, 20 + 50, 2),  # K1 (a claim with two issues counts under each), P4
        (ALPHA, C): (3, 10 + 40, 2),  # P3; K2 and K4 in a2
        (BETA, T): (1, 20, 1),  # K3 has no issue
    }
    assert table.cell(study.alpha, study.t) == CoverageCell(study.alpha, study.t, 4, 90, 2, 0.3)
    assert table.cell(study.wire, study.t) is None  # listed, with zeros
    assert table.value(Measure.SHARE, study.beta, study.t) == 0.4
    assert table.value(Measure.PER_ARTICLE, study.alpha, study.t) == 2.0
    assert table.value(Measure.PER_ARTICLE, study.alpha, study.c) == 1.5
    assert table.value(Measure.CHARACTERS, study.wire, study.e) == 0


def test_roll_up(project, study):
    table = coverage_table(project.store, CoverageFilter(roll_up=True))
    assert [i.name for i in table.issues] == [E, T]  # top-level only
    assert counts(table) == {
        # K2, tagged with C and T, once; a1 [0,70) + [80,90), a2 [0,10) [20,30) [40,60).
        (ALPHA, T): (6, 80 + 40, 2),
        (ALPHA, E): (2, 70, 2),
        (BETA, T): (1, 20, 1),
    }
    assert table.value(Measure.SHARE, study.alpha, study.t) == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("flt", "sources", "expected"),
    [
        (
            CoverageFilter(kinds=frozenset({ISSUE})),
            [ALPHA, BETA, WIRE],
            {(ALPHA, T): (2, 60, 1), (ALPHA, E): (1, 50, 1), (ALPHA, C): (1, 10, 1),
             (BETA, T): (1, 20, 1)},
        ),
        (
            CoverageFilter(kinds=frozenset({CLAIM})),
            [ALPHA, BETA, WIRE],
            {(ALPHA, T): (2, 40, 2), (ALPHA, E): (1, 20, 1), (ALPHA, C): (2, 40, 1)},
        ),
        (CoverageFilter(kinds=frozenset()), [ALPHA, BETA, WIRE], {}),
        (
            CoverageFilter(annotators=frozenset({"BOB"})),  # any case
            [ALPHA, BETA, WIRE],
            {(ALPHA, T): (2, 30 + 20, 2), (ALPHA, C): (1, 20, 1)},
        ),
        (CoverageFilter(annotators=frozenset({"nobody"})), [ALPHA, BETA, WIRE], {}),
        (
            CoverageFilter(date_from="2024-02"),  # a2 only; undated b1 and Test Wire drop out
            [ALPHA],
            {(ALPHA, T): (1, 20, 1), (ALPHA, E): (1, 50, 1), (ALPHA, C): (2, 40, 1)},
        ),
        (
            CoverageFilter(date_to="2024-01"),  # the whole of January: a1
            [ALPHA],
            {(ALPHA, T): (3, 70, 1), (ALPHA, E): (1, 20, 1), (ALPHA, C): (1, 10, 1)},
        ),
        (
            CoverageFilter(date_from="2024-01-15", date_to="2024-01-15"),  # inclusive
            [ALPHA],
            {(ALPHA, T): (3, 70, 1), (ALPHA, E): (1, 20, 1), (ALPHA, C): (1, 10, 1)},
        ),
        (CoverageFilter(date_from="2024-03-02", date_to="2025"), [], {}),
        (
            CoverageFilter(statuses=frozenset({ArticleStatus.IN_PROGRESS})),
            [BETA],
            {(BETA, T): (1, 20, 1)},
        ),
        (
            CoverageFilter(statuses=frozenset({ArticleStatus.NEW})),
            [ALPHA, WIRE],
            {(ALPHA, T): (1, 20, 1), (ALPHA, E): (1, 50, 1), (ALPHA, C): (2, 40, 1)},
        ),
        (
            CoverageFilter(kinds=frozenset({CLAIM}), annotators=frozenset({"alice"}),
                           date_to="2024-12-31", roll_up=True),
            [ALPHA],
            {(ALPHA, T): (2, 40, 2), (ALPHA, E): (1, 20, 1)},  # K1, K4
        ),
    ],
    ids=[
        "passages", "claims", "no-kind", "annotator", "unknown-annotator", "from", "to",
        "one-day", "no-article", "in-progress", "new", "combined",
    ],
)  # fmt: skip
def test_filters(project, study, flt, sources, expected):
    table = coverage_table(project.store, flt)
    assert [s.name for s in table.sources] == sources
    assert counts(table) == expected
    assert table.is_empty == (not expected)


def test_filtered_denominators(project, study):
    table = coverage_table(project.store, CoverageFilter(date_from="2024-02"))
    assert [(s.articles, s.characters) for s in table.sources] == [(1, 200)]
    assert table.value(Measure.SHARE, study.alpha, study.c) == 0.2
    assert table.value(Measure.PER_ARTICLE, study.alpha, study.c) == 2.0


def test_a_coder_filter_naming_every_coder_is_read_from_the_summary(project, study, monkeypatch):
    store = project.store
    everyone = coverage_table(store)
    only_alice = coverage_table(store, CoverageFilter(annotators=frozenset({"alice"})))
    assert only_alice != everyone

    def no_spans(flt):
        raise AssertionError(f"the spans were read for {flt}")

    monkeypatch.setattr(store.coverage, "issue_spans", no_spans)
    both = CoverageFilter(annotators=frozenset({"ALICE", "bob", "carol"}))
    assert coverage_table(store, both) == everyone


def test_counted_coders_default_to_gold_once_curation_wrote_it(project, study):
    store = project.store
    assert counted_coders(store) == (["alice", "bob"], "")
    CurationService(store, "alice", "bob").adjudicate(prefer="A")
    assert counted_coders(store) == (["alice", "bob", "gold"], "gold")

    def counted(*coders: str) -> int:
        flt = CoverageFilter(annotators=frozenset(coders))
        return sum(cell.annotations for cell in coverage_table(store, flt).cells)

    gold = [
        a
        for s in store.articles.summaries()
        for a in store.annotations.for_article(s.id)
        if a.annotator == "gold"
    ]  # a passage counts once, a claim once per issue
    assert counted("gold") == sum(1 if a.kind is ISSUE else len(a.issue_ids) for a in gold) > 0
    assert counted() == counted("alice") + counted("bob") + counted("gold")


def test_speaker_view(project, study):
    store = project.store
    table = speaker_table(store)
    assert [s.name for s in table.sources] == [ALPHA, BETA, WIRE]
    assert [c.name for c in table.issues] == ["Joe Biden", "Xi Jinping"]
    assert counts(table) == {
        (ALPHA, "Joe Biden"): (1, 20, 1),
        (ALPHA, "Xi Jinping"): (2, 40, 2),  # K1, K4
        (BETA, "Xi Jinping"): (1, 10, 1),  # K3, though it has no issue
    }
    assert table.value(Measure.SHARE, study.beta, study.xi) == 0.2
    # kinds do not apply to the speaker view: it counts claims.
    assert speaker_table(store, CoverageFilter(kinds=frozenset({ISSUE}))) == table
    about_t = {(ALPHA, "Joe Biden"): (1, 20, 1), (ALPHA, "Xi Jinping"): (1, 20, 1)}
    assert counts(speaker_table(store, issue_id=study.t)) == about_t
    rolled = speaker_table(store, CoverageFilter(roll_up=True), issue_id=study.t)
    assert counts(rolled) == {**about_t, (ALPHA, "Xi Jinping"): (2, 40, 2)}  # + K4 on C
    assert counts(speaker_table(store, issue_id=study.c)) == {
        (ALPHA, "Joe Biden"): (1, 20, 1),
        (ALPHA, "Xi Jinping"): (1, 20, 1),
    }
    bob = speaker_table(store, CoverageFilter(annotators=frozenset({"bob"})))
    assert counts(bob) == {(ALPHA, "Joe Biden"): (1, 20, 1)}
    with pytest.raises(ValidationError, match="not an issue"):
        speaker_table(store, issue_id=study.xi)
    with pytest.raises(NotFoundError):
        speaker_table(store, issue_id="no-such-code")


def test_annotations_behind_a_bar_in_reading_order(project, study):
    store = project.store
    assert names(annotations_behind(store, study.alpha, study.t), study) == [
        "P1", "P2", "K1", "K2",
    ]  # fmt: skip
    rolled = annotations_behind(store, study.alpha, study.t, CoverageFilter(roll_up=True))
    assert names(rolled, study) == ["P1", "P2", "K1", "P3", "K2", "K4"]
    claims = annotations_behind(
        store, study.alpha, study.t, CoverageFilter(kinds=frozenset({CLAIM}))
    )
    assert names(claims, study) == ["K1", "K2"]
    assert names(annotations_behind(store, study.beta, study.t), study) == ["P5"]
    assert annotations_behind(store, study.wire, study.t) == []
    assert annotations_behind(store, study.alpha, study.t, CoverageFilter(kinds=frozenset())) == []
    behind = annotations_behind(store, study.alpha, study.c)
    assert behind[1].fragments[1].start == 20  # whole annotations, every fragment
    assert behind[1].issue_ids == tuple(sorted((study.c, study.t)))


def test_every_bar_lists_as_many_annotations_as_it_counts(project, study):
    store = project.store
    for flt in (CoverageFilter(), CoverageFilter(roll_up=True)):
        table = coverage_table(store, flt)
        for cell in table.cells:
            found = annotations_behind(store, cell.source_id, cell.issue_id, flt)
            assert len(found) == cell.annotations
        speakers = speaker_table(store, flt)
        for cell in speakers.cells:
            found = claims_behind(store, cell.source_id, cell.issue_id, flt)
            assert len(found) == cell.annotations


def test_claims_behind(project, study):
    store = project.store
    assert names(claims_behind(store, study.alpha, study.xi), study) == ["K1", "K4"]
    assert names(claims_behind(store, study.alpha, study.xi, issue_id=study.c), study) == ["K4"]
    assert names(claims_behind(store, study.beta, study.xi), study) == ["K3"]


def test_csv_reads_back_as_the_tidy_table(project, study, tmp_path):
    (tmp_path / "out").mkdir()
    path = tmp_path / "out" / "coverage.csv"
    write_coverage_csv(coverage_table(project.store), path)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert reader.fieldnames == [
        "source", "issue", "annotations", "characters", "articles", "share_of_text",
    ]  # fmt: skip
    assert len(rows) == 3 * 3  # every source by every issue, zeros included
    by_pair = {(r["source"], r["issue"]): r for r in rows}
    assert by_pair[ALPHA, T] == {
        "source": ALPHA, "issue": T, "annotations": "4", "characters": "90", "articles": "2",
        "share_of_text": "0.3",
    }  # fmt: skip
    assert float(by_pair[ALPHA, E]["share_of_text"]) == pytest.approx(70 / 300)
    assert by_pair[WIRE, C]["annotations"] == "0"
    assert list(path.parent.iterdir()) == [path]  # no temporary file left


def test_csv_names_cannot_run_in_a_spreadsheet(project, study, tmp_path):
    project.codebook.rename(study.e, "=cmd()")
    table = coverage_table(project.store)
    safe, raw = tmp_path / "safe.csv", tmp_path / "raw.csv"
    write_coverage_csv(table, safe)
    write_coverage_csv(table, raw, raw=True)
    with safe.open(encoding="utf-8", newline="") as s, raw.open(encoding="utf-8") as r:
        assert {row["issue"] for row in csv.DictReader(s)} >= {"'=cmd()"}
        assert {row["issue"] for row in csv.DictReader(r)} >= {"=cmd()"}


def test_csv_into_a_missing_folder_is_one_clear_error(project, tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        write_coverage_csv(coverage_table(project.store), tmp_path / "nope" / "c.csv")


def test_an_empty_project(tmp_path):
    from annotator.services.project import open_project

    with open_project(tmp_path / "empty.annotator", annotator="x") as empty:
        table = coverage_table(empty.store)
        assert table == CoverageTable()
        assert table.is_empty and table.tidy_rows() == []
        assert speaker_table(empty.store).is_empty
