"""Sharing a codebook: export it to CSV or JSON and import it into another project.

Import only ever adds: a code whose kind and name (ignoring case) are already in the project
is kept as it is, and where the file gives it another colour or parent that difference is
reported, one line per code, instead of silently overwritten. The whole import is one
transaction, so a file with one bad row adds nothing at all. Codes are created through
CodebookService, so the codebook's own rules (colour form, shortcuts, parent loops, unique
names) apply, and their errors are reported with the row that caused them.

In CSV, cells a spreadsheet would run as formulas get a leading quote on export (the file is
meant to be edited in one) and lose it on import, so export then import is exact.
"""

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import AnnotatorError, ValidationError
from annotator.core.model import Code, CodeKind
from annotator.core.palette import is_colour
from annotator.services.codebook import CodebookService
from annotator.services.interchange.files import (
    FORMULA_TRIGGERS,
    atomic_text_file,
    refuse_project_file,
)
from annotator.store import Store

CODEBOOK_COLUMNS = ("kind", "name", "colour", "description", "shortcut", "parent", "organisation")
FORMATS = (".csv", ".json", ".qdc")
_ALIASES = {"color": "colour"}


@dataclass(frozen=True, slots=True)
class CodebookEntry:
    """One code as a file lists it, already checked on its own (not yet against the project)."""

    where: str  # "team.csv row 3", for error messages
    kind: CodeKind
    name: str
    colour: str | None = None
    description: str = ""
    shortcut: str | None = None
    parent: str | None = None
    organisation: str | None = None


@dataclass(frozen=True, slots=True)
class CodebookImport:
    added: tuple[Code, ...]
    unchanged: int  # already in the project, with the same colour and parent
    conflicts: tuple[str, ...]  # one line per code whose colour or parent differs (kept)


def codebook_format(path: Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValidationError(
            f"{Path(path).name}: use a .csv or .json file for a codebook (or .qdc, REFI-QDA's)."
        )
    return suffix


# -- export -------------------------------------------------------------------------------


def codebook_records(store: Store) -> list[dict[str, str]]:
    """Every code as a record of ``CODEBOOK_COLUMNS``, the parent by name, by kind and name."""
    codes = store.codes.all()
    names = {code.id: code.name for code in codes}
    return [
        {
            "kind": code.kind.value,
            "name": code.name,
            "colour": code.colour,
            "description": code.description,
            "shortcut": code.shortcut or "",
            "parent": names.get(code.parent_id or "", ""),
            "organisation": code.organisation or "",
        }
        for code in codes
    ]


def export_codebook(store: Store, path: Path) -> int:
    """Write the codebook to ``path`` (.csv, .json or REFI-QDA's .qdc); returns the number
    of codes."""
    path = Path(path)
    suffix = codebook_format(path)
    refuse_project_file(store, path)
    if suffix == ".qdc":
        # Imported here: lxml behind it stays off the window's start-up path.
        from annotator.services.interchange.refi.qdpx_codes import export_qdc

        return export_qdc(store, path)
    records = codebook_records(store)
    with atomic_text_file(path, newline="" if suffix == ".csv" else "\n") as handle:
        if suffix == ".csv":
            writer = csv.writer(handle)
            writer.writerow(CODEBOOK_COLUMNS)
            writer.writerows([_escape(r[c]) for c in CODEBOOK_COLUMNS] for r in records)
        else:
            json.dump(records, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
    return len(records)


def _escape(value: str) -> str:
    """Quote a would-be formula; quotes already in front are counted so that ``_unescape``
    inverts this exactly."""
    return "'" + value if value.lstrip("'").startswith(FORMULA_TRIGGERS) else value


def _unescape(value: str) -> str:
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


# -- reading ------------------------------------------------------------------------------


def read_codebook(path: Path) -> list[CodebookEntry]:
    """The checked entries of a codebook file; every error names the file and the row."""
    path = Path(path)
    suffix = codebook_format(path)
    if suffix == ".qdc":
        # Imported here: the REFI-QDA importer itself merges codes through this module.
        from annotator.services.interchange.refi.qdpx_import import codebook_entries

        return codebook_entries(path)
    text = _read_text(path)
    raw = _csv_records(path, text) if suffix == ".csv" else _json_records(path, text)
    entries: list[CodebookEntry] = []
    seen: dict[tuple[CodeKind, str], str] = {}
    for where, record in raw:
        entry = _entry(where, record)
        key = (entry.kind, entry.name.casefold())
        if key in seen:
            raise ValidationError(
                f"{where}: {entry.kind.value} {entry.name!r} is listed twice (also {seen[key]})."
            )
        seen[key] = where
        entries.append(entry)
    return entries


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # spreadsheets' "Unicode text"
        encoding = "utf-16"
    elif b"\x00" in data:
        raise ValidationError(f"{path.name} is a binary file, not a codebook.")
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"{path.name} is not UTF-8 text (byte {exc.start} cannot be read); "
            "save it as UTF-8 and try again."
        ) from exc
    if not text.strip():
        raise ValidationError(f"{path.name} is empty.")
    return text


def _csv_records(path: Path, text: str) -> Iterator[tuple[str, dict[str, object]]]:
    first_line = text.split("\n", 1)[0]
    # Spreadsheets in many locales save with ";" (or tabs) between cells.
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in next(reader)]
        _check_columns(f"{path.name} header", header, "column")
        for number, cells in enumerate(reader, start=2):
            where = f"{path.name} row {number}"
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                raise ValidationError(
                    f"{where} has {len(cells)} cells where the header has {len(header)}."
                )
            yield where, {k: _unescape(v) for k, v in zip(header, cells, strict=True)}
    except csv.Error as exc:
        where = f"{path.name} line {reader.line_num}"
        raise ValidationError(f"{where}: not valid CSV ({exc}).") from exc


def _json_records(path: Path, text: str) -> Iterator[tuple[str, dict[str, object]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"{path.name} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        ) from exc
    if not isinstance(data, list):
        raise ValidationError(f"{path.name} must hold a list of codes.")
    for number, item in enumerate(data, start=1):
        where = f"{path.name} item {number}"
        if not isinstance(item, dict):
            raise ValidationError(f"{where} must be an object with at least kind and name.")
        record = {_ALIASES.get(str(k).lower(), str(k).lower()): v for k, v in item.items()}
        _check_columns(where, list(record), "key")
        yield where, record


def _check_columns(where: str, columns: list[str], noun: str) -> None:
    unknown = [c for c in columns if c not in CODEBOOK_COLUMNS]
    if unknown:
        raise ValidationError(
            f"{where} has unknown {noun}s: {', '.join(unknown)} "
            f"(known: {', '.join(CODEBOOK_COLUMNS)})."
        )
    doubled = sorted({c for c in columns if columns.count(c) > 1})
    if doubled:
        raise ValidationError(f"{where} names {doubled[0]!r} twice.")
    missing = [c for c in ("kind", "name") if c not in columns]
    if missing:
        raise ValidationError(f"{where} lacks the {noun} {missing[0]!r}.")


def _entry(where: str, record: dict[str, object]) -> CodebookEntry:
    fields: dict[str, str] = {}
    for key, value in record.items():
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValidationError(f"{where}: {key!r} must be text.")
        fields[key] = str(value).strip()
    kind_text = fields.get("kind", "").lower()
    if kind_text not in {k.value for k in CodeKind}:
        raise ValidationError(
            f"{where}: unknown kind {fields.get('kind', '')!r} (use issue or speaker)."
        )
    kind = CodeKind(kind_text)
    name = fields.get("name", "")
    if not name:
        raise ValidationError(f"{where} has no name.")
    colour = fields.get("colour") or None
    if colour is not None and not is_colour(colour):
        raise ValidationError(f"{where}: colour {colour!r} is not of the form #rrggbb.")
    parent = fields.get("parent") or None
    if parent is not None and kind is not CodeKind.ISSUE:
        raise ValidationError(f"{where}: only issues can have a parent issue.")
    if parent is not None and parent.casefold() == name.casefold():
        raise ValidationError(f"{where}: {name!r} cannot be its own parent.")
    return CodebookEntry(
        where=where,
        kind=kind,
        name=name,
        colour=colour,
        description=fields.get("description", ""),
        shortcut=fields.get("shortcut") or None,
        parent=parent,
        organisation=fields.get("organisation") or None,
    )


# -- import -------------------------------------------------------------------------------


def import_codebook(store: Store, path: Path) -> CodebookImport:
    """Add the file's missing codes to the project, all or nothing (see the module doc)."""
    return merge_codebook_entries(store, read_codebook(path))


def merge_codebook_entries(store: Store, entries: list[CodebookEntry]) -> CodebookImport:
    """Add the entries whose kind and name are new; parents may be listed after children
    and may be codes the project already has. Existing codes are never changed."""
    codebook = CodebookService(store)
    added: list[tuple[CodebookEntry, Code]] = []
    conflicts: list[str] = []
    unchanged = 0
    with store.atomic():
        for entry in entries:
            existing = store.codes.by_name(entry.kind, entry.name)
            if existing is not None:
                difference = _difference(store, entry, existing)
                if difference:
                    conflicts.append(difference)
                else:
                    unchanged += 1
                continue
            with _naming_row(entry):
                change = codebook.create(
                    entry.kind,
                    entry.name,
                    colour=entry.colour,
                    description=entry.description,
                    shortcut=entry.shortcut,
                    organisation=entry.organisation,
                )
            assert change.code is not None
            added.append((entry, change.code))
        for entry, code in added:
            if entry.parent is None:
                continue
            parent = store.codes.by_name(CodeKind.ISSUE, entry.parent)
            if parent is None:
                raise ValidationError(
                    f"{entry.where}: the parent {entry.parent!r} is not an issue in the file "
                    "or the project."
                )
            with _naming_row(entry):
                codebook.reparent(code.id, parent.id)
    return CodebookImport(
        added=tuple(store.codes.get(code.id) for _, code in added),
        unchanged=unchanged,
        conflicts=tuple(conflicts),
    )


@contextmanager
def _naming_row(entry: CodebookEntry) -> Iterator[None]:
    """The codebook's own errors (shortcut taken, parent loop, ...) with the file's row."""
    try:
        yield
    except AnnotatorError as exc:
        raise ValidationError(f"{entry.where}: {exc}") from exc


def _difference(store: Store, entry: CodebookEntry, existing: Code) -> str | None:
    """One summary line if the file's colour or parent differs from the project's."""
    parts = []
    if entry.colour is not None and entry.colour.lower() != existing.colour.lower():
        parts.append(f"colour {entry.colour} in the file, {existing.colour} in the project")
    if entry.kind is CodeKind.ISSUE:
        current = store.codes.get(existing.parent_id).name if existing.parent_id else None
        if (entry.parent or "").casefold() != (current or "").casefold():
            parts.append(
                f"parent {_named(entry.parent)} in the file, {_named(current)} in the project"
            )
    if not parts:
        return None
    return (
        f"{existing.kind.value} {existing.name!r} differs: {'; '.join(parts)} (kept the project's)"
    )


def _named(name: str | None) -> str:
    return repr(name) if name else "none"
