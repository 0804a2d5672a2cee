"""The ``annotator`` command: the window by default, headless subcommands for scripting.

Qt is imported only when the window opens, so subcommands start fast and run on machines
without a display.
"""

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from annotator import __version__
from annotator.core.errors import AnnotatorError
from annotator.services.project import Project, default_project_path, open_project
from annotator.services.reports import check_project, project_stats


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
        help="project file to open; created (with the starter codebook) if missing. "
        f"Default: {default_project_path()}",
    )
    parser.add_argument("--annotator", metavar="NAME", help="who is coding (default: login name)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    stats = commands.add_parser("stats", help="print counts of articles, sources, annotations")
    stats.add_argument("--json", action="store_true", help="print JSON instead of text")
    commands.add_parser("check", help="check the project file; exit 1 if anything is wrong")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        from annotator.app import run_app  # Qt loads only for the window

        return run_app(args.project, annotator=args.annotator)
    try:
        create = args.command != "check"  # checking a mistyped path must not create it
        with open_project(args.project, annotator=args.annotator, create=create) as project:
            return _COMMANDS[args.command](project, args)
    except AnnotatorError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 2


def _stats(project: Project, args: argparse.Namespace) -> int:
    stats = project_stats(project.store)
    if args.json:
        print(json.dumps(stats, indent=2, ensure_ascii=False))
        return 0
    kinds = stats["annotations"]
    print(f"Project: {project.path}")
    print(f"Articles: {stats['articles']} from {stats['sources']} sources")
    print(
        f"Annotations: {sum(kinds.values())} "
        f"({kinds['claim']} claims, {kinds['speaker']} speaker mentions, "
        f"{kinds['issue']} issue passages)"
    )
    print(f"Codes: {stats['codes']['issue']} issues, {stats['codes']['speaker']} speakers")
    for name, counts in stats["per_source"].items():
        print(
            f"  {name}: {_plural(counts['articles'], 'article')}, "
            f"{_plural(counts['annotations'], 'annotation')}"
        )
    return 0


def _check(project: Project, _args: argparse.Namespace) -> int:
    problems = check_project(project.store)
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} problem(s) found in {project.path}", file=sys.stderr)
        return 1
    print(f"OK: {project.path} is consistent.")
    return 0


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


_COMMANDS = {"stats": _stats, "check": _check}
