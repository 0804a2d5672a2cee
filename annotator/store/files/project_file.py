"""Opening a project file: recognise it, refuse what is not ours, then migrate.

The checks read the raw header and the schema through a read-only connection before SQLite
opens the file for writing, so a foreign, newer, damaged or tampered file is refused without a
single byte of it changing. A project file may come from someone else: besides
``trusted_schema = OFF``, which stops the schema from calling unsafe functions, every table,
index, trigger and view must be one the migrations create, SQL for SQL, so no planted or
rewritten trigger ever runs. A full disk is told apart from damage: nothing is lost then.
"""

import contextlib
import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from annotator.store.coverage_summary import refresh_stale
from annotator.store.files.backups import backup_path, migration_label, write_backup
from annotator.store.files.clean_close import (
    closed_cleanly,
    forget_clean_close,
    record_clean_close,
)
from annotator.store.files.errors import (
    DiskFullError,
    ProjectFileError,
    ProjectReadOnlyError,
    WriteError,
)
from annotator.store.files.schema_vetting import vet_schema
from annotator.store.files.writer_turns import WriterTurns, writer_turns_for
from annotator.store.migrations import SCHEMA_VERSION, migrations

#: "ANNT": written into every project's header so other SQLite files are told apart.
APPLICATION_ID = 0x414E4E54
_MAGIC = b"SQLite format 3\x00"
_HEADER_SIZE = 100


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
    _refuse_truncated(path, header)
    try:
        conn = connect_read_only(path)
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version <= SCHEMA_VERSION:
                vet_schema(conn, path, version)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if _disk_full(exc):
            raise _disk_full_on_open(path) from exc
        raise ProjectFileError(f"{path} is damaged and cannot be opened: {exc}.") from exc
    if version > SCHEMA_VERSION:
        raise ProjectFileError(
            f"{path} was written by a newer version of Annotator (schema {version}; this "
            f"version reads up to {SCHEMA_VERSION}). Update Annotator to open it."
        )
    return version


def _refuse_truncated(path: Path, header: bytes) -> None:
    """The header records how many pages the file holds (valid when its "version valid for"
    matches the change counter); a shorter file was cut off, by an unfinished copy, say.

    Not with a WAL beside it: a checkpoint copies pages from the WAL in page order, page 1
    (the header) first, so one killed, or stopped by a full disk, leaves a header that counts
    pages still only in the WAL. SQLite reads those from the WAL (and finishes the checkpoint
    later); ``quick_check``, which then always runs, says whether anything is missing."""
    if _has_wal(path):
        return
    page_size = int.from_bytes(header[16:18], "big")
    expected = _header_int(header, 28) * (65536 if page_size == 1 else page_size)
    size = path.stat().st_size
    if _header_int(header, 92) == _header_int(header, 24) and size < expected:
        raise ProjectFileError(
            f"{path} is truncated ({size:,} of {expected:,} bytes): it was cut short, perhaps "
            "by an unfinished copy or download. Copy it again, or restore a backup."
        )


def _has_wal(path: Path) -> bool:
    """Whether a non-empty WAL lies beside ``path``: commits that may not be in the file yet."""
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except OSError:
        return False


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write. Without a WAL file the file is opened immutable, so not
    even a -shm file appears beside it; with one (a crash, or another window) SQLite must read
    the WAL too, and the side files exist already."""
    flags = "mode=ro" if _has_wal(path) else "mode=ro&immutable=1"
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True)
    conn.execute("PRAGMA trusted_schema = OFF")
    return conn


# -- the schema a file must have -------------------------------------------------------------


# -- opening -----------------------------------------------------------------------------------


def check_writable(path: Path) -> None:
    """Refuse a project that cannot be written before anything is tried. Every edit is saved
    into the file at once, and SQLite writes its journal, and Annotator its lock and backups,
    beside it: a read-only file or folder could only fail later, halfway through something."""
    if path.exists() and not os.access(path, os.W_OK):
        raise ProjectReadOnlyError(
            f"{path} is read-only. Annotator saves every edit into the project file at once, "
            "so it opens only files it may change: make it writable, or copy it to a folder "
            "of yours and open the copy."
        )
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ProjectReadOnlyError(
            f"{path} is in a read-only folder ({folder}). Annotator writes beside the project "
            "too (its journal, lock file and backups): copy the project to a folder you can "
            "write to and open the copy."
        )


def open_project_database(path: Path) -> "ProjectDatabase":
    """A migrated, ready connection to the project at ``path``, created if missing."""
    version = inspect_project_file(path)
    check_writable(path)
    unchanged = closed_cleanly(path)  # before SQLite opens it and starts a journal
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = ProjectDatabase(path)
    except (OSError, sqlite3.Error) as exc:
        if _disk_full(exc):
            raise _disk_full_on_open(path) from exc
        raise ProjectFileError(f"Cannot open {path}: {exc}.") from exc
    try:
        vet_schema(db.conn, path, version)  # again: the file may have changed since inspection
        if not unchanged:
            _refuse_damaged(db, path)
        _configure(db, new=version == 0)
        if version and migrations.pending(db):
            write_backup(db.conn, backup_path(path, migration_label(version)))
        migrations.apply(db)
        db.migrated = True
        with db.atomic():
            refresh_stale(db)  # migration 0003 leaves every article's summary to compute
    except BaseException as exc:
        db.close()
        if isinstance(exc, Exception) and _disk_full(exc):  # a migration, its backup, a summary
            raise _disk_full_on_open(path) from exc
        if isinstance(exc, sqlite3.Error):
            raise ProjectFileError(f"Cannot open {path}: {exc}.") from exc
        raise
    return db


def _refuse_damaged(db: Database, path: Path) -> None:
    """Read every page once (about 0.1 s for 30 MB): a damaged file is refused at the door
    rather than failing halfway through someone's work, or spreading the damage by writes."""
    try:
        verdict = [row[0] for row in db.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as exc:  # so damaged that the check itself cannot finish
        if _disk_full(exc):  # or no room for the WAL's index: not damage
            raise _disk_full_on_open(path) from exc
        verdict = [str(exc)]
    if verdict != ["ok"]:
        raise ProjectFileError(
            f"{path} is damaged ({verdict[0]}). Restore a backup: 'annotator restore' lists them."
        )


def open_memory_database() -> "ProjectDatabase":
    """An in-memory project for tests and previews, built by the same migrations."""
    db = ProjectDatabase(memory=True)
    _configure(db, new=True)
    migrations.apply(db)
    db.migrated = True
    return db


def _configure(db: Database, *, new: bool) -> None:
    db.execute("PRAGMA trusted_schema = OFF")
    # Checks each database page as it is read, so a crafted file cannot mislead SQLite.
    db.execute("PRAGMA cell_size_check = ON")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 5000")
    if new:
        # Before WAL, so the id lands in the file header at once.
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("PRAGMA journal_mode = WAL")
    # FULL: a commit the window reports as saved survives a power cut, not only a crash.
    db.execute("PRAGMA synchronous = FULL")


def backup_database(db: Database, target: Path) -> Path:
    """A consistent, checked copy through SQLite's backup API; copying a live WAL file is not
    safe. See annotator.store.files.backups."""
    return write_backup(db.conn, target)


def backup_file(path: Path, target: Path) -> Path:
    """The same, read through a read-only connection of its own, opened and closed in the
    calling thread: a copy taken on another thread while the project's connection goes on
    writing. The copy is one step of the backup API, so it is the snapshot of one moment
    (in WAL mode a reader does not stop writers)."""
    try:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise ProjectFileError(f"Cannot read {path} to back it up: {exc}.") from exc
    try:
        return write_backup(source, target)
    finally:
        source.close()


# -- writing -----------------------------------------------------------------------------------

#: SQLite's primary result codes for a write that failed for a reason outside the program.
_WRITE_FAILURES = {
    5: "another program is holding the project file",  # SQLITE_BUSY
    6: "another program is holding the project file",  # SQLITE_LOCKED
    8: "the project file or its folder is read-only",  # SQLITE_READONLY
    10: "the disk reported an error",  # SQLITE_IOERR
    11: "the project file is damaged (run 'annotator check', or restore a backup)",  # CORRUPT
    13: "the disk is full",  # SQLITE_FULL
    14: "the project file or its journal cannot be opened (was it moved?)",  # CANTOPEN
    26: "the project file is damaged (run 'annotator check', or restore a backup)",  # NOTADB
}


#: SQLite's result codes that mean the file itself is damaged (SQLITE_CORRUPT, SQLITE_NOTADB).
_DAMAGE = {11, 26}
#: SQLITE_FULL: the disk (or the user's quota) is full.
_FULL = 13


def _disk_full(exc: BaseException) -> bool:
    """Whether ``exc``, or an error it was raised from, is a full disk (SQLite's SQLITE_FULL,
    or the system's ENOSPC or EDQUOT): something to free space for, not damage."""
    full = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, DiskFullError) or (isinstance(cause, OSError) and cause.errno in full):
            return True
        if getattr(cause, "sqlite_errorcode", 0) & 0xFF == _FULL:
            return True
        cause = cause.__cause__
    return False


def _disk_full_on_open(path: Path) -> DiskFullError:
    return DiskFullError(
        f"The disk is full, so {path} could not be opened: free some space and open the "
        "project again. Nothing was lost."
    )


class ProjectDatabase(Database):
    """sqlite-utils' Database whose outermost transaction reports a failed write in words.

    Every write of the store runs inside ``atomic()``; when SQLite cannot write (a full disk,
    a read-only file), the transaction is rolled back as before and WriteError explains what
    happened, so the window and the CLI can show it instead of a traceback. The outermost
    transaction waits for its turn among this process's connections to the same file.
    """

    _turns: WriterTurns | None = None  # none for a database in memory

    def __init__(self, path: Path | None = None, *, memory: bool = False) -> None:
        super().__init__(path, memory=memory)
        self.path = path
        self.migrated = False  # until then the coverage summary's tables may not exist
        self.suspect = False  # damage was seen: never record this session's close as clean
        if path is not None:
            self._turns = writer_turns_for(path)

    def close(self) -> None:
        super().close()
        if self.path is not None and self.migrated and not self.suspect:
            record_clean_close(self.path)

    def distrust(self) -> None:
        """Damage was seen (a read or write SQLite called corrupt, a backup that failed its
        check): the next open reads every page again, and this session's close will not say
        otherwise."""
        self.suspect = True
        if self.path is not None:
            forget_clean_close(self.path)

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        outermost = not self.conn.in_transaction
        turn = self._turns.turn() if outermost and self._turns else contextlib.nullcontext()
        try:
            with turn, super().atomic():
                yield self
                if outermost and self.migrated:  # the summary commits with what it counts
                    refresh_stale(self)
        except sqlite3.IntegrityError:
            raise  # a broken rule of the schema, not a failed write
        except sqlite3.DatabaseError as exc:
            code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
            if code in _DAMAGE:
                self.distrust()
            reason = _WRITE_FAILURES.get(code)
            if not outermost or reason is None:
                raise
            where = self.path.name if self.path else "the project"
            raise (DiskFullError if code == _FULL else WriteError)(
                f"Not saved: {reason} ({where}: {exc}). The change was undone as a whole; the "
                "project is as it was before it."
            ) from exc
