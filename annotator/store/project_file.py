"""Opening a project file: recognise it, refuse what is not ours, then migrate.

The checks read the raw header before SQLite opens the file for writing, so a foreign, newer or
damaged file is refused without a single byte of it changing.
"""

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from annotator.core.errors import AnnotatorError
from annotator.store.migrations import SCHEMA_VERSION, migrations

#: "ANNT": written into every project's header so other SQLite files are told apart.
APPLICATION_ID = 0x414E4E54
_MAGIC = b"SQLite format 3\x00"
_HEADER_SIZE = 100


class ProjectFileError(AnnotatorError):
    """The file cannot be used as a project; the message says why and what to do."""


def _header_int(header: bytes, offset: int) -> int:
    return int.from_bytes(header[offset : offset + 4], "big")


def inspect_project_file(path: Path) -> int:
    """The schema version of an existing project file, or 0 for a missing or empty file.

    Raises ProjectFileError for anything that is not an Annotator project we can open.
    """
    if not path.exists():
        return 0
    if path.is_dir():
        raise ProjectFileError(f"{path} is a folder, not a project file.")
    try:
        with path.open("rb") as handle:
            header = handle.read(_HEADER_SIZE)
    except OSError as exc:
        raise ProjectFileError(f"Cannot read {path}: {exc.strerror}.") from exc
    if not header:
        return 0
    if len(header) < _HEADER_SIZE or not header.startswith(_MAGIC):
        raise ProjectFileError(f"{path} is not an Annotator project (not a SQLite database).")
    if _header_int(header, 68) != APPLICATION_ID:
        raise ProjectFileError(
            f"{path} is a SQLite database of another application, not an Annotator project."
        )
    version = _read_user_version(path)
    if version > SCHEMA_VERSION:
        raise ProjectFileError(
            f"{path} was written by a newer version of Annotator (schema {version}; this "
            f"version reads up to {SCHEMA_VERSION}). Update Annotator to open it."
        )
    return version


def _read_user_version(path: Path) -> int:
    """Read through SQLite, which also proves the schema is readable. Without a WAL file the
    file is opened immutable, so not even a -shm file appears beside it; with one (a crash,
    or another window) SQLite must read the WAL too, and the side files exist already."""
    wal = path.with_name(path.name + "-wal")
    flags = "mode=ro" if wal.exists() and wal.stat().st_size else "mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ProjectFileError(f"{path} is damaged and cannot be opened: {exc}.") from exc


def open_project_database(path: Path) -> Database:
    """A migrated, ready connection to the project at ``path``, created if missing."""
    version = inspect_project_file(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = Database(path)
    except (OSError, sqlite3.Error) as exc:
        raise ProjectFileError(f"Cannot open {path}: {exc}.") from exc
    try:
        _configure(db, new=version == 0)
        if version and migrations.pending(db):
            backup_database(db, _backup_path(path, version))
        migrations.apply(db)
    except sqlite3.Error as exc:
        db.close()
        raise ProjectFileError(f"Cannot open {path}: {exc}.") from exc
    return db


def open_memory_database() -> Database:
    """An in-memory project for tests and previews, built by the same migrations."""
    db = Database(memory=True)
    _configure(db, new=True)
    migrations.apply(db)
    return db


def _configure(db: Database, *, new: bool) -> None:
    db.execute("PRAGMA trusted_schema = OFF")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 5000")
    if new:
        # Before WAL, so the id lands in the file header at once.
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("PRAGMA journal_mode = WAL")
    # FULL: a commit the window reports as saved survives a power cut, not only a crash.
    db.execute("PRAGMA synchronous = FULL")


def _backup_path(path: Path, version: int) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return path.with_name(f"{path.name}.schema{version}-{stamp}.bak")


def backup_database(db: Database, target: Path) -> Path:
    """A consistent copy through SQLite's backup API; copying a live WAL file is not safe."""
    target.parent.mkdir(parents=True, exist_ok=True)
    dest = sqlite3.connect(target)
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
    return target
