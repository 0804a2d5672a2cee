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
import functools
import hashlib
import json
import os
import re
import sqlite3
import threading
import weakref
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import platformdirs
from sqlite_utils import Database

from annotator.core.errors import AnnotatorError
from annotator.store.coverage_summary import refresh_stale
from annotator.store.files.backups import backup_path, migration_label, write_backup
from annotator.store.migrations import SCHEMA_VERSION, migrations

#: "ANNT": written into every project's header so other SQLite files are told apart.
APPLICATION_ID = 0x414E4E54
_MAGIC = b"SQLite format 3\x00"
_HEADER_SIZE = 100


class ProjectFileError(AnnotatorError):
    """The file cannot be used as a project; the message says why and what to do."""


class ProjectReadOnlyError(ProjectFileError):
    """The project file, or the folder it is in, cannot be written."""


class UntrustedSchemaError(ProjectFileError):
    """The file holds tables, triggers or views that Annotator did not create."""


class WriteError(ProjectFileError):
    """A change could not be written (full disk, read-only file, I/O error). The transaction
    was rolled back, so the project is exactly as it was before the change."""


class DiskFullError(WriteError):
    """The disk is full. Nothing is damaged, so the message never sends anyone to a backup:
    what was committed is in the file and its journal, and freeing space is the cure."""


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

#: (type, table, SQL) by name. The SQL is the whole definition: a table's columns, CHECK and
#: foreign-key clauses, an index's columns and WHERE, a trigger's or a view's body. SQLite
#: builds the schema from exactly this text, so an object whose text is ours behaves as ours.
Schema = dict[str, tuple[str, str, str | None]]

#: The tables SQLite itself adds (ANALYZE, AUTOINCREMENT), as SQLite defines them: they hold
#: numbers, no code. SQLite reserves these names, so another definition of one was written
#: past SQLite's own rules, and is refused like any object that is not ours.
_SQLITE_TABLES = {
    "sqlite_stat1": "CREATE TABLE sqlite_stat1(tbl,idx,stat)",
    "sqlite_stat4": "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)",
    "sqlite_sequence": "CREATE TABLE sqlite_sequence(name,seq)",
}

#: What SQLite reads as written (string literals, quoted names) and what it skips between
#: tokens (whitespace as SQLite defines it, and comments).
_SQL_PARTS = re.compile(
    r"""(?P<kept>'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\])"""
    r"""|(?:[ \t\n\f\r]+|--[^\n]*|/\*.*?(?:\*/|\Z))+""",
    re.DOTALL,
)


def normalised_sql(sql: str | None) -> str | None:
    """``sql`` with each run of whitespace and comments between tokens made one space, and
    literals and quoted names left exactly as written: two texts that normalise alike are the
    same tokens to SQLite. Nothing else is normalised (case, quoting), since the migrations'
    own output already compares equal: SQLite stores the statements as they ran."""
    if sql is None:
        return None
    return _SQL_PARTS.sub(lambda part: part["kept"] or " ", sql).strip()


def schema_of(conn: sqlite3.Connection) -> Schema:
    """Every object in the file by name, with its whole definition. Reading the schema runs
    nothing in it. A trigger may share another object's name, so ``vet_schema`` refuses a
    repeated name before it compares this."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    return {name: (kind, table, normalised_sql(sql)) for kind, name, table, sql in rows}


@functools.cache
def expected_schema(version: int) -> Schema:
    """What a file of schema ``version`` holds: built in memory by the same migrations, so a
    migration added later is checked without anyone listing its objects here."""
    db = Database(memory=True)
    names = [m.name for m in migrations.pending(db)]  # an empty database: every migration
    migrations.apply(db, stop_before=names[version] if version < len(names) else None)
    schema = schema_of(db.conn)
    db.close()
    return schema


def _comparable(schema: Schema) -> Schema:
    """The schema without what sqlite-utils decides about its own bookkeeping table (its
    columns and indexes), which may differ between its versions; ``_vet_bookkeeping`` makes
    sure that they hold no code. The table's name and type are still compared, and any
    trigger or view, whatever it is on, must be one of ours."""
    bookkeeping = migrations.migrations_table
    return {
        name: (kind, table, None if (kind, name) == ("table", bookkeeping) else sql)
        for name, (kind, table, sql) in schema.items()
        if not (kind == "index" and table == bookkeeping)
    }


def vet_schema(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Refuse a file whose schema is not exactly what the migrations create for ``version``:
    a trigger with one of our names but another body runs as surely as a new one."""
    (repeated,) = conn.execute(
        "SELECT min(name) FROM (SELECT name FROM sqlite_master GROUP BY name HAVING count(*) > 1)"
    ).fetchone()
    if repeated is not None:  # a trigger may share a table's name, and hide behind it
        raise UntrustedSchemaError(
            f"{path} has been altered: it holds two objects named {repeated!r}, so the file is "
            "not opened; ask for a clean copy, or restore a backup."
        )
    found = schema_of(conn)
    expected = expected_schema(version)
    _vet_bookkeeping(conn, path, found)
    found, expected = _comparable(found), _comparable(expected)
    for name, (kind, _table, sql) in sorted(found.items()):
        if kind == "table" and name in _SQLITE_TABLES and sql == _SQLITE_TABLES[name]:
            continue
        if name not in expected:
            raise UntrustedSchemaError(
                f"{path} contains a {kind} {name!r} that Annotator did not create. A file can "
                "be altered to run hidden commands when it is edited, so this one is not "
                "opened; ask for a clean copy, or restore a backup."
            )
        if found[name] != expected[name]:
            raise UntrustedSchemaError(
                f"{path} has been altered: its {kind} {name!r} differs from the one Annotator "
                "creates, so the file is not opened; ask for a clean copy, or restore a backup."
            )
    missing = sorted(set(expected) - set(found))
    if missing and version > 0:  # a version-0 file may hold the start of an interrupted build
        raise ProjectFileError(f"{path} is damaged: {missing[0]!r} is missing.")


def _vet_bookkeeping(conn: sqlite3.Connection, path: Path, found: Schema) -> None:
    """sqlite-utils' bookkeeping table and its indexes are not compared with ours, so they
    must be plain: an ordinary table with no CHECK, DEFAULT, generated column or foreign key,
    and indexes on its columns alone (no expression, no WHERE). Whatever sqlite-utils created
    passes; an expression hidden there would run when a migration is recorded."""
    bookkeeping = migrations.migrations_table
    entry = found.get(bookkeeping)
    if entry is None or entry[0] != "table":
        return  # absent, or not a table: the comparison refuses the latter
    sql = entry[2] or ""
    words = set(re.findall(r"[A-Z_][A-Z0-9_$]*", _SQL_PARTS.sub(" ", sql).upper()))  # bare
    columns = conn.execute(
        "SELECT dflt_value, hidden FROM pragma_table_xinfo(?)", [bookkeeping]
    ).fetchall()
    plain = (
        sql.upper().startswith("CREATE TABLE ")
        and not {"CHECK", "DEFAULT", "AS", "GENERATED", "REFERENCES"} & words
        and all(default is None and hidden == 0 for default, hidden in columns)
        and not conn.execute("SELECT 1 FROM pragma_foreign_key_list(?)", [bookkeeping]).fetchone()
    )
    for name, partial in conn.execute(
        "SELECT name, partial FROM pragma_index_list(?)", [bookkeeping]
    ).fetchall():
        expressions = conn.execute(
            "SELECT 1 FROM pragma_index_xinfo(?) WHERE cid = -2", [name]
        ).fetchone()
        plain = plain and not partial and expressions is None
    if not plain:
        raise UntrustedSchemaError(
            f"{path} has been altered: its table {bookkeeping!r} is not the one Annotator "
            "creates, so the file is not opened; ask for a clean copy, or restore a backup."
        )


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


def _close_stamp(path: Path) -> Path:
    """In the user's cache folder, named by the file's absolute path: nothing is written
    beside the project, and losing the cache costs one check."""
    key = hashlib.sha256(str(path.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return platformdirs.user_cache_path("Annotator", appauthor=False) / "closed" / key[:32]


def _file_identity(path: Path) -> dict[str, int]:
    info = path.stat()
    return {"size": info.st_size, "mtime_ns": info.st_mtime_ns, "inode": info.st_ino,
            "device": info.st_dev}  # fmt: skip


def closed_cleanly(path: Path) -> bool:
    """Whether the file is exactly as Annotator left it when it last closed it: no journal
    beside it, and the same size, time and inode as recorded then. Such a file was checked
    when it was opened before, so ``quick_check`` (about 3 s per GB) is skipped; a file that
    was copied in, restored, synced, edited by another tool or left by a crash is checked.
    Damage from the disk itself between two sessions is found by the daily backup, which
    checks its copy."""
    if Path(f"{path}-wal").exists() or Path(f"{path}-journal").exists():
        return False
    try:
        recorded = json.loads(_close_stamp(path).read_text(encoding="utf-8"))
        return bool(recorded == _file_identity(path))
    except (OSError, ValueError):
        return False


def forget_clean_close(path: Path) -> None:
    with contextlib.suppress(OSError):
        _close_stamp(path).unlink(missing_ok=True)


def _record_clean_close(path: Path) -> None:
    """After the last connection closed: SQLite has folded the journal into the file."""
    if Path(f"{path}-wal").exists() or not path.exists():
        return
    stamp = _close_stamp(path)
    with contextlib.suppress(OSError):  # only a check is skipped next time, never data lost
        stamp.parent.mkdir(parents=True, exist_ok=True)
        partial = stamp.with_name(stamp.name + ".partial")
        partial.write_text(json.dumps(_file_identity(path)), encoding="utf-8")
        partial.replace(stamp)


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


#: How long a writer waits for its turn before SQLite's own busy timeout has the last word.
_TURN_SECONDS = 5.0


class _WriterTurns:
    """The connections of this process to one project file write in turns, in the order
    they asked: the window's and a worker thread's (an import, a merge).

    SQLite's busy timeout alone does not share a file between two connections: a transaction
    that has read before it writes is refused at once (SQLITE_BUSY, no waiting) while the other
    connection holds the write lock, and a writer that commits and begins again at once (an
    import's batches) would starve one that polls for the lock. A thread already writing on one
    connection is not made to wait for itself on another (SQLite then decides, as before).
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._waiting: deque[object] = deque()
        self._owner: int | None = None
        self._depth = 0

    @contextmanager
    def turn(self) -> Iterator[None]:
        mine = self._acquire()
        try:
            yield
        finally:
            if mine:
                self._release()

    def _acquire(self) -> bool:
        me = threading.get_ident()
        with self._changed:
            if self._owner == me:
                self._depth += 1
                return True
            ticket = object()
            self._waiting.append(ticket)
            if self._changed.wait_for(
                lambda: self._owner is None and self._waiting[0] is ticket, _TURN_SECONDS
            ):
                self._waiting.popleft()
                self._owner, self._depth = me, 1
                return True
            self._waiting.remove(ticket)  # waited too long: SQLite's busy timeout decides
            self._changed.notify_all()
            return False

    def _release(self) -> None:
        with self._changed:
            self._depth -= 1
            if self._depth == 0:
                self._owner = None
                self._changed.notify_all()


_TURNS: "weakref.WeakValueDictionary[str, _WriterTurns]" = weakref.WeakValueDictionary()
_TURNS_GUARD = threading.Lock()


def _writer_turns(path: Path) -> _WriterTurns:
    """The one turn-keeper of this file in this process, shared by all its connections."""
    key = os.path.normcase(os.path.realpath(path))
    with _TURNS_GUARD:
        turns = _TURNS.get(key)
        if turns is None:
            turns = _TURNS[key] = _WriterTurns()
        return turns


class ProjectDatabase(Database):
    """sqlite-utils' Database whose outermost transaction reports a failed write in words.

    Every write of the store runs inside ``atomic()``; when SQLite cannot write (a full disk,
    a read-only file), the transaction is rolled back as before and WriteError explains what
    happened, so the window and the CLI can show it instead of a traceback. The outermost
    transaction waits for its turn among this process's connections to the same file.
    """

    _turns: _WriterTurns | None = None  # none for a database in memory

    def __init__(self, path: Path | None = None, *, memory: bool = False) -> None:
        super().__init__(path, memory=memory)
        self.path = path
        self.migrated = False  # until then the coverage summary's tables may not exist
        self.suspect = False  # damage was seen: never record this session's close as clean
        if path is not None:
            self._turns = _writer_turns(path)

    def close(self) -> None:
        super().close()
        if self.path is not None and self.migrated and not self.suspect:
            _record_clean_close(self.path)

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


# -- reading only ------------------------------------------------------------------------------

#: SQLite's primary result code for a write refused by ``mode=ro`` or ``query_only``.
_SQLITE_READONLY = 8


class ReadOnlyProjectError(ProjectReadOnlyError):
    """A change was tried through a project opened for reading only."""


def open_read_only_database(path: Path) -> "ReadOnlyDatabase":
    """A connection that can only read the project at ``path``, for commands that never change
    it: it takes no lock, migrates nothing, backs nothing up and creates nothing beside the
    file, so it works while a window or another command has the project open.

    The file is vetted as for writing (``inspect_project_file``) and must be of this version:
    an older one needs a migration, which only a writer does. While a writer has the project
    open its -wal and -shm files exist, and SQLite reads through them as a second process
    would; without them (the file closed cleanly) it is read ``immutable``, which creates no
    file but assumes no one writes meanwhile, so ``changed_while_read`` checks that afterwards.
    The whole connection reads one snapshot: a read transaction stays open until ``close``.
    """
    if not path.exists():
        raise ProjectFileError(f"There is no project at {path}.")
    version = inspect_project_file(path)
    if version == 0:
        raise ProjectFileError(
            f"{path} is not a project yet (it is empty, or its creation was interrupted). "
            "Open it in the window, or import into it, to make it one."
        )
    if version < SCHEMA_VERSION:
        raise ProjectFileError(
            f"{path} was written by an older version of Annotator (schema {version}; this "
            f"version uses {SCHEMA_VERSION}) and must be upgraded before it can be read. Open "
            "it once in the window (or with a command that changes it, such as import); it is "
            "backed up first."
        )
    in_use = (
        Path(f"{path}-shm").exists()
        or Path(f"{path}-journal").exists()
        or (Path(f"{path}-wal").exists() and Path(f"{path}-wal").stat().st_size > 0)
    )
    identity = None if in_use else _file_identity(path)  # before a single page is read
    flags = "mode=ro" if in_use else "mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True)
    except sqlite3.Error as exc:
        raise ProjectFileError(f"Cannot read {path}: {exc}.") from exc
    try:
        for pragma in ("query_only = ON", "trusted_schema = OFF", "cell_size_check = ON"):
            conn.execute(f"PRAGMA {pragma}")
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("BEGIN")  # one snapshot for everything the command reads
        if int(conn.execute("PRAGMA user_version").fetchone()[0]) != version:
            raise ProjectFileError(f"{path} changed as it was opened; try again.")
        vet_schema(conn, path, version)  # again, in the snapshot that will be read
    except sqlite3.Error as exc:
        conn.close()
        raise ProjectFileError(f"Cannot read {path}: {exc}.") from exc
    except BaseException:
        conn.close()
        raise
    return ReadOnlyDatabase(path, conn, identity)


class ReadOnlyDatabase(ProjectDatabase):
    """A project opened by ``open_read_only_database``: a change through it raises
    ReadOnlyProjectError and leaves the file as it was (SQLite refuses every write)."""

    path: Path  # always a file, never in memory

    def __init__(
        self, path: Path, conn: sqlite3.Connection, identity: dict[str, int] | None
    ) -> None:
        Database.__init__(self, conn)  # not ProjectDatabase's, which opens the file to write
        self.path = path
        self.migrated = False  # nothing to refresh on commit, and no clean close to record
        self.suspect = False
        self._identity = identity

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        try:
            with super().atomic():
                yield self
        except (WriteError, sqlite3.OperationalError) as exc:
            failed = exc.__cause__ if isinstance(exc, WriteError) else exc
            if getattr(failed, "sqlite_errorcode", 0) & 0xFF != _SQLITE_READONLY:
                raise
            raise ReadOnlyProjectError(
                f"{self.path} was opened for reading only, so this command cannot change it. "
                "Nothing was changed."
            ) from exc

    def changed_while_read(self) -> bool:
        """Whether the file changed under an ``immutable`` read: a writer that opened after
        the reader and folded its journal into the file, so what was read may mix two
        states. A read through -wal and -shm is kept consistent by SQLite itself."""
        if self._identity is None:
            return False
        try:
            return _file_identity(self.path) != self._identity
        except OSError:
            return True


def scratch_copy_database(db: Database, target: Path) -> ProjectDatabase:
    """A writable copy of ``db``'s snapshot at ``target``, for work that writes and rolls back
    (``check``'s recount of the coverage summary) on a project opened for reading only. The
    backup API copies pages as they are, so damage is copied too, for the check to find."""
    try:
        copy = sqlite3.connect(target)
        try:
            db.conn.backup(copy)
        finally:
            copy.close()
        scratch = ProjectDatabase(target)
        scratch.execute("PRAGMA trusted_schema = OFF")
    except sqlite3.Error as exc:
        raise ProjectFileError(f"Cannot copy the project to check it ({target}): {exc}.") from exc
    return scratch
