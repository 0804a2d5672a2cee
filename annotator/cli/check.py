"""``annotator check``: is the project file sound?"""

import argparse
import sys

from annotator.services.project import Project
from annotator.services.reports import check_project

#: Checking a mistyped path must not create a project there.
CREATES_PROJECT = False


def register(subparsers: argparse._SubParsersAction) -> None:
    subparsers.add_parser("check", help="check the project file; exit 1 if anything is wrong")


def run(project: Project, _args: argparse.Namespace) -> int:
    problems = check_project(project.store)
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} problem(s) found in {project.path}", file=sys.stderr)
        return 1
    print(f"OK: {project.path} is consistent.")
    return 0
