"""YAML front matter (``---`` ... ``---``) at the top of a text file: the metadata of an
article kept beside its text in one file, as static-site tools and Pandoc do.

Aliases (``*name``, referring to an ``&name`` anchor) are refused: a few hundred bytes of
nested aliases ("billion laughs") expand to gigabytes, and no article's metadata needs them.
"""

import yaml

from annotator.core.errors import ValidationError

_FENCE = "---"

ALIASES_REFUSED = "Front matter uses YAML aliases (&/*), which are not allowed."


class _AliasesRefused(yaml.YAMLError):
    pass


class FrontMatter(dict[str, str | None]):
    """The keys and their values as text. ``nested`` names the keys whose value was a list
    or a mapping: their text is Python's rendering, fit for a message but not for a value."""

    nested: frozenset[str] = frozenset()


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that stops at the first alias, while composing: before anything is built,
    so an alias bomb costs no more than reading its few bytes."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            raise _AliasesRefused(ALIASES_REFUSED)
        return super().compose_node(parent, index)


def split_front_matter(text: str) -> tuple[FrontMatter, str]:
    """Metadata and body. Text without a leading fence is all body. The body is returned
    exactly as it follows the closing fence, so the stored text keeps its bytes."""
    if not text.startswith(_FENCE + "\n"):
        return FrontMatter(), text
    closing = text.find("\n" + _FENCE + "\n", len(_FENCE))
    if closing == -1:
        if text.endswith("\n" + _FENCE):
            closing = len(text) - len(_FENCE) - 1
        else:
            raise ValidationError("Front matter starts with '---' but is never closed.")
    raw = text[len(_FENCE) + 1 : closing + 1]
    body = text[closing + len(_FENCE) + 2 :]
    meta = _load(raw) if raw.strip() else {}
    if not isinstance(meta, dict):
        raise ValidationError("Front matter must be a mapping of keys to values.")
    # YAML reads 2024-04-02 as a date; the model keeps dates as ISO strings.
    found = FrontMatter({str(k): (v if v is None else str(v)) for k, v in meta.items()})
    found.nested = frozenset(str(k) for k, v in meta.items() if isinstance(v, list | dict))
    return found, body


def _load(raw: str) -> object:
    try:
        return yaml.load(raw, Loader=_NoAliasLoader)  # a SafeLoader: no Python objects
    except _AliasesRefused as exc:
        raise ValidationError(ALIASES_REFUSED) from exc
    except yaml.YAMLError as exc:
        raise ValidationError(f"Front matter is not valid YAML: {exc}") from exc
    except RecursionError as exc:  # PyYAML composes nested lists recursively
        raise ValidationError("Front matter is nested too deeply to read.") from exc
