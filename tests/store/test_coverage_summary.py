"""The kept coverage summary (migration 0003) gives the same tables as counting every span.

Each test drives real edits through the services (and their undo), then compares the table
read from the summary with the one built from the spans (``build_table``, the path a coder
filter or a roll-up still takes), for the filters the summary serves.
"""

import random
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from sqlite_utils import Database

from annotator.core.coverage import CoverageFilter, CoverageTable, build_table
from annotator.core.errors import ValidationError
from annotator.core.model import AnnotationKind, ArticleStatus, CodeKind
from annotator.core.spans.fragments import make_fragments
from annotator.services.annotations import AnnotationService
from annotator.services.changes import apply_change
from annotator.services.coverage import coverage_table
from annotator.services.project import Project, open_project
from annotator.store import Store
from annotator.store.files.schema_vetting import expected_schema, schema_of
from annotator.store.migrations import migrations

ISSUE, CLAIM = AnnotationKind.ISSUE, AnnotationKind.CLAIM

FILTERS = [
    CoverageFilter(),
    CoverageFilter(kinds=frozenset({ISSUE})),
    CoverageFilter(kinds=frozenset({CLAIM})),
    CoverageFilter(statuses=frozenset({ArticleStatus.DONE})),
    CoverageFilter(kinds=frozenset({CLAIM}), date_from="2024-02"),
]


def from_spans(store: Store, flt: CoverageFilter) -> CoverageTable:
    return build_table(
        store.coverage.source_totals(flt),
        store.codes.all(CodeKind.ISSUE),
        store.coverage.issue_spans(flt),
    )


def assert_summary_agrees(store: Store) -> None:
    for flt in FILTERS:
        assert store.coverage.summarised(flt)
        assert coverage_table(store, flt) == from_spans(store, flt), flt
    assert store.coverage.summary_differences() == []


def test_unfiltered_table_reads_the_summary_not_the_spans(project: Project) -> None:
    """Proof that the fast path is taken: with the spans' query broken, the table still comes."""
    store = project.store
    issue = store.codes.all(CodeKind.ISSUE)[0]
    article = store.articles.summaries()[0].id
    project.annotations.create_issue_passage(article, [(0, 10)], issue.id)
    project.annotations.create_issue_passage(article, [(5, 20)], issue.id)
    store.coverage.issue_spans = None  # type: ignore[method-assign]
    table = coverage_table(store)
    assert [(c.issue_id, c.annotations, c.characters, c.articles) for c in table.cells] == [
        (issue.id, 2, 20, 1)
    ]


def test_random_edits_and_undo_keep_the_summary_equal_to_the_spans(project: Project) -> None:
    rng = random.Random(7)
    store = project.store
    texts = ["“Quoted” words 😀 here. " * 20, "plain text " * 30, "ß and é " * 40]
    articles = []
    for number, text in enumerate(texts):
        added = project.articles.add(
            text,
            source=f"Source {number % 2}",
            title=f"t{number}",
            published=f"2024-0{number + 1}-01",
        )
        articles.append((added.article.id, len(text)))
    project.articles.set_status(articles[0][0], ArticleStatus.DONE)
    issues = [c.id for c in store.codes.all(CodeKind.ISSUE)[:4]]
    speaker = store.codes.all(CodeKind.SPEAKER)[0].id
    coders = [project.annotations, AnnotationService(store, "bob")]
    done = []
    for step in range(60):
        article, length = rng.choice(articles)
        start = rng.randrange(0, length - 30)
        spans = [(start, start + rng.randrange(1, 30))]
        coder = rng.choice(coders)
        roll = rng.random()
        if roll < 0.35:
            change = coder.create_issue_passage(article, spans, rng.choice(issues))
        elif roll < 0.65:
            tagged = rng.sample(issues, rng.randrange(0, 3))
            change = coder.create_claim(article, spans, speaker_id=speaker, issue_ids=tagged)
        elif roll < 0.75 and done:
            try:
                change = coder.add_fragment(rng.choice(done), start, start + 5)
            except ValidationError:  # overlaps the annotation's own fragments, or elsewhere
                continue
        elif roll < 0.85 and done:
            change = coder.delete(done.pop(rng.randrange(len(done))))
        else:
            changed = rng.choice(articles)[0]
            change = project.articles.set_status(changed, rng.choice(list(ArticleStatus)))
        if change.annotation is not None and change.annotation.id not in done:
            done.append(change.annotation.id)
        if step % 7 == 0:  # undo now and then
            apply_change(store, change.inverse())
            kept = {n.id for a, _ in articles for n in store.annotations.for_article(a)}
            done = [a for a in done if a in kept]
        assert_summary_agrees(store)


def test_merging_and_deleting_codes_keep_the_summary(project: Project) -> None:
    store = project.store
    article = store.articles.summaries()[0].id
    first, second, third = (c.id for c in store.codes.all(CodeKind.ISSUE)[:3])
    project.annotations.create_issue_passage(article, [(0, 10)], first)
    project.annotations.create_claim(article, [(5, 15)], issue_ids=[second, third])
    project.annotations.create_issue_passage(article, [(8, 12)], second)
    assert_summary_agrees(store)
    project.codebook.merge(second, first)
    assert_summary_agrees(store)
    project.codebook.delete(third, force=True)
    assert_summary_agrees(store)
    project.codebook.delete(first, force=True)
    assert_summary_agrees(store)
    assert coverage_table(store).is_empty


def test_a_write_outside_a_transaction_is_counted_before_the_next_read(project: Project) -> None:
    """The triggers mark the article even when a write skips ``atomic()``; the read catches
    up before it sums."""
    store = project.store
    article = store.articles.summaries()[0].id
    issue = store.codes.all(CodeKind.ISSUE)[0].id
    passage = project.annotations.create_issue_passage(article, [(0, 10)], issue).annotation
    assert passage is not None
    store._db.conn.execute(
        'UPDATE fragments SET "end" = 30 WHERE annotation_id = ?', [passage.id]
    )  # bypassing the store, as a bug or an old tool might
    store._db.conn.commit()
    assert coverage_table(store).cells[0].characters == 30
    assert_summary_agrees(store)
    claim = project.annotations.create_claim(article, [(40, 50)], issue_ids=[issue]).annotation
    assert claim is not None
    store._db.conn.execute("DELETE FROM claim_issues WHERE annotation_id = ?", [claim.id])
    store._db.conn.commit()
    assert coverage_table(store).cells[0].annotations == 1
    assert_summary_agrees(store)


@pytest.mark.summary_may_differ
def test_check_reports_a_summary_that_was_altered(project: Project) -> None:
    store = project.store
    article = store.articles.summaries()[0].id
    issue = store.codes.all(CodeKind.ISSUE)[0].id
    project.annotations.create_issue_passage(article, [(0, 10)], issue)
    source = repr(store.articles.get(article).source_id)
    assert store.reports.problems() == []
    with store._db.conn:
        store._db.conn.execute("UPDATE issue_coverage SET passages = 5")
    problems = store.reports.problems()
    assert [p.split(": ", 1)[1] for p in problems if "(issue_coverage)" in p] == [
        f"kept ({source}, 5, 0, 10, 10, 0), recomputed ({source}, 1, 0, 10, 10, 0)"
    ]
    assert any("(source_issue_coverage)" in p for p in problems)
    store._db.conn.execute("DELETE FROM source_sizes")
    store._db.conn.commit()
    assert any(p.startswith("coverage summary (source_sizes)") for p in store.reports.problems())
    # the check itself changed nothing
    assert store._db.execute("SELECT passages FROM issue_coverage").fetchall() == [(5,)]


def test_a_version_2_project_gets_its_summary_when_opened(tmp_path: Path) -> None:
    """Migration 0003 on a file with annotations: every article is computed at the open."""
    path = tmp_path / "old.annotator"
    with open_project(path, annotator="alice") as project:
        store = project.store
        article = project.articles.add("“Curly” 😀 text. " * 10, source="S", title="t").article.id
        issue = store.codes.all(CodeKind.ISSUE)[0].id
        project.annotations.create_issue_passage(article, [(0, 10)], issue)
        project.annotations.create_claim(article, [(5, 25)], issue_ids=[issue])
        expected = coverage_table(store)
    # Make it the file an Annotator of schema 2 wrote: what later migrations added, gone.
    db = Database(sqlite3.connect(path))
    older = expected_schema(2)
    for name, kind in db.execute("SELECT name, type FROM sqlite_master").fetchall():
        if name not in older and kind in ("table", "trigger", "index"):
            db.execute(f"DROP {kind.upper()} IF EXISTS {name}")
    for name, (kind, _table, sql) in older.items():  # and what they changed, as it was
        if kind == "index" and sql and schema_of(db.conn)[name][2] != sql:
            db.execute(f"DROP INDEX {name}")
            db.execute(sql)
    db.execute("DELETE FROM _sqlite_migrations WHERE name > '0003'")
    db.execute("PRAGMA user_version = 2")
    db.conn.commit()
    assert next(m.name for m in migrations.pending(db)) == "0003_coverage_summary"
    db.close()
    with open_project(path, annotator="alice") as project:
        assert coverage_table(project.store) == expected
        assert_summary_agrees(project.store)


def test_speaker_mentions_never_mark_an_article_stale(project: Project) -> None:
    store = project.store
    article = store.articles.summaries()[0].id
    speaker = store.codes.all(CodeKind.SPEAKER)[0].id
    project.annotations.create_speaker_mention(article, [(0, 5)], speaker)
    with store._db.conn:
        store._db.conn.execute(
            "INSERT INTO annotations (id, article_id, kind, code_id, note, annotator, "
            "created_at, updated_at) VALUES ('m2', ?, 'speaker', ?, '', 'x', 't', 't')",
            [article, speaker],
        )
    assert store._db.execute("SELECT count(*) FROM coverage_stale").fetchone() == (0,)


def test_a_claim_moved_to_another_article_leaves_both_counted_right(project: Project) -> None:
    """No service moves a claim today; the store's update allows it, so the summary must
    follow: the old article loses the claim's issues, the new one gains them."""
    store = project.store
    first = store.articles.summaries()[0].id
    second = project.articles.add("Another text, long enough. " * 4, source="S", title="t").article
    issue = store.codes.all(CodeKind.ISSUE)[0].id
    claim = project.annotations.create_claim(first, [(0, 10)], issue_ids=[issue]).annotation
    assert claim is not None
    moved = replace(claim, article_id=second.id, fragments=second_fragments(second.text))
    with store.atomic():
        store.annotations.update(moved)
    assert_summary_agrees(store)


def second_fragments(text: str) -> tuple:
    return tuple(make_fragments(text, [(0, 7)]))
