"""A brat import writes each file's annotations in bulk with the summary's insert triggers
paused (store.bulk): the project it builds is the one the per-row triggers build, and a file
the database refuses leaves nothing behind, summary included, while the others import."""

import sqlite3
from pathlib import Path

import pytest

from annotator.core.model import AnnotationKind
from annotator.services.interchange.brat.brat_export import export_brat
from annotator.services.interchange.importing import ImportStatus, import_paths
from annotator.services.project import Project, open_project
from annotator.store.bulk import BulkQueries
from benchmarks.synthetic import ISSUES, build_project_file
from tests.conftest import table_rows
from tests.services.test_import_batches import poison

MAP = {"Claim": AnnotationKind.CLAIM, "Speaker": AnnotationKind.SPEAKER}
MAP |= {f"Issue_{n:02d}": AnnotationKind.ISSUE for n in range(ISSUES)}

#: Every annotation without ids or times: its article's title, kind, codes by name, stance,
#: note, coder, fragments with their quotes, issues and the mention it is attributed through.
ANNOTATIONS = """SELECT a.title, n.kind, coalesce(c.name, ''), coalesce(sp.name, ''),
    coalesce(n.stance, ''), n.note, n.annotator,
    (SELECT group_concat(p, ';') FROM (SELECT f.start || '-' || f."end" || ':' || f.quote AS p
        FROM fragments f WHERE f.annotation_id = n.id ORDER BY f.ordinal)),
    (SELECT group_concat(name, ';') FROM (SELECT ci.name FROM claim_issues x
        JOIN codes ci ON ci.id = x.code_id WHERE x.annotation_id = n.id ORDER BY ci.name)),
    coalesce((SELECT group_concat(f.start, ';') FROM fragments f
        WHERE f.annotation_id = n.speaker_mention_id), '')
FROM annotations n JOIN articles a ON a.id = n.article_id
LEFT JOIN codes c ON c.id = n.code_id LEFT JOIN codes sp ON sp.id = n.speaker_id"""

#: The summary and the counts, by names instead of ids.
SUMMARY = {
    "issue_coverage": """SELECT a.title, c.name, s.name, v.passages, v.claims, v.characters,
        v.passage_characters, v.claim_characters FROM issue_coverage v
        JOIN articles a ON a.id = v.article_id JOIN codes c ON c.id = v.issue_id
        JOIN sources s ON s.id = v.source_id""",
    "source_issue_coverage": """SELECT s.name, c.name, v.passages, v.claims, v.characters,
        v.passage_characters, v.claim_characters, v.articles, v.passage_articles,
        v.claim_articles FROM source_issue_coverage v
        JOIN sources s ON s.id = v.source_id JOIN codes c ON c.id = v.issue_id""",
    "source_sizes": """SELECT s.name, z.articles, z.characters FROM source_sizes z
        JOIN sources s ON s.id = z.source_id""",
    "article_stats": """SELECT a.title, k.annotations, k.characters FROM article_stats k
        JOIN articles a ON a.id = k.article_id""",
    "coverage_stale": "SELECT * FROM coverage_stale",
    "summary_paused": "SELECT * FROM summary_paused",
}


@pytest.fixture(scope="module")
def brat_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four synthetic articles (curly quotes, emoji, paragraphs that claims and passages
    cross) with 60 annotations each, exported to brat."""
    root = tmp_path_factory.mktemp("brat")
    source = root / "source.annotator"
    build_project_file(source, 4, 60, chars=3_000)
    with open_project(source, annotator="bench") as project:
        export_brat(project.store, root / "set")
    return root / "set"


def contents(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        queries = {"annotations": ANNOTATIONS, **SUMMARY}
        return {t: sorted(conn.execute(q).fetchall(), key=repr) for t, q in queries.items()}
    finally:
        conn.close()


def imported(project: Project, paths: list[Path]) -> list[ImportStatus]:
    """Each text's outcome (brat's .conf files beside them are skipped)."""
    report = import_paths(project, paths, format="brat", source="Wire", brat_map=MAP)
    assert project.store.coverage.summary_differences() == []
    return [o.status for o in report.outcomes if o.path.suffix == ".txt"]


def import_into(path: Path, paths: list[Path]) -> list[ImportStatus]:
    with open_project(path, annotator="alice") as project:
        return imported(project, paths)


def test_bulk_and_per_row_triggers_build_the_same_project(
    brat_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    assert import_into(tmp_path / "bulk.annotator", [brat_folder]) == [ImportStatus.IMPORTED] * 4
    real = BulkQueries.add_annotations

    def per_row(self: BulkQueries, annotations, *, per_row_triggers: bool = False) -> None:
        real(self, annotations, per_row_triggers=True)

    monkeypatch.setattr(BulkQueries, "add_annotations", per_row)
    assert import_into(tmp_path / "rows.annotator", [brat_folder]) == [ImportStatus.IMPORTED] * 4
    bulk, rows = contents(tmp_path / "bulk.annotator"), contents(tmp_path / "rows.annotator")
    assert bulk == rows
    assert len(bulk["annotations"]) == 240 and len(bulk["issue_coverage"]) > 20
    assert {n for _, n, _ in bulk["article_stats"]} == {60}


def test_a_refused_file_leaves_nothing_and_the_others_import_as_without_it(
    brat_folder: Path, tmp_path: Path, project: Project, project_path: Path
):
    files = sorted(brat_folder.glob("*.txt"))
    bad = files[1]
    claim = next(
        line.split("\t")[2]
        for line in bad.with_suffix(".ann").read_text(encoding="utf-8").splitlines()
        if line.startswith("T") and "\tClaim " in line and ";" not in line.split("\t")[1]
    )
    poison(project_path, claim.replace("'", "''"))  # as a rule added later would refuse it
    before = table_rows(project_path)
    assert imported(project, [bad]) == [ImportStatus.REJECTED]
    assert table_rows(project_path) == before  # no article, code, annotation, pair or count

    statuses = imported(project, [brat_folder])
    assert statuses == [ImportStatus.IMPORTED, ImportStatus.REJECTED, *[ImportStatus.IMPORTED] * 2]
    assert import_into(tmp_path / "without.annotator", files[:1] + files[2:]) == (
        [ImportStatus.IMPORTED] * 3
    )
    kept, without = contents(project_path), contents(tmp_path / "without.annotator")
    tricky = {t: [r for r in rows if r[0] != "Tricky"] for t, rows in kept.items()}
    assert tricky["annotations"] == without["annotations"]
    assert tricky["issue_coverage"] == without["issue_coverage"]
    assert kept["coverage_stale"] == kept["summary_paused"] == []
