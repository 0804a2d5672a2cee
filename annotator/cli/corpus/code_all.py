"""``annotator code-all``: code every hit of a search as a speaker mention, an issue passage
or a claim, as the project's coder, skipping hits already coded that way."""

import argparse
import json

from annotator.cli.corpus.search import add_pattern_options, query_of
from annotator.core.model import AnnotationKind
from annotator.services.corpus.code_all import code_all, plan_code_all, resolve_target
from annotator.services.project import Project


def reads_only(args: argparse.Namespace) -> bool:
    """A dry run writes nothing, so it runs beside a window too."""
    return bool(getattr(args, "dry_run", False))


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Search every article for PATTERN (as 'annotator search' does) and code "
        "each hit, as the coder named by --annotator before the command. A hit this coder "
        "already coded the same way is skipped, so running it twice creates nothing new."
    )
    add_pattern_options(parser)
    parser.add_argument(
        "--kind", required=True, choices=[k.value for k in AnnotationKind],
        help="what each hit becomes: speaker (mention), issue (passage) or claim",
    )  # fmt: skip
    parser.add_argument(
        "--code", metavar="NAME",
        help="the speaker (--kind speaker) or issue (--kind issue); with --kind claim, an "
        "issue to tag the claims with (optional)",
    )  # fmt: skip
    parser.add_argument("--speaker", metavar="NAME", help="with --kind claim: who speaks")
    parser.add_argument("--dry-run", action="store_true", help="count only; write nothing")
    parser.add_argument(
        "--json", action="store_true", help='print {"matches": n, "created": n, "already": n}'
    )


def run(project: Project, args: argparse.Namespace) -> int:
    store = project.store
    target = resolve_target(store, AnnotationKind(args.kind), args.code, args.speaker)
    plan = plan_code_all(store, project.annotations.annotator, query_of(args), target)
    created = 0 if args.dry_run else len(code_all(project, plan).after.annotations)
    if args.json:
        counts = {"matches": plan.matches, "created": created, "already": plan.already}
        if args.dry_run:
            counts.update(dry_run=True, would_create=plan.to_create)
        print(json.dumps(counts))
        return 0
    matches = "match" if plan.matches == 1 else "matches"
    done = f"would code {plan.to_create}" if args.dry_run else f"coded {created}"
    line = f"{plan.matches} {matches}: {done} as {target.label}; {plan.already} already coded"
    print(line + (" (dry run: nothing written)" if args.dry_run else ""))
    return 0
