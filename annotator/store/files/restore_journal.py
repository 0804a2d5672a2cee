"""The journal of a restore in progress: written before the swap, read to finish or undo it.

It names only files in the project's folder and its backups, so a hand-edited journal cannot
make a recovery move anything else."""

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from annotator.store.files.backups import (
    BACKUP_DIR_NAME,
    BackupError,
    fsync_folder,
)

JOURNAL_SUFFIX = ".restore-journal"
#: The sidecars SQLite may replay into a database: never left beside a file they don't belong to.


class InterruptedRestoreError(BackupError):
    """A restore was interrupted and neither of its copies can be found: the project is not
    created anew where one was being restored."""


def journal_path(project: Path) -> Path:
    return project.with_name(project.name + JOURNAL_SUFFIX)


@dataclass(frozen=True, slots=True)
class _Journal:
    """What a later attempt needs to finish or undo the swap. Names are relative to the
    project's folder, so a folder moved or synced elsewhere can still be recovered."""

    backup: str  # where the restore came from, for messages only
    staged: str  # the checked copy of the backup, beside the project
    aside: str  # where the project's WAL (or rollback journal) is moved, beside the project
    replaced: str | None  # "backups/…": the copy of the project; None when there was none
    project: dict[str, int] | None  # the project file's identity when the swap began
    sidecar: dict[str, int] | None  # its WAL's


def _write_journal(project: Path, journal: _Journal) -> None:
    path = journal_path(project)
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8") as handle:
            json.dump(asdict(journal), handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)  # noqa: PTH105
    finally:
        partial.unlink(missing_ok=True)
    fsync_folder(project.parent)


def _read_journal(project: Path) -> _Journal:
    """The journal, refused unless every name in it is one a restore of this project writes:
    a journal edited by hand must not rename some other file over the project."""
    path = journal_path(project)
    try:
        fields = json.loads(path.read_text(encoding="utf-8"))
        journal = _Journal(**fields)
    except (OSError, ValueError, TypeError) as exc:
        raise _unreadable(project) from exc
    prefix = f".{project.name}.restoring-"
    names = (journal.staged, journal.aside)
    replaced = journal.replaced
    plain = (
        all(isinstance(n, str) and n.startswith(prefix) and Path(n).name == n for n in names)
        and isinstance(journal.backup, str)
        and (replaced is None or _in_backups(replaced))
        and all(_is_identity(i) for i in (journal.project, journal.sidecar))
    )
    if not plain:
        raise _unreadable(project)
    return journal


def _unreadable(project: Path) -> InterruptedRestoreError:
    return InterruptedRestoreError(
        f"A restore of {project} was interrupted, and its journal "
        f"{journal_path(project).name} cannot be read. Restore a backup ('annotator restore' "
        "lists them), or delete the journal to open the project as it is."
    )


def _in_backups(relative: object) -> bool:
    """``backups/<name>``, nothing else."""
    if not isinstance(relative, str):
        return False
    parts = Path(relative).parts
    return len(parts) == 2 and parts[0] == BACKUP_DIR_NAME and parts[1] not in ("..", ".")


def _is_identity(value: object) -> bool:
    return value is None or (
        isinstance(value, dict) and all(isinstance(v, int) for v in value.values())
    )


def _identity(path: Path) -> dict[str, int] | None:
    """Size, time and inode: enough to tell whether anyone wrote to the file since."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return {"size": info.st_size, "mtime_ns": info.st_mtime_ns, "inode": info.st_ino}
