"""What a merge does with the other project's article variables.

They follow their articles (matched by text, or added). A variable this project lacks is
taken; one it has keeps this project's value, and a different incoming value is reported as
a conflict rather than guessed at, as for codes. A name matching one of this project's
ignoring case takes its spelling. The other file's rows are checked like any input: a name or
value this version would refuse is left out and said.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from annotator.core.errors import ValidationError
from annotator.core.variables import ArticleVariable, check_name, check_value
from annotator.store import Store


@dataclass(frozen=True, slots=True)
class VariablePlan:
    take: tuple[ArticleVariable, ...] = ()
    notes: tuple[str, ...] = ()  # conflicts and refused rows, one line each


def plan_variables(
    store: Store, theirs: Iterable[ArticleVariable], article_map: Mapping[str, str]
) -> VariablePlan:
    """Their variables on our articles (``article_map``: their article id → ours) that this
    project lacks, and a line for each that differs or is refused."""
    ours: dict[tuple[str, str], str] = {
        (v.article_id, v.name): v.value for v in store.variables.all()
    }
    spelling = {name.casefold(): name for _, name in ours}
    take: dict[tuple[str, str], ArticleVariable] = {}
    notes: list[str] = []
    for variable in theirs:
        if variable.article_id not in article_map:  # its article was not merged
            continue
        article_id = article_map[variable.article_id]
        try:
            checked = check_name(variable.name)
            name = spelling.setdefault(checked.casefold(), checked)
            value = check_value(name, variable.value)
        except ValidationError as exc:
            notes.append(f"Variable not taken: {str(exc).rstrip('.')}")
            continue
        here = ours.get((article_id, name))
        if here is None:
            take.setdefault((article_id, name), ArticleVariable(article_id, name, value))
        elif here != value:
            title = store.articles.get(article_id).title
            notes.append(
                f"Conflict: article {title!r}: variable {name!r} differs (here {here!r}, "
                f"there {value!r}); kept this project's"
            )
    return VariablePlan(tuple(take.values()), tuple(notes))
