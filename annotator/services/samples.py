"""What a new project starts with: the starter codebook and, for the default project, the
sample articles, both read from the data folders so researchers can adapt them."""

from pathlib import Path

import yaml

from annotator.core.errors import ValidationError
from annotator.core.formats.frontmatter import split_front_matter
from annotator.core.model import CodeKind
from annotator.resources import resource_path, sample_articles_dir
from annotator.services.articles import ArticleService
from annotator.services.interchange.codebook_files import CodebookEntry, merge_codebook_entries
from annotator.store import Store

STARTER_CODEBOOK = "starter_codebook.yaml"
_SECTIONS = (("issues", CodeKind.ISSUE), ("speakers", CodeKind.SPEAKER))
_TEXT_FIELDS = ("name", "colour", "description", "shortcut", "organisation", "parent")


def read_codebook_file(path: Path) -> list[CodebookEntry]:
    """The entries of a codebook YAML file, each checked: a mapping with a non-empty name and
    text values. Errors name the file and the entry, e.g. ``issues[3]``."""
    try:
        data: object = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ValidationError(f"{path.name} is not a readable YAML file: {exc}") from exc
    if not isinstance(data, dict):
        raise ValidationError(f"{path.name} must map 'issues' and 'speakers' to lists.")
    entries = []
    for section, kind in _SECTIONS:
        listed = data.get(section) or []
        if not isinstance(listed, list):
            raise ValidationError(f"{path.name}: '{section}' must be a list of codes.")
        for number, entry in enumerate(listed):
            where = f"{path.name}: {section}[{number}]"
            if not isinstance(entry, dict):
                raise ValidationError(f"{where} must be a mapping with at least a name.")
            unknown = set(entry) - set(_TEXT_FIELDS)
            if unknown:
                raise ValidationError(f"{where} has unknown keys: {', '.join(sorted(unknown))}.")
            fields = {k: str(v).strip() for k, v in entry.items() if v is not None}
            if not fields.get("name"):
                raise ValidationError(f"{where} has no name.")
            entries.append(
                CodebookEntry(
                    where=where,
                    kind=kind,
                    name=fields["name"],
                    colour=fields.get("colour"),
                    description=fields.get("description", ""),
                    shortcut=fields.get("shortcut"),
                    parent=fields.get("parent"),
                    organisation=fields.get("organisation"),
                )
            )
    return entries


def load_codebook_file(store: Store, path: Path) -> int:
    """Add the codes listed in a codebook YAML file (existing names are kept as they are);
    returns how many were added. Parents may be listed after their children."""
    return len(merge_codebook_entries(store, read_codebook_file(path)).added)


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
