"""Putting a backup back in place of a project file, as a journaled swap.

The caller holds the project's lock, so nothing has the file open. A restore is a few steps,
and a process killed between any two of them must leave something a later attempt can finish
or undo, never no project at all (after which the next open would create an empty one):

1. the backup is checked (an Annotator project this version can read, untampered, passing
   ``quick_check``) and copied with SQLite's backup API beside the project (``staged``);
2. the current project is copied into the backups folder as a ``replaced`` backup, through
   the backup API too, so the commits still only in its WAL are in the copy (a file too
   damaged for that is copied byte for byte, with its WAL); both copies are fsynced;
3. a journal (``study.annotator.restore-journal``: the names of both copies, of the place its
   WAL is moved to, and the identity of the project file) is written and fsynced;
4. the project's WAL goes aside under a journaled name (a WAL left beside the restored file
   would be replayed into the wrong database) and its ``-shm`` is removed;
5. the staged copy is renamed over the project: the one atomic step; the project file exists
   before and after it;
6. the WAL set aside and the journal are removed.

``recover_interrupted_restore`` reads a journal left by a killed restore and finishes it
(when its staged copy is still there, since the replaced copy holds the old project) or, when
the rename happened already, only tidies up; with no project file and no staged copy it puts
the replaced copy back. Every open of the project should call it first; a restore does.
"""

import contextlib
import os
import shutil
import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path

from annotator.store.files.backups import (
    REPLACED,
    BackupError,
    backup_path,
    fsync_file,
    fsync_folder,
    remove_with_sidecars,
    write_backup,
)
from annotator.store.files.errors import ProjectFileError
from annotator.store.files.lock import ProjectInUseError, ProjectLock
from annotator.store.files.project_file import connect_read_only, inspect_project_file
from annotator.store.files.restore_journal import (
    InterruptedRestoreError,
    _identity,
    _Journal,
    _read_journal,
    _write_journal,
    journal_path,
)

_REPLAYED = ("-wal", "-journal")


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


def _step_done(step: str) -> None:
    """Called after each step of a restore; tests make it stand for a kill there."""


def restore_file(backup: Path, project: Path, *, now: datetime | None = None) -> Path | None:
    """Replace ``project`` by a checked copy of ``backup``; returns where the replaced file
    was kept, or None when there was none. The caller must hold the project's lock."""
    with contextlib.suppress(InterruptedRestoreError):  # this restore gives it a project
        _recover(project, forget_unreadable=True)
    check_backup_file(backup)
    token = uuid.uuid4().hex[:12]
    staged = project.with_name(f".{project.name}.restoring-{token}")
    aside = project.with_name(f"{staged.name}.old")
    kept: Path | None = None
    journal: _Journal | None = None
    try:
        source = connect_read_only(backup)
        try:
            write_backup(source, staged)
        finally:
            source.close()
        _step_done("staged")
        kept = _keep(project, now or datetime.now(UTC))
        _step_done("kept")
        journal = _Journal(
            backup=str(backup),
            staged=staged.name,
            aside=aside.name,
            replaced=str(kept.relative_to(project.parent)) if kept else None,
            project=_identity(project),
            sidecar=_identity(_sidecar(project, "-wal")),
        )
        _write_journal(project, journal)
        _step_done("journaled")
        _swap(project, journal)
    except Exception as exc:  # an error, not a kill: undo what was done, if it can be
        in_place = False
        if journal is None:
            remove_with_sidecars(staged)
        else:
            with contextlib.suppress(OSError, BackupError):
                in_place = _settle(project, journal, forward=False)[0]
        if in_place:
            return kept  # the error came after the rename, and the tidying is done now
        if kept is not None and not journal_path(project).exists():
            remove_with_sidecars(kept)  # nothing was replaced after all
        if isinstance(exc, OSError):
            raise BackupError(f"Could not restore {project}: {exc.strerror or exc}.") from exc
        raise
    return kept


def recover_interrupted_restore(project: Path) -> str | None:
    """Finish or undo a restore of ``project`` that was interrupted, and say what was done
    (None when there was nothing to do: the usual case, a ``stat`` and a folder listing).
    Takes the project's lock while it works; refused (ProjectInUseError) while another
    process has the project, and InterruptedRestoreError when neither copy of the interrupted
    restore is left. A restore killed before its journal was written left only a staged
    copy, removed here when the project is free."""
    project = Path(project).expanduser()
    interrupted = journal_path(project).exists()
    if not interrupted and not _leftovers(project):
        return None
    try:
        lock = ProjectLock.acquire(project, reentrant=False)
    except ProjectInUseError:
        if interrupted:
            raise
        return None  # a restore under way elsewhere: its staged copy is not a left-over
    with lock:
        return _recover(project)


def _recover(project: Path, *, forget_unreadable: bool = False) -> str | None:
    """``recover_interrupted_restore`` for a caller that holds the lock."""
    path = journal_path(project)
    journal = None
    if path.exists():
        try:
            journal = _read_journal(project)
        except InterruptedRestoreError:
            if not forget_unreadable:
                raise
            path.unlink(missing_ok=True)
    ours = () if journal is None else (journal.staged, journal.aside)
    for leftover in _leftovers(project):
        if not leftover.name.startswith(ours):
            leftover.unlink(missing_ok=True)
    if journal is None:
        return None
    return _settle(project, journal, forward=True)[1]


def _leftovers(project: Path) -> list[Path]:
    """The files a restore writes beside the project (its staged copy, the WAL set aside)."""
    prefix = f".{project.name}.restoring-"
    folder = project.parent
    return [p for p in folder.iterdir() if p.name.startswith(prefix)] if folder.is_dir() else []


# -- the steps -------------------------------------------------------------------------------


def _keep(project: Path, now: datetime) -> Path | None:
    """A copy of the current project among the backups, fsynced, with every commit: read
    through SQLite, which reads the WAL too. A file SQLite cannot copy (too damaged to open,
    which is when one restores) is copied as it is, byte for byte, with its WAL."""
    if not project.exists():
        for suffix in (*_REPLAYED, "-shm"):  # a journal without its database is never replayed
            _sidecar(project, suffix).unlink(missing_ok=True)
        return None
    kept = backup_path(project, REPLACED, now)
    try:
        source = connect_read_only(project)
        try:
            return write_backup(source, kept)
        finally:
            source.close()
    except (BackupError, sqlite3.Error):
        pass
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", *_REPLAYED):
            original = _sidecar(project, suffix)
            if original.exists():
                copy = kept.with_name(kept.name + suffix)
                shutil.copyfile(original, copy)
                fsync_file(copy)
        fsync_folder(kept.parent)
    except BaseException:
        remove_with_sidecars(kept)
        raise
    return kept


def _swap(project: Path, journal: _Journal) -> None:
    """Steps 4 to 6: the WAL aside, the staged copy renamed over the project, tidy up."""
    folder = project.parent
    for suffix in _REPLAYED:
        sidecar = _sidecar(project, suffix)
        if sidecar.exists():
            os.replace(sidecar, folder / (journal.aside + suffix))  # noqa: PTH105
    _sidecar(project, "-shm").unlink(missing_ok=True)
    fsync_folder(folder)
    _step_done("set aside")
    os.replace(folder / journal.staged, project)  # noqa: PTH105 - the atomic step
    fsync_folder(folder)
    _step_done("renamed")
    _tidy(project, journal)


def _tidy(project: Path, journal: _Journal) -> None:
    for suffix in _REPLAYED:
        (project.parent / (journal.aside + suffix)).unlink(missing_ok=True)
    journal_path(project).unlink(missing_ok=True)
    fsync_folder(project.parent)


def _settle(project: Path, journal: _Journal, *, forward: bool) -> tuple[bool, str]:
    """Bring an interrupted swap to an end: ``forward`` finishes it where it can, otherwise
    it is undone where it can be. Returns whether the backup is now in place, and what was
    done, in words."""
    folder = project.parent
    staged = folder / journal.staged
    replaced = folder / journal.replaced if journal.replaced else None
    interrupted = f"A restore of {project} from {journal.backup} was interrupted"
    if staged.exists():
        if forward and (replaced is None or replaced.exists()) and _sound(staged):
            extra = _keep_if_changed(project, journal)
            for suffix in (*_REPLAYED, "-shm"):  # the replaced copy holds what they held
                _sidecar(project, suffix).unlink(missing_ok=True)
            fsync_folder(folder)
            os.replace(staged, project)  # noqa: PTH105
            fsync_folder(folder)
            _tidy(project, journal)
            kept = f"; the file it replaced is kept as {replaced}" if replaced else ""
            also = f", and the project as changed since then as {extra}" if extra else ""
            return True, f"{interrupted}; it has now been completed{kept}{also}."
        if _identity(project) == journal.project:
            for suffix in _REPLAYED:
                aside = folder / (journal.aside + suffix)
                if aside.exists() and not _sidecar(project, suffix).exists():
                    os.replace(aside, _sidecar(project, suffix))  # noqa: PTH105
        remove_with_sidecars(staged)
        _tidy(project, journal)
        return False, f"{interrupted}; it was undone: the project is as it was before it."
    if project.exists():  # renamed already: only the tidying was left
        _tidy(project, journal)
        return True, f"{interrupted} after the backup was in place; it is complete now."
    if replaced is not None and replaced.exists():
        _put_back(replaced, project)
        _tidy(project, journal)
        return False, f"{interrupted}; the project was put back from {replaced}, kept then."
    raise InterruptedRestoreError(
        f"{interrupted}, and neither the copy of the backup ({staged.name}) nor the copy of "
        f"the file it replaced ({replaced or 'none was needed'}) is there any more, so no new "
        f"project is created at {project}. Restore a backup ('annotator restore' lists them), "
        f"or delete {journal_path(project).name} to start an empty project there."
    )


def _keep_if_changed(project: Path, journal: _Journal) -> Path | None:
    """The project as someone changed it after the interruption (it was opened before this
    recovery ran): kept too, so finishing the restore loses none of their work."""
    wal = _sidecar(project, "-wal")
    unchanged = _identity(project) == journal.project and (
        _identity(wal) in (None, journal.sidecar) or wal.stat().st_size == 0
    )
    if unchanged or not project.exists():
        return None
    return _keep(project, datetime.now(UTC))


def _put_back(replaced: Path, project: Path) -> None:
    """The replaced copy in the project's place: through SQLite when it is sound, else byte
    for byte with its WAL, as it was kept."""
    try:
        check_backup_file(replaced)
    except BackupError:
        for suffix in ("", *_REPLAYED):
            copy = replaced.with_name(replaced.name + suffix)
            if copy.exists():
                shutil.copyfile(copy, _sidecar(project, suffix))
                fsync_file(_sidecar(project, suffix))
        fsync_folder(project.parent)
        return
    source = connect_read_only(replaced)
    try:
        write_backup(source, project)
    finally:
        source.close()


def _sound(path: Path) -> bool:
    try:
        check_backup_file(path)
    except BackupError:
        return False
    return True


# -- the journal -----------------------------------------------------------------------------


def _sidecar(project: Path, suffix: str) -> Path:
    return project.with_name(project.name + suffix)
