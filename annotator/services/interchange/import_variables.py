"""Article variables brought by an import: a manifest's extra columns and a text file's
extra front matter keys.

The manifest's value wins over the front matter's for the same name. Values are checked per
file (one overlong cell refuses its file, naming the variable and where it came from). A file
whose text is already in the project adds the variables its article lacks and keeps those it
has, reporting each that differs: importing a manifest again with a new column fills the
column in without touching what was set since.

Front matter keys other than title, source, published, author and url become variables when
their value is a single value (text, a number, a date); a list or a mapping is left out with a
note, as is a key that cannot name a variable (``status``, a control character).
"""

import dataclasses
from collections.abc import Mapping, Sequence

from annotator.core.errors import ValidationError
from annotator.core.formats.frontmatter import FrontMatter
from annotator.core.variables import MAX_PER_ARTICLE, ArticleVariable, check_name, check_value
from annotator.core.wording import plural
from annotator.services.interchange.import_types import ArticleMetadata, ImportItem
from annotator.store import Store

Pairs = tuple[tuple[str, str], ...]

_KNOWN_KEYS = frozenset(f.name for f in dataclasses.fields(ArticleMetadata))


def with_variables(item: ImportItem, variables: Pairs) -> ImportItem:
    """The planned item with the manifest's variables for it (a refused item needs none)."""
    if item.verdict is not None or not variables:
        return item
    return dataclasses.replace(item, variables=variables)


def front_matter_variables(meta: Mapping[str, str | None]) -> tuple[Pairs, tuple[str, ...]]:
    """The extra keys of a file's front matter as variables, and a note for each left out."""
    nested = meta.nested if isinstance(meta, FrontMatter) else frozenset()
    found: list[tuple[str, str]] = []
    notes: list[str] = []
    for key, value in meta.items():
        if key in _KNOWN_KEYS or value is None or not value.strip():
            continue
        if key in nested:
            notes.append(f"front matter {key!r} not kept as a variable: a list or mapping")
            continue
        try:
            found.append((check_name(key), value))
        except ValidationError as exc:
            notes.append(f"front matter {key!r} not kept as a variable: {exc}")
    return tuple(found), tuple(notes)


def checked_variables(layers: Sequence[tuple[Pairs, str]]) -> dict[str, str]:
    """The values to store by name, the first layer's winning (the manifest's over the
    front matter's); raises ValidationError with the file's one-line reason."""
    chosen: dict[str, tuple[str, str, str]] = {}
    for pairs, origin in layers:
        for name, value in pairs:
            chosen.setdefault(name.casefold(), (name, value, origin))
    if len(chosen) > MAX_PER_ARTICLE:
        raise ValidationError(f"{len(chosen)} variables; the limit is {MAX_PER_ARTICLE}")
    checked: dict[str, str] = {}
    for name, value, origin in chosen.values():
        try:
            checked[name] = check_value(name, value)
        except ValidationError as exc:
            message = str(exc).rstrip(".")
            raise ValidationError(f"{message[:1].lower()}{message[1:]} {origin}") from exc
    return checked


class Spellings:
    """Stored spellings of variable names, read once per import: a name matching one
    ignoring case takes its spelling, as in the window."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._known: dict[str, str] | None = None

    def of(self, name: str) -> str:
        if self._known is None:
            self._known = {n.casefold(): n for n, _ in self._store.variables.names()}
        return self._known.setdefault(name.casefold(), name)


def keep_variables(
    store: Store, spellings: Spellings, article_id: str, variables: Mapping[str, str]
) -> tuple[int, tuple[str, ...]]:
    """Add the variables the article lacks; returns how many, and a note for each it has
    with another value (that value is kept)."""
    if not variables:
        return 0, ()
    have = {v.name: v.value for v in store.variables.for_article(article_id)}
    added, notes = 0, []
    for name, value in variables.items():
        stored = spellings.of(name)
        if stored not in have:
            store.variables.put(ArticleVariable(article_id, stored, value))
            added += 1
        elif have[stored] != value:
            notes.append(
                f"variable {stored!r} kept as {_short(have[stored])} (this file: {_short(value)})"
            )
    return added, tuple(notes)


def added_line(count: int) -> str:
    """What a duplicate's reason adds when the file brought variables its article lacked."""
    return "" if not count else f"; {plural(count, 'variable')} added to it"


def _short(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:60] + "…")
