"""What a new project starts with: the starter codebook and, for the default project, the
sample articles, both read from the data folders so researchers can adapt them."""

from pathlib import Path
from typing import Any

import yaml

from annotator.core.errors import ValidationError
from annotator.core.frontmatter import split_front_matter
from annotator.core.model import CodeKind
from annotator.resources import resource_path, sample_articles_dir
from annotator.services.articles import ArticleService
from annotator.services.codebook import CodebookService
from annotator.store import Store

STARTER_CODEBOOK = "starter_codebook.yaml"


def load_codebook_file(store: Store, path: Path) -> int:
    """Add the codes listed in a codebook YAML file; returns how many were added."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ValidationError(f"{path.name} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ValidationError(f"{path.name} must map 'issues' and 'speakers' to lists.")
    codebook = CodebookService(store)
    added = 0
    with store.atomic():
        for section, kind in (("issues", CodeKind.ISSUE), ("speakers", CodeKind.SPEAKER)):
            entries = data.get(section) or []
            for entry in entries:
                if store.codes.by_name(kind, str(entry["name"])):
                    continue
                parent = entry.get("parent")
                parent_code = store.codes.by_name(kind, str(parent)) if parent else None
                codebook.create(
                    kind,
                    str(entry["name"]),
                    colour=entry.get("colour"),
                    description=str(entry.get("description") or ""),
                    shortcut=entry.get("shortcut"),
                    organisation=entry.get("organisation"),
                    parent_id=parent_code.id if parent_code else None,
                )
                added += 1
    return added


def load_starter_codebook(store: Store) -> int:
    return load_codebook_file(store, resource_path(STARTER_CODEBOOK))


def load_sample_articles(store: Store) -> int:
    """Add the sample articles (text files with front matter); returns how many were new."""
    articles = ArticleService(store)
    added = 0
    with store.atomic():
        for path in sorted(sample_articles_dir().glob("*.txt")):
            meta, body = split_front_matter(path.read_text(encoding="utf-8"))
            result = articles.add(
                body,
                source=meta.get("source") or "Unknown source",
                title=meta.get("title"),
                published=meta.get("published"),
                author=meta.get("author"),
                url=meta.get("url"),
                imported_from=f"sample_articles/{path.name}",
            )
            added += not result.duplicate
    return added
