"""Pure rules of the codebook: a code's aliases, and the issue tree's reading order.

Aliases live in the code's description, on a line ``aliases: a; b`` (commas work too): that
is where the suggestion detector reads them (``core/attribution/speakers.py``), where a
codebook file carries them, and it needs no column of its own. The rest of the description is
the code's memo.
"""

import re
from collections.abc import Iterable, Sequence

from annotator.core.errors import ValidationError
from annotator.core.model import Code

_ALIASES = re.compile(r"^\s*aliases\s*:(.*)$", re.IGNORECASE | re.MULTILINE)
_SEPARATORS = re.compile(r"[;,]")


def aliases_of(description: str) -> list[str]:
    """The aliases listed in a description, in order, each once (ignoring case)."""
    found: dict[str, str] = {}
    for line in _ALIASES.findall(description or ""):
        for alias in _SEPARATORS.split(line):
            alias = " ".join(alias.split())
            if alias:
                found.setdefault(alias.casefold(), alias)
    return list(found.values())


def memo_of(description: str) -> str:
    """The description without its ``aliases:`` lines."""
    return _ALIASES.sub("", description or "").strip("\n").rstrip()


def with_aliases(memo: str, aliases: Iterable[str]) -> str:
    """A description holding ``memo`` and one ``aliases:`` line (none for no aliases)."""
    cleaned: dict[str, str] = {}
    for alias in aliases:
        alias = " ".join(alias.split())
        if _SEPARATORS.search(alias):
            raise ValidationError(f"An alias cannot contain ';' or ',': {alias!r}.")
        if alias:
            cleaned.setdefault(alias.casefold(), alias)
    memo = memo_of(memo)
    if not cleaned:
        return memo
    line = "aliases: " + "; ".join(cleaned.values())
    return f"{memo}\n{line}" if memo else line


def split_aliases(text: str) -> list[str]:
    """Aliases as a coder types them in one box: "POTUS; President Biden"."""
    return [a for a in (" ".join(part.split()) for part in _SEPARATORS.split(text)) if a]


def tree_order(codes: Sequence[Code]) -> list[tuple[Code, int]]:
    """Each code with its depth, parents before their children, siblings by name (ignoring
    case): how an issue tree reads top to bottom. A code whose parent is not among ``codes``
    is a root."""
    ids = {c.id for c in codes}
    children: dict[str | None, list[Code]] = {}
    for code in codes:
        parent = code.parent_id if code.parent_id in ids else None
        children.setdefault(parent, []).append(code)
    ordered: list[tuple[Code, int]] = []
    seen: set[str] = set()

    def walk(parent: str | None, depth: int) -> None:
        for code in sorted(children.get(parent, []), key=lambda c: (c.name.casefold(), c.id)):
            if code.id not in seen:  # a loop in a damaged file cannot hold us
                seen.add(code.id)
                ordered.append((code, depth))
                walk(code.id, depth + 1)

    walk(None, 0)
    for code in codes:  # only a loop in a damaged file leaves any: shown at the top level
        if code.id not in seen:
            seen.add(code.id)
            ordered.append((code, 0))
    return ordered
