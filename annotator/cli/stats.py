"""``annotator stats``: how much is in the project."""

import argparse
import json

from annotator.core.wording import plural
from annotator.services.project import Project
from annotator.services.reports import project_stats

#: Counting reads the project only, so it runs beside a window that has it open.
READS_ONLY = True
#: Only the default project, on first use (a reader never creates a --project path).
CREATES_PROJECT = True


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def run(project: Project, args: argparse.Namespace) -> int:
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
            f"  {name}: {plural(counts['articles'], 'article')}, "
            f"{plural(counts['annotations'], 'annotation')}"
        )
    return 0
