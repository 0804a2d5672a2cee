"""The detector: every attributed statement of an article, with its cue and its speaker.

Sentence by sentence the rules of ``reported`` find claims; a quotation standing alone right
after a quoted claim of the same paragraph continues it (``“…,” Flynn said. “…”`` is one
claim of two fragments), and any other quotation of a sentence's length becomes a claim
with no speaker. Speakers are then named across the whole article (``speakers.resolve``).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from annotator.core.attribution.headlines import lower_cues, title_case
from annotator.core.attribution.reported import Found, attribute
from annotator.core.attribution.rules import Rules
from annotator.core.attribution.segments import Sentence, segment
from annotator.core.attribution.speakers import PRONOUN, Mention, describe, resolve

Span = tuple[int, int]
#: A sentence is a quotation when the quotation covers this share of it.
QUOTE_SHARE = 0.6
#: Words a quotation needs to be a claim on its own, with no speaker: fewer are scare quotes.
MIN_QUOTE_WORDS = 4


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attributed statement. Offsets are code points of the text, end exclusive."""

    fragments: tuple[Span, ...]
    cue: Span | None  # the reporting verb, "according to", the colon; None for a bare quote
    mention: Span | None  # where the speaker is named ("he", "John Kirby", "the official")
    speaker: str | None  # the fullest name the article gives that speaker
    quoted: bool  # holds a direct quotation
    pronoun: bool = False  # the mention is a pronoun, resolved to ``speaker``
    confidence: float = 1.0  # 0..1, from the cue's class and the pattern
    reason: str = ""  # "‘said’ (reporting verb before the claim)": why it was suggested


@dataclass
class _Claim:
    fragments: list[Span]
    cue: Span | None
    mention: Mention | None
    quoted: bool
    confidence: float = 1.0
    reason: str = ""
    paragraph: int = 0


def detect(text: str, rules: Rules) -> list[Attribution]:
    """Every attributed statement of ``text``, in reading order."""
    sentences = [
        Sentence(0, lower_cues(s.tokens, rules)) if s.paragraph == 0 and title_case(s.tokens) else s
        for s in segment(text, rules)
    ]
    claims: list[_Claim] = []
    open_quote: _Claim | None = None  # a quoted claim the next quotation may continue
    paragraph = -1
    for sentence in sentences:
        if sentence.paragraph != paragraph:
            paragraph, open_quote = sentence.paragraph, None
        found = attribute(sentence.tokens, rules, headline=sentence.paragraph == 0)
        if found:
            made = [_claim(sentence, f, text, rules) for f in found]
            claims += made
            open_quote = made[0] if made[0].quoted else None
        elif _is_quotation(sentence):
            span = (sentence.quotes[0].start, sentence.quotes[-1].end)
            if open_quote is not None:
                open_quote.fragments.append(span)
            elif len(text[span[0] : span[1]].split()) >= MIN_QUOTE_WORDS:
                bare = rules.confidence.get("bare_quote", 0.55)
                claims.append(
                    _Claim([span], None, None, True, bare, "a quotation on its own", paragraph)
                )
        else:
            open_quote = None
    mentions = [c.mention for c in claims if c.mention is not None]
    named = iter(resolve(mentions, sentences, text, rules))
    result: list[Attribution] = []
    for claim in claims:
        mention = next(named) if claim.mention is not None else None
        if claim.cue is None:
            result.append(_continued(claim, result, claims))
            continue
        result.append(
            Attribution(
                fragments=tuple(claim.fragments),
                cue=claim.cue,
                mention=mention.span if mention and mention.name else None,
                speaker=mention.name if mention else None,
                quoted=claim.quoted,
                pronoun=bool(mention and mention.kind == PRONOUN),
                confidence=_named(claim.confidence, mention, rules),
                reason=claim.reason,
            )
        )
    return result


def _continued(
    claim: _Claim, before: Sequence[Attribution], claims: Sequence[_Claim]
) -> Attribution:
    """A quotation standing alone goes on from the last claim with a named speaker, when
    that claim is in its paragraph or the one before (a reporter's quotes follow their
    speaker); otherwise it has no speaker."""
    speaker = None
    for earlier, made in zip(reversed(claims[: len(before)]), reversed(before), strict=True):
        if claim.paragraph - earlier.paragraph > 1:
            break
        if made.speaker:
            speaker = made.speaker
            break
    reason = f"a quotation on its own, after {speaker}’s claim" if speaker else claim.reason
    return Attribution(
        fragments=tuple(claim.fragments),
        cue=None,
        mention=None,
        speaker=speaker,
        quoted=True,
        confidence=claim.confidence,
        reason=reason,
    )


def _claim(sentence: Sentence, found: Found, text: str, rules: Rules) -> _Claim:
    tokens = sentence.tokens
    fragments = [(tokens[lo].start, tokens[hi - 1].end) for lo, hi in found.ranges]
    cue = (tokens[found.cue[0]].start, tokens[found.cue[1] - 1].end)
    mention = describe(found.speaker, text, sentence.paragraph, rules) if found.speaker else None
    quoted = any(t.is_quote for lo, hi in found.ranges for t in tokens[lo:hi])
    cue_text = text[cue[0] : cue[1]]
    kind = _cue_kind(found, tokens[found.cue[0]].low, rules)
    score = (
        rules.confidence.get(kind, 0.7)
        + (rules.confidence.get("quote_bonus", 0) if quoted else 0)
        + rules.confidence.get(found.pattern, 0)  # a pattern's own adjustment, often < 0
    )
    if found.speaker is None:
        score -= 0.1
    reason = f"“{cue_text}” ({kind} cue, {found.pattern})"
    confidence = round(min(1.0, score), 2)
    return _Claim(fragments, cue, mention, quoted, confidence, reason, sentence.paragraph)


def _cue_kind(found: Found, first: str, rules: Rules) -> str:
    """The class of the cue: say, believe, intend, find, feel; or the pattern's own."""
    if found.pattern == "no one named":
        return "unattributed"
    if found.pattern == "according to":
        return "according"
    if found.pattern == "speaker and colon":
        return "colon"
    if found.pattern in {"noun of saying", "owner of a noun of saying"}:
        return "noun"
    return rules.cue_class.get(rules.verbs.get(first, ""), "say")


def _is_quotation(sentence: Sentence) -> bool:
    if not sentence.quotes:
        return False
    quoted = sum(q.end - q.start for q in sentence.quotes)
    return quoted >= QUOTE_SHARE * (sentence.end - sentence.start)


def _named(confidence: float, mention: Mention | None, rules: Rules) -> float:
    """Less sure of a claim whose speaker was found but could not be named (a pronoun with
    no one before it to stand for: "I", "we", an unresolved "they")."""
    if mention is None or mention.name:
        return confidence
    return round(max(0.0, confidence - rules.confidence.get("unnamed", 0.0)), 2)
