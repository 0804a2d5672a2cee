"""The ``annotator`` command: the window by default, headless subcommands for scripting.

Each subcommand lives in its own module with ``register(subparsers)`` and ``run(project,
args)``, listed in ``COMMANDS``. Qt is imported only when the window opens, so subcommands
start fast and run on machines without a display.

A module says what it does to the project, and ``main`` opens it accordingly:

- ``READS_ONLY = True``, or ``reads_only(args)`` where subcommands differ: the project is
  opened for reading only (no lock, no migration, no backup, nothing created), so the command
  runs while a window has the project open. Otherwise it writes, and another process holding
  the project refuses it, naming who.
- ``CREATES_PROJECT = True``: a ``--project`` path that does not exist becomes a new project
  (``import``, ``merge``). Every other command refuses it, so that a typo creates nothing; a
  reader with it may create only the default project, on first use.
"""

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from annotator import __version__
from annotator.cli import (
    backup,
    check,
    codebook,
    coverage,
    export,
    import_articles,
    restore,
    stats,
    suggest,
)
from annotator.cli.corpus import code_all, retrieve, search
from annotator.cli.team import adjudicate, agreement, merge
from annotator.core.errors import AnnotatorError
from annotator.services.project import default_project_path, open_project

COMMANDS: dict[str, ModuleType] = {
    "stats": stats,
    "check": check,
    "export": export,
    "codebook": codebook,
    "import": import_articles,
    "coverage": coverage,
    "backup": backup,
    "restore": restore,
    "suggest": suggest,
    "merge": merge,
    "agreement": agreement,
    "adjudicate": adjudicate,
    "search": search,
    "code-all": code_all,
    "retrieve": retrieve,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Annotate claims, speakers and issues in news articles. "
        "Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--project",
        type=Path,
        metavar="PATH",
        help="project file to open; the window, import and merge create it (with the starter "
        f"codebook) if missing. Default: {default_project_path()}",
    )
    parser.add_argument("--annotator", metavar="NAME", help="who is coding (default: login name)")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check that the app works (window offscreen, a throwaway project, export, import, "
        "chart), one line per step; exit 0 when all pass. Touches no real project or setting.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS.values():
        module.register(subparsers)
    return parser


def reads_only(command: ModuleType, args: argparse.Namespace) -> bool:
    """Whether ``command`` with ``args`` only reads the project; a command that does not say
    is taken to write, which is the safe default."""
    decide = getattr(command, "reads_only", None)
    if decide is not None:
        return bool(decide(args))
    return bool(getattr(command, "READS_ONLY", False))


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.self_test:
        from annotator.selftest import run_self_test  # loads Qt, like the window

        return run_self_test()
    if args.command is None:
        from annotator.app import run_app  # Qt loads only for the window

        return run_app(args.project, annotator=args.annotator)
    command = COMMANDS[args.command]
    try:
        if hasattr(command, "run_without_project"):  # restore: the file may not open at all
            return int(command.run_without_project(args))
        create = bool(getattr(command, "CREATES_PROJECT", False))
        with open_project(
            args.project,
            annotator=args.annotator,
            create=create,
            read_only=reads_only(command, args),
        ) as project:
            for warning in project.warnings:
                print(f"annotator: warning: {warning}", file=sys.stderr)
            return int(command.run(project, args))
    except AnnotatorError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 2
