"""Backing a project up and restoring it: the rules, for the window and the CLI alike.

- On open, an existing project is backed up when its backups folder holds no backup of it
  from the last 24 hours (``backup_if_due``); the newest ``KEEP_DAILY`` daily backups are kept.
- ``backup_project`` writes one on request, into the backups folder or wherever asked.
- ``restore_project`` puts a backup in place of a project that no one has open, keeping the
  replaced file among the backups. It is a journaled swap: ``recover_interrupted_restore``
  finishes or undoes one that was killed halfway, and must run before the project is opened.

Every backup goes through SQLite's backup API and is checked before it gets its name (see
annotator.store.files.backups); nothing here copies a live file.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from annotator.store import Store
from annotator.store.files.backups import (
    DAILY,
    KEEP_DAILY,
    MANUAL,
    REPLACED,
    Backup,
    BackupError,
    backup_path,
    backups_dir,
    list_backups,
    rotate_daily,
)
from annotator.store.files.lock import ProjectLock
from annotator.store.files.project_file import check_writable
from annotator.store.files.restore import (
    check_backup_file,
    recover_interrupted_restore,
    restore_file,
)
from annotator.store.files.restore_journal import InterruptedRestoreError

__all__ = [
    "KEEP_DAILY",
    "Backup",
    "BackupError",
    "InterruptedRestoreError",
    "RestoreResult",
    "backup_if_due",
    "backup_project",
    "backups_dir",
    "list_backups",
    "recover_interrupted_restore",
    "restore_project",
]

DAILY_INTERVAL = timedelta(days=1)


def backup_project(store: Store, to: Path | None = None, *, now: datetime | None = None) -> Path:
    """Back the open project up and return the new file. ``to`` may be a file that does not
    exist yet or a folder (the backup gets its usual time-stamped name there); without it the
    backup goes into the project's backups folder."""
    project = _path_of(store)
    target = backup_path(project, MANUAL, now)
    if to is not None:
        to = Path(to).expanduser()
        if to.is_dir():
            target = to / target.name
        elif to.exists():
            raise BackupError(f"{to} already exists; give a new file name or a folder.")
        elif not to.parent.is_dir():
            raise BackupError(f"The folder {to.parent} does not exist.")
        else:
            target = to
    return store.backup_to(target)


def backup_if_due(
    store: Store,
    *,
    now: datetime | None = None,
    keep: int = KEEP_DAILY,
    own_connection: bool = False,
) -> Path | None:
    """The daily backup: written when no backup of this project is younger than a day, then
    the daily ones beyond the newest ``keep`` are deleted. Returns the new file, if any.
    ``own_connection``: read the project through a connection of its own, for a backup run
    on another thread (a 1.4 GB project takes about 6 s)."""
    project = _path_of(store)
    now = now or datetime.now(UTC)
    recent = [
        b
        for b in list_backups(project)
        if b.label != REPLACED and timedelta(0) <= now - b.taken_at < DAILY_INTERVAL
    ]
    if recent:
        return None
    written = store.backup_to(backup_path(project, DAILY, now), own_connection=own_connection)
    rotate_daily(project, keep)
    return written


@dataclass(frozen=True, slots=True)
class RestoreResult:
    project: Path
    backup: Path
    replaced: Path | None  # where the file that was there before was kept


def restore_project(backup: Path, project: Path, *, now: datetime | None = None) -> RestoreResult:
    """Replace ``project`` with ``backup``. Refused while any Annotator has the project open
    (this process included), and when the backup is not a sound project file. A restore
    that was interrupted earlier is finished or undone first."""
    backup, project = Path(backup).expanduser(), Path(project).expanduser()
    if backup.resolve() == project.resolve():
        raise BackupError(f"{backup} is the project itself; choose one of its backups.")
    check_backup_file(backup)
    check_writable(project)
    with ProjectLock.acquire(project, reentrant=False):
        replaced = restore_file(backup, project, now=now)
    return RestoreResult(project, backup, replaced)


def _path_of(store: Store) -> Path:
    if store.path is None:
        raise BackupError("A project held in memory has no file to back up.")
    return store.path
