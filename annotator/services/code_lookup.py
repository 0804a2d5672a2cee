"""Finding a code by the name a researcher typed on the command line or in a dialog.

A name that matches nothing is refused with the closest names, since it is almost always a
typo, and a name that is both an issue and a speaker asks which one was meant.
"""

import difflib

from annotator.core.errors import ValidationError
from annotator.core.model import Code, CodeKind
from annotator.store import Store

#: How many near names an unknown name's message offers.
_CLOSE = 3
#: How alike (difflib's ratio) a name or one of its words must be to count as near.
_LIKE = 0.75


def find_code(store: Store, name: str, kind: CodeKind | None = None) -> Code:
    """The code named ``name`` (ignoring case), of ``kind`` when given."""
    if not name.strip():
        raise ValidationError("A code name is needed.")
    kinds = [kind] if kind is not None else list(CodeKind)
    found = [c for c in (store.codes.by_name(k, name) for k in kinds) if c is not None]
    if len(found) > 1:
        raise ValidationError(
            f"{name.strip()!r} is both an issue and a speaker; say which with --kind issue "
            "or --kind speaker."
        )
    if found:
        return found[0]
    what = kind.value if kind is not None else "issue or speaker"
    close = close_names(store, name, kind)
    hint = f" Did you mean {' or '.join(repr(n) for n in close)}?" if close else ""
    raise ValidationError(f"No {what} named {name.strip()!r}.{hint}")


def close_names(store: Store, name: str, kind: CodeKind | None = None) -> list[str]:
    """Codebook names near ``name``: those containing it, then those spelled alike as a whole
    or in one of their words ("Kirbyy" finds "John Kirby")."""
    key = name.strip().casefold()
    names = [c.name for c in store.codes.all(kind)]
    containing = [n for n in names if key and key in n.casefold()]
    scored = sorted(((_likeness(key, n), n) for n in names), key=lambda pair: (-pair[0], pair[1]))
    alike = [n for score, n in scored if score >= _LIKE]
    return list(dict.fromkeys([*containing, *alike]))[:_CLOSE]


def _likeness(key: str, name: str) -> float:
    folded = name.casefold()
    return max(
        difflib.SequenceMatcher(None, key, part).ratio() for part in [folded, *folded.split()]
    )
