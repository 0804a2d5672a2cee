"""Opening a project only to read it, beside a window that writes it.

A reader never takes the lock, never migrates, never writes: ``mode=ro`` and ``query_only``,
after the same vetting as a writer's open. WAL gives it a consistent snapshot while the window
writes; a file closed cleanly is read ``immutable``, so not even a side file appears."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from annotator.store.files.clean_close import (
    file_identity,
)
from annotator.store.files.errors import (
    ProjectFileError,
    ProjectReadOnlyError,
    WriteError,
)
from annotator.store.files.project_file import ProjectDatabase, inspect_project_file
from annotator.store.files.schema_vetting import vet_schema
from annotator.store.migrations import SCHEMA_VERSION

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
    identity = None if in_use else file_identity(path)  # before a single page is read
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
            return file_identity(self.path) != self._identity
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
