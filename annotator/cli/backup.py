"""``annotator backup``: a checked copy of the project, written with SQLite's backup API."""

import argparse
from pathlib import Path

from annotator.services.backup import backup_project
from annotator.services.project import Project

#: Takes the lock like a writer: a backup read without it could race a writer that opens
#: meanwhile (see ``Store.changed_while_read``), and a backup must never be doubtful.
READS_ONLY = False


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Write a consistent copy of the project with SQLite's backup API, checked "
        "with quick_check. Without --to it goes into the backups folder beside the project, "
        "where 'annotator restore' finds it."
    )
    parser.add_argument(
        "--to",
        type=Path,
        metavar="PATH",
        help="a new file, or a folder to write a time-stamped backup into",
    )


def run(project: Project, args: argparse.Namespace) -> int:
    target = backup_project(project.store, args.to)
    print(f"Backed up {project.path} to {target}")
    return 0
