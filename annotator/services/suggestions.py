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

from collections.abc import Collection, Iterable, Mapping, Sequence

from annotator.core.attribution import Rules
from annotator.core.clock import now_iso
from annotator.core.errors import ConflictError, NotFoundError, ValidationError
from annotator.core.model import Annotation, AnnotationKind, Article, Code, CodeKind
from annotator.core.wording import plural
from annotator.services.changes import Change, Snapshot, apply_change, compose
from annotator.services.project import Project
from annotator.services.span_cover import SpanCover as _SpanCover
from annotator.services.suggestion_detection import (
    Span,
    cached_detection,
    detect_suggestions,
    detection_key,
    remember_detection,
)
from annotator.services.suggestion_detection import Suggestion as Suggestion
from annotator.services.suggestion_detection import default_rules as default_rules
from annotator.services.suggestion_detection import suggestion_key as suggestion_key
from annotator.store import Store
from annotator.store.suggestion_queries import Rejection

SUGGESTION_KINDS = (AnnotationKind.CLAIM, AnnotationKind.SPEAKER)
#: The least confidence shown by default: on both development parts of PolNeAR's training
#: news, 0.4 keeps the precision of 0.5 and finds more (README, "Suggested claims and
#: speakers"); below it are the cues whose speaker was only guessed from nearby words.
DEFAULT_MIN_CONFIDENCE = 0.4


def suggest_for_article(
    store: Store,
    article_id: str,
    *,
    rules: Rules | None = None,
    existing: Iterable[Annotation] | None = None,
    annotators: Collection[str] = (),
    detected: Sequence[Suggestion] | None = None,
) -> list[Suggestion]:
    """The article's suggestions, without rejected ones and without those an annotation of
    the same kind already overlaps (the coder has been there). ``existing``: the article's
    annotations, when the caller holds them already (the window does). ``annotators``: only
    these coders' annotations count as already there (names ignoring case; empty: all), so
    after a merge one coder's gaps are still suggested. ``detected``: what detection found,
    when the caller ran it already (the window, on a worker)."""
    article = store.articles.get(article_id)
    rejected = store.suggestions.rejected_keys(article_id)
    if existing is None:
        existing = store.annotations.for_article(article_id)
    if annotators:
        wanted = {name.strip().casefold() for name in annotators}
        existing = [a for a in existing if a.annotator.casefold() in wanted]
    if detected is not None:
        found: Sequence[Suggestion] = detected
    elif rules is None:
        found = _detected(article, store.codes.all(CodeKind.SPEAKER))
    else:
        found = detect_suggestions(
            article.id, article.text, store.codes.all(CodeKind.SPEAKER), rules
        )
    covered = _SpanCover(existing)
    return [s for s in found if s.key not in rejected and not covered.overlaps(s)]


def _detected(article: Article, speakers: Sequence[Code]) -> list[Suggestion]:
    """``detect_suggestions`` with the default rules, remembered for the last few articles."""
    key = detection_key(article, speakers)
    found = cached_detection(key)
    if found is None:
        found = remember_detection(key, detect_suggestions(article.id, article.text, speakers))
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
