"""``annotator check``: is the project file sound?"""

import argparse
import sys

from annotator.services.project import Project
from annotator.services.reports import check_project

#: Checking changes nothing, so it runs beside a window that has the project open.
READS_ONLY = True


def register(parser: argparse.ArgumentParser) -> None:
    """``check`` takes no options of its own."""


def run(project: Project, _args: argparse.Namespace) -> int:
    # The recount of the coverage summary writes and rolls back: on a copy, since the
    # project is open for reading only.
    with project.store.scratch_copy() as copy:
        problems = check_project(copy)
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} problem(s) found in {project.path}", file=sys.stderr)
        return 1
    print(f"OK: {project.path} is consistent.")
    return 0
