"""``annotator export``: annotations as CSV for R, pandas or a spreadsheet, or as brat
standoff files; the articles with their variables as CSV."""

import argparse
import sys
from pathlib import Path

from annotator.core.errors import ValidationError
from annotator.core.model import AnnotationKind
from annotator.core.wording import plural
from annotator.services.interchange.articles_export import export_articles_csv
from annotator.services.interchange.brat.brat_export import export_brat
from annotator.services.interchange.csv_export import export_annotations_csv, unknown_coders_warning
from annotator.services.interchange.networks import NetworkMode, export_network
from annotator.services.interchange.refi.qdpx_export import export_qdpx
from annotator.services.interchange.statements import export_statements_csv
from annotator.services.project import Project

#: Exporting reads the project only, so it runs beside a window that has it open.
READS_ONLY = True


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Export annotations. Filters may be repeated; each keeps what matches any of its values."
    )
    parser.add_argument("--csv", type=Path, metavar="PATH", help="write a CSV file")
    parser.add_argument(
        "--raw",
        action="store_true",
        help="write CSV cells exactly as stored; by default cells starting with = + - @ "
        "get a leading ' so a spreadsheet shows them instead of running them",
    )
    parser.add_argument("--brat", type=Path, metavar="DIR", help="write brat standoff files")
    parser.add_argument(
        "--articles", type=Path, metavar="PATH",
        help="write the articles as CSV: metadata, your status (the global --annotator's), "
        "characters, annotations, then one column per article variable (--source applies)",
    )  # fmt: skip
    parser.add_argument(
        "--statements", type=Path, metavar="PATH",
        help="write the statements table as CSV: one row per claim and issue, for R and pandas",
    )  # fmt: skip
    parser.add_argument(
        "--qdpx", type=Path, metavar="FILE",
        help="write a REFI-QDA project (.qdpx) for MAXQDA, ATLAS.ti, NVivo, QualCoder",
    )  # fmt: skip
    parser.add_argument(
        "--network", type=Path, metavar="FILE.graphml",
        help="write a discourse network as GraphML (networkx, igraph, Gephi, visone)",
    )  # fmt: skip
    parser.add_argument(
        "--mode", choices=[m.value for m in NetworkMode], default=NetworkMode.ACTOR_ISSUE.value,
        help="the network --network writes (default: actor-issue)",
    )  # fmt: skip
    parser.add_argument(
        "--from", dest="date_from", metavar="DATE",
        help="--network only: articles published on or after DATE",
    )  # fmt: skip
    parser.add_argument(
        "--to", dest="date_to", metavar="DATE",
        help="--network only: articles published on or before DATE",
    )  # fmt: skip
    # dest differs from the global --annotator (who is coding), which must stay untouched.
    parser.add_argument(
        "--source", dest="sources", action="append", default=[], metavar="NAME",
        help="only articles from this source",
    )  # fmt: skip
    parser.add_argument(
        "--annotator", dest="annotators", action="append", default=[], metavar="NAME",
        help="only annotations by this coder (any case)",
    )  # fmt: skip
    parser.add_argument(
        "--kind", dest="kinds", action="append", default=[],
        choices=[k.value for k in AnnotationKind], help="only annotations of this kind",
    )  # fmt: skip


def run(project: Project, args: argparse.Namespace) -> int:
    targets = ("csv", "brat", "articles", "statements", "qdpx", "network")
    if all(getattr(args, name) is None for name in targets):
        raise ValidationError(
            "Say where to export: --csv PATH, --brat DIR, --articles PATH, --statements PATH, "
            "--qdpx FILE and/or --network FILE.graphml."
        )
    filters = {"sources": args.sources, "annotators": args.annotators, "kinds": args.kinds}
    warning = unknown_coders_warning(project.store, args.annotators)
    if warning:
        print(f"annotator: warning: {warning}", file=sys.stderr)
    if args.csv is not None:
        rows = export_annotations_csv(project.store, args.csv, raw=args.raw, **filters)
        print(f"Wrote {plural(rows, 'annotation')} to {args.csv}")
    if args.brat is not None:
        result = export_brat(project.store, args.brat, **filters)
        print(
            f"Wrote {plural(result.articles, 'article')} with "
            f"{plural(result.annotations, 'annotation')} to {args.brat}"
        )
        for annotation_id in result.skipped:
            print(
                f"skipped annotation {annotation_id}: it covers only line breaks",
                file=sys.stderr,
            )
    if args.articles is not None:
        coder = project.annotations.annotator
        count = export_articles_csv(
            project.store, args.articles, coder, raw=args.raw, sources=args.sources
        )
        print(f"Wrote {plural(count, 'article')} to {args.articles} (statuses: {coder}'s)")
    _exchange(project, args, filters)
    return 0


def _exchange(project: Project, args: argparse.Namespace, filters: dict) -> None:
    """The formats other tools read: statements, REFI-QDA, discourse networks."""
    if args.statements is not None:
        rows = export_statements_csv(
            project.store, args.statements, raw=args.raw,
            sources=args.sources, annotators=args.annotators,
        )  # fmt: skip
        print(f"Wrote {plural(rows, 'statement')} to {args.statements}")
    if args.qdpx is not None:
        done = export_qdpx(project.store, args.qdpx, **filters)
        print(
            f"Wrote {plural(done.articles, 'article')} with "
            f"{plural(done.annotations, 'annotation')} to {args.qdpx}"
        )
    if args.network is not None:
        net = export_network(
            project.store, args.network, args.mode, sources=args.sources,
            annotators=args.annotators, date_from=args.date_from, date_to=args.date_to,
        )  # fmt: skip
        print(
            f"Wrote the {args.mode} network ({plural(net.nodes, 'node')}, "
            f"{plural(net.edges, 'edge')}) to {args.network}"
        )
