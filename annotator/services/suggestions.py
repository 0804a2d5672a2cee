"""Suggested claims and speaker mentions: the detector's findings, offered for accept or reject.

Suggestions are computed from the text each time, never stored; only a rejection is stored,
keyed by the article and the suggestion's key (its kind and offsets, which stay valid because
an article's text never changes). Accepting goes through the same services as annotating by
hand, inside one transaction, and returns one Change, so a window undoes it in one step.

A suggested speaker is the codebook's speaker when the name the article gives matches one
(full name, the last words of it such as a surname, the first word of it such as "Xi", or an
alias listed in the code's description on a line ``aliases: a; b``); otherwise a new speaker
code of that name is suggested and created on accept, under that name or, as the coder maps
it before accepting, as another name, an existing code or no speaker.
"""

from collections import OrderedDict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TypedDict

from annotator.core.attribution import Rules, detect, load_rules, match_speaker
from annotator.core.clock import now_iso
from annotator.core.errors import ConflictError, NotFoundError, ValidationError
from annotator.core.model import Annotation, AnnotationKind, Article, Code, CodeKind
from annotator.core.wording import plural
from annotator.resources import resource_path
from annotator.services.changes import Change, Snapshot, apply_change, compose
from annotator.services.project import Project
from annotator.services.span_cover import SpanCover as _SpanCover
from annotator.store import Store
from annotator.store.suggestion_queries import Rejection

Span = tuple[int, int]
SUGGESTION_KINDS = (AnnotationKind.CLAIM, AnnotationKind.SPEAKER)
#: The least confidence shown by default: everything, as the best F1 on the development news
#: came with nothing held back (README, "Suggested claims and speakers").
DEFAULT_MIN_CONFIDENCE = 0.5


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


def suggest_for_article(
    store: Store,
    article_id: str,
    *,
    rules: Rules | None = None,
    existing: Iterable[Annotation] | None = None,
    annotators: Collection[str] = (),
) -> list[Suggestion]:
    """The article's suggestions, without rejected ones and without those an annotation of
    the same kind already overlaps (the coder has been there). ``existing``: the article's
    annotations, when the caller holds them already (the window does). ``annotators``: only
    these coders' annotations count as already there (names ignoring case; empty: all), so
    after a merge one coder's gaps are still suggested."""
    article = store.articles.get(article_id)
    rejected = store.suggestions.rejected_keys(article_id)
    if existing is None:
        existing = store.annotations.for_article(article_id)
    if annotators:
        wanted = {name.strip().casefold() for name in annotators}
        existing = [a for a in existing if a.annotator.casefold() in wanted]
    speakers = store.codes.all(CodeKind.SPEAKER)
    found = (
        _detected(article, speakers)
        if rules is None
        else detect_suggestions(article.id, article.text, speakers, rules)
    )
    covered = _SpanCover(existing)
    return [s for s in found if s.key not in rejected and not covered.overlaps(s)]


#: Detection depends only on the text, which never changes, and the speaker codes; the window
#: asks again after every edit, and detecting took 3.5 ms per KB of text each time.
_DETECTED: OrderedDict[tuple[str, str, tuple[tuple[str, str], ...]], list[Suggestion]] = (
    OrderedDict()
)
_DETECTED_KEPT = 8


def _detected(article: Article, speakers: Sequence[Code]) -> list[Suggestion]:
    """``detect_suggestions`` with the default rules, remembered for the last few articles."""
    key = (article.id, article.sha256, tuple((c.id, c.name) for c in speakers))
    found = _DETECTED.get(key)
    if found is None:
        found = _DETECTED[key] = detect_suggestions(article.id, article.text, speakers)
        while len(_DETECTED) > _DETECTED_KEPT:
            _DETECTED.popitem(last=False)
    _DETECTED.move_to_end(key)
    return found


def _overlapping(
    annotations: Iterable[Annotation], kind: AnnotationKind, span: Span
) -> list[Annotation]:
    start, end = span
    return [
        a
        for a in annotations
        if a.kind is kind and any(f.start < end and start < f.end for f in a.fragments)
    ]


# -- accepting --------------------------------------------------------------------------------


#: What the coder chose for each new speaker a suggestion names, before accepting: an existing
#: speaker code's id, a name (the new code's, perhaps edited), or "" for no speaker at all.
SpeakerMapping = Mapping[str, str]


def new_speakers(store: Store, suggestions: Iterable[Suggestion]) -> list[str]:
    """The speaker names accepting ``suggestions`` would add to the codebook, each once, in
    order: what the window lists, editable or mappable, before anything is written."""
    names: dict[str, str] = {}
    for suggestion in suggestions:
        name = suggestion.speaker_name
        if name and suggestion.creates_speaker and not store.codes.by_name(CodeKind.SPEAKER, name):
            names.setdefault(name.casefold(), name)
    return list(names.values())


def accept(
    project: Project, suggestion: Suggestion, mapping: SpeakerMapping | None = None
) -> Change:
    """Create what the suggestion proposes, as one Change (one undo step): the speaker code
    if it is new (or the one ``mapping`` names for it), the speaker mention if the mention is
    not annotated yet, and the claim."""
    with project.store.atomic():
        parts = _accept(project, suggestion, mapping or {})
    return _combined(f"accept suggested {suggestion.kind.value}", parts)


def accept_all(project: Project, article_id: str, mapping: SpeakerMapping | None = None) -> Change:
    """Accept every current suggestion of the article, claims first, as one Change; a new
    speaker is created only as ``mapping`` says (by default under its suggested name)."""
    store = project.store
    with store.atomic():
        parts: list[Change] = []
        accepted = 0
        for suggestion in accept_all_plan(store, article_id, mapping):
            if not _SpanCover(store.annotations.for_article(article_id)).overlaps(suggestion):
                parts += _accept(project, suggestion, mapping or {})
                accepted += 1
    return _combined(f"accept {plural(accepted, 'suggestion')}", parts)


def accept_all_plan(
    store: Store,
    article_id: str,
    mapping: SpeakerMapping | None = None,
    existing: Iterable[Annotation] | None = None,
) -> list[Suggestion]:
    """The suggestions accept_all would accept, claims first: not those a claim accepted
    before them covers (its speaker's mention), nor a mention whose speaker is mapped to
    none. The confirmation counts these, so it and the undo entry name one number."""
    annotations = list(store.annotations.for_article(article_id) if existing is None else existing)
    cover = _SpanCover(annotations)
    added: dict[AnnotationKind, list[Span]] = {}
    plan: list[Suggestion] = []
    suggestions = suggest_for_article(store, article_id, existing=annotations)
    for s in sorted(suggestions, key=lambda s: s.kind is not AnnotationKind.CLAIM):
        taken = added.get(s.kind, [])
        if cover.overlaps(s) or any(a < e and b > f for f, e in s.fragments for a, b in taken):
            continue
        named = s.speaker_code_id or _mapped(mapping or {}, s.speaker_name or "") != ""
        if s.kind is AnnotationKind.SPEAKER and not named:
            continue
        plan.append(s)
        added.setdefault(s.kind, []).extend(s.fragments)
        if s.kind is AnnotationKind.CLAIM and s.mention and named:
            added.setdefault(AnnotationKind.SPEAKER, []).append(s.mention)
    return plan


def _accept(project: Project, suggestion: Suggestion, mapping: SpeakerMapping) -> list[Change]:
    store = project.store
    if suggestion.kind not in SUGGESTION_KINDS:
        raise ValidationError(f"Only claims and speakers are suggested, not {suggestion.kind}.")
    existing = store.annotations.for_article(suggestion.article_id)
    if any(
        a.kind is suggestion.kind
        and [(f.start, f.end) for f in a.fragments] == list(suggestion.fragments)
        for a in existing
    ):
        raise ConflictError("This suggestion has been annotated already.")
    parts: list[Change] = []
    # A mention the coder annotated already is kept, with the speaker they chose for it.
    mention = None
    if suggestion.mention:
        mentions = _overlapping(existing, AnnotationKind.SPEAKER, suggestion.mention)
        mention = next(iter(mentions), None)
    speaker_id = mention.code_id if mention else None
    if speaker_id is None and suggestion.speaker_name:
        code, created = _speaker_code(project, suggestion, mapping)
        speaker_id = code.id if code else None
        parts += [created] if created else []
    if mention is None and suggestion.mention and speaker_id:
        made = project.annotations.create_speaker_mention(
            suggestion.article_id, [suggestion.mention], speaker_id
        )
        parts.append(made)
        mention = made.annotation
    if suggestion.kind is AnnotationKind.CLAIM:
        parts.append(
            project.annotations.create_claim(
                suggestion.article_id,
                suggestion.fragments,
                speaker_id=speaker_id,
                speaker_mention_id=mention.id if mention else None,
            )
        )
    return parts


def _speaker_code(
    project: Project, suggestion: Suggestion, mapping: SpeakerMapping
) -> tuple[Code | None, Change | None]:
    """The suggested code if it still exists, else what ``mapping`` chose for the name (an
    existing code, a name, or none), else the code of that name, else a new one."""
    store = project.store
    if suggestion.speaker_code_id:
        try:
            return store.codes.get(suggestion.speaker_code_id), None
        except NotFoundError:
            pass  # deleted since the suggestion was made: fall back to its name
    assert suggestion.speaker_name is not None
    chosen = _mapped(mapping, suggestion.speaker_name)
    if chosen == "":
        return None, None
    if chosen is not None:
        try:
            code = store.codes.get(chosen)
        except NotFoundError:
            return project.codebook.find_or_create(CodeKind.SPEAKER, chosen)
        if code.kind is not CodeKind.SPEAKER:
            raise ValidationError(f"{code.name!r} is an issue, not a speaker.")
        return code, None
    return project.codebook.find_or_create(CodeKind.SPEAKER, suggestion.speaker_name)


def _mapped(mapping: SpeakerMapping, name: str) -> str | None:
    if name in mapping:
        return mapping[name].strip()
    folded = {key.casefold(): value for key, value in mapping.items()}
    found = folded.get(name.casefold())
    return None if found is None else found.strip()


def _combined(description: str, parts: Sequence[Change]) -> Change:
    """The parts as one Change, so applying it redoes them all and its inverse removes them."""
    return compose(description, parts)


# -- rejecting --------------------------------------------------------------------------------


def reject(store: Store, article_id: str, suggestion: Suggestion, *, annotator: str = "") -> Change:
    """Never suggest this again for this article (it survives reopening the project). A Change
    like every edit, so the window undoes and redoes it through ``apply_change``; rejecting a
    suggestion rejected already changes nothing (the first record is kept)."""
    description = f"reject suggestion {suggestion.text[:30]!r}"
    with store.atomic():  # what was there and what is written, as one
        store.articles.get(article_id)  # a clear NotFoundError rather than a foreign-key failure
        existing = store.suggestions.get(article_id, suggestion.key)
        if existing is not None:
            kept = Snapshot(rejections=(existing,))
            return Change(description, kept, kept)
        rejection = Rejection(
            article_id=article_id,
            key=suggestion.key,
            kind=suggestion.kind.value,
            text=suggestion.text,
            annotator=annotator,
            rejected_at=now_iso(),
        )
        made = Change(description, Snapshot(), Snapshot(rejections=(rejection,)))
        return apply_change(store, made)


def unreject(store: Store, article_id: str, suggestion: Suggestion) -> None:
    """Forget the rejection outright (the window undoes one by applying the inverse Change)."""
    store.suggestions.unreject(article_id, suggestion.key)
