"""Paragraphs, sentences and tokens, with every quotation kept whole as one token.

Keeping a quotation whole is what lets the rules see ``“…,” Flynn said.`` as one sentence
even when the quotation holds several, and keeps a reporting verb inside a quotation ("when
they say they will") from being read as an attribution.
"""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from annotator.core.attribution.quotes import Quote, find_quotes
from annotator.core.attribution.rules import Rules

WORD, PUNCT, QUOTE = "word", "punct", "quote"
# Signed numbers ("-5"), abbreviations with inner stops ("U.S.", "a.m."), words with inner
# apostrophes, hyphens or decimal points ("Xi's", "state-sponsored", "2.4"), then any other
# single character.
_TOKEN = re.compile(r"(?<!\w)[-+−]\d+(?:[.,]\d+)*|(?:[^\W\d_]\.){2,}|\w+(?:[’'\-.]\w+)*|[^\w\s]")
_PARAGRAPH = re.compile(r"[^\n]+")
_ENDS = frozenset(".!?")


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # word, punct or quote (a whole quotation, marks included)
    text: str
    start: int
    end: int
    low: str = field(init=False, compare=False)  # casefolded once: the rules ask often

    def __post_init__(self) -> None:
        object.__setattr__(self, "low", self.text.casefold())

    @property
    def is_word(self) -> bool:
        return self.kind == WORD

    @property
    def is_quote(self) -> bool:
        return self.kind == QUOTE

    @property
    def capitalised(self) -> bool:
        return self.kind == WORD and self.text[:1].isupper()


@dataclass(frozen=True)
class Sentence:
    paragraph: int
    tokens: tuple[Token, ...]

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end

    @cached_property
    def quotes(self) -> tuple[Token, ...]:
        return tuple(t for t in self.tokens if t.is_quote)


def segment(text: str, rules: Rules) -> list[Sentence]:
    """Every sentence of ``text``; each line is a paragraph (the canonical text uses LF)."""
    sentences = []
    for number, line in enumerate(_PARAGRAPH.finditer(text)):
        quotes = find_quotes(text, line.start(), line.end(), rules.quote_pairs)
        tokens = list(_tokens(text, line.start(), line.end(), quotes))
        sentences += [Sentence(number, tuple(group)) for group in _split(tokens, rules) if group]
    return sentences


def _tokens(text: str, start: int, end: int, quotes: Sequence[Quote]) -> Iterator[Token]:
    position = start
    for quote in [*quotes, Quote(end, end)]:
        for match in _TOKEN.finditer(text, position, quote.start):
            word = match.group()
            # Every pattern of _TOKEN longer than one character holds a letter or digit.
            kind = WORD if len(word) > 1 or word.isalnum() or word == "_" else PUNCT
            yield Token(kind, word, match.start(), match.end())
        if quote.end > quote.start:
            yield Token(QUOTE, text[quote.start : quote.end], quote.start, quote.end)
        position = quote.end


def _split(tokens: list[Token], rules: Rules) -> Iterator[list[Token]]:
    current: list[Token] = []
    for index, token in enumerate(tokens):
        current.append(token)
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if following is not None and _ends_sentence(current, following, rules):
            yield current
            current = []
    yield current


def _ends_sentence(current: list[Token], following: Token, rules: Rules) -> bool:
    last = current[-1]
    starts_new = following.is_quote or following.text[:1].isupper() or following.text[:1].isdigit()
    if not starts_new:
        return False
    if last.is_quote:
        return last.text.rstrip("”»\"'’ ")[-1:] in _ENDS
    if last.text not in _ENDS:
        return False
    before = current[-2] if len(current) > 1 else None
    if before is None or not before.is_word:
        return True
    # "Mr. Flynn", "Gen. Austin", initials such as "John F. Kennedy".
    return not (before.low in rules.abbreviations or (len(before.text) == 1 and before.capitalised))
