"""Which names a coder probably meant: a typo ("Kirbyy"), initials ("JK"), another case or
accents ("jose alvarez"). Used where a name matched nothing, so that nothing is created from a
typo: the window's code pickers and the CLI's "Did you mean …?".

Matching ignores case, accents, curly apostrophes and full stops ("U.S." = "US"). A typed
name is close to a name when it is the name, its initials, the start of one of its words, or
within a few edits (a letter left out, added, changed, or two swapped) of the name, of one of
its words, or of a run of as many words as were typed.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

_PARENTHESIS = re.compile(r"\s*\([^)]*\)")
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """``text`` as names are compared: accents dropped, casefolded, apostrophes straight,
    full stops dropped and spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = plain.casefold().replace("’", "'").replace(".", "")
    return " ".join(folded.split())


def initials(name: str) -> str:
    """The first letter of each word of ``name``, folded: "John Kirby" gives "jk"."""
    return "".join(word[0] for word in _WORD.findall(fold(_PARENTHESIS.sub("", name))))


def edit_distance(a: str, b: str) -> int:
    """Letters to insert, delete or change, or neighbours to swap, to turn ``a`` into ``b``
    (optimal string alignment)."""
    if a == b:
        return 0
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        row = [i]
        for j, other in enumerate(b, 1):
            cost = 0 if char == other else 1
            best = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                best = min(best, previous2[j - 2] + 1)
            row.append(best)
        previous2, previous = previous, row
    return previous[-1]


def _forms(name: str, typed_words: int) -> list[str]:
    """What a typed name is compared with: the whole name (with and without a parenthesis),
    each word, and each run of as many words as were typed."""
    whole = fold(name)
    bare = fold(_PARENTHESIS.sub("", name))
    words = bare.split()
    runs = [" ".join(words[i : i + typed_words]) for i in range(len(words) - typed_words + 1)]
    return list(dict.fromkeys([whole, bare, *words, *runs]))


def _score(typed: str, name: str) -> tuple[int, int] | None:
    """How close ``typed`` (folded) is to ``name``, lower is closer; None when not close."""
    forms = _forms(name, len(typed.split()))
    if typed in forms[:2]:
        return (0, 0)
    compact = typed.replace(" ", "")
    if len(compact) >= 2 and compact == initials(name):
        return (1, 0)
    if any(form.startswith(typed) for form in forms) or typed in forms[0]:
        return (2, 0)
    allowed = max(1, len(typed) // 3)
    distance = min(edit_distance(typed, form) for form in forms)
    if distance <= allowed and distance < len(typed):
        return (3, distance)
    return None


def closest(
    names: Iterable[str],
    typed: str,
    n: int = 3,
    *,
    aliases: Mapping[str, Sequence[str]] | None = None,
) -> list[str]:
    """Up to ``n`` of ``names`` the coder may have meant by ``typed``, closest first (ties by
    name). A name's ``aliases`` count as the name: "POTUS" may find "Joe Biden"."""
    key = fold(typed)
    if not key or n <= 0:
        return []
    found: list[tuple[tuple[int, int], str, str]] = []
    for name in dict.fromkeys(names):
        scores = [
            s
            for s in (_score(key, form) for form in [name, *(aliases or {}).get(name, ())])
            if s is not None
        ]
        if scores:
            found.append((min(scores), fold(name), name))
    found.sort()
    return [name for _, _, name in found[:n]]


def did_you_mean(names: Sequence[str]) -> str:
    """``Did you mean John Kirby?``, or with several ``Did you mean A, B or C?``; "" for none."""
    if not names:
        return ""
    if len(names) == 1:
        return f"Did you mean {names[0]}?"
    return f"Did you mean {', '.join(names[:-1])} or {names[-1]}?"
