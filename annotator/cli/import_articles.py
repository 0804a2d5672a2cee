"""``annotator import``: articles from files, folders, a manifest CSV, or brat standoff.

Prints one line per file that was not simply imported (rejected, duplicate, skipped, or
imported with problems), then the totals; exits 1 if any file was rejected, else 0.
"""

import argparse

from annotator.core.errors import AnnotatorError, ValidationError
from annotator.services.interchange.brat.brat_import import parse_brat_map
from annotator.services.interchange.import_types import ImportFormat, ImportStatus, totals_line
from annotator.services.interchange.importing import MANIFEST_COLUMNS, import_items, plan_import
from annotator.services.interchange.refi.qdpx_import import import_qdpx
from annotator.services.project import Project

#: Importing into a new --project path makes it a project (with the starter codebook).
CREATES_PROJECT = True

_EPILOG = f"""\
Text and Markdown files may start with YAML front matter (title, source, published, author,
url); otherwise the first non-empty line is the title. HTML pages are reduced to their main
text; their title, author and date are used when the page has them. Nothing the page links
to is ever fetched.

The manifest is a UTF-8 CSV with the header {",".join(MANIFEST_COLUMNS)}; "file" is relative
to the manifest's folder, the other columns may be blank or left out, and any other column
is ignored (and reported once). Metadata comes from the manifest first, then the file, then
--source. A file with no source at all is rejected.

Folders are searched recursively; hidden files and folders are left out, and files of other
types are skipped and listed. A file already in the project is reported as a duplicate.

brat: each .txt with its .ann beside it becomes an article with its annotations, e.g.
  annotator import --format brat corpus/ --source AFP \\
      --map Source=speaker --map Content=claim --map Taiwan=issue
Relations and events joining a claim to a speaker mention make it the claim's speaker (to an
issue passage: the claim's issue). Unmapped types are counted and listed.

qdpx: a REFI-QDA project (.qdpx, or a codebook .qdc/.qde) from MAXQDA, ATLAS.ti, NVivo,
QualCoder or Annotator, all or nothing per file. Its codes become issues and its codings issue
passages unless --map CODE=speaker or CODE=claim says otherwise; an Annotator export comes
back as it was. Non-text sources (PDF, audio, pictures) are listed as skipped."""


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = "Import articles. Exit status 1 if any file was rejected, else 0."
    parser.epilog = _EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files and folders to import")
    # Also accepted after the command (`import --format brat DIR --annotator bob`): the coder
    # of the imported annotations. SUPPRESS leaves the global --annotator alone otherwise.
    parser.add_argument(
        "--annotator", metavar="NAME", default=argparse.SUPPRESS,
        help="the coder recorded on imported annotations (default: the global --annotator)",
    )  # fmt: skip
    parser.add_argument(
        "--source", metavar="NAME", help="the outlet of files that name none themselves"
    )
    parser.add_argument(
        "--manifest",
        metavar="CSV",
        help=f"CSV listing files with metadata: {','.join(MANIFEST_COLUMNS)} "
        "(other columns are ignored and reported)",
    )
    parser.add_argument(
        "--format",
        choices=[*(f.value for f in ImportFormat), "qdpx"],
        default=ImportFormat.AUTO.value,
        help="auto (by extension: .txt .md text, .html .htm HTML), text, html, brat, or qdpx "
        "(REFI-QDA projects)",
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="TYPE=KIND",
        help="brat and qdpx: import entity TYPE (a qdpx code) as KIND (claim, speaker or "
        "issue); repeatable",
    )


def run(project: Project, args: argparse.Namespace) -> int:
    if not args.paths and not args.manifest:
        raise ValidationError("Name at least one file or folder to import, or a --manifest.")
    if args.format == "qdpx":
        return _run_qdpx(project, args)
    chosen = ImportFormat(args.format)
    if args.map and chosen is not ImportFormat.BRAT:
        raise ValidationError(
            "--map applies to brat imports only (--format brat), and to REFI-QDA ones "
            "(--format qdpx)."
        )
    brat_map = parse_brat_map(args.map)
    source = (args.source or "").strip() or None
    items = plan_import(args.paths, manifest=args.manifest, format=chosen)
    outcomes = []
    for outcome in import_items(project, items, source=source, brat_map=brat_map):
        outcomes.append(outcome)
        for line in outcome.summary_lines():
            print(line, flush=True)  # as it happens: a large batch shows its progress
    print(totals_line(outcomes))
    return 1 if any(o.status is ImportStatus.REJECTED for o in outcomes) else 0


def _run_qdpx(project: Project, args: argparse.Namespace) -> int:
    """Each REFI-QDA file all or nothing: its summary, or one line saying why it was refused."""
    if args.manifest:
        raise ValidationError("--manifest does not apply to qdpx imports.")
    mapping = parse_brat_map(args.map)
    refused = 0
    for path in args.paths:
        try:
            result = import_qdpx(project, path, source=args.source, mapping=mapping)
        except AnnotatorError as exc:
            print(f"rejected {exc}", flush=True)
            refused += 1
            continue
        for line in result.summary_lines(str(path)):
            print(line, flush=True)
    return 1 if refused else 0
