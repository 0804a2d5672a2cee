"""From a speaker's phrase to a name, and from a name to a speaker code.

A phrase becomes a mention: its span and the name it gives ("National Security Council
spokesman John Kirby" names John Kirby; "the White House statement" names the White House;
"the senior official" is a description). The article then fills in short forms the way a
reader does: "Xi" is the "Xi Jinping" named earlier, "the official" the "senior administration
official", "officials" the "US officials", "he" the last person named in this paragraph or the
one before.

Matching a name to the codebook uses the code's name, its name without a parenthesis
("Senior administration official (anonymous)"), and aliases listed in its description on a
line ``aliases: a; b``. A name matches a code when it equals one of these, or is the last words
of exactly one of them ("Biden", "state media"), or the first word of exactly one ("Xi").
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from annotator.core.attribution.phrases import Phrase, head_of, is_name_run
from annotator.core.attribution.rules import Rules
from annotator.core.attribution.segments import Sentence, Token
from annotator.core.model import Code

PERSON, ORGANISATION, GROUP, DESCRIPTION, NAME, PRONOUN, DOCUMENT = (
    "person", "organisation", "group", "description", "name", "pronoun", "document",
)  # fmt: skip
_ALIASES = re.compile(r"^\s*aliases\s*:(.*)$", re.IGNORECASE | re.MULTILINE)
_PARENTHESIS = re.compile(r"\s*\([^)]*\)")
_DESCRIBED = frozenset({DESCRIPTION, GROUP, ORGANISATION})


@dataclass(frozen=True, slots=True)
class Mention:
    """Where the speaker is named, the name it gives, and what kind of name it is."""

    span: tuple[int, int] | None
    name: str | None
    kind: str
    head: str = ""  # casefolded head word: "official", "statement", "biden"
    document: str = ""  # "statement" of "the White House statement"
    paragraph: int = 0


def describe(phrase: Phrase, text: str, paragraph: int, rules: Rules) -> Mention:
    words = [t for t in phrase.tokens if t.is_word]
    if is_name_run(phrase.apposition, rules):  # "The finance minister, Ana Ruiz, told"
        words = list(phrase.apposition)
    if len(words) == 1 and words[0].low in rules.pronouns:
        word = words[0]
        return Mention((word.start, word.end), None, PRONOUN, word.low, paragraph=paragraph)
    while len(words) > 1 and (
        words[0].low in rules.determiners
        or (words[0].capitalised and words[0].low in rules.not_speakers)  # "Despite Will"
    ):
        words = words[1:]
    head = head_of(words, rules)
    document = ""
    if head is not None and head.low in rules.document_nouns:
        document = head.low
        words = words[: words.index(head)]
        if not words or words[-1].low in rules.determiners:
            span = (head.start, head.end)
            return Mention(span, None, DOCUMENT, document, document, paragraph)
        head = words[-1]
    run = _trailing_name(words, rules)
    if _owned_name(head, words, run, rules):
        run = []  # "a representative for Griner" is not Griner
    if run and not (len(run) == 1 and run[0].low in rules.speaker_nouns):
        name_words = _without_titles(run, rules)
        titled = len(name_words) < len(run) or (
            len(run) < len(words) and words[len(words) - len(run) - 1].low in rules.titles
        )
        if _is_organisation(name_words, rules):
            kind = ORGANISATION
        elif titled or len(name_words) >= 2:
            kind = PERSON
        else:
            kind = NAME
        return _mention(name_words, text, kind, document, paragraph)
    assert head is not None
    if _is_organisation(words, rules):
        kind = ORGANISATION
    elif head.low.endswith("s") and not head.low.endswith("ss"):
        kind = GROUP
    else:
        kind = DESCRIPTION
    return replace(_mention(words, text, kind, document, paragraph), head=head.low)


def _owned_name(
    head: Token | None, words: Sequence[Token], run: Sequence[Token], rules: Rules
) -> bool:
    """Whether the name ends a phrase headed by a speaking noun ("representative for …")."""
    if head is None or head is words[-1] or head.low not in rules.speaker_nouns:
        return False
    return not (head.capitalised or _is_organisation(run, rules))


def _mention(
    words: Sequence[Token], text: str, kind: str, document: str, paragraph: int
) -> Mention:
    span = (words[0].start, words[-1].end)
    name = " ".join(text[span[0] : span[1]].split())
    return Mention(span, name, kind, words[-1].low, document, paragraph)


def _trailing_name(words: Sequence[Token], rules: Rules) -> list[Token]:
    start = len(words)
    while start > 0 and (
        words[start - 1].capitalised
        or (
            words[start - 1].low in rules.name_particles
            and start - 2 >= 0
            and words[start - 2].capitalised
            and start < len(words)
        )
    ):
        start -= 1
    return list(words[start:])


def _without_titles(run: Sequence[Token], rules: Rules) -> list[Token]:
    """The name without the titles before it: "Secretary of State Antony Blinken" gives
    "Antony Blinken", while an organisation's name ("State Department") keeps its words."""
    for index in range(len(run) - 1, -1, -1):
        if run[index].low in rules.titles:
            rest = list(run[index + 1 :])
            while rest and rest[0].low in rules.name_particles:
                rest = rest[1:]
            if rest and not _is_organisation(rest, rules):
                return _without_place(rest)
            break
    return list(run) if _is_organisation(run, rules) else _without_place(list(run))


def _without_place(name: list[Token]) -> list[Token]:
    """A person's name without the place after it: "Benjamin Netanyahu of Israel", "Bernie
    Sanders of Vermont" (two words before "of"; "Bank of England" is one)."""
    for index, word in enumerate(name):
        if word.low == "of" and index >= 2:
            return name[:index]
    return name


def _is_organisation(words: Sequence[Token], rules: Rules) -> bool:
    return any(w.low in rules.organisation_words for w in words)


# -- the article fills in short forms ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Person:
    position: int
    paragraph: int
    name: str


def resolve(
    mentions: Sequence[Mention], sentences: Sequence[Sentence], text: str, rules: Rules
) -> list[Mention]:
    """Each mention with the fullest name the article gives it (in the same order)."""
    people = _people(mentions, sentences, text, rules)
    names = _index(dict.fromkeys(p.name for p in people))
    described: dict[str, list[Mention]] = {}
    for m in mentions:
        if m.name and m.kind in _DESCRIBED:
            described.setdefault(m.head, []).append(m)
    resolved: list[Mention] = []
    for mention in mentions:
        if mention.kind == PRONOUN:
            resolved.append(_pronoun(mention, people, resolved, rules))
        elif mention.kind == DOCUMENT:
            earlier = [m for m in resolved if m.document == mention.head and m.name]
            resolved.append(replace(mention, name=_document_name(mention, earlier, text)))
        elif mention.kind in {NAME, PERSON} and mention.name and " " not in mention.name:
            full = _full_name(mention, names)
            resolved.append(replace(mention, name=full, kind=PERSON) if full else mention)
        elif mention.kind in _DESCRIBED and mention.name:
            same_head = described.get(mention.head, [])
            resolved.append(replace(mention, name=_fullest(mention, same_head)))
        else:
            resolved.append(mention)
    return resolved


def _document_name(mention: Mention, earlier: Sequence[Mention], text: str) -> str | None:
    """ "The statement" is whoever issued the last statement named; with none named, the
    document speaks for itself ("The survey found …" is the survey's)."""
    if earlier:
        return earlier[-1].name
    return text[mention.span[0] : mention.span[1]] if mention.span else None


def _people(
    mentions: Sequence[Mention], sentences: Sequence[Sentence], text: str, rules: Rules
) -> list[_Person]:
    """Every place a person is named: titled names ("President Joe Biden", "spokesman John
    Kirby"), names of person mentions, and later short forms of them ("Biden")."""
    full: dict[str, str] = {}  # casefolded -> as written
    runs: list[tuple[int, int, list[Token]]] = []
    for sentence in sentences:
        words = sentence.tokens
        index = 0
        while index < len(words):
            run = _run_at(words, index, rules)
            if not run:
                index += 1
                continue
            runs.append((run[0].start, sentence.paragraph, run))
            before = words[index - 1] if index else None
            name = _without_titles(run, rules)
            titled = len(name) < len(run) or (before is not None and before.low in rules.titles)
            if titled and not _is_organisation(name, rules):
                written = " ".join(text[name[0].start : name[-1].end].split())
                full.setdefault(written.casefold(), written)
            index += len(run)
    for mention in mentions:
        if mention.kind == PERSON and mention.name and " " in mention.name:
            full.setdefault(mention.name.casefold(), mention.name)
    people = []
    names = _index(full.values())
    for position, paragraph, run in runs:
        name = _without_titles(run, rules)
        written = " ".join(text[name[0].start : name[-1].end].split())
        found = full.get(written.casefold()) or _by_part(written, names)
        if found:
            people.append(_Person(position, paragraph, found))
    return people


def _run_at(tokens: Sequence[Token], index: int, rules: Rules) -> list[Token]:
    end = index
    while end < len(tokens) and (
        tokens[end].capitalised
        or (
            tokens[end].low in rules.name_particles
            and end > index
            and end + 1 < len(tokens)
            and tokens[end + 1].capitalised
        )
    ):
        end += 1
    return list(tokens[index:end])


#: Full names by their last word and by their first word, casefolded.
_PartIndex = tuple[dict[str, set[str]], dict[str, set[str]]]


def _index(names: Iterable[str]) -> _PartIndex:
    by_last: dict[str, set[str]] = {}
    by_first: dict[str, set[str]] = {}
    for name in names:
        if " " in name:
            words = name.casefold().split()
            by_last.setdefault(words[-1], set()).add(name)
            by_first.setdefault(words[0], set()).add(name)
    return by_last, by_first


def _by_part(word: str, index: _PartIndex) -> str | None:
    """The one full name whose last word (else first word) is ``word`` ("Biden's" counts
    as "Biden")."""
    if " " in word:
        return None
    key = re.sub(r"['’]s$", "", word.casefold())
    for hits in (index[0].get(key, set()), index[1].get(key, set())):
        if len(hits) == 1:
            return next(iter(hits))
    return None


def _full_name(mention: Mention, names: _PartIndex) -> str | None:
    assert mention.name is not None
    return _by_part(mention.name, names)


def _fullest(mention: Mention, same_head: Sequence[Mention]) -> str | None:
    """The longest description with the same head and every word of this one: "officials"
    gives "US officials", "the senior official" "senior administration official"."""
    assert mention.name is not None
    words = set(mention.name.casefold().split())
    best = mention.name
    for other in same_head:
        if other.name:
            other_words = other.name.casefold().split()
            if words <= set(other_words) and len(other_words) > len(best.split()):
                best = other.name
    return best


def _pronoun(
    mention: Mention, people: Sequence[_Person], earlier: Sequence[Mention], rules: Rules
) -> Mention:
    """The name a pronoun stands for: for "he said", the last person named in this
    paragraph or the one before; for "they" the last group, for "it" the last organisation."""
    assert mention.span is not None
    target = rules.pronouns.get(mention.head, "none")
    near = mention.paragraph - 1
    if target == PERSON:
        before = [p for p in people if p.position < mention.span[0] and near <= p.paragraph]
        if before:
            return replace(mention, name=before[-1].name)
        named = [  # "Fifita explains …", then "She says …": a name of no known person
            m for m in earlier
            if m.kind in {NAME, PERSON, PRONOUN} and m.name and m.span
            and m.span[0] < mention.span[0] and near <= m.paragraph
        ]  # fmt: skip
        return replace(mention, name=named[-1].name) if named else mention
    wanted = {"group": {GROUP}, "organisation": {ORGANISATION, NAME}}.get(target, set())
    candidates = [
        m for m in earlier
        if m.kind in wanted and m.name and m.span and m.span[0] < mention.span[0]
        and near <= m.paragraph
    ]  # fmt: skip
    return replace(mention, name=candidates[-1].name) if candidates else mention


# -- matching the codebook ---------------------------------------------------------------------


def normalise(name: str) -> str:
    """Casefolded, curly apostrophes straightened, stops dropped ("U.S." = "US"), a leading
    "the" dropped and spaces collapsed: the form names are compared in."""
    folded = name.casefold().replace("’", "'").replace(".", "")
    words = folded.split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def speaker_keys(code: Code) -> list[str]:
    """The names a code answers to: its name, without a parenthesis, and its aliases."""
    keys = [code.name, _PARENTHESIS.sub("", code.name)]
    for line in _ALIASES.findall(code.description or ""):
        keys += [alias for alias in re.split(r"[;,]", line) if alias.strip()]
    return list(dict.fromkeys(k for k in map(normalise, keys) if k))


def match_speaker(name: str, codes: Sequence[Code]) -> Code | None:
    """The one speaker code this name refers to, or None when none or several fit."""
    wanted = normalise(name).split()
    if not wanted:
        return None
    keyed = [(code, key.split()) for code in codes for key in speaker_keys(code)]
    fits: Callable[[list[str]], bool]
    for fits in (
        lambda key: key == wanted,
        lambda key: len(key) > len(wanted) and key[-len(wanted) :] == wanted,
        lambda key: len(wanted) == 1 and len(key) > 1 and key[0] == wanted[0],
    ):
        hits = {code.id: code for code, key in keyed if fits(key)}
        if len(hits) == 1:
            return next(iter(hits.values()))
        if hits:
            return None
    return None
