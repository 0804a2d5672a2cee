"""Creating, editing and deleting annotations: the only write path for spans."""

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from annotator.core.clock import now_iso
from annotator.core.errors import ValidationError
from annotator.core.ids import new_id
from annotator.core.model import (
    Annotation,
    AnnotationKind,
    ArticleStatus,
    ArticleStatusRow,
    Code,
    CodeKind,
    Stance,
)
from annotator.core.spans.fragments import make_fragments
from annotator.services.changes import Change, Snapshot, apply_change
from annotator.store import Store

Spans = Iterable[tuple[int, int]]


class _Unset:
    """Marks an argument the caller left alone, since None is a value one may set."""


UNSET = _Unset()
_T = TypeVar("_T")


def _given(value: _T | _Unset, current: _T) -> _T:
    """The argument, or the current value when the caller left it alone."""
    return current if isinstance(value, _Unset) else value


class AnnotationService:
    def __init__(self, store: Store, annotator: str) -> None:
        if not annotator.strip():
            raise ValidationError("An annotator name is needed to record who coded what.")
        self._store = store
        self.annotator = annotator.strip()

    # -- creating -------------------------------------------------------------------------

    def create(
        self,
        article_id: str,
        kind: AnnotationKind,
        spans: Spans,
        *,
        code_id: str | None = None,
        speaker_id: str | None = None,
        speaker_mention_id: str | None = None,
        issue_ids: Sequence[str] = (),
        stance: Stance | None = None,
        note: str = "",
    ) -> Change:
        article = self._store.articles.get(article_id)
        now = now_iso()
        annotation = Annotation(
            id=new_id(),
            article_id=article.id,
            kind=kind,
            fragments=make_fragments(article.text, spans),
            annotator=self.annotator,
            created_at=now,
            updated_at=now,
            code_id=code_id,
            speaker_id=speaker_id,
            speaker_mention_id=speaker_mention_id,
            issue_ids=_normalise_ids(issue_ids),
            stance=stance,
            note=note,
        )
        annotation = self._with_mention_speaker(annotation)
        self._validate(annotation)
        started = self._started(article.id)
        change = Change(
            f"add {kind.value}",
            Snapshot(),
            Snapshot(annotations=(annotation,), statuses=started),
        )
        return apply_change(self._store, change)

    def create_claim(
        self,
        article_id: str,
        spans: Spans,
        *,
        speaker_id: str | None = None,
        speaker_mention_id: str | None = None,
        issue_ids: Sequence[str] = (),
        stance: Stance | None = None,
        note: str = "",
    ) -> Change:
        return self.create(
            article_id,
            AnnotationKind.CLAIM,
            spans,
            speaker_id=speaker_id,
            speaker_mention_id=speaker_mention_id,
            issue_ids=issue_ids,
            stance=stance,
            note=note,
        )

    def create_speaker_mention(self, article_id: str, spans: Spans, speaker_id: str) -> Change:
        return self.create(article_id, AnnotationKind.SPEAKER, spans, code_id=speaker_id)

    def create_issue_passage(self, article_id: str, spans: Spans, issue_id: str) -> Change:
        return self.create(article_id, AnnotationKind.ISSUE, spans, code_id=issue_id)

    def create_many(
        self,
        description: str,
        kind: AnnotationKind,
        spans: Mapping[str, Sequence[tuple[int, int]]],
        *,
        code_id: str | None = None,
        speaker_id: str | None = None,
        issue_ids: Sequence[str] = (),
    ) -> Change:
        """One annotation per span (``spans`` by article id), all of one kind and code, as
        one Change written in one transaction: coding every hit of a search is one undo
        step. Nothing to create writes nothing."""
        now = now_iso()
        made: list[Annotation] = []
        started: list[ArticleStatusRow] = []
        for article_id, article_spans in spans.items():
            if not article_spans:
                continue
            text = self._store.articles.get(article_id).text
            for span in article_spans:
                annotation = Annotation(
                    id=new_id(), article_id=article_id, kind=kind,
                    fragments=make_fragments(text, [span]), annotator=self.annotator,
                    created_at=now, updated_at=now, code_id=code_id, speaker_id=speaker_id,
                    issue_ids=_normalise_ids(issue_ids),
                )  # fmt: skip
                self._validate(annotation)
                made.append(annotation)
            started.extend(self._started(article_id))
        if not made:
            return Change(description, Snapshot(), Snapshot())
        after = Snapshot(annotations=tuple(made), statuses=tuple(started))
        return apply_change(self._store, Change(description, Snapshot(), after))

    # -- editing --------------------------------------------------------------------------

    def update(
        self,
        annotation_id: str,
        *,
        kind: AnnotationKind | _Unset = UNSET,
        spans: Spans | _Unset = UNSET,
        code_id: str | _Unset | None = UNSET,
        speaker_id: str | _Unset | None = UNSET,
        speaker_mention_id: str | _Unset | None = UNSET,
        issue_ids: Sequence[str] | _Unset = UNSET,
        stance: Stance | _Unset | None = UNSET,
        note: str | _Unset = UNSET,
    ) -> Change:
        """Change any part of an annotation; a change of kind drops what the new kind cannot
        hold (a claim turned into an issue passage loses its speaker, stance and note)."""
        before = self._store.annotations.get(annotation_id)
        after = dataclasses.replace(
            before,
            kind=_given(kind, before.kind),
            code_id=_given(code_id, before.code_id),
            speaker_id=_given(speaker_id, before.speaker_id),
            speaker_mention_id=_given(speaker_mention_id, before.speaker_mention_id),
            stance=_given(stance, before.stance),
            note=_given(note, before.note),
            issue_ids=(
                before.issue_ids if isinstance(issue_ids, _Unset) else _normalise_ids(issue_ids)
            ),
            fragments=(
                before.fragments
                if isinstance(spans, _Unset)
                else make_fragments(self._store.articles.get(before.article_id).text, spans)
            ),
        )
        if after.kind is not AnnotationKind.CLAIM:
            after = dataclasses.replace(
                after, speaker_id=None, speaker_mention_id=None, issue_ids=(), stance=None
            )
        else:
            after = dataclasses.replace(after, code_id=None)
        if after == before:
            return Change("no change", Snapshot(), Snapshot())
        after = self._with_mention_speaker(dataclasses.replace(after, updated_at=now_iso()))
        self._validate(after)
        related_before, related_after = self._follow_mention(before, after)
        change = Change(
            f"edit {before.kind.value}",
            Snapshot(annotations=(before, *related_before)),
            Snapshot(annotations=(after, *related_after)),
        )
        return apply_change(self._store, change)

    def add_fragment(self, annotation_id: str, start: int, end: int) -> Change:
        """A claim interrupted by its attribution ("..., Flynn said. ...") is one claim."""
        current = self._store.annotations.get(annotation_id)
        spans = [(f.start, f.end) for f in current.fragments] + [(start, end)]
        return self.update(annotation_id, spans=spans)

    def delete(self, annotation_id: str) -> Change:
        annotation = self._store.annotations.get(annotation_id)
        linked = self._claims_citing(annotation)
        unlinked = tuple(dataclasses.replace(c, speaker_mention_id=None) for c in linked)
        change = Change(
            f"delete {annotation.kind.value}",
            Snapshot(annotations=(annotation, *linked)),
            Snapshot(annotations=unlinked),
        )
        return apply_change(self._store, change)

    # -- rules ----------------------------------------------------------------------------

    def _started(self, article_id: str) -> tuple[ArticleStatusRow, ...]:
        """The coder's first annotation in an article new to them marks it in progress, in
        the same Change (one undo takes both back); an article already in progress or done
        for them is left alone, so "done" is never downgraded."""
        if self._store.articles.status_row(article_id, self.annotator) is not None:
            return ()
        return (ArticleStatusRow(article_id, self.annotator, ArticleStatus.IN_PROGRESS),)

    def _claims_citing(self, mention: Annotation) -> tuple[Annotation, ...]:
        if mention.kind is not AnnotationKind.SPEAKER:
            return ()
        return tuple(
            a
            for a in self._store.annotations.for_article(mention.article_id)
            if a.speaker_mention_id == mention.id
        )

    def _follow_mention(
        self, before: Annotation, after: Annotation
    ) -> tuple[tuple[Annotation, ...], tuple[Annotation, ...]]:
        """Claims attributed through a mention follow it: a mention re-coded to another
        speaker takes its claims along; one that stops being a mention lets them go."""
        if before.kind is not AnnotationKind.SPEAKER:
            return (), ()
        linked = self._claims_citing(before)
        if after.kind is not AnnotationKind.SPEAKER:
            return linked, tuple(dataclasses.replace(c, speaker_mention_id=None) for c in linked)
        if after.code_id != before.code_id:
            return linked, tuple(dataclasses.replace(c, speaker_id=after.code_id) for c in linked)
        return (), ()

    def _with_mention_speaker(self, claim: Annotation) -> Annotation:
        """A claim attributed through a mention ("China's leader") speaks for that mention's
        speaker unless the coder chose one."""
        if claim.speaker_mention_id is None or claim.speaker_id is not None:
            return claim
        mention = self._store.annotations.get(claim.speaker_mention_id)
        return dataclasses.replace(claim, speaker_id=mention.code_id)

    def _validate(self, annotation: Annotation) -> None:
        mention = None
        if annotation.speaker_mention_id is not None:
            mention = self._store.annotations.get(annotation.speaker_mention_id)
        check_references(annotation, self._expect_code, mention)

    def _expect_code(self, code_id: str, kind: CodeKind) -> None:
        expect_kind(self._store.codes.get(code_id), kind)


def expect_kind(code: Code, kind: CodeKind) -> None:
    if code.kind is not kind:
        raise ValidationError(f"{code.name!r} is a {code.kind.value} code, not {kind.value}.")


def check_references(
    annotation: Annotation,
    expect_code: Callable[[str, CodeKind], None],
    mention: Annotation | None,
) -> None:
    """The rules of an annotation's references, for the service and for a bulk import, which
    looks codes up in its own copy of the codebook (``expect_code`` raises for a code that is
    missing or of another kind); ``mention`` is the speaker mention the claim names, if any."""
    if not annotation.fragments:
        raise ValidationError("An annotation needs at least one fragment.")
    expected = annotation.kind.code_kind
    if expected is not None:
        if annotation.code_id is None:
            raise ValidationError(f"A {annotation.kind.value} annotation needs a code.")
        expect_code(annotation.code_id, expected)
        return
    if annotation.speaker_id is not None:
        expect_code(annotation.speaker_id, CodeKind.SPEAKER)
    for issue_id in annotation.issue_ids:
        expect_code(issue_id, CodeKind.ISSUE)
    if mention is not None:
        if mention.kind is not AnnotationKind.SPEAKER:
            raise ValidationError("A claim can only be attributed through a speaker mention.")
        if mention.article_id != annotation.article_id:
            raise ValidationError("The speaker mention is in another article.")
        if annotation.speaker_id is not None and mention.code_id != annotation.speaker_id:
            raise ValidationError("The speaker mention names a different speaker.")


def _normalise_ids(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(ids)))


def project_coders(store: Store) -> list[str]:
    """Everyone with annotations in the project, in alphabetical order."""
    return sorted(store.annotations.annotators(), key=lambda n: (n.casefold(), n))
