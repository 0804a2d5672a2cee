"""Adding articles and changing a coder's status of them."""

from collections.abc import Callable
from dataclasses import dataclass

from annotator.core.clock import now_iso
from annotator.core.errors import ValidationError
from annotator.core.ids import new_id
from annotator.core.model import Article, ArticleStatus, ArticleStatusRow
from annotator.core.text import canonicalize_text, text_sha256
from annotator.services.changes import Change, Snapshot, apply_change
from annotator.store import Store


@dataclass(frozen=True, slots=True)
class AddedArticle:
    article: Article
    duplicate: bool  # the same text was already in the project; nothing was stored


def headline_of(text: str) -> str:
    """The first non-empty line: where scraped articles keep their headline."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:300]
    return ""


class ArticleService:
    def __init__(self, store: Store, coder: Callable[[], str] | None = None) -> None:
        """``coder`` names whose statuses ``set_status`` writes; it is asked at each call, so
        the name the window's File > Coder name sets on the AnnotationService applies here
        too. Without it (loading samples) statuses cannot be set."""
        self._store = store
        self._coder = coder

    def add(
        self,
        text: str,
        *,
        source: str,
        title: str | None = None,
        published: str | None = None,
        author: str | None = None,
        url: str | None = None,
        imported_from: str | None = None,
    ) -> AddedArticle:
        """Store an article with its text made canonical; a text already present is reported
        as a duplicate, not stored twice (offsets of both copies could never be merged)."""
        text = canonicalize_text(text)
        if not text.strip():
            raise ValidationError("The article has no text.")
        if not source or not source.strip():
            raise ValidationError("Every article needs a source (the outlet).")
        sha256 = text_sha256(text)
        existing = self._store.articles.by_sha256(sha256)
        if existing:
            return AddedArticle(existing, duplicate=True)
        with self._store.atomic():
            outlet = self._store.sources.get_or_create(source)
            article = Article(
                id=new_id(),
                source_id=outlet.id,
                title=(title or headline_of(text)).strip() or "(untitled)",
                text=text,
                sha256=sha256,
                published=published,
                author=author,
                url=url,
                imported_from=imported_from,
                created_at=now_iso(),
            )
            self._store.articles.add(article)
        return AddedArticle(article, duplicate=False)

    def set_status(self, article_id: str, status: ArticleStatus) -> Change:
        """Set the coder's own status of the article; other coders' statuses stay as they
        are. A Change, so it undoes like an edit."""
        coder = self._coder() if self._coder is not None else ""
        if not coder.strip():
            raise ValidationError("A coder name is needed to record whose status this is.")
        article = self._store.articles.get(article_id)
        before = self._store.articles.status_row(article.id, coder)
        after = (
            ArticleStatusRow(article.id, coder, status) if status is not ArticleStatus.NEW else None
        )
        if before == after:
            return Change("no change", Snapshot(), Snapshot())
        change = Change(
            f"mark {article.title!r} {status.value}",
            Snapshot(statuses=(before,) if before else ()),
            Snapshot(statuses=(after,) if after else ()),
        )
        return apply_change(self._store, change)
