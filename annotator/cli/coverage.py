"""``annotator coverage``: issue coverage per source (or claims per speaker) as a table on
the terminal, a tidy CSV and a PNG chart, without a display."""

import argparse
import os
import shutil
import sys
import uuid
from pathlib import Path

from annotator.core.errors import ValidationError
from annotator.core.model import AnnotationKind, ArticleStatus, CodeKind
from annotator.core.wording import plural
from annotator.services.coverage import (
    CoverageFilter,
    CoverageTable,
    Measure,
    coverage_table,
    speaker_table,
    unmatched_values_warning,
    variable_pairs,
    write_coverage_csv,
)
from annotator.services.interchange.csv_export import unknown_coders_warning
from annotator.services.interchange.files import ExportError, refuse_project_file
from annotator.services.project import Project

#: A report: it runs beside a window that has the project open.
READS_ONLY = True

GAP = 2  # spaces between columns


def _status(text: str) -> ArticleStatus:
    """``in-progress`` and ``in_progress`` too, since a space needs quoting in a shell."""
    try:
        return ArticleStatus(text.strip().lower().replace("-", " ").replace("_", " "))
    except ValueError:
        choices = ", ".join(repr(s.value) for s in ArticleStatus)
        raise argparse.ArgumentTypeError(f"invalid status {text!r} (use {choices})") from None


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Issue coverage per source: issue passages and claims tagged with each "
        "issue. Repeatable filters keep what matches any of their values."
    )
    parser.add_argument(
        "--measure", type=Measure, choices=list(Measure), default=Measure.ANNOTATIONS,
        help="what to show (default: annotations); share is of the source's text, "
        "per-article is annotations / the source's articles",
    )  # fmt: skip
    parser.add_argument("--csv", type=Path, metavar="PATH", help="write the tidy table as CSV")
    parser.add_argument("--png", type=Path, metavar="PATH", help="draw the chart as PNG")
    parser.add_argument(
        "--raw", action="store_true", help="write CSV names as stored (no formula guard)"
    )
    parser.add_argument(
        "--kind", dest="kinds", action="append", default=[],
        choices=[AnnotationKind.ISSUE.value, AnnotationKind.CLAIM.value],
        help="count only issue passages or only claims (default: both)",
    )  # fmt: skip
    # dest differs from the global --annotator (who is coding), which must stay untouched.
    parser.add_argument(
        "--annotator", dest="annotators", action="append", default=[], metavar="NAME",
        help="only annotations by this coder (any case)",
    )  # fmt: skip
    parser.add_argument(
        "--from", dest="date_from", metavar="DATE",
        help="only articles published on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)",
    )  # fmt: skip
    parser.add_argument(
        "--to", dest="date_to", metavar="DATE", help="only articles published on or before DATE"
    )
    parser.add_argument(
        "--status", dest="statuses", action="append", default=[], type=_status, metavar="S",
        help="only articles with this status (new, in-progress, done) for a coder counted "
        "(--annotator), or without --annotator for anyone (new: no one has started it)",
    )  # fmt: skip
    parser.add_argument(
        "--roll-up", action="store_true", help="count child issues under their top-level issue"
    )
    parser.add_argument(
        "--speakers", action="store_true",
        help="claims per speaker instead of coverage per issue",
    )  # fmt: skip
    parser.add_argument(
        "--issue", metavar="NAME", help="with --speakers: only claims tagged with this issue"
    )
    parser.add_argument(
        "--where", dest="wheres", action="append", default=[], metavar="NAME=VALUE",
        help="only articles whose variable NAME has this value; repeated, values of one name "
        "are alternatives and different names must all hold",
    )  # fmt: skip
    parser.add_argument(
        "--by", metavar="NAME",
        help="rows by the values of this article variable instead of by source (articles "
        "without it in a '(none)' row)",
    )  # fmt: skip


def run(project: Project, args: argparse.Namespace) -> int:
    store = project.store
    pairs = variable_pairs(store, args.wheres)
    flt = CoverageFilter(
        kinds=frozenset(AnnotationKind(k) for k in args.kinds or ("issue", "claim")),
        annotators=frozenset(args.annotators),
        date_from=_date(args.date_from),
        date_to=_date(args.date_to),
        statuses=frozenset(args.statuses),
        roll_up=args.roll_up,
        variables=pairs,
        group_by=project.variables.resolve(args.by) if args.by is not None else None,
    )
    for warning in (
        unknown_coders_warning(store, args.annotators),
        unmatched_values_warning(store, pairs),
    ):
        if warning:
            print(f"annotator: warning: {warning}", file=sys.stderr)
    for target in (args.csv, args.png):
        if target is not None:
            refuse_project_file(store, target)
    if args.issue is not None and not args.speakers:
        raise ValidationError("--issue goes with --speakers.")
    if args.speakers:
        issue = store.codes.by_name(CodeKind.ISSUE, args.issue) if args.issue else None
        if args.issue and issue is None:
            raise ValidationError(f"No issue named {args.issue!r}.")
        table = speaker_table(store, flt, issue.id if issue else None)
    else:
        table = coverage_table(store, flt)
    rows = flt.group_by or "source"
    print(render_text(table, args.measure, "speaker" if args.speakers else "issue", rows))
    if args.csv is not None:
        write_coverage_csv(table, args.csv, raw=args.raw, rows=rows)
        print(f"Wrote {plural(len(table.tidy_rows()), 'row')} to {args.csv}")
    if args.png is not None:
        write_png(table, args.measure, args.png)
        print(f"Wrote the chart to {args.png}")
    return 0


def _date(text: str | None) -> str | None:
    return text.strip() if text is not None else None


def render_text(
    table: CoverageTable, measure: Measure, label: str = "issue", rows: str = "source"
) -> str:
    """Sources (or the values of the variable ``rows``) down, issues across, or one line per
    row and issue when the table would be wider than the terminal."""
    if not table.sources:
        return "No articles match the filters."
    articles = sum(s.articles for s in table.sources)
    what = measure.label if label == "issue" else measure.label.replace("annotations", "claims")
    if rows != "source":
        what = what.replace("the source's", "the group's")
    count = len(table.sources)
    among = (
        f"from {plural(count, 'source')}" if rows == "source" else f"in {plural(count, 'group')}"
    )
    lines = [f"{what.capitalize()} by {rows} and {label} ({plural(articles, 'article')} {among})"]
    if table.is_empty:
        lines.append(f"No {label} annotations counted.")
        return "\n".join(lines)
    cells = [
        [measure.format(table.value(measure, s.id, i.id)) for i in table.issues]
        for s in table.sources
    ]
    first = max(len(rows), *(len(s.name) for s in table.sources))
    widths = [
        max(len(issue.name), *(len(row[j]) for row in cells))
        for j, issue in enumerate(table.issues)
    ]
    if first + sum(w + GAP for w in widths) <= shutil.get_terminal_size((100, 24)).columns:
        lines.append(_line(rows, [i.name for i in table.issues], first, widths))
        lines.extend(
            _line(s.name, row, first, widths) for s, row in zip(table.sources, cells, strict=True)
        )
        return "\n".join(lines)
    for source in table.sources:
        lines.append(f"{source.name}:")
        counted = [i for i in table.issues if table.cell(source.id, i.id)]
        lines.extend(
            f"  {i.name}: {measure.format(table.value(measure, source.id, i.id))}" for i in counted
        )
        if not counted:
            lines.append("  (none)")
    return "\n".join(lines)


def _line(first: str, values: list[str], first_width: int, widths: list[int]) -> str:
    padded = (" " * GAP + v.rjust(w) for v, w in zip(values, widths, strict=True))
    return first.ljust(first_width) + "".join(padded)


def write_png(table: CoverageTable, measure: Measure, path: Path) -> None:
    """Drawn with the window's chart, offscreen when there is no display, to a temporary
    file that replaces ``path`` only once complete."""
    if not path.parent.is_dir():
        raise ExportError(f"The folder {path.parent} does not exist.")
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from annotator.ui.analysis.coverage_chart import render_coverage_png  # Qt only for --png
    except ImportError as exc:
        raise ExportError(f"Cannot draw the chart without the GUI libraries: {exc}.") from exc
    temporary = path.with_name(f".{path.stem}.{uuid.uuid4().hex[:12]}.png")
    try:
        render_coverage_png(table, measure, temporary)
        if not temporary.is_file():
            raise ExportError(f"The chart could not be drawn to {path}.")
        os.replace(temporary, path)  # noqa: PTH105 - the atomic step, named plainly
    except OSError as exc:
        raise ExportError(f"Could not write {path}: {exc.strerror or exc}.") from exc
    finally:
        temporary.unlink(missing_ok=True)
