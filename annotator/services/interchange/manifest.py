"""The manifest: a CSV file that lists the files to import with their metadata.

Its header is ``file,title,source,published,author,url``; only ``file`` is required, the other
columns may be left out or left blank. ``file`` is relative to the manifest's folder (or
absolute) and must stay inside that folder, symbolic links followed: a shared manifest must not
import a reader's private files (``../../.ssh/config``, ``/etc/hostname``) into a project that
travels to teammates by merge. Any other column is an article variable (its header the name,
each cell the article's value; blank cells give the article none); a column whose header cannot
name a variable (a fixed article column such as ``status``, a control character) is ignored and
reported once, and a manifest of more than MAX_PER_ARTICLE variable columns is refused. The
file must be UTF-8 (a spreadsheet's "CSV UTF-8", with or without its byte-order mark); a header
with semicolons or tabs instead of commas is read with that delimiter, as European spreadsheets
write them.

A bad row (a file outside the folder, a missing file, a row whose length differs from the
header's, no ``file`` value, a file listed twice) is rejected on its own; a manifest that cannot
be read at all (not UTF-8, not CSV, no ``file`` column) is rejected as a whole. Either way the
rest of the import goes on.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import ValidationError
from annotator.core.variables import MAX_PER_ARTICLE, check_name
from annotator.services.interchange.article_files import describe_error, leaves_folder, read_capped
from annotator.services.interchange.import_types import (
    ArticleMetadata,
    ImportFormat,
    ImportItem,
    ImportStatus,
)

MANIFEST_COLUMNS = ("file", "title", "source", "published", "author", "url")
_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    path: Path  # as the manifest names it, joined to the manifest's folder
    metadata: ArticleMetadata
    line: int
    variables: tuple[tuple[str, str], ...] = ()  # (name, value), blank values left out


@dataclass(frozen=True, slots=True)
class Manifest:
    entries: tuple[ManifestEntry, ...]
    problems: tuple[ImportItem, ...]  # items already skipped or rejected, one per problem


def read_manifest(path: Path) -> Manifest:
    """The manifest's usable rows and one item per problem. Never raises: a manifest that
    cannot be read (or trips a bug) is one problem, and the rest of the import goes on."""
    try:
        return _read(path)
    except OSError as exc:
        reason = f"cannot read the file ({exc.strerror or exc})"
    except Exception as exc:
        reason = f"unexpected error ({describe_error(exc)})"
    return Manifest((), (_problem(path, f"manifest not imported: {reason}"),))


def _read(path: Path) -> Manifest:
    try:
        rows, raw_header = _rows(path)
    except ValidationError as exc:
        return Manifest((), (_problem(path, f"manifest not imported: {exc}"),))
    header = [name.strip().lower() for name in raw_header]
    problem = _header_problem(header)
    if problem:
        return Manifest((), (_problem(path, f"manifest not imported: {problem}"),))
    problems: list[ImportItem] = []
    variables, ignored = _variable_columns(raw_header, header)
    if len(variables) > MAX_PER_ARTICLE:
        reason = f"{len(variables)} variable columns; the limit is {MAX_PER_ARTICLE}"
        return Manifest((), (_problem(path, f"manifest not imported: {reason}"),))
    if ignored:
        problems.append(
            _problem(path, f"manifest columns ignored: {' '.join(ignored)}", ImportStatus.SKIPPED)
        )
    entries: list[ManifestEntry] = []
    root = path.parent.resolve()
    first_line: dict[Path, int] = {}
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue  # blank lines, e.g. at the end of a hand-edited file
        where = f"{path.name} line {line}"
        if len(row) != len(header):
            problems.append(_problem(path, f"{where}: {len(row)} values for {len(header)} columns"))
            continue
        values = dict(zip(header, row, strict=True))
        named = values["file"].strip()
        if not named:
            problems.append(_problem(path, f"{where}: no file named"))
            continue
        target = path.parent / named
        escape = leaves_folder(target, root, "the manifest's folder")
        if escape:
            problems.append(_problem(target, f"{where}: {escape}"))
            continue
        if not target.exists():
            problems.append(_problem(target, f"{where}: file not found"))
            continue
        if target.is_dir():
            problems.append(_problem(target, f"{where}: a folder; the manifest lists files"))
            continue
        key = target.resolve()
        if key in first_line:
            problems.append(
                _problem(target, f"{where}: listed again (line {first_line[key]} is used)")
            )
            continue
        first_line[key] = line
        metadata = ArticleMetadata.from_mapping({k: values.get(k) for k in MANIFEST_COLUMNS[1:]})
        given = tuple((name, row[i].strip()) for i, name in variables.items() if row[i].strip())
        entries.append(ManifestEntry(target, metadata, line, given))
    return Manifest(tuple(entries), tuple(problems))


def _rows(path: Path) -> tuple[list[tuple[int, list[str]]], list[str]]:
    """(line number, cells) of every row after the header, and the header's cells."""
    data = read_capped(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError("not UTF-8 text (save it as 'CSV UTF-8')") from exc
    first = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise ValidationError(f"not a readable CSV file ({exc})") from exc
    return rows, header


def _variable_columns(raw_header: list[str], header: list[str]) -> tuple[dict[int, str], list[str]]:
    """The columns that are variables (index → name as written, trimmed), and why each of the
    other unknown columns is ignored."""
    variables: dict[int, str] = {}
    ignored: list[str] = []
    for index, (raw, name) in enumerate(zip(raw_header, header, strict=True)):
        if name in MANIFEST_COLUMNS:
            continue
        try:
            variables[index] = check_name(raw)
        except ValidationError as exc:
            ignored.append(f"{raw.strip()!r} ({str(exc).rstrip('.')})")
    return variables, ignored


def _header_problem(header: list[str]) -> str | None:
    if "file" not in header:
        return f"no 'file' column; the header must be {','.join(MANIFEST_COLUMNS)}"
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        return f"column {', '.join(repr(n) for n in repeated)} appears more than once"
    return None


def _problem(path: Path, reason: str, status: ImportStatus = ImportStatus.REJECTED) -> ImportItem:
    return ImportItem(path, ImportFormat.AUTO, verdict=status, reason=reason)
