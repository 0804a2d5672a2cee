"""``annotator retrieve``: every passage coded with one code across the project (issue
passages and claims tagged with an issue; speaker mentions and claims by a speaker), with
source, date, coder and context, printed or as CSV."""

import argparse
import sys
from pathlib import Path

from annotator.core.model import CodeKind
from annotator.core.wording import plural
from annotator.services.code_lookup import find_code
from annotator.services.corpus.retrieval import Segment, retrieve, write_segments_csv
from annotator.services.interchange.csv_export import unknown_coders_warning
from annotator.services.project import Project

#: Retrieving reads the project only, so it runs beside a window that has it open.
READS_ONLY = True


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Every passage coded with the code NAME: for an issue, its issue "
        "passages and the claims tagged with it; for a speaker, its speaker mentions and the "
        "claims by it. Each with its article, source, date, coder and a line of context."
    )
    parser.add_argument("--code", required=True, metavar="NAME", help="the issue or speaker")
    parser.add_argument(
        "--kind", choices=[k.value for k in CodeKind],
        help="which code NAME is, when an issue and a speaker share the name",
    )  # fmt: skip
    # dest differs from the global --annotator (who is coding), which must stay untouched.
    parser.add_argument(
        "--annotator", dest="annotators", action="append", default=[], metavar="NAME",
        help="only passages coded by this coder (any case; repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--source", dest="sources", action="append", default=[], metavar="NAME",
        help="only articles from this source (repeatable)",
    )  # fmt: skip
    parser.add_argument("--csv", type=Path, metavar="PATH", help="write a CSV file instead")
    parser.add_argument(
        "--raw",
        action="store_true",
        help="write CSV cells exactly as stored; by default cells starting with = + - @ "
        "get a leading ' so a spreadsheet shows them instead of running them",
    )


def run(project: Project, args: argparse.Namespace) -> int:
    store = project.store
    code = find_code(store, args.code, CodeKind(args.kind) if args.kind else None)
    warning = unknown_coders_warning(store, args.annotators)
    if warning:
        print(f"annotator: warning: {warning}", file=sys.stderr)
    segments = retrieve(store, code, sources=args.sources, annotators=args.annotators)
    if args.csv is not None:
        rows = write_segments_csv(store, segments, args.csv, raw=args.raw)
        print(f"Wrote {plural(rows, 'passage')} coded {code.name!r} to {args.csv}")
        return 0
    if segments:
        print(render_text(segments))
    articles = plural(len({s.article_id for s in segments}), "article")
    print(f"{plural(len(segments), 'passage')} coded {code.name!r} in {articles}")
    return 0


def render_text(segments: list[Segment]) -> str:
    """One block per article (title, source, date), then one line per passage: its kind,
    coder, and the passage in brackets within its context."""
    lines: list[str] = []
    shown = ""
    for s in segments:
        if s.article_id != shown:
            shown = s.article_id
            date = f", {s.published}" if s.published else ""
            lines.append(f"{s.article_title} ({s.source}{date}; {s.article_id})")
        text = " ".join(s.text.split())
        lines.append(f"  {s.kind.value:<8}{s.annotator:<12} {s.before}[{text}]{s.after}")
    return "\n".join(lines)
