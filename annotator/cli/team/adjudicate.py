"""``annotator adjudicate``: two coders curated into a target coder (gold), for scripted
pipelines and large teams; the window's Adjudicate tab takes the same decisions one by one.

Agreed annotations are copied; with ``--prefer A`` (or B) every disagreement still open is
resolved with that coder's version and the other coder's lone annotations are left out, so
gold equals that coder's annotations on the articles both coded. Without ``--prefer`` the
disagreements are counted and left for the window. Running it again changes nothing.
"""

import argparse
import json

from annotator.core.errors import ValidationError
from annotator.core.wording import plural
from annotator.services.project import Project
from annotator.services.team.adjudication import DEFAULT_TARGET, CurationService


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Copy the annotations two coders agree on into a target coder (default "
        f"{DEFAULT_TARGET!r}); with --prefer, resolve every open disagreement with one "
        "coder's version. The coders' own annotations are never changed."
    )
    parser.add_argument("--coders", required=True, metavar="A,B", help="the two coders")
    parser.add_argument(
        "--into", default=DEFAULT_TARGET, metavar="TARGET",
        help=f"the coder the curated annotations go to (default: {DEFAULT_TARGET})",
    )  # fmt: skip
    parser.add_argument(
        "--prefer", choices=["A", "B"],
        help="resolve every open disagreement with A's (or B's) version; that coder's lone "
        "annotations are kept, the other's left out",
    )  # fmt: skip
    parser.add_argument(
        "--article", dest="articles", action="append", default=[], metavar="ID",
        help="only this article (repeatable; default: every article both coders annotated)",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")


def run(project: Project, args: argparse.Namespace) -> int:
    coders = [c.strip() for c in args.coders.split(",") if c.strip()]
    if len(coders) != 2:
        raise ValidationError("--coders takes exactly two names, e.g. --coders alice,bob.")
    known = set(project.store.annotations.annotators())
    for name in coders:
        if name not in known:
            listed = ", ".join(sorted(known)) or "nobody yet"
            raise ValidationError(f"No annotations by {name!r}. Coders here: {listed}.")
    service = CurationService(project.store, coders[0], coders[1], args.into)
    report = service.adjudicate(prefer=args.prefer, article_ids=args.articles or None)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
        return 0
    print(
        f"{plural(report.articles, 'article')} annotated by both {coders[0]} (A) and "
        f"{coders[1]} (B), curated into {service.target}."
    )
    print(f"Agreed: {report.agreed}. Disagreements: {report.disagreements} "
          f"({report.resolved} resolved, {report.unresolved} open).")  # fmt: skip
    print(f"Copied into {service.target}: {plural(report.copied, 'annotation')}.")
    if report.unresolved:
        print("Open disagreements: decide them in the window's Adjudicate tab, or run again "
              "with --prefer A or --prefer B.")  # fmt: skip
    return 0
