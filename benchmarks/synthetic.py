"""Deterministic synthetic projects: English-like articles across 50 sources, with speaker
mentions, claims and issue passages of realistic lengths that overlap.

Everything comes from one seed, so a run on another machine or commit measures the same data.
The rows are valid by construction (fragments inside the text with their quotes cut from it,
claims' speakers and issues codes of the right kind, unique text hashes) and are written
through ``Store.bulk`` in one transaction per batch: a million annotations take seconds this
way, not the many minutes one service call per annotation would.
"""

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from annotator.core.model import (
    Annotation,
    AnnotationKind,
    Article,
    Code,
    CodeKind,
    Fragment,
    Source,
    Stance,
)
from annotator.core.palette import PALETTE
from annotator.core.text import text_sha256
from annotator.store import Store
from benchmarks.highlight import SEED, make_text

SOURCES = 50
ISSUES = 20
SPEAKERS = 80
CREATED = "2024-05-01T12:00:00+00:00"
_BATCH = 500  # articles per transaction: memory stays flat however large the project


@dataclass(frozen=True, slots=True)
class Codebook:
    issues: tuple[Code, ...]
    speakers: tuple[Code, ...]


def seeded_id(rng: random.Random) -> str:
    """A UUID4-shaped id drawn from ``rng``, so ids repeat from run to run."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def make_codebook(rng: random.Random) -> Codebook:
    issues = tuple(
        Code(seeded_id(rng), CodeKind.ISSUE, f"Issue {n:02d}", PALETTE[n % len(PALETTE)])
        for n in range(ISSUES)
    )
    speakers = tuple(
        Code(seeded_id(rng), CodeKind.SPEAKER, f"Speaker {n:02d}", PALETTE[(n * 7) % len(PALETTE)])
        for n in range(SPEAKERS)
    )
    return Codebook(issues, speakers)


def paragraph_pool(seed: int = SEED, size: int = 400) -> list[str]:
    """Paragraphs to draw articles from: generating every word of 50 MB afresh would dominate
    the set-up time, and reuse changes nothing the benchmarks measure."""
    return make_text(random.Random(seed), size * 600).split("\n")


def article_text(rng: random.Random, pool: list[str], number: int, chars: int) -> str:
    """About ``chars`` characters; the numbered first line keeps every text (and hash) unique."""
    parts = [f"Report number {number} from the wire."]
    size = len(parts[0])
    while size < chars:
        paragraph = rng.choice(pool)
        parts.append(paragraph)
        size += len(paragraph) + 1
    return "\n".join(parts)


def make_annotations(
    rng: random.Random, article: Article, count: int, codes: Codebook, annotator: str
) -> list[Annotation]:
    """Speaker mentions (2-25 characters, 40%), claims (40-400, 35%; one in five in two
    fragments; with a speaker, one or two issues and a stance) and issue passages (100-2,000,
    25%), anywhere in the text, so they overlap as in a densely coded article."""
    text = article.text
    n = len(text)
    result = []
    for _ in range(count):
        roll = rng.random()
        code_id = speaker_id = stance = None
        issue_ids: tuple[str, ...] = ()
        if roll < 0.40:
            kind, length = AnnotationKind.SPEAKER, rng.randint(2, 25)
            code_id = rng.choice(codes.speakers).id
        elif roll < 0.75:
            kind, length = AnnotationKind.CLAIM, rng.randint(40, 400)
            speaker_id = rng.choice(codes.speakers).id
            issue_ids = tuple(
                sorted({rng.choice(codes.issues).id for _ in range(rng.randint(1, 2))})
            )
            stance = rng.choice(list(Stance))
        else:
            kind, length = AnnotationKind.ISSUE, rng.randint(100, 2000)
            code_id = rng.choice(codes.issues).id
        length = min(length, n - 1)
        start = rng.randrange(0, n - length)
        spans = [(start, start + length)]
        if kind is AnnotationKind.CLAIM and length > 30 and rng.random() < 0.2:
            cut = start + rng.randint(10, length - 10)
            spans = [(start, cut), (cut + rng.randint(5, 9), start + length)]
        result.append(
            Annotation(
                id=seeded_id(rng),
                article_id=article.id,
                kind=kind,
                fragments=tuple(Fragment(s, e, text[s:e]) for s, e in spans),
                annotator=annotator,
                created_at=CREATED,
                updated_at=CREATED,
                code_id=code_id,
                speaker_id=speaker_id,
                issue_ids=issue_ids,
                stance=stance,
            )
        )
    return result


def build_store(
    store: Store,
    articles: int,
    per_article: int,
    *,
    chars: int = 5_000,
    seed: int = SEED,
    annotator: str = "bench",
) -> Codebook:
    """Fill an empty ``store``: the codebook, 50 sources, ``articles`` articles of about
    ``chars`` characters with ``per_article`` annotations each."""
    rng = random.Random(seed)
    codes = make_codebook(rng)
    sources = [Source(seeded_id(rng), f"Outlet {n:02d}") for n in range(SOURCES)]
    store.bulk.insert(sources=sources, codes=(*codes.issues, *codes.speakers))
    pool = paragraph_pool(seed)
    for first in range(0, articles, _BATCH):
        batch = list(
            _articles(rng, pool, sources, range(first, min(first + _BATCH, articles)), chars)
        )
        annotations = [
            a
            for article in batch
            for a in make_annotations(rng, article, per_article, codes, annotator)
        ]
        store.bulk.insert(articles=batch, annotations=annotations)
    return codes


def _articles(
    rng: random.Random, pool: list[str], sources: list[Source], numbers: range, chars: int
) -> Iterator[Article]:
    for number in numbers:
        text = article_text(rng, pool, number, chars)
        yield Article(
            id=seeded_id(rng),
            source_id=sources[number % len(sources)].id,
            title=f"Report {number}",
            text=text,
            sha256=text_sha256(text),
            published=f"2024-{number % 12 + 1:02d}-{number % 28 + 1:02d}",
            created_at=CREATED,
        )


def build_project_file(path: Path, articles: int, per_article: int, **kwargs: object) -> Codebook:
    """A project file at ``path`` (which must not exist) holding only the synthetic data: no
    starter codebook, so the chart has exactly 50 sources and 20 issues."""
    if path.exists():
        raise FileExistsError(path)
    with Store.open(path) as store:
        return build_store(store, articles, per_article, **kwargs)  # type: ignore[arg-type]


def write_text_files(folder: Path, count: int, *, chars: int = 5_000, seed: int = SEED) -> None:
    """``count`` plain-text articles of about ``chars`` characters, for the import benchmark."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed + 1)
    pool = paragraph_pool(seed)
    for number in range(count):
        text = article_text(rng, pool, number, chars)
        (folder / f"article-{number:05d}.txt").write_text(text, encoding="utf-8")
