"""Article variables: what a researcher knows about an article beyond its text and metadata
(outlet type, country, section), as name → text value, to filter and group coverage by.

Names and values are checked here, once, for every way in (the window, a manifest's extra
columns, front matter, a merge): a name must be something a column header and a menu can
show, and must not pass for one of the fixed columns of ``annotator export --articles``.
"""

import unicodedata
from dataclasses import dataclass

from annotator.core.errors import ValidationError

#: The fixed columns of the articles export, in order; a variable may not take their names
#: (ignoring case), or its column would be mistaken for one of them.
FIXED_COLUMNS = (
    "article_id", "title", "source", "published", "author", "url", "status", "characters",
    "annotations",
)  # fmt: skip

MAX_NAME = 100
#: As long as the longest metadata field of an import (a title, an author).
MAX_VALUE = 1_000
#: Variables one file may bring: a manifest is a table of a few descriptors, not a dataset.
MAX_PER_ARTICLE = 100

#: Format characters some scripts need inside words (Persian, Indic): kept.
_JOINERS = frozenset({"\u200c", "\u200d"})
#: Control, format (bidi overrides, zero-width spaces), surrogate, private and unassigned.
_REFUSED = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_FIXED = frozenset(FIXED_COLUMNS)


@dataclass(frozen=True, slots=True)
class ArticleVariable:
    """One variable of one article, a row of ``article_variables``."""

    article_id: str
    name: str
    value: str

    @property
    def id(self) -> str:
        """The row's key as one string, so ``compose()`` treats it like every other row.
        Article ids never hold "|", so the key is unambiguous."""
        return f"{self.article_id}|{self.name}"


def check_name(name: str) -> str:
    """The name as stored (trimmed, NFC), or a ValidationError saying what is wrong."""
    if not isinstance(name, str):
        raise ValidationError("A variable name must be text.")
    cleaned = unicodedata.normalize("NFC", name.strip())
    if not cleaned:
        raise ValidationError("A variable needs a name.")
    bad = _first_refused(cleaned)
    if bad is not None:
        raise ValidationError(
            f"Variable name {cleaned!r} holds a control character ({bad}); use letters, "
            "digits, spaces and punctuation."
        )
    if len(cleaned) > MAX_NAME:
        raise ValidationError(
            f"Variable name {cleaned[:40]!r}… is {len(cleaned):,} characters long; the limit "
            f"is {MAX_NAME}."
        )
    if cleaned.casefold() in _FIXED:
        raise ValidationError(
            f"{cleaned!r} is a fixed article column ({', '.join(FIXED_COLUMNS)}); give the "
            "variable another name."
        )
    return cleaned


def check_value(name: str, value: str) -> str:
    """The value as stored (trimmed, line ends as LF), or a ValidationError naming the
    variable. Line breaks and tabs are kept (a spreadsheet cell may hold them); an empty
    value is refused: a variable without a value is removed, not stored."""
    if not isinstance(value, str):
        raise ValidationError(f"The value of {name!r} must be text.")
    cleaned = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not cleaned:
        raise ValidationError(f"Variable {name!r} needs a value (remove it instead).")
    bad = _first_refused(cleaned.replace("\n", "").replace("\t", ""))
    if bad is not None:
        raise ValidationError(f"The value of {name!r} holds a control character ({bad}).")
    if len(cleaned) > MAX_VALUE:
        raise ValidationError(
            f"The value of {name!r} is too long ({len(cleaned):,} characters; the limit is "
            f"{MAX_VALUE:,})."
        )
    return cleaned


def _first_refused(text: str) -> str | None:
    """The first refused character, as U+XXXX, or None."""
    for char in text:
        if char not in _JOINERS and unicodedata.category(char) in _REFUSED:
            return f"U+{ord(char):04X}"
    return None
