"""Finding the phrase that names a speaker next to a reporting verb.

There is no parser here, only the shape of news copy: a speaker is a short phrase of
capitalised words, determiners and nouns that ends in a name, a pronoun or a noun that can
speak ("official", "residents", "the ministry"), found right before the verb ("Flynn said",
"the official has long argued"), right after it ("said Flynn") or after "according to".
"""

from collections.abc import Sequence
from dataclasses import dataclass

from annotator.core.attribution.rules import Rules
from annotator.core.attribution.segments import Token

#: Longest phrase taken for a speaker, in words.
MAX_WORDS = 8
#: Longest run of asides between a speaker and the verb, in tokens ("Win Htein, a member
#: of the party's central executive committee, said").
MAX_ASIDE_SPAN = 30
#: What may open the clause a speaker starts ("In the call, Xi told ...").
_OPENERS = frozenset({",", ":", ";", "—", "–", "-", "("})
_APOSTROPHES = frozenset("’'")
#: A time between a speaker and the verb: "last week", "on Monday", "this year".
_TIME_WORDS = frozenset({"last", "this", "next", "on", "earlier", "later"})
_TIMES = frozenset({"week", "month", "year", "night", "weekend", "summer", "spring", "fall"})
#: Relative pronouns whose antecedent is the speaker ("Trump, who said …").
_RELATIVES = frozenset({"who", "which"})


@dataclass(frozen=True, slots=True)
class Phrase:
    """The speaker's phrase as written, and a name set off by commas after it (the
    ``Ana Ruiz`` of "The finance minister, Ana Ruiz, told ...")."""

    tokens: tuple[Token, ...]
    apposition: tuple[Token, ...] = ()

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end


def is_cue_word(token: Token, rules: Rules) -> bool:
    return token.is_word and token.low in rules.verbs


def is_participle(token: Token) -> bool:
    return token.is_word and token.low.endswith("ing") and len(token.text) > 4


def is_name_run(tokens: Sequence[Token], rules: Rules) -> bool:
    """Capitalised words, with particles such as "de" or "of" between them."""
    if not tokens or not tokens[0].capitalised or not tokens[-1].capitalised:
        return False
    return all(t.capitalised or t.low in rules.name_particles for t in tokens)


def phrase_before(tokens: Sequence[Token], verb: int, rules: Rules) -> tuple[Phrase, int] | None:
    """The speaker's phrase ending before the verb at ``verb`` and the index where it starts.

    Auxiliaries and adverbs may stand between them ("has regularly denied"), and so may an
    aside in commas ("Xi, in turn, argued"); an aside that is a name is kept as apposition.
    After ", who" the speaker is the phrase before the comma.
    """
    k = verb - 1
    lemma = rules.verbs.get(tokens[verb].low, "")
    copula = is_participle(tokens[verb]) or rules.cue_class.get(lemma) == "feel"
    while k >= 0 and tokens[k].is_word:
        if _between(tokens[k], rules) or (copula and tokens[k].low in rules.copulas):
            k -= 1
        elif k >= 1 and tokens[k].low in _TIMES and tokens[k - 1].low in _TIME_WORDS:
            k -= 2  # "a WBUR poll last week showed", "the council on Monday said"
        elif tokens[k].low in rules.not_speakers and tokens[k - 1].low in _TIME_WORDS:
            k -= 2
        else:
            break
    if k >= 0 and tokens[k].text == ")":  # "Sen. Rand Paul (R-Ky.) said"
        k = _before_parenthesis(tokens, k)
    if k >= 0 and tokens[k].text == ",":
        return _before_asides(tokens, k, rules)
    if k >= 1 and tokens[k].low in _RELATIVES and tokens[k - 1].text == ",":
        k -= 2  # "Donald J. Trump, who suggested …": the antecedent speaks
    return ending_at(tokens, k, (), rules)


def _before_asides(tokens: Sequence[Token], comma: int, rules: Rules) -> tuple[Phrase, int] | None:
    """The speaker before one or more asides in commas ("Yin Myint May, 60, a doctor,
    said"; "Win Htein, a member of the party's executive committee, said"): the first
    phrase that can name a speaker and opens its clause; a name as the aside after it is
    kept as apposition ("The finance minister, Ana Ruiz, said")."""
    commas = [comma]
    m = comma - 1
    while m >= 0 and comma - m <= MAX_ASIDE_SPAN and _in_aside(tokens[m]):
        if tokens[m].text == ",":
            commas.append(m)
        m -= 1
    commas.reverse()
    for index, at in enumerate(commas[:-1]):
        aside = tuple(t for t in tokens[at + 1 : commas[index + 1]])
        apposition = aside if is_name_run(aside, rules) else ()
        found = ending_at(tokens, at - 1, apposition, rules)
        if found is not None and _opens(tokens, found[1], rules):
            return found
    return None


def _before_parenthesis(tokens: Sequence[Token], close: int) -> int:
    """The index before the "(" that the ")" at ``close`` ends, within a few tokens; -1
    (nothing before) when there is none."""
    for m in range(close - 1, max(-1, close - 8), -1):
        if tokens[m].text == "(":
            return m - 1
    return -1


def _in_aside(token: Token) -> bool:
    return token.is_word or token.text in {",", ".", "(", ")", "-", "–", "'", "’", "&"}


def _opens(tokens: Sequence[Token], start: int, rules: Rules) -> bool:
    if start == 0:
        return True
    before = tokens[start - 1]
    return before.text in _OPENERS or before.low in rules.boundary_words or before.is_quote


def ending_at(
    tokens: Sequence[Token], end: int, apposition: tuple[Token, ...], rules: Rules
) -> tuple[Phrase, int] | None:
    if end >= 0 and tokens[end].text == ")":  # "Sen. Claire McCaskill (D-Mo.), who …"
        end = _before_parenthesis(tokens, end)
    if end >= 0 and tokens[end].is_word and tokens[end].low in rules.pronouns:
        return Phrase((tokens[end],), apposition), end  # "it" ends a phrase elsewhere
    k = end
    while k >= 0 and end - k < MAX_WORDS + 1 and _inside_phrase(tokens, k, rules):
        k -= 1
    start = k + 1
    if start > end or (k >= 0 and _inside_phrase(tokens, k, rules)):
        return None  # nothing there, or longer than a speaker's phrase
    phrase = tuple(tokens[start : end + 1])
    if not names_speaker(phrase, rules):
        return None
    return Phrase(phrase, apposition), start


def phrase_after(tokens: Sequence[Token], first: int, rules: Rules) -> tuple[Phrase, int] | None:
    """The speaker's phrase starting at ``first`` ("said the ministry's statement, ...") and
    the index after it. It ends at punctuation, a clause word or a participle."""
    k = first
    while (
        k < len(tokens)
        and k - first < MAX_WORDS
        and _inside_phrase(tokens, k, rules)
        and not (is_participle(tokens[k]) and not tokens[k].capitalised)
    ):
        k += 1
    phrase = tuple(tokens[first:k])
    while phrase and phrase[-1].low in rules.phrase_prepositions | rules.determiners:
        phrase = phrase[:-1]
    if not phrase or not names_speaker(phrase, rules):
        return None
    return Phrase(phrase), first + len(phrase)


def names_speaker(phrase: Sequence[Token], rules: Rules) -> bool:
    """Whether the phrase can name who spoke: it ends (before any "of ..."/"for ...") in a
    name, a pronoun, or a noun that can speak, and holds no clause word."""
    words = [t for t in phrase if t.is_word]
    if not words or len(words) > MAX_WORDS:
        return False
    if len(words) == 1 and words[0].low in rules.pronouns:
        return True
    if any(w.low in rules.pronouns for w in words):
        return False
    head = head_of(words, rules)
    if head is None or head.low in rules.determiners or head.low.endswith(("'s", "’s")):
        return False
    if _no_one(head, rules) or (len(words) == 1 and words[0].low in rules.adjunct_words):
        return False
    return head.capitalised or head.low in rules.speaker_nouns or head.low in rules.document_nouns


def head_of(words: Sequence[Token], rules: Rules) -> Token | None:
    """The word before the first preposition ("residents" of "residents of the area"), or
    the last word; a preposition inside a name ("Secretary of State") does not count."""
    for index, word in enumerate(words):
        if index and word.low in rules.phrase_prepositions and not _inside_name(words, index):
            return words[index - 1]
    return words[-1] if words else None


def _inside_name(words: Sequence[Token], index: int) -> bool:
    return words[index - 1].capitalised and index + 1 < len(words) and words[index + 1].capitalised


def _between(token: Token, rules: Rules) -> bool:
    if token.capitalised:  # "Italy said" is a speaker, not an adverb
        return False
    return token.low in rules.between_words or (token.low.endswith("ly") and len(token.low) > 3)


def _inside_phrase(tokens: Sequence[Token], k: int, rules: Rules) -> bool:
    token = tokens[k]
    if token.text in _APOSTROPHES:  # the plural possessive of "the employers’ association"
        return k > 0 and tokens[k - 1].low.endswith("s")
    if token.text == "." and k > 0:  # "Mr. Ross", "John F. Kerry"
        before = tokens[k - 1]
        return before.low in rules.abbreviations or (len(before.text) == 1 and before.capitalised)
    return (
        token.is_word
        and token.low not in rules.boundary_words
        and not (is_cue_word(token, rules) and not token.capitalised)  # "United States"
        and not any(token.low == cue[0] for cue in rules.source_cues)
    )


def _no_one(head: Token, rules: Rules) -> bool:
    """A head that names no one: "Monday", "Moreover", a title's abbreviation ("Mr" of
    "Mr. Obama"); a word in capitals ("USA TODAY") may still be a name."""
    if len(head.text) > 1 and head.text.isupper():
        return False
    return head.low in rules.not_speakers or (head.capitalised and head.low in rules.abbreviations)
