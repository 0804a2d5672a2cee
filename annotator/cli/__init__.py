"""The ``annotator`` command: the window by default, headless subcommands for scripting.

Each subcommand lives in its own module with ``register(parser)`` (its options) and
``run(project, args)``, listed with its help line in ``_TABLE``. Only the chosen command's
module is imported, and Qt only when the window opens, so a report starts in a fraction of a
second and every command runs on a machine without a display.

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
import importlib
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

from annotator import __version__
from annotator.core.errors import AnnotatorError
from annotator.services.project import default_project_path, open_project


class Command(NamedTuple):
    module: str
    help: str  # the line ``annotator --help`` shows, without importing the module


#: Every subcommand, in the order ``annotator --help`` lists them.
_TABLE: dict[str, Command] = {
    "stats": Command("stats", "print counts of articles, sources, annotations"),
    "check": Command("check", "check the project file; exit 1 if anything is wrong"),
    "export": Command(
        "export", "export annotations as CSV (one row per annotation) or brat standoff files"
    ),
    "codebook": Command(
        "codebook", "list and edit the codebook; export it to, or import it from, a file"
    ),
    "import": Command(
        "import_articles", "import articles from files, folders, a manifest CSV or brat standoff"
    ),
    "coverage": Command(
        "coverage", "print or save issue coverage per source (or claims per speaker)"
    ),
    "backup": Command("backup", "write a checked backup of the project"),
    "restore": Command(
        "restore", "replace the project by one of its backups (without BACKUP: list them)"
    ),
    "suggest": Command(
        "suggest", "print or save the claims and speaker mentions the detector suggests"
    ),
    "merge": Command("team.merge", "merge other coders' project files into this project"),
    "agreement": Command(
        "team.agreement",
        "inter-coder agreement: Krippendorff's alpha-u, Cohen's and Fleiss' kappa, F1",
    ),
    "adjudicate": Command("team.adjudicate", "curate two coders' annotations into a gold coder"),
    "search": Command("corpus.search", "find text in every article (keyword in context)"),
    "code-all": Command(
        "corpus.code_all",
        "code every hit of a search (speaker mention, issue passage or claim)",
    ),
    "retrieve": Command(
        "corpus.retrieve",
        "list every passage coded with one issue or speaker (retrieved segments)",
    ),
}


class _Modules(Mapping[str, ModuleType]):
    """The command modules by name, each imported when first looked up: a report such as
    ``coverage`` then starts without the importers, exporters and agreement measures that the
    other commands load (0.3–0.6 s of every start, measured on a busy 2-core machine)."""

    def __getitem__(self, name: str) -> ModuleType:
        return importlib.import_module(f"{__name__}.{_TABLE[name].module}")

    def __iter__(self) -> Iterator[str]:
        return iter(_TABLE)

    def __len__(self) -> int:
        return len(_TABLE)


COMMANDS: Mapping[str, ModuleType] = _Modules()


class _Subcommands(argparse._SubParsersAction):
    """Lists every command with its help line, and lets a command's module add its arguments
    only once that command is chosen (so ``annotator coverage --help`` shows them all)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._registered: set[str] = set()

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        name = values[0]  # argparse has refused an unknown command by now
        if name not in self._registered:
            COMMANDS[name].register(self._name_parser_map[name])
            self._registered.add(name)
        super().__call__(parser, namespace, values, option_string)


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
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", action=_Subcommands)
    for name, command in _TABLE.items():
        subparsers.add_parser(name, help=command.help)
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
