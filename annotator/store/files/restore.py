"""Putting a backup back in place of a project file.

The caller holds the project's lock, so nothing has the file open. The backup is checked
first (an Annotator project this version can read, untampered, passing ``quick_check``) and
copied with SQLite's backup API to a temporary file beside the project; only then is the
current file moved, byte for byte and with its WAL, into the backups folder as a ``replaced``
backup, and the copy renamed into its place. A restore can therefore always be undone by
restoring the ``replaced`` file, even when the project was too damaged to open.
"""

import os
import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path

from annotator.store.files.backups import (
    REPLACED,
    BackupError,
    backup_path,
    fsync_folder,
    remove_with_sidecars,
    write_backup,
)
from annotator.store.files.project_file import (
    ProjectFileError,
    connect_read_only,
    inspect_project_file,
)


def check_backup_file(path: Path) -> int:
    """The schema version of a usable backup; BackupError says what is wrong with any other."""
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    try:
        version = inspect_project_file(path)
    except ProjectFileError as exc:
        raise BackupError(f"Cannot restore from {path}: {exc}") from exc
    if version == 0:
        raise BackupError(f"Cannot restore from {path}: it is an empty project file.")
    try:
        conn = connect_read_only(path)
        try:
            verdict = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        verdict = [str(exc)]
    if verdict != ["ok"]:
        raise BackupError(f"Cannot restore from {path}: it is damaged ({verdict[0]}).")
    return version


def restore_file(backup: Path, project: Path, *, now: datetime | None = None) -> Path | None:
    """Replace ``project`` by a checked copy of ``backup``; returns where the replaced file
    was kept, or None when there was none. The caller must hold the project's lock."""
    check_backup_file(backup)
    staged = project.with_name(f".{project.name}.restoring-{uuid.uuid4().hex[:12]}")
    try:
        source = connect_read_only(backup)
        try:
            write_backup(source, staged)
        finally:
            source.close()
        replaced = _move_aside(project, now or datetime.now(UTC))
        os.replace(staged, project)  # noqa: PTH105 - the atomic step, named plainly
        fsync_folder(project.parent)
    except OSError as exc:
        raise BackupError(f"Could not restore {project}: {exc.strerror or exc}.") from exc
    finally:
        remove_with_sidecars(staged)  # left only if something failed
    return replaced


def _move_aside(project: Path, now: datetime) -> Path | None:
    """Keep the current file, as it is, among the backups. Its WAL goes with it: it may hold
    the last commits, and a WAL left beside the restored file would be replayed into it."""
    wal = project.with_name(project.name + "-wal")
    project.with_name(project.name + "-shm").unlink(missing_ok=True)
    if not project.exists():
        wal.unlink(missing_ok=True)
        return None
    kept = backup_path(project, REPLACED, now)
    kept.parent.mkdir(parents=True, exist_ok=True)
    os.replace(project, kept)  # noqa: PTH105
    if wal.exists():
        os.replace(wal, kept.with_name(kept.name + "-wal"))  # noqa: PTH105
    return kept
