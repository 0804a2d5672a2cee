"""Bulk annotation inserts: all or none, and a refused row is named by its position."""

import pytest

from annotator.core.ids import new_id
from annotator.core.model import (
    Annotation,
    AnnotationKind,
    Article,
    Code,
    CodeKind,
    Fragment,
    Source,
)
from annotator.core.text import text_sha256
from annotator.store import Store
from annotator.store.bulk import RefusedRowError

TEXT = "Xi spoke. Biden replied."
NOW = "2024-05-01T12:00:00+00:00"


@pytest.fixture
def store() -> Store:
    store = Store.in_memory()
    source = Source(new_id(), "Wire")
    speaker = Code(new_id(), CodeKind.SPEAKER, "Xi", "#123456", created_at=NOW)
    article = Article(new_id(), source.id, "T", TEXT, text_sha256(TEXT), created_at=NOW)
    store.bulk.insert(sources=[source], codes=[speaker], articles=[article])
    return store


def mention(store: Store, start: int, end: int, code_id: str | None = None) -> Annotation:
    [article] = store.articles.iter_all()
    [speaker] = store.codes.all(CodeKind.SPEAKER)
    return Annotation(
        id=new_id(),
        article_id=article.id,
        kind=AnnotationKind.SPEAKER,
        fragments=(Fragment(start, end, TEXT[start:end]),),
        annotator="alice",
        created_at=NOW,
        updated_at=NOW,
        code_id=code_id or speaker.id,
    )


def test_annotations_go_in_with_their_fragments(store: Store):
    rows = [mention(store, 0, 2), mention(store, 10, 15)]
    with store.atomic():
        store.bulk.add_annotations(rows)
    [article] = store.articles.iter_all()
    assert store.annotations.for_article(article.id) == rows


def test_a_refused_row_is_named_and_nothing_stays(store: Store):
    rows = [mention(store, 0, 2), mention(store, 3, 8), mention(store, 10, 15, "no-such-code")]
    with store.atomic():
        with pytest.raises(RefusedRowError) as refused:
            store.bulk.add_annotations(rows)
        assert refused.value.index == 2
        assert "FOREIGN KEY" in refused.value.reason
        [article] = store.articles.iter_all()
        assert store.annotations.for_article(article.id) == []
