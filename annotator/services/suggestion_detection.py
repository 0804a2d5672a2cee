"""Detecting suggestions: a pure function of an article's text and the speaker codes, and
what it found remembered per article.

``detect_suggestions`` touches no database, so the window can run it on a worker thread with
a snapshot (the text, the speakers) and hand the result back to ``remember_detection`` on its
own thread; the cache is only ever read and written there.
"""

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TypedDict

from annotator.core.attribution import Rules, detect, load_rules, match_speaker
from annotator.core.errors import ValidationError
from annotator.core.model import AnnotationKind, Article, Code
from annotator.resources import resource_path

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A claim (with its speaker) or a speaker mention the detector proposes.

    Offsets are code points of the article's text, end exclusive, like every annotation's.
    ``key`` is stable across runs and machines (kind and offsets only), so a rejection made
    today still hides the same suggestion next year.
    """

    key: str
    article_id: str
    kind: AnnotationKind  # CLAIM or SPEAKER
    fragments: tuple[Span, ...]
    text: str  # the fragments' text, joined by " … " as Annotation.quote is
    cue: Span | None  # "said", "according to", the colon before a quote; None for a bare quote
    mention: Span | None  # where the speaker is named; a claim is attributed through it
    speaker_name: str | None  # the matched code's name, or the name of a code to create
    speaker_code_id: str | None  # the matched speaker code; None means "create one"
    quoted: bool = False  # holds a direct quotation
    confidence: float = 1.0  # 0..1: how sure the pattern that fired is (see detector.confidence)
    reason: str = ""  # the cue and the pattern that fired, shown on hover

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]

    @property
    def creates_speaker(self) -> bool:
        return self.speaker_name is not None and self.speaker_code_id is None


def suggestion_key(kind: AnnotationKind, fragments: Iterable[Span]) -> str:
    """``claim@420-584;600-650``: readable in the database, and all a suggestion is."""
    return f"{kind.value}@" + ";".join(f"{start}-{end}" for start, end in fragments)


@cache
def default_rules(language: str = "en") -> Rules:
    """The word lists of ``resources/suggest/<language>.yaml``, read once per run."""
    path = resource_path("suggest", f"{language}.yaml")
    if not path.is_file():
        raise ValidationError(f"There are no suggestion rules for language {language!r}.")
    return load_rules(path)


class _Speaker(TypedDict):
    speaker_name: str | None
    speaker_code_id: str | None


def detect_suggestions(
    article_id: str, text: str, speakers: Sequence[Code], rules: Rules | None = None
) -> list[Suggestion]:
    """Everything the detector finds in ``text``, before rejections and existing annotations
    are taken into account: each claim, and each named speaker mention on its own."""
    rules = rules or default_rules()
    found: list[Suggestion] = []
    mentions: set[Span] = set()
    for attribution in detect(text, rules):
        code = match_speaker(attribution.speaker, speakers) if attribution.speaker else None
        name = code.name if code else _new_name(attribution.speaker)
        speaker: _Speaker = {"speaker_name": name, "speaker_code_id": code.id if code else None}
        found.append(
            Suggestion(
                key=suggestion_key(AnnotationKind.CLAIM, attribution.fragments),
                article_id=article_id,
                kind=AnnotationKind.CLAIM,
                fragments=attribution.fragments,
                text=" … ".join(text[s:e] for s, e in attribution.fragments),
                cue=attribution.cue,
                mention=attribution.mention,
                quoted=attribution.quoted,
                confidence=attribution.confidence,
                reason=attribution.reason,
                **speaker,
            )
        )
        mention = attribution.mention
        if mention and name and not attribution.pronoun and mention not in mentions:
            mentions.add(mention)
            found.append(
                Suggestion(
                    key=suggestion_key(AnnotationKind.SPEAKER, [mention]),
                    article_id=article_id,
                    kind=AnnotationKind.SPEAKER,
                    fragments=(mention,),
                    text=text[mention[0] : mention[1]],
                    cue=attribution.cue,
                    mention=mention,
                    confidence=attribution.confidence,
                    reason=attribution.reason,
                    **speaker,
                )
            )
    return sorted(found, key=lambda s: (s.start, s.end, s.kind.value))


def _new_name(name: str | None) -> str | None:
    """A new code's name starts with a capital, as codebook names do ("Union leaders")."""
    return name[:1].upper() + name[1:] if name else None


#: What a detection depends on: the article, its text (by hash) and the speaker codes it
#: matched names against. A result computed for another key is stale.
DetectionKey = tuple[str, str, tuple[tuple[str, str], ...]]

#: Detection depends only on the text, which never changes, and the speaker codes; the window
#: asks again after every edit, and detecting took 3.5 ms per KB of text each time.
_DETECTED: OrderedDict[DetectionKey, list[Suggestion]] = OrderedDict()
_DETECTED_KEPT = 8


def detection_key(article: Article, speakers: Sequence[Code]) -> DetectionKey:
    return (article.id, article.sha256, tuple((c.id, c.name) for c in speakers))


def cached_detection(key: DetectionKey) -> list[Suggestion] | None:
    """What was detected for ``key`` already, if it is among the last few articles."""
    found = _DETECTED.get(key)
    if found is not None:
        _DETECTED.move_to_end(key)
    return found


def remember_detection(key: DetectionKey, found: list[Suggestion]) -> list[Suggestion]:
    _DETECTED[key] = found
    _DETECTED.move_to_end(key)
    while len(_DETECTED) > _DETECTED_KEPT:
        _DETECTED.popitem(last=False)
    return found
