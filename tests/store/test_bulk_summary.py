"""Bulk inserts pause the summary's insert triggers (migration 0010) and keep the summary
themselves, once per call: the same rows as the triggers make, nothing left of a call that
fails, and the triggers at work again for the next edit, error or not."""

import dataclasses
import random
from pathlib import Path

import pytest

from annotator.core.ids import new_id
from annotator.core.model import Annotation, AnnotationKind, Article, CodeKind, Fragment, Source
from annotator.core.text import canonicalize_text, text_sha256
from annotator.services.project import Project
from annotator.store import Store
from annotator.store.bulk import RefusedRowError
from benchmarks.synthetic import Codebook, make_annotations, make_codebook
from tests.conftest import TRICKY_TEXT, table_rows

NOW = "2024-05-01T12:00:00+00:00"
TEXTS = (
    canonicalize_text(TRICKY_TEXT),
    "Ministers met on Monday.\n“Tariffs will rise,” the minister said 📈, and unions objected.\n"
    * 12,
    "Short one about climate and trade.",
)


def setup(store: Store, seed: int = 7) -> tuple[list[Article], Codebook]:
    """Two sources, the synthetic codebook and three articles, with fixed ids."""
    rng = random.Random(seed)
    codes = make_codebook(rng)
    sources = [Source(f"source-{n}", f"Outlet {n}") for n in range(2)]
    articles = [
        Article(f"article-{n}", sources[n % 2].id, f"Title {n}", text, text_sha256(text),
                created_at=NOW)
        for n, text in enumerate(TEXTS)
    ]  # fmt: skip
    store.bulk.insert(sources=sources, codes=(*codes.issues, *codes.speakers), articles=articles)
    return articles, codes


def rows(articles: list[Article], codes: Codebook, seed: int = 11) -> list[list[Annotation]]:
    """Two calls' worth per article (the second adds to articles the first already counted),
    speaker mentions, claims with one or two issues and issue passages; some claims
    attributed through a mention written earlier in the same call."""
    rng = random.Random(seed)
    calls: list[list[Annotation]] = [[], []]
    for article in articles:
        for call in calls:
            made = make_annotations(rng, article, 25, codes, "alice")
            mention = next(a for a in made if a.kind is AnnotationKind.SPEAKER)
            made = [
                dataclasses.replace(a, speaker_mention_id=mention.id, speaker_id=mention.code_id)
                if a.kind is AnnotationKind.CLAIM and rng.random() < 0.5
                else a
                for a in made
            ]
            made.sort(key=lambda a: a.kind is AnnotationKind.CLAIM)  # mentions first
            call.extend(made)
    # And one claim alone: its issue is the only one stale, so only the pair it marks is
    # recomputed (a call marking three or more issues of an article recomputes all of them).
    claim = next(a for a in calls[0] if a.kind is AnnotationKind.CLAIM)
    calls.append([dataclasses.replace(claim, id=f"lone-{claim.id}", speaker_mention_id=None,
                                      issue_ids=claim.issue_ids[:1])])  # fmt: skip
    return calls


def build(path: Path, *, per_row_triggers: bool) -> dict[str, list[tuple]]:
    with Store.open(path) as store:
        articles, codes = setup(store)
        for call in rows(articles, codes):
            with store.atomic():
                store.bulk.add_annotations(call, per_row_triggers=per_row_triggers)
        assert store.coverage.summary_differences() == []
    tables = table_rows(path)
    del tables["_sqlite_migrations"]  # when each migration ran
    return tables


def test_the_bulk_path_writes_exactly_the_rows_the_triggers_write(tmp_path: Path):
    bulk = build(tmp_path / "bulk.annotator", per_row_triggers=False)
    per_row = build(tmp_path / "per-row.annotator", per_row_triggers=True)
    assert bulk == per_row
    assert len(bulk["annotations"]) == 151 and bulk["issue_coverage"]
    assert bulk["summary_paused"] == [] and bulk["coverage_stale"] == []
    assert sorted(n for _, n, _ in bulk["article_stats"]) == [50, 50, 51]


def issue_passage(project: Project, article_id: str, code_id: str) -> Annotation:
    text = project.store.articles.get(article_id).text
    return Annotation(
        id=new_id(), article_id=article_id, kind=AnnotationKind.ISSUE,
        fragments=(Fragment(0, 5, text[:5]),), annotator="alice", created_at=NOW,
        updated_at=NOW, code_id=code_id,
    )  # fmt: skip


def paused(project: Project) -> int:
    """Guard rows as the writing connection sees them, uncommitted ones included."""
    return int(project.store._db.execute("SELECT count(*) FROM summary_paused").fetchone()[0])


def passages(project: Project, article_id: str, issue_id: str) -> int:
    [row] = project.store._db.execute(
        "SELECT coalesce(sum(passages), 0) FROM issue_coverage "
        "WHERE article_id = ? AND issue_id = ?",
        [article_id, issue_id],
    ).fetchall()
    return int(row[0])


@pytest.mark.parametrize("failure", ["refused row", "error while writing"])
def test_after_a_failed_call_the_triggers_work_in_the_same_transaction(
    project: Project, article_id: str, failure: str
):
    issue = project.store.codes.all(CodeKind.ISSUE)[0].id
    good = issue_passage(project, article_id, issue)
    bad: object = (
        dataclasses.replace(issue_passage(project, article_id, issue), code_id="no-such-code")
        if failure == "refused row"
        else object()  # not an annotation: building its row raises inside executemany
    )
    with project.store.atomic():
        with pytest.raises(RefusedRowError if failure == "refused row" else AttributeError):
            project.store.bulk.add_annotations([good, bad])  # type: ignore[list-item]
        assert paused(project) == 0
        assert project.store.annotations.count_for_article(article_id) == 0
        project.annotations.create_issue_passage(article_id, [(0, 5)], issue)
    assert passages(project, article_id, issue) == 1  # the insert trigger marked it
    [summary] = project.store.articles.summaries()
    assert summary.annotation_count == 1


def test_after_a_bulk_call_ordinary_edits_keep_the_summary(project: Project, article_id: str):
    issue = project.store.codes.all(CodeKind.ISSUE)[0].id
    with project.store.atomic():
        project.store.bulk.add_annotations([issue_passage(project, article_id, issue)])
    assert paused(project) == 0 and passages(project, article_id, issue) == 1
    made = project.annotations.create_issue_passage(article_id, [(6, 12)], issue).annotation
    assert made is not None and passages(project, article_id, issue) == 2
    project.annotations.delete(made.id)
    assert passages(project, article_id, issue) == 1
    [summary] = project.store.articles.summaries()
    assert summary.annotation_count == 1


def test_a_committed_guard_row_is_reported_and_the_next_bulk_call_clears_it(
    project: Project, article_id: str
):
    with project.store.atomic():
        project.store._db.execute("INSERT INTO summary_paused VALUES (1)")
    assert any("paused" in line for line in project.store.coverage.summary_differences())
    issue = project.store.codes.all(CodeKind.ISSUE)[0].id
    with project.store.atomic():
        project.store.bulk.add_annotations([issue_passage(project, article_id, issue)])
    assert paused(project) == 0 and passages(project, article_id, issue) == 1
    assert project.store.coverage.summary_differences() == []
