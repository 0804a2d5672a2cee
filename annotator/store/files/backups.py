"""Backups of a project file: written through SQLite's backup API, checked, named by time.

A live project in WAL mode is two or three files that change together, so copying them is not a
backup; SQLite's backup API reads one consistent snapshot through a connection instead. Each
backup is written under a temporary name, switched to a plain rollback journal (one
self-contained file), checked with ``PRAGMA quick_check`` and only then renamed into place, so
a name in the folder always means a complete, sound copy.

Backups live in ``backups/`` beside the project, named ``<stem>.<UTC time>.<label><suffix>``
(``study.20250301T101500.123Z.daily.annotator``), so a listing sorts by project, then by time.
Labels: ``daily`` (on open, at most once a day, the newest ``KEEP_DAILY`` kept), ``manual``
(``annotator backup``), ``migration-vN`` (before a schema-N file is upgraded) and ``replaced``
(a project file that a restore replaced, moved here as it was). Only daily ones are rotated.
"""

import contextlib
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.store.files.temp_files import temporary_beside

BACKUP_DIR_NAME = "backups"
KEEP_DAILY = 7
DAILY = "daily"
MANUAL = "manual"
REPLACED = "replaced"
_STAMP = re.compile(r"\d{8}T\d{6}\.\d{3}Z")
_LABEL = r"daily|manual|replaced|migration-v\d+"


class BackupError(AnnotatorError):
    """A backup could not be written, read or restored; the message says which and why."""


class DamagedCopyError(BackupError):
    """The copy failed SQLite's check: the project it was read from is damaged too (the backup
    API copies pages as they are)."""


def migration_label(version: int) -> str:
    return f"migration-v{version}"


@dataclass(frozen=True, slots=True)
class Backup:
    """One backup file of a project, as found in its backups folder."""

    path: Path
    taken_at: datetime  # UTC
    label: str


def backups_dir(project: Path) -> Path:
    return project.parent / BACKUP_DIR_NAME


def _stamp(when: datetime) -> str:
    when = when.astimezone(UTC)
    return when.strftime("%Y%m%dT%H%M%S.") + f"{when.microsecond // 1000:03d}Z"


def backup_path(project: Path, label: str, when: datetime | None = None) -> Path:
    """A new, unused name in the project's backups folder for a backup taken ``when``."""
    when = when or datetime.now(UTC)
    folder = backups_dir(project)
    while True:
        candidate = folder / f"{project.stem}.{_stamp(when)}.{label}{project.suffix}"
        if not candidate.exists():
            return candidate
        when += timedelta(milliseconds=1)  # two backups in one millisecond keep both


def list_backups(project: Path) -> list[Backup]:
    """The project's backups, oldest first. Other files in the folder are left out, including
    the backups of another project whose name starts the same way."""
    pattern = re.compile(
        rf"{re.escape(project.stem)}\.(?P<stamp>{_STAMP.pattern})\.(?P<label>{_LABEL})"
        rf"{re.escape(project.suffix)}"
    )
    folder = backups_dir(project)
    found = []
    for path in folder.iterdir() if folder.is_dir() else ():
        match = pattern.fullmatch(path.name)
        if match and path.is_file():
            taken = datetime.strptime(match["stamp"], "%Y%m%dT%H%M%S.%fZ").replace(tzinfo=UTC)
            found.append(Backup(path, taken, match["label"]))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name))


def rotate_daily(project: Path, keep: int = KEEP_DAILY) -> list[Path]:
    """Delete all but the newest ``keep`` daily backups; returns what was deleted."""
    daily = [b.path for b in list_backups(project) if b.label == DAILY]
    removed = daily[: max(len(daily) - keep, 0)]
    for path in removed:
        remove_with_sidecars(path)
    return removed


def remove_with_sidecars(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            path.with_name(path.name + suffix).unlink()


def write_backup(source: sqlite3.Connection, target: Path) -> Path:
    """Copy the database behind ``source`` to ``target`` as one checked, self-contained file.

    ``target`` appears only once the copy passed ``quick_check``; on any failure nothing is
    left behind and BackupError says why (a full disk, a read-only folder, a damaged source).
    """
    temporary: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = temporary_beside(target)
        dest = sqlite3.connect(temporary)
        try:
            source.backup(dest)
            # The copy inherits WAL from its source; a backup should be a single file.
            dest.execute("PRAGMA journal_mode = DELETE")
            verdict = [row[0] for row in dest.execute("PRAGMA quick_check").fetchall()]
        finally:
            dest.close()
        if verdict != ["ok"]:
            raise DamagedCopyError(
                f"The backup {target} failed its check: {'; '.join(verdict[:3])}."
            )
        fsync_file(temporary)
        os.replace(temporary, target)  # noqa: PTH105 - the atomic step, named plainly
        fsync_folder(target.parent)
    except BaseException as exc:
        if temporary is not None:
            remove_with_sidecars(temporary)
        if isinstance(exc, OSError | sqlite3.Error):
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise BackupError(f"Could not write the backup {target}: {reason}.") from exc
        raise
    return target


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    """Make a rename durable; Windows has no directory handles to sync, nor needs it."""
    if os.name == "nt":
        return
    fsync_file(folder)
