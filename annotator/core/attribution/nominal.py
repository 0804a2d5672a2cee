"""Cues that are not plain finite verbs: a noun of saying before "that" ("her claim that …",
"the warning that …"), a noun of saying owned by its speaker ("Will's call to …"), and the
progressive and adjectival forms after "be" ("is demanding that …", "is angry that …")."""

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from annotator.core.attribution.phrases import Phrase, ending_at, names_speaker
from annotator.core.attribution.rules import Rules
from annotator.core.attribution.segments import Token

T = TypeVar("T")
#: Words after the noun's "that" that show it is a pronoun or determiner, not a clause.
_NOT_CLAUSE = frozenset({",", ".", "is", "was", "would", "will", "has", "had", "could"})


def after_copula(tokens: Sequence[Token], i: int, rules: Rules) -> bool:
    """Whether a form of "be" (or "seem", "remain" …) stands before ``i``, past adverbs."""
    k = i - 1
    while k >= 0 and (
        (tokens[k].low.endswith("ly") and len(tokens[k].low) > 3)
        or tokens[k].low in rules.between_words  # "are well aware", "is not sure"
    ):
        k -= 1
    return k >= 0 and tokens[k].low in rules.copulas


def noun_that(
    tokens: Sequence[Token],
    rules: Rules,
    claim: Callable[[Sequence[Token], int, tuple[int, int], Phrase | None, Rules], T | None],
) -> T | None:
    """``… her claim that X`` / ``the warning that X``: X, with the noun as its cue. The
    speaker is the place named between noun and "that" ("a fear in parts of Whitehall that"
    is Whitehall's); otherwise none (the noun's owner is named too variously to be sure of)."""
    for i in range(len(tokens) - 2):
        if tokens[i].low not in rules.cue_nouns:
            continue
        that = _that_after(tokens, i + 1, rules)
        if that is None or that + 1 >= len(tokens):
            continue
        if tokens[that + 1].low in _NOT_CLAUSE or not tokens[that + 1].is_word:
            continue
        found = claim(tokens, that + 1, (i, i + 1), _holder(tokens, i + 2, that, rules), rules)
        if found is not None:
            return found
    return None


def _holder(tokens: Sequence[Token], lo: int, hi: int, rules: Rules) -> Phrase | None:
    """The longest phrase ending before "that" that names a speaker: "Whitehall" of "in
    parts of Whitehall", "government" of "in government"."""
    for start in range(lo, hi):
        if names_speaker(tokens[start:hi], rules):
            return Phrase(tuple(tokens[start:hi]))
    return None


def _that_after(tokens: Sequence[Token], k: int, rules: Rules) -> int | None:
    """The "that" right after the noun, or after a short phrase of place or owner ("a fear
    in parts of Whitehall that …", "an acknowledgement in government that …")."""
    if k < len(tokens) and tokens[k].low == "that":
        return k
    if k >= len(tokens) or tokens[k].low not in rules.phrase_prepositions | {"among", "within"}:
        return None
    for m in range(k + 1, min(len(tokens), k + 6)):
        if tokens[m].low == "that":
            return m
        if not tokens[m].is_word or tokens[m].low in rules.verbs:
            return None
    return None


#: Possessive pronouns, read as the pronoun a speaker is ("his call" is his: "he").
_POSSESSIVE = {"his": "he", "her": "she", "their": "they", "its": "it"}
#: What may follow an owned noun of saying: "call to …", "calls for …", "views on …".
_OWNED_LINKS = frozenset({"to", "for", "of", "about", "on", "that", "over", "against"})


def owned_noun(
    tokens: Sequence[Token],
    rules: Rules,
    claim: Callable[[Sequence[Token], int, tuple[int, int], Phrase | None, Rules], T | None],
) -> T | None:
    """``George Will's call to abandon Trump`` / ``his calls for more surveillance``: what
    follows the noun, said by its owner (one adjective may stand between: "his renewed
    calls for")."""
    for i in range(1, len(tokens) - 2):
        if tokens[i].low not in rules.owned_cues or tokens[i + 1].low not in _OWNED_LINKS:
            continue
        owner = _owner(tokens, i - 1, rules) or (i > 1 and _owner(tokens, i - 2, rules)) or None
        if owner is None:
            continue
        found = claim(tokens, i + 2, (i, i + 2), owner, rules)
        if found is not None:
            return found
    return None


def _owner(tokens: Sequence[Token], k: int, rules: Rules) -> Phrase | None:
    """The speaker a possessive at ``k`` names: "his" (as "he"), "George Will's"."""
    token = tokens[k]
    if token.low in _POSSESSIVE:
        return Phrase((replace(token, text=_POSSESSIVE[token.low]),))
    if not token.low.endswith(("'s", "’s")) or len(token.text) < 3:
        return None
    bare = replace(token, text=token.text[:-2], end=token.end - 2)
    found = ending_at([*tokens[:k], bare], k, (), rules)
    return found[0] if found else None
