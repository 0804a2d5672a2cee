"""``annotator merge``: other coders' projects merged into this one.

Each file is merged on its own, in one transaction after a backup of this project; a file that
cannot be merged (not a project, newer, damaged, open in another Annotator) is reported and
the others are still merged. Exit status 1 if any file was not merged, else 0.
"""

import argparse
import sys
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.services.project import Project
from annotator.services.team.merge import merge_project

#: Merging coders' files into a new --project path makes it the team's project.
CREATES_PROJECT = True


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Copy other coders' annotations into this project. Articles are matched "
        "by their text, sources and codes by name (a code whose colour or parent differs is "
        "reported and keeps this project's), annotations by id, so merging a file again "
        "changes nothing. This project is backed up first; the other files are only read."
    )
    parser.add_argument("others", nargs="+", type=Path, metavar="OTHER.annotator")
    # Also accepted after the command; SUPPRESS leaves the global --project alone otherwise.
    parser.add_argument(
        "--project", type=Path, metavar="PATH", default=argparse.SUPPRESS,
        help="the project to merge into (created if missing; default: the default project)",
    )  # fmt: skip


def run(project: Project, args: argparse.Namespace) -> int:
    failed = 0
    for other in args.others:
        try:
            result = merge_project(project.store, other)
        except AnnotatorError as exc:
            print(f"annotator: not merged: {other}: {exc}", file=sys.stderr)
            failed += 1
            continue
        print("\n".join(result.lines()))
    return 1 if failed else 0
