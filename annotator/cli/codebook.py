"""``annotator codebook export|import PATH``: share a codebook as CSV or JSON."""

import argparse
from pathlib import Path

from annotator.core.model import CodeKind
from annotator.core.wording import plural
from annotator.services.interchange.codebook_files import export_codebook, import_codebook
from annotator.services.project import Project


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "codebook", help="export the codebook to, or import it from, a .csv or .json file"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="write every issue and speaker code to PATH")
    export.add_argument("path", type=Path, metavar="PATH", help="a .csv or .json file")
    imported = actions.add_parser(
        "import",
        help="add the codes of PATH that the project lacks; report, never overwrite, "
        "codes whose colour or parent differ",
    )
    imported.add_argument("path", type=Path, metavar="PATH", help="a .csv or .json file")


def reads_only(args: argparse.Namespace) -> bool:
    """``export`` only reads, beside a window too; ``import`` adds codes."""
    return bool(args.action == "export")


def run(project: Project, args: argparse.Namespace) -> int:
    if args.action == "export":
        count = export_codebook(project.store, args.path)
        print(f"Wrote {plural(count, 'code')} to {args.path}")
        return 0
    result = import_codebook(project.store, args.path)
    issues = sum(code.kind is CodeKind.ISSUE for code in result.added)
    speakers = len(result.added) - issues
    print(
        f"Added {plural(len(result.added), 'code')} ({plural(issues, 'issue')}, "
        f"{plural(speakers, 'speaker')}); {result.unchanged} already present; "
        f"{len(result.conflicts)} differ"
    )
    for line in result.conflicts:
        print(line)
    return 0
