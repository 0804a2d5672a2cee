"""Attributions inside one sentence: who said what, through which cue.

Tried in this order, the first that fits wins:
1. postposed: ``X, Flynn said.`` / ``“X,” said Flynn.`` (the last reporting verb whose speaker
   follows a comma or a quotation and which has nothing said after it);
2. preposed: ``Flynn said (that) X`` / ``Flynn told reporters: “X”`` / ``with Flynn saying X``;
3. ``according to Flynn, X`` / ``X, according to Flynn``;
4. ``Flynn put it bluntly: “X”``.
A claim that itself reports someone else (``the statement said that Xi warned that X``) gives
a claim to each: the statement's, then Xi's X (reporting marks both). A verb coordinated with
the first one (``said X and warned that Y``, ``…, adding that Y``) gives a second claim of the
same speaker. Positions are token indices; the detector turns them into offsets.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from annotator.core.attribution.headlines import colon_claim
from annotator.core.attribution.nominal import after_copula, noun_that, owned_noun
from annotator.core.attribution.phrases import (
    MAX_WORDS,
    Phrase,
    ending_at,
    is_cue_word,
    is_participle,
    names_speaker,
    phrase_after,
    phrase_before,
)
from annotator.core.attribution.raised import unattributed
from annotator.core.attribution.rules import Rules
from annotator.core.attribution.segments import Token

Range = tuple[int, int]
#: Punctuation that may open the clause a speaker starts ("In the call, Xi told ...").
_OPENERS = frozenset({",", ":", ";", "—", "–", "-", "("})
_CLOSING_MARKS = "”»\"'’ "
#: Words a claim needs at least, when it has no quotation and no second fragment.
MIN_WORDS = 2
#: Longest listener skipped after "told" ("told the Reuters news agency simply, …").
MAX_LISTENER = 6
#: How far before a cue its speaker is looked for when no shape fits, in tokens.
NEAR = 12
#: How far after a cue its "that" or quotation is looked for, past adjuncts, in tokens.
MAX_ADJUNCT = 15
#: What opens a question or topic after "asked (Trump)": "how", "whether", "about".
_QUESTIONS = frozenset(
    {"how", "what", "why", "whether", "if", "where", "when", "who", "about", "of"}
)
_DAYS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday",
     "today", "tonight"}
)  # fmt: skip
#: Prepositions after any cue that introduce what it is about ("warned against X").
_ABOUT = frozenset({"about", "against", "of"})
#: Verbs after "wants to" whose own object is what was said ("wants to say that …").
_SAYING = frozenset({"say", "tell", "state", "declare", "announce", "explain", "add", "argue"})
#: After a comma, words that start what the reporter adds: "…, after he introduced a bill".
_ENDS_CLAIM = frozenset(
    {"but", "after", "before", "while", "whereas", "although", "though", "because", "since"}
)
#: Words that open a clause before the subject ("Once he was president, Mr. Obama …").
_OPENING_CLAUSE = frozenset({"once", "when", "while", "although", "though", "if", "because"})
_CLAUSE_JOINS = frozenset({"and", "or", "but"})
#: Words before a cue that make it an infinitive or a noun ("to say", "her claim", "the call").
_NOT_BEFORE_VERB = frozenset(
    {"to", "the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "whose"}
)
_OBJECTS = frozenset({"him", "her", "them", "us", "me", "you", "reporters", "journalists"})


@dataclass(frozen=True, slots=True)
class Found:
    ranges: tuple[Range, ...]  # token ranges [lo, hi) of what was said
    cue: Range
    speaker: Phrase | None
    pattern: str = ""  # which shape found it, for the suggestion's reason

    def shifted(self, by: int) -> "Found":
        return Found(
            tuple((lo + by, hi + by) for lo, hi in self.ranges),
            (self.cue[0] + by, self.cue[1] + by),
            self.speaker,
            self.pattern,
        )


def attribute(tokens: Sequence[Token], rules: Rules, *, headline: bool = False) -> list[Found]:
    """The claims of one sentence: usually none or one, two when a verb is coordinated.
    ``headline``: the sentence may be a headline (the article's first paragraph)."""
    cues = [i for i in range(len(tokens)) if is_cue(tokens, i, rules)]
    shapes: tuple[tuple[str, Callable[[], Found | None]], ...] = (
        ("headline with a colon",
         lambda: colon_claim(tokens, rules, _claim) if headline else None),
        ("speaker after the claim",
         lambda: _first(_postposed(tokens, i, rules) for i in reversed(cues))),
        ("speaker before the claim",
         lambda: _first(_preposed(tokens, i, rules) for i in _main_first(tokens, cues))),
        ("according to", lambda: _according_to(tokens, rules)),
        ("speaker and colon", lambda: _colon(tokens, rules)),
        ("participle of the subject", lambda: _participle_of_subject(tokens, cues, rules)),
        ("noun of saying", lambda: noun_that(tokens, rules, _claim)),
        ("owner of a noun of saying", lambda: owned_noun(tokens, rules, _claim)),
        ("no one named", lambda: _unattributed(tokens, rules)),
    )  # fmt: skip
    for pattern, shape in shapes:
        main = shape()
        if main is not None:
            inner = replace(_innermost(tokens, main, rules), pattern=pattern)
            outer = [replace(main, pattern=pattern)] if inner.cue != main.cue else []
            return [*outer, *_further(tokens, [inner, *_coordinated(tokens, inner, rules)], rules)]
    loose = _first(_loose(tokens, i, rules) for i in cues)
    return [replace(loose, pattern="cue in the sentence")] if loose else []


def _unattributed(tokens: Sequence[Token], rules: Rules) -> Found | None:
    found = unattributed(tokens, rules)
    return Found((found[0],), found[1], None) if found else None


def _loose(tokens: Sequence[Token], verb: int, rules: Rules) -> Found | None:
    """A cue the shapes above find no speaker for (``Candidates like Mr. Carson, who at one
    point claimed that X``): what follows it, with the nearest phrase before it that can
    name a speaker."""
    if is_participle(tokens[verb]) and tokens[verb - 1].text != ",":
        return None
    lo = _complement(tokens, verb, rules)
    if lo is None:
        return None
    for end in range(verb - 1, max(-1, verb - NEAR), -1):
        near = ending_at(tokens, end, (), rules)
        if near is not None:
            return _claim(tokens, lo, (verb, verb + 1), near[0], rules)
    return None


def is_cue(tokens: Sequence[Token], i: int, rules: Rules) -> bool:
    if not is_cue_word(tokens[i], rules) or (i and tokens[i].capitalised):  # "United States"
        return False
    if i and _owned(tokens[i - 1]):  # "planned to say", "her claim", "Obama's plan", "32% support"
        return False
    if tokens[i].low in rules.particle_only and not (
        i + 1 < len(tokens) and tokens[i + 1].low in rules.cue_particles
    ):
        return False  # "doubling down on", not "doubles her share"
    if rules.cue_class.get(rules.verbs[tokens[i].low]) == "feel" and not after_copula(
        tokens, i, rules
    ):
        return False  # "angry" is a cue in "she is angry that", not in "angry voters"
    return not (i + 1 < len(tokens) and tokens[i + 1].low == "by")  # "claimed by Beijing"


def _main_first(tokens: Sequence[Token], cues: Sequence[int]) -> list[int]:
    """The cues with those of a relative clause last: in "An official, who requested
    anonymity, said X" the official said X."""
    relative = [i for i in cues if i and tokens[i - 1].low in {"who", "which"}]
    return [i for i in cues if i not in relative] + relative


def noun_like(token: Token, rules: Rules) -> bool:
    """A form that is as often a noun of saying as a verb: "report", "claims", "plans"."""
    low = token.low
    return (low in rules.cue_nouns or low in rules.owned_cues) and not low.endswith("ed")


def _a_noun(tokens: Sequence[Token], verb: int, m: int, rules: Rules) -> bool:
    """Whether a noun-like cue is a noun here: "The October report exceeded …", "Jobs report
    gives …"; not after a pronoun ("he claims …") or a name inside the sentence, nor before
    an article or pronoun ("Smith claims the vote …")."""
    if m != verb + 1 or not noun_like(tokens[verb], rules):
        return False
    if verb >= 2 and tokens[verb - 1].capitalised:
        return False  # a name, not at the start: "Mayor Hart Promises Action"
    before, after = tokens[verb - 1].low if verb else "", tokens[m].low
    return not (before in rules.pronouns or after in rules.determiners or after in rules.pronouns)


def _owned(before: Token) -> bool:
    """A word before a cue that makes it an infinitive or a noun."""
    return (
        before.low in _NOT_BEFORE_VERB
        or before.low.endswith(("'s", "’s"))
        or before.text == "%"
        or before.text[:1].isdigit()
    )


def _first(candidates: Iterable[Found | None]) -> Found | None:
    return next((found for found in candidates if found is not None), None)


# -- the four shapes ------------------------------------------------------------------------


def _postposed(tokens: Sequence[Token], verb: int, rules: Rules) -> Found | None:
    if is_participle(tokens[verb]):
        return None
    if noun_like(tokens[verb], rules) and tokens[verb - 1].low not in rules.pronouns:
        return None  # "…, could blunt Republican claims."
    before = phrase_before(tokens, verb, rules)
    if before is not None:
        phrase, start = before
        if start and _closes_content(tokens[start - 1]):
            after = _complement(tokens, verb, rules)
            if after is None or _reads_on(tokens, after, after_quote=tokens[start - 1].is_quote):
                hi = start if tokens[start - 1].is_quote else start - 1
                after_verb = _after_listener(tokens, verb, rules)
                return _left_claim(tokens, hi, verb, phrase, after_verb, rules)
    listener = rules.verbs[tokens[verb].low] in rules.listener_verbs
    if verb and not listener and _closes_content(tokens[verb - 1]):  # inverted: "…," said Flynn
        inverted = phrase_after(tokens, verb + 1, rules)
        if inverted is not None and _ends_clause(tokens, inverted[1], rules):
            phrase, after = inverted
            hi = verb if tokens[verb - 1].is_quote else verb - 1
            return _left_claim(tokens, hi, verb, phrase, after, rules)
    return None


def _ends_clause(tokens: Sequence[Token], after: int, rules: Rules) -> bool:
    """Whether the inverted speaker of ``…, said Flynn`` ends there: ``…, said the United
    States should …`` is the United States' claim that follows, not the words before."""
    return (
        after >= len(tokens)
        or not tokens[after].is_word
        or tokens[after].low in rules.adjunct_words
        or tokens[after].low in rules.aside_words
    )


def _reads_on(tokens: Sequence[Token], after: int, *, after_quote: bool) -> bool:
    """Whether what follows ``X, Flynn said`` continues X rather than being what Flynn
    said: a quotation after a comma (``“X,” Flynn said, “Y.”``), or any words after a
    quotation (``“X,” the official said prior to the call``); not "that" nor a colon."""
    opener = tokens[after - 1]
    if tokens[after].is_quote:
        return opener.text == ","
    return after_quote and opener.low != "that" and opener.is_word


def _left_claim(
    tokens: Sequence[Token], hi: int, verb: int, speaker: Phrase, after: int, rules: Rules
) -> Found | None:
    """What was said before the attribution, and after it when it continues."""
    words = [t for t in tokens[:hi] if t.is_word]
    quoted = any(t.is_quote for t in tokens[:hi])
    continuation = _continuation(tokens, after, rules, names=after <= verb + 1)
    if hi <= 0 or (not quoted and not words):
        return None
    if not quoted and continuation is None and len(words) < MIN_WORDS:
        return None
    lo = next(i for i, t in enumerate(tokens) if t.is_word or t.is_quote)  # not "— " or "• "
    if _adjunct(tokens[lo:hi], words, rules):
        # "In an interview on "Morning Joe," the host said, X": an adjunct, not a claim
        return Found((continuation,), (verb, verb + 1), speaker) if continuation else None
    ranges = ((lo, hi), continuation) if continuation else ((lo, hi),)
    return Found(ranges, (verb, verb + 1), speaker)


def _adjunct(left: Sequence[Token], words: Sequence[Token], rules: Rules) -> bool:
    """Whether what stands before ", Flynn said" is a phrase of time, place or occasion
    ("In a statement", "Following a town hall meeting last week", "Six months ago"), with
    no quotation of a sentence's length in it."""
    if not words or len(words) >= 10 or any(t.is_quote and len(t.text.split()) >= 4 for t in left):
        return False
    first = words[0].low
    return (
        first in rules.adjunct_words
        or (is_participle(words[0]) and first not in rules.verbs)
        or words[-1].low in {"ago", "later", "earlier"}
    )


def _preposed(tokens: Sequence[Token], verb: int, rules: Rules) -> Found | None:
    before = phrase_before(tokens, verb, rules)
    if before is None:
        return None
    phrase, start = before
    opener = tokens[start - 1] if start else None
    if is_participle(tokens[verb]) and not after_copula(tokens, verb, rules):
        if opener is None or opener.low != "with":  # "with Kirby saying ..."
            return None
    elif opener is not None and not (
        opener.text in _OPENERS or opener.low in rules.boundary_words or opener.is_quote
    ):
        return None
    lo = _complement(tokens, verb, rules)
    if lo is None:
        return None
    return _claim(tokens, lo, (verb, verb + 1), phrase, rules)


def _according_to(tokens: Sequence[Token], rules: Rules) -> Found | None:
    n = len(tokens)
    firsts = {cue[0] for cue in rules.source_cues}
    for a in (i for i, t in enumerate(tokens) if t.low in firsts):
        for cue in rules.source_cues:
            if tuple(t.low for t in tokens[a : a + len(cue)]) != cue:
                continue
            source = phrase_after(tokens, a + len(cue), rules)
            if source is None:
                continue
            phrase, after = source
            cue_range = (a, a + len(cue))
            if a == 0:
                while after < n and tokens[after].is_word:  # "of the call"
                    after += 1
                if after < n and tokens[after].text == ",":
                    return _claim(tokens, after + 1, cue_range, phrase, rules)
            elif _closes_content(tokens[a - 1]):
                hi = a if tokens[a - 1].is_quote else a - 1
                words = sum(t.is_word for t in tokens[:hi])
                if words >= MIN_WORDS or any(t.is_quote for t in tokens[:hi]):
                    lo = next(i for i, t in enumerate(tokens) if t.is_word or t.is_quote)
                    return Found(((lo, hi),), cue_range, phrase)
    return None


def _colon(tokens: Sequence[Token], rules: Rules) -> Found | None:
    """``Opposition leader Tomás Vidal put it bluntly: “…”``: the subject owns the quote."""
    for c in range(1, len(tokens) - 1):
        if tokens[c].text == ":" and tokens[c + 1].is_quote:
            subject = _subject(tokens, c, rules)
            if subject is None or c - subject[1] > 5:
                return None
            return _claim(tokens, c + 1, (subject[1], c + 1), subject[0], rules)
    return None


def _participle_of_subject(
    tokens: Sequence[Token], cues: Sequence[int], rules: Rules
) -> Found | None:
    """``Biden rebuffed the appeal, saying that …``: the subject of the sentence speaks."""
    for verb in cues:
        if is_participle(tokens[verb]) and tokens[verb - 1].text == ",":
            subject = _subject(tokens, verb, rules)
            lo = _complement(tokens, verb, rules)
            if subject is not None and lo is not None:
                return _claim(tokens, lo, (verb, verb + 1), subject[0], rules)
    return None


# -- pieces ---------------------------------------------------------------------------------


def _claim(
    tokens: Sequence[Token], lo: int, cue: Range, speaker: Phrase | None, rules: Rules
) -> Found | None:
    hi = content_end(tokens, lo, rules)
    content = tokens[lo:hi]
    if hi <= lo or (
        not any(t.is_quote for t in content) and sum(t.is_word for t in content) < MIN_WORDS
    ):
        return None
    return Found(((lo, hi),), cue, speaker)


def _complement(tokens: Sequence[Token], verb: int, rules: Rules) -> int | None:
    """Where what was said starts after the verb, or None when nothing said follows it."""
    n = len(tokens)
    lemma = rules.verbs[tokens[verb].low]
    listener = lemma in rules.listener_verbs
    if verb + 1 < n and _may_precede_that(tokens[verb + 1], listener, rules):
        found = _after_adjuncts(tokens, verb, rules.cue_class.get(lemma) == "intend", rules)
        if found is not None:
            return found if found < n else None
    m = _after_listener(tokens, verb, rules)
    if m < n - 1 and tokens[m].text in {":", ","} and tokens[m + 1].is_quote:
        return m + 1
    if m < n and tokens[m].is_quote:
        return m
    if listener and m < n and tokens[m].low in _QUESTIONS:  # "asked Trump how he would …"
        return m + 1 if tokens[m].low in {"about", "of"} else m
    if m + 1 < n and tokens[m].low in _DAYS and tokens[m + 1].is_word:
        if noun_like(tokens[verb], rules):
            return None  # "a telephone call Tuesday about …": a noun
        m += 1  # "said Wednesday she, too, wants …"
    if listener and m == verb + 2 and _object_then_clause(tokens, verb + 1, rules):
        return m
    if listener or m >= n or not tokens[m].is_word or _a_noun(tokens, verb, m, rules):
        return None
    topic = m > verb + 1 and tokens[m - 1].low in _ABOUT  # "vague about when …"
    if tokens[m].low == "there" and m + 1 < n and tokens[m + 1].low in rules.copulas:
        return m  # "said there were a million tweets"
    return None if tokens[m].low in rules.adjunct_words and not topic else m


def _after_adjuncts(tokens: Sequence[Token], verb: int, intend: bool, rules: Rules) -> int | None:
    """What was said after a listener or adjunct: ``told parliament on Tuesday that X``,
    ``said in an interview taped before the attacks that X``, ``pledged Saturday to X``,
    ``said in a speech, “X”``; None when nothing of the kind follows."""
    n = len(tokens)
    for m in range(verb + 1, min(n, verb + MAX_ADJUNCT)):
        token = tokens[m]
        if token.text in {",", ":"} and m + 1 < n and tokens[m + 1].is_quote and m > verb + 1:
            return m + 1
        if not token.is_word or token.low in _CLAUSE_JOINS or is_cue(tokens, m, rules):
            return None
        if token.low == "that":
            return m + 1
        if intend and token.low == "to" and m > verb + 1 and m + 1 < n and tokens[m + 1].is_word:
            return m + 1
    return None


def _may_precede_that(token: Token, listener: bool, rules: Rules) -> bool:
    """Whether the word after the verb can start what stands between it and "that": a
    listener ("told parliament"), a name or object ("warned Xi", "assured them") or an
    adjunct ("said on Monday", "argued to Biden") — not a clause of its own ("said it
    regretted … and warned that")."""
    return (
        token.low == "that"
        or listener
        or token.capitalised
        or token.low in _OBJECTS
        or token.low in rules.adjunct_words
    )


def _after_listener(tokens: Sequence[Token], verb: int, rules: Rules) -> int:
    """Past the listener of "told reporters", "assured him"; right after any other verb."""
    m = verb + 1
    lemma = rules.verbs[tokens[verb].low]
    if lemma in rules.listener_verbs and _object_then_clause(tokens, m, rules):
        m += 1  # "assured him it was done …", "told reporters the plan was dead"
    elif lemma in rules.listener_verbs:
        while (
            m < len(tokens)
            and tokens[m].is_word
            and tokens[m].low not in _QUESTIONS
            and m - verb <= MAX_LISTENER
        ):
            m += 1
    elif m < len(tokens) and tokens[m].low in _ABOUT:  # "warned against", "spoke of"
        m += 1
    elif lemma in rules.particle_verbs:  # "pointed to", "doubling down on"
        while m < len(tokens) and tokens[m].low in rules.cue_particles and m - verb <= 2:
            m += 1
    elif rules.cue_class.get(lemma) == "intend" and _infinitive(tokens, m, rules):
        m += 1  # "wants to keep ..."
    return m


def _object_then_clause(tokens: Sequence[Token], m: int, rules: Rules) -> bool:
    """A one-word listener ("him", "reporters") with a clause after it, not a preposition,
    an infinitive or a question word."""
    if m + 1 >= len(tokens) or tokens[m].low not in _OBJECTS:
        return False
    after = tokens[m + 1]
    return after.is_word and not (
        after.low in rules.adjunct_words or after.low in _QUESTIONS or after.low == "that"
    )


def _infinitive(tokens: Sequence[Token], m: int, rules: Rules) -> bool:
    """``to keep …`` after "wants", but not ``to say`` (what was said is still to come)."""
    if m + 1 >= len(tokens) or tokens[m].low != "to":
        return False
    return rules.verbs.get(tokens[m + 1].low) not in _SAYING  # "wants to raise", not "to say"


def _continuation(
    tokens: Sequence[Token], k: int, rules: Rules, *, names: bool = False
) -> Range | None:
    """The second fragment of ``X, Flynn said, Y`` / ``“X,” said Flynn, an analyst, “Y”``.
    ``names``: Y may start with a name ("In particular, Will wrote, Christie can …"), which
    after an inverted speaker ("said Flynn, Vice President …") would be an apposition."""
    n = len(tokens)
    if k >= n or tokens[k].text != ",":
        return None
    k += 1
    if k < n and tokens[k].is_word and tokens[k].low in rules.determiners:
        close = next((m for m in range(k, min(n, k + MAX_WORDS + 2)) if not tokens[m].is_word), n)
        if close >= n or tokens[close].text in {".", "!", "?"}:
            return None  # "…, said Michael Flynn, a former adviser."
        if tokens[close].text == ",":
            k = close + 1  # "…, said Flynn, the official, Y"; else "…, he said, the media …"
    if k >= n or not (_opens_rest(tokens[k], rules) or (names and tokens[k].capitalised)):
        return None
    hi = content_end(tokens, k, rules)
    return (k, hi) if hi > k else None


def _opens_rest(token: Token, rules: Rules) -> bool:
    return token.is_quote or (
        token.is_word and not token.capitalised and not is_participle(token)
        and token.low not in rules.aside_words
    )  # fmt: skip


def content_end(tokens: Sequence[Token], lo: int, rules: Rules) -> int:
    """Where what was said ends: the end of the sentence, or before ", according to …",
    ", but …", ", adding that …" or "and warned that …"; without closing punctuation."""
    n = len(tokens)
    hi = n
    for m in range(lo + 1, n):
        token, previous = tokens[m], tokens[m - 1]
        after_comma = previous.text == "," or (
            previous.is_quote and previous.text.rstrip(_CLOSING_MARKS).endswith(",")
        )
        if after_comma and (
            token.low in _ENDS_CLAIM
            or any(token.low == cue[0] for cue in rules.source_cues)
            or (is_participle(token) and is_cue(tokens, m, rules))
        ):
            hi = m - 1 if previous.text == "," else m
            break
        if token.low == "and" and m + 1 < n and is_cue(tokens, m + 1, rules):
            hi = m
            break
    while hi > lo and not tokens[hi - 1].is_word and not tokens[hi - 1].is_quote:
        hi -= 1
    return hi


def _closes_content(token: Token) -> bool:
    return token.text == "," or token.is_quote


def _subject(tokens: Sequence[Token], limit: int, rules: Rules) -> tuple[Phrase, int] | None:
    """The longest phrase at the start of the sentence, before ``limit``, that names a
    speaker: "Opposition leader Tomás Vidal" of "Opposition leader Tomás Vidal put it"."""
    first = 0
    # "During the debate, Cruz …", "Once he was president, Mr. Obama …"
    if tokens and (tokens[0].low in rules.adjunct_words or tokens[0].low in _OPENING_CLAUSE):
        first = next((i + 1 for i in range(min(limit, 10)) if tokens[i].text == ","), 0)
    best = None
    for end in range(first + 1, min(limit, first + MAX_WORDS) + 1):
        token = tokens[end - 1]
        if token.text == "." and end >= 2 and tokens[end - 2].low in rules.abbreviations:
            continue  # "Mr. Obama"
        if not token.is_word or token.low in rules.boundary_words or is_cue_word(token, rules):
            break
        if names_speaker(tokens[first:end], rules):
            best = (Phrase(tuple(tokens[first:end])), end)
    return best


def _innermost(tokens: Sequence[Token], found: Found, rules: Rules) -> Found:
    """Follow ``The statement said that Xi warned that X`` in to Xi and X."""
    if len(found.ranges) != 1:
        return found
    lo, hi = found.ranges[0]
    inner_tokens = tokens[lo:hi]
    for j in range(len(inner_tokens)):
        if not is_cue(inner_tokens, j, rules):
            continue
        inner = _preposed(inner_tokens, j, rules)
        if inner is None:
            continue
        assert inner.speaker is not None
        lemma = rules.verbs[inner_tokens[j].low]
        if inner.speaker.tokens[0].low in rules.pronouns and rules.cue_class[lemma] != "say":
            return found  # "told CNN that she feels …" is hers as told, not a belief of hers
        start = inner_tokens.index(inner.speaker.tokens[0])
        opens = start == 0 or (
            start <= 6
            and inner_tokens[start - 1].text == ","
            and not any(t.is_quote for t in inner_tokens[:start])
        )
        return _innermost(tokens, inner.shifted(lo), rules) if opens else found
    return found


def _coordinated(tokens: Sequence[Token], main: Found, rules: Rules) -> list[Found]:
    """``said X and warned that Y`` / ``…, adding that Y``: more claims of the same speaker."""
    extra = []
    for m in range(main.cue[1], len(tokens)):
        if not is_cue(tokens, m, rules) or any(lo <= m < hi for lo, hi in main.ranges):
            continue
        participle = is_participle(tokens[m])
        joined = tokens[m - 1].low in {"and", "but"}  # "…, and arguing that", "but said"
        if (participle and tokens[m - 1].text == ",") or joined:
            lo = _complement(tokens, m, rules)
            found = None if lo is None else _claim(tokens, lo, (m, m + 1), main.speaker, rules)
            if found is not None:
                extra.append(found)
    return extra


#: Words that join the clause of a further speaker to what comes before it.
_JOINS = frozenset({"and", "but", "which", "who", "while", "whereas", "as", "so", "because"})


def _further(tokens: Sequence[Token], found: list[Found], rules: Rules) -> list[Found]:
    """Other speakers later in the sentence: ``…, but he said Y``, ``X, which I said was Y``.
    A claim before one ends where its speaker starts; a speaker who opens an earlier claim
    is reported inside it ("If Obama says it, it's true") and has no claim of its own."""
    claims = list(found)
    for m in range(max(f.cue[1] for f in found), len(tokens)):
        if not is_cue(tokens, m, rules) or any(f.cue[0] <= m < f.cue[1] for f in claims):
            continue
        later = _preposed(tokens, m, rules)
        if later is None or later.speaker is None:
            continue
        start = tokens.index(later.speaker.tokens[0])
        if any(lo <= start <= lo + 1 for f in claims for lo, _ in f.ranges):
            continue
        claims = [_cut(tokens, f, start) for f in claims]
        claims.append(replace(later, pattern="speaker before the claim"))
    return claims


def _cut(tokens: Sequence[Token], found: Found, start: int) -> Found:
    ranges = []
    for lo, hi in found.ranges:
        if lo + 1 < start < hi:
            hi = start
            while hi > lo and (not tokens[hi - 1].is_word or tokens[hi - 1].low in _JOINS):
                if tokens[hi - 1].is_quote:
                    break
                hi -= 1
        ranges.append((lo, hi))
    return replace(found, ranges=tuple(ranges))
