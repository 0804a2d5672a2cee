"""``annotator restore BACKUP``: put a backup back in place of the project.

The project is not opened first: it may be too damaged to open, which is why one restores.
Without BACKUP, the command lists the project's backups, oldest first. Either way a restore
that was interrupted earlier (killed halfway) is finished or undone first, and said so.
"""

import argparse
import sys
from pathlib import Path

from annotator.services.backup import (
    InterruptedRestoreError,
    backups_dir,
    list_backups,
    recover_interrupted_restore,
    restore_project,
)
from annotator.services.project import default_project_path


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Replace the project by a backup. Refused while Annotator has the project "
        "open anywhere; the file that is replaced is kept in the backups folder, so a restore "
        "can itself be undone."
    )
    parser.add_argument("backup", type=Path, nargs="?", metavar="BACKUP", help="backup file")
    # Also accepted after the command; the global --project is used when it is not given.
    parser.add_argument(
        "--project", type=Path, metavar="PATH", default=argparse.SUPPRESS,
        help="the project to restore (default: the default project)",
    )  # fmt: skip


def run_without_project(args: argparse.Namespace) -> int:
    project = (args.project or default_project_path()).expanduser()
    try:
        recovered = recover_interrupted_restore(project)
    except InterruptedRestoreError as exc:
        if args.backup is None:  # list what there is to restore, and say why it is needed
            _list(project)
            print(f"annotator: {exc}", file=sys.stderr)
            return 2
        recovered = None  # the backup given is put in its place
    if recovered:
        print(recovered)
    if args.backup is None:
        return _list(project)
    result = restore_project(args.backup, project)
    print(f"Restored {result.project} from {result.backup}")
    if result.replaced is not None:
        print(f"The file it replaced is kept as {result.replaced}")
    return 0


def _list(project: Path) -> int:
    backups = list_backups(project)
    if not backups:
        print(f"No backups of {project} in {backups_dir(project)}")
        return 0
    print(f"Backups of {project}, oldest first:")
    for backup in backups:
        when = backup.taken_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        print(f"  {when}  {backup.label:<14} {backup.path}")
    return 0
