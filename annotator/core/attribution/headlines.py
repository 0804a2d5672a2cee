"""Headlines: title case hides the cue ("Bernie Sanders Promises Action on Immigration")
and a colon stands for "says" ("De Blasio: Trust Bratton on security"). Only the article's
first paragraph is read as a headline."""

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from annotator.core.attribution.phrases import Phrase, names_speaker
from annotator.core.attribution.rules import Rules
from annotator.core.attribution.segments import Token

T = TypeVar("T")
#: Share of capitalised words that makes a line title case.
TITLE_SHARE = 0.6
#: Longest name before a headline's colon, in words.
MAX_NAME = 5


def title_case(tokens: Sequence[Token]) -> bool:
    words = [t for t in tokens if t.is_word and t.text[:1].isalpha()]
    return len(words) >= 4 and sum(t.capitalised for t in words) >= TITLE_SHARE * len(words)


def lower_cues(tokens: Sequence[Token], rules: Rules) -> tuple[Token, ...]:
    """The tokens with the cue words of a title-case line in lower case, so "Promises" is
    read as the verb it is (offsets unchanged); not the first word, nor a name before the
    headline's colon ("City Herald: …")."""
    colon = _colon(tokens) or 0
    return tuple(
        replace(t, text=t.low) if i > colon and t.is_word and t.low in rules.verbs else t
        for i, t in enumerate(tokens)
    )


def colon_claim(
    tokens: Sequence[Token],
    rules: Rules,
    claim: Callable[[Sequence[Token], int, tuple[int, int], Phrase | None, Rules], T | None],
) -> T | None:
    """``NY Daily News: Paris Terror Attacks Highlight Threat``: the name before the colon
    says what follows it."""
    colon = _colon(tokens)
    if not colon:
        return None
    name = tuple(tokens[:colon])
    if not all(t.is_word or t.text == "." for t in name) or not names_speaker(name, rules):
        return None
    if not name[-1].capitalised or (
        len(name) == 1 and name[0].text.isupper() and len(name[0].text) > 4
    ):
        return None  # "BUSTED: …" is a kicker, not a name
    return claim(tokens, colon + 1, (colon, colon + 1), Phrase(name), rules)


def _colon(tokens: Sequence[Token]) -> int | None:
    """Where a headline's colon stands after a short name ("NY Daily News: …"), if it does."""
    return next((i for i, t in enumerate(tokens[: MAX_NAME + 1]) if t.text == ":"), None)
