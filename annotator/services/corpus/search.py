"""Searching every article of a project, for the window's "Search all articles" and for
``annotator search``; ``code_all`` turns the hits into annotations.

Texts are read in batches, in the article list's order, so a large project is never held in
memory at once.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from annotator.core.search import Hit, SearchQuery, find_spans, hit_at
from annotator.store import Store


@dataclass(frozen=True, slots=True)
class ArticleMatches:
    """The matches in one article, as spans in code points, with its text to cut them from."""

    article_id: str
    title: str
    text: str
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class ArticleHits:
    """One article's hits with their context, for a list grouped by article."""

    article_id: str
    title: str
    hits: tuple[Hit, ...]


@dataclass(frozen=True, slots=True)
class SearchResult:
    matches: int  # every match, also those beyond the limit
    article_count: int  # articles with at least one match
    articles: tuple[ArticleHits, ...]  # the kept hits, grouped by article in the list's order
    truncated: bool = False  # more matches than the limit: counted, not kept

    @property
    def shown(self) -> int:
        return sum(len(a.hits) for a in self.articles)


def iter_matches(store: Store, query: SearchQuery) -> Iterator[ArticleMatches]:
    """Every article with at least one match, in the article list's order (by source, date,
    title). The pattern is checked before any text is read."""
    pattern = query.compile()
    ids = [summary.id for summary in store.articles.summaries()]
    for article_id, title, text in store.texts.texts(ids):
        spans = tuple(find_spans(pattern, text))
        if spans:
            yield ArticleMatches(article_id, title, text, spans)


def search(store: Store, query: SearchQuery, *, limit: int | None = None) -> SearchResult:
    """Every match counted; the first ``limit`` (all without one) kept with their context."""
    matches = articles = 0
    kept: list[ArticleHits] = []
    for found in iter_matches(store, query):
        matches += len(found.spans)
        articles += 1
        room = len(found.spans) if limit is None else max(0, limit - (matches - len(found.spans)))
        if room:
            hits = tuple(hit_at(found.text, s, e) for s, e in found.spans[:room])
            kept.append(ArticleHits(found.article_id, found.title, hits))
    truncated = limit is not None and matches > limit
    return SearchResult(matches, articles, tuple(kept), truncated)


def result_json(result: SearchResult) -> dict[str, object]:
    """The shape ``annotator search --json`` prints: offsets in code points."""
    return {
        "matches": result.matches,
        "articles": result.article_count,
        "hits": [
            {
                "article_id": article.article_id,
                "article_title": article.title,
                "start": hit.start,
                "end": hit.end,
                "text": hit.text,
                "before": hit.before,
                "after": hit.after,
            }
            for article in result.articles
            for hit in article.hits
        ],
    }
