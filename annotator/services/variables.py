"""Article variables: reading them, and editing one article's as undoable Changes.

A name matches an existing one ignoring case and then takes that spelling, so "Outlet type"
typed in the window joins the manifest's "outlet type" rather than starting a second
variable. Names and values are checked by ``core.variables`` (``check_name``, ``check_value``).
"""

from collections.abc import Iterable

from annotator.core.errors import ConflictError, ValidationError
from annotator.core.variables import ArticleVariable, check_name, check_value
from annotator.services.changes import Change, Snapshot, apply_change
from annotator.store import Store

__all__ = ["ArticleVariable", "VariableService", "known_names"]


def known_names(names: Iterable[str]) -> str:
    """The variables, listed for a message."""
    listed = ", ".join(names)
    return listed or "none yet: import a manifest with more columns, or add them in the window"


class VariableService:
    def __init__(self, store: Store) -> None:
        self._store = store

    # -- reading --------------------------------------------------------------------------

    def of_article(self, article_id: str) -> list[ArticleVariable]:
        return self._store.variables.for_article(article_id)

    def names(self) -> list[tuple[str, int]]:
        """Every variable name with how many articles have it, by name."""
        return self._store.variables.names()

    def values(self, name: str) -> list[tuple[str, int]]:
        """The values of the variable (its name matched ignoring case) with their counts."""
        return self._store.variables.values(self.resolve(name))

    def spelling(self, name: str) -> str:
        """The checked name as it is stored: an existing variable's spelling when one matches
        ignoring case, else the name itself (trimmed)."""
        checked = check_name(name)
        key = checked.casefold()
        return next((n for n, _ in self.names() if n.casefold() == key), checked)

    def resolve(self, name: str) -> str:
        """The stored spelling of an existing variable, or a ValidationError listing them."""
        key = name.strip().casefold()
        names = [n for n, _ in self.names()]
        found = next((n for n in names if n.casefold() == key), None)
        if found is None:
            listed = known_names(names)
            raise ValidationError(f"No variable named {name.strip()!r} (variables: {listed}).")
        return found

    # -- editing --------------------------------------------------------------------------

    def set(
        self, article_id: str, name: str, value: str, *, replacing: str | None = None
    ) -> Change:
        """Give the article's variable ``name`` this value; with ``replacing`` (one of its
        variables), that one is renamed to ``name`` and given the value, in one step."""
        article = self._store.articles.get(article_id)  # NotFoundError for an unknown id
        stored = self.spelling(name)
        variable = ArticleVariable(article.id, stored, check_value(stored, value))
        before: list[ArticleVariable] = []
        if replacing is not None:
            old = self._store.variables.get(article.id, replacing)
            if old is None:
                raise ValidationError(f"{article.title!r} has no variable {replacing!r}.")
            before.append(old)
        current = self._store.variables.get(article.id, stored)
        if current is not None and current not in before:
            if replacing is not None:
                raise ConflictError(f"{article.title!r} already has a variable {stored!r}.")
            before.append(current)
        if before == [variable]:
            return Change("no change", Snapshot(), Snapshot())
        what = f"rename {replacing} to {stored}" if replacing not in (None, stored) else stored
        return apply_change(
            self._store,
            Change(
                f"set {what} of {article.title!r}",
                Snapshot(variables=tuple(before)),
                Snapshot(variables=(variable,)),
            ),
        )

    def delete(self, article_id: str, name: str) -> Change:
        """Remove the article's variable ``name`` (as stored)."""
        article = self._store.articles.get(article_id)
        current = self._store.variables.get(article.id, name)
        if current is None:
            raise ValidationError(f"{article.title!r} has no variable {name!r}.")
        return apply_change(
            self._store,
            Change(
                f"remove {name} of {article.title!r}",
                Snapshot(variables=(current,)),
                Snapshot(),
            ),
        )
