"""``annotator suggest``: the claims and speakers the detector suggests, printed or as CSV.

Rejected suggestions and those an annotation already covers are left out, as in the window.
"""

import argparse
import csv
import sys
from collections.abc import Iterator
from pathlib import Path

from annotator.core.errors import ValidationError
from annotator.core.model import ArticleSummary
from annotator.core.wording import plural
from annotator.services.interchange.csv_export import unknown_coders_warning
from annotator.services.interchange.files import atomic_text_file, neutralise, refuse_project_file
from annotator.services.project import Project
from annotator.services.suggestions import (
    DEFAULT_MIN_CONFIDENCE,
    Suggestion,
    suggest_for_article,
)

#: Suggesting reads the project only (accepting is the window's), beside a window too.
READS_ONLY = True
CSV_COLUMNS = ("article_id", "article_title", "kind", "fragments", "text", "speaker")
_PREVIEW = 70


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Suggest claims (direct quotations and reported speech) and speaker "
        "mentions, with the speaker of each claim. Word lists: resources/suggest/en.yaml."
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--article", metavar="ID", help="only this article")
    which.add_argument("--all", action="store_true", help="every article (the default)")
    parser.add_argument("--csv", type=Path, metavar="PATH", help="write a CSV file instead")
    parser.add_argument(
        "--raw",
        action="store_true",
        help="write CSV cells exactly as found; by default cells starting with = + - @ get a "
        "leading ' so a spreadsheet shows them instead of running them",
    )
    parser.add_argument(
        "--min-confidence", type=float, default=DEFAULT_MIN_CONFIDENCE, metavar="X",
        help="only suggestions at least this sure, 0 to 1 (default %(default)s: all; 0.7 "
        "leaves out beliefs, intentions, feelings and bare quotations)",
    )  # fmt: skip
    # dest differs from the global --annotator (who is coding), which must stay untouched.
    parser.add_argument(
        "--annotator", dest="annotators", action="append", default=[], metavar="NAME",
        help="only this coder's annotations count as already annotated (any case)",
    )  # fmt: skip


def run(project: Project, args: argparse.Namespace) -> int:
    store = project.store
    least = args.min_confidence
    if not 0 <= least <= 1:
        raise ValidationError(f"--min-confidence must be between 0 and 1, not {least:g}.")
    if args.article:
        store.articles.get(args.article)  # an unknown id is one clear error line
        articles = [s for s in store.articles.summaries() if s.id == args.article]
    else:
        articles = store.articles.summaries()
    warning = unknown_coders_warning(store, args.annotators)
    if warning:
        print(f"annotator: warning: {warning}", file=sys.stderr)
    found = [
        (
            summary,
            [
                s
                for s in suggest_for_article(store, summary.id, annotators=args.annotators)
                if s.confidence >= least
            ],
        )
        for summary in articles
    ]
    count = sum(len(suggestions) for _, suggestions in found)
    if args.csv is not None:
        refuse_project_file(store, args.csv)
        with atomic_text_file(args.csv) as handle:
            writer = csv.writer(handle)
            writer.writerow(CSV_COLUMNS)
            for row in _rows(found):
                writer.writerow(row if args.raw else [neutralise(cell) for cell in row])
        print(f"Wrote {plural(count, 'suggestion')} to {args.csv}")
        return 0
    for summary, suggestions in found:
        if suggestions:
            print(f"{summary.title} ({summary.id})")
            for suggestion in suggestions:
                print("  " + _line(suggestion))
    with_any = sum(bool(suggestions) for _, suggestions in found)
    print(f"{plural(count, 'suggestion')} in {plural(with_any, 'article')}")
    return 0


def _rows(found: list[tuple[ArticleSummary, list[Suggestion]]]) -> Iterator[list[str]]:
    for summary, suggestions in found:
        for s in suggestions:
            yield [
                summary.id,
                summary.title,
                s.kind.value,
                ";".join(f"{start}-{end}" for start, end in s.fragments),
                s.text,
                s.speaker_name or "",
            ]


def _line(suggestion: Suggestion) -> str:
    spans = ";".join(f"{start}-{end}" for start, end in suggestion.fragments)
    speaker = suggestion.speaker_name or "(no speaker)"
    if suggestion.creates_speaker:
        speaker += " (new)"
    text = " ".join(suggestion.text.split())
    if len(text) > _PREVIEW:
        text = text[: _PREVIEW - 1] + "…"
    sure = f"{suggestion.confidence:.2f}"
    return (
        f"{suggestion.kind.value:<8}{spans:<14}{speaker:<32} {text}  ({sure}: {suggestion.reason})"
    )
