"""The synthetic project of ``benchmarks.synthetic``, written straight into SQLite.

``build_project_file`` writes through ``Store.bulk``, whose commit recomputes the coverage
summary of every (article, issue) pair a batch touched, one pair at a time: a million
annotations took over 40 minutes on the 2-core machine (450 annotations/s at 50,000). This
writes the same rows, from the same seed and in the same order, with the per-row triggers of
the annotation tables dropped for the load, then counts what those triggers keep (each
article's annotation count, and the coverage summary recomputed per whole article by the
store's own ``refresh_stale``) and puts the triggers back exactly as they were. The schema comes
from the real migrations (``Store.open``) and ``annotator check`` finds nothing to report.

    python -m benchmarks.fast_project PATH [ARTICLES] [PER_ARTICLE]
"""

import random
import sqlite3
import sys
import time
from pathlib import Path

from annotator.core.model import Annotation, Article, Source
from annotator.store import Store
from benchmarks.highlight import SEED
from benchmarks.synthetic import (
    _BATCH,
    SOURCES,
    Codebook,
    _articles,
    make_annotations,
    make_codebook,
    paragraph_pool,
    seeded_id,
)

#: The tables whose triggers fire once per annotation row; put back after the load.
_BYPASSED = ("annotations", "fragments", "claim_issues")

_ARTICLE = """INSERT INTO articles (id, source_id, title, published, author, url, text, sha256,
    imported_from, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
_ANNOTATION = """INSERT INTO annotations (id, article_id, kind, code_id, speaker_id,
    speaker_mention_id, stance, note, annotator, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
_FRAGMENT = 'INSERT INTO fragments (annotation_id, ordinal, start, "end", quote) VALUES (?,?,?,?,?)'
_CLAIM_ISSUE = "INSERT INTO claim_issues (annotation_id, code_id) VALUES (?, ?)"


def write_project_file(
    path: Path,
    articles: int,
    per_article: int,
    *,
    chars: int = 5_000,
    seed: int = SEED,
    annotator: str = "bench",
) -> Codebook:
    """What ``build_project_file(path, articles, per_article, …)`` builds, in a fraction of
    the time. ``path`` must not exist."""
    if path.exists():
        raise FileExistsError(path)
    rng = random.Random(seed)  # drawn from in build_store's order, so the data is the same
    codes = make_codebook(rng)
    sources = [Source(seeded_id(rng), f"Outlet {n:02d}") for n in range(SOURCES)]
    with Store.open(path) as store:  # the schema, through every migration
        store.bulk.insert(sources=sources, codes=(*codes.issues, *codes.speakers))
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN IMMEDIATE")
        triggers = _drop_triggers(conn)
        pool = paragraph_pool(seed)
        for first in range(0, articles, _BATCH):
            numbers = range(first, min(first + _BATCH, articles))
            batch = list(_articles(rng, pool, sources, numbers, chars))
            _insert(conn, batch, [
                a for article in batch
                for a in make_annotations(rng, article, per_article, codes, annotator)
            ])  # fmt: skip
        conn.execute(
            """UPDATE article_stats SET annotations = (SELECT count(*) FROM annotations n
               WHERE n.article_id = article_stats.article_id)"""
        )
        conn.execute("INSERT INTO coverage_stale SELECT id, '' FROM articles")
        for sql in triggers:
            conn.execute(sql)
        conn.execute("COMMIT")
    finally:
        conn.close()
    with Store.open(path) as store, store.atomic():
        pass  # the commit recomputes every article marked stale, as after a migration
    return codes


def _drop_triggers(conn: sqlite3.Connection) -> list[str]:
    """The SQL of the dropped triggers, as stored, so that recreating them leaves the schema
    exactly as the migrations wrote it (the open compares it, SQL for SQL)."""
    marks = ",".join("?" * len(_BYPASSED))
    found = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})",
        _BYPASSED,
    ).fetchall()
    for name, _sql in found:
        conn.execute(f'DROP TRIGGER "{name}"')
    return [sql for _name, sql in found]


def _insert(
    conn: sqlite3.Connection, articles: list[Article], annotations: list[Annotation]
) -> None:
    conn.executemany(
        _ARTICLE,
        [
            (a.id, a.source_id, a.title, a.published, a.author, a.url, a.text, a.sha256,
             a.imported_from, a.created_at)
            for a in articles
        ],
    )  # fmt: skip
    conn.executemany(
        _ANNOTATION,
        [
            (a.id, a.article_id, a.kind.value, a.code_id, a.speaker_id, a.speaker_mention_id,
             a.stance.value if a.stance else None, a.note, a.annotator, a.created_at,
             a.updated_at)
            for a in annotations
        ],
    )  # fmt: skip
    conn.executemany(
        _FRAGMENT,
        [
            (a.id, i, f.start, f.end, f.quote)
            for a in annotations
            for i, f in enumerate(a.fragments)
        ],
    )
    conn.executemany(_CLAIM_ISSUE, [(a.id, c) for a in annotations for c in a.issue_ids])


def main(argv: list[str]) -> int:
    path = Path(argv[0])
    articles = int(argv[1]) if len(argv) > 1 else 10_000
    per_article = int(argv[2]) if len(argv) > 2 else 100
    started = time.perf_counter()
    write_project_file(path, articles, per_article)
    total = articles * per_article
    print(f"{path}: {articles:,} articles, {total:,} annotations in "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
