"""``annotator search``: find a word, a phrase or a regular expression in every article,
printed as keyword-in-context lines grouped by article, or as JSON."""

import argparse
import json

from annotator.core.search import SearchQuery
from annotator.services.corpus.search import SearchResult, result_json, search
from annotator.services.project import Project

#: Searching reads the project only, so it runs beside a window that has it open.
READS_ONLY = True

#: Code points of context shown on each side in the terminal.
_SIDE = 40


def add_pattern_options(parser: argparse.ArgumentParser) -> None:
    """The pattern and how to match it: shared with ``code-all``."""
    parser.add_argument("pattern", metavar="PATTERN", help="the text (or expression) to find")
    parser.add_argument(
        "--regex", action="store_true", help="PATTERN is a Python regular expression"
    )
    parser.add_argument(
        "--whole-word", action="store_true", help="match whole words only (not 'Xi' in 'Xinhua')"
    )
    parser.add_argument(
        "--case-sensitive", action="store_true", help="match case exactly (default: ignore case)"
    )


def query_of(args: argparse.Namespace) -> SearchQuery:
    return SearchQuery(
        args.pattern,
        regex=args.regex,
        whole_word=args.whole_word,
        case_sensitive=args.case_sensitive,
    )


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Find PATTERN in every article. Offsets are in code points, as in every "
        "export. Matches do not overlap; a regular expression's empty matches are skipped."
    )
    add_pattern_options(parser)
    parser.add_argument(
        "--json",
        action="store_true",
        help='print {"matches", "articles", "hits": [{"article_id", "article_title", "start", '
        '"end", "text", "before", "after"}]}',
    )


def run(project: Project, args: argparse.Namespace) -> int:
    result = search(project.store, query_of(args))
    if args.json:
        print(json.dumps(result_json(result), ensure_ascii=False, indent=2))
    else:
        print(render_text(result))
    return 0


def render_text(result: SearchResult) -> str:
    """One block per article: its title and id, then one line per hit, the hit in brackets
    between the text before and after it on its line."""
    lines = []
    for article in result.articles:
        lines.append(f"{article.title} ({article.article_id})")
        for hit in article.hits:
            before = _flat(hit.before)[-_SIDE:].rjust(_SIDE)
            after = _flat(hit.after)[:_SIDE]
            lines.append(f"  {hit.start:>7}  {before}[{_flat(hit.text)}]{after}")
    articles = "article" if result.article_count == 1 else "articles"
    matches = "match" if result.matches == 1 else "matches"
    lines.append(f"{result.matches} {matches} in {result.article_count} {articles}")
    return "\n".join(lines)


def _flat(text: str) -> str:
    """Line breaks and tabs as spaces, so one hit stays one line."""
    return " ".join(text.split("\n")).replace("\t", " ")
