"""Claims with no one named: "The central bank is expected to act in December", "The donors
appear to have ties to …", "He was criticized for …", "a system designed to …". Reporting
marks them as attributed to no one in particular; the claim is the clause, cue and all."""

from collections.abc import Sequence

from annotator.core.attribution.nominal import after_copula
from annotator.core.attribution.rules import Rules
from annotator.core.attribution.segments import Token

Range = tuple[int, int]
#: What follows a passive cue: "expected to", "believed that", "known as", "criticized for".
_AFTER_PASSIVE = frozenset({"to", "that", "as", "for", "with"})
#: Words that open the clause such a claim is ("…, which is expected to …").
_CLAUSE_OPENERS = frozenset({"that", "which", "who", "while", "but", "and", "because", "as"})


def unattributed(tokens: Sequence[Token], rules: Rules) -> tuple[Range, Range] | None:
    """(the clause, the cue) of the first such claim in the sentence, as token ranges."""
    for i in range(1, len(tokens) - 1):
        low = tokens[i].low
        raised = low in rules.raising_words and tokens[i + 1].low == "to"
        passive = (
            low in rules.passive_cues
            and tokens[i + 1].low in _AFTER_PASSIVE
            and (after_copula(tokens, i, rules) or low in rules.reduced_passives)
        )
        if raised or passive:
            lo = _clause_start(tokens, i)
            if lo < i:
                return (lo, _clause_end(tokens)), (i, i + 1)
    return None


def _clause_start(tokens: Sequence[Token], i: int) -> int:
    for k in range(i - 1, -1, -1):
        token = tokens[k]
        if token.text in {",", ";", ":", "—", "("} or token.low in _CLAUSE_OPENERS:
            return k + 1
    return next((k for k, t in enumerate(tokens) if t.is_word or t.is_quote), 0)


def _clause_end(tokens: Sequence[Token]) -> int:
    hi = len(tokens)
    while hi > 0 and not tokens[hi - 1].is_word and not tokens[hi - 1].is_quote:
        hi -= 1
    return hi
