"""Planning an import: which files, in which format, with what the manifest says of each,
and which are skipped or refused before anything is read. The rules are importing's (see its
docstring); ``importing.plan_import`` is this module's function."""

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.services.interchange.article_files import format_for, leaves_folder
from annotator.services.interchange.import_types import (
    ArticleMetadata,
    ImportFormat,
    ImportItem,
    ImportStatus,
)
from annotator.services.interchange.import_variables import with_variables
from annotator.services.interchange.manifest import read_manifest


def plan_import(
    paths: Iterable[Path | str],
    *,
    manifest: Path | str | None = None,
    format: ImportFormat | str = ImportFormat.AUTO,
) -> list[ImportItem]:
    """One item per file found, in order: the manifest's rows, then ``paths``. A file found
    twice (in the manifest and in a folder) is planned once, with the manifest's metadata."""
    chosen = ImportFormat(format)
    items: list[ImportItem] = []
    planned: set[Path] = set()

    def add(item: ImportItem) -> None:
        key = item.path.resolve() if item.path.exists() else item.path
        if item.verdict is None and key in planned:
            return
        planned.add(key)
        items.append(item)

    if manifest is not None:
        read = read_manifest(Path(manifest))
        within = (Path(manifest).parent.resolve(), "the manifest's folder")
        for entry in read.entries:
            item = _item(entry.path, chosen, explicit=True, metadata=entry.metadata, within=within)
            add(with_variables(item, entry.variables))
        items.extend(read.problems)
    for given in paths:
        path = Path(given)
        if path.is_dir():
            within = (path.resolve(), "the imported folder")
            for found in _walk(path):
                if chosen is ImportFormat.BRAT and found.suffix.lower() == ".ann":
                    if not found.with_suffix(".txt").exists():
                        add(_verdict(found, ImportStatus.REJECTED, "no .txt beside this .ann"))
                    continue  # imported with its .txt
                add(_item(found, chosen, explicit=False, within=within))
        elif path.exists() or path.is_symlink():
            add(_item(path, chosen, explicit=True))
        else:
            add(_verdict(path, ImportStatus.REJECTED, "no such file or folder"))
    return items


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root, name)


def _item(
    path: Path,
    chosen: ImportFormat,
    *,
    explicit: bool,
    metadata: ArticleMetadata | None = None,
    within: tuple[Path, str] | None = None,
) -> ImportItem:
    """The item for one file. ``within`` (a resolved folder, and its name for the reason) is
    where a file found in a folder or a manifest must stay, links followed; a file named
    on its own is the user's choice, wherever it leads."""
    item = _planned(path, chosen, explicit=explicit, metadata=metadata or ArticleMetadata())
    if item.verdict is not None or within is None:
        return item
    escape = leaves_folder(item.path, *within)
    if escape is None and item.format is ImportFormat.BRAT:
        ann = leaves_folder(item.path.with_suffix(".ann"), *within)
        escape = ann and f"its .ann {ann}"
    return _verdict(item.path, ImportStatus.REJECTED, escape) if escape else item


def _planned(
    path: Path, chosen: ImportFormat, *, explicit: bool, metadata: ArticleMetadata
) -> ImportItem:
    if chosen is ImportFormat.BRAT:
        if explicit and path.suffix.lower() == ".ann":
            path = path.with_suffix(".txt")
        if path.suffix.lower() != ".txt":
            return _verdict(path, ImportStatus.SKIPPED, "not a .txt file (brat import)")
        if not path.with_suffix(".ann").exists():
            return _verdict(path, ImportStatus.REJECTED, "no brat .ann file beside it")
        return ImportItem(path, chosen, metadata)
    by_extension = format_for(path)
    if chosen is ImportFormat.AUTO:
        if by_extension is None:
            return _verdict(path, ImportStatus.SKIPPED, f"not a {_suffixes(None)}")
        return ImportItem(path, by_extension, metadata)
    if explicit or by_extension is chosen:
        return ImportItem(path, chosen, metadata)
    return _verdict(path, ImportStatus.SKIPPED, f"not a {_suffixes(chosen)}")


def _suffixes(chosen: ImportFormat | None) -> str:
    names: dict[ImportFormat | None, str] = {
        ImportFormat.TEXT: "text file (.txt, .md)",
        ImportFormat.HTML: "HTML file (.html, .htm)",
    }
    return names.get(chosen, "text or HTML file (.txt, .md, .html, .htm)")


def _verdict(path: Path, status: ImportStatus, reason: str) -> ImportItem:
    return ImportItem(path, ImportFormat.AUTO, verdict=status, reason=reason)
