"""Storing the checked annotations of one brat file on its article (see brat_import).

Speaker mentions and issue passages are created first, so that claims can name them as they
are created: one Change per annotation, through the annotation service, which validates.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from annotator.core.errors import AnnotatorError
from annotator.core.model import Annotation, AnnotationKind, Article, Code, CodeKind, Stance
from annotator.services.import_brat_ann import BratDocument, BratEntity
from annotator.services.project import Project

Spans = tuple[tuple[int, int], ...]
ISSUE_SEPARATOR = " | "


@dataclass(frozen=True, slots=True)
class CheckedSpan:
    """A mapped T line whose quote matched the text, with its spans in the canonical text."""

    entity: BratEntity
    kind: AnnotationKind
    spans: Spans
    quote: str  # whitespace collapsed: the name a speaker code is found or created by

    @property
    def where(self) -> str:
        return f"{self.entity.id} (line {self.entity.line})"


@dataclass
class BratTally:
    """What one file's import did and did not do, for its outcome line."""

    created: Counter[AnnotationKind] = field(default_factory=Counter)
    present: int = 0  # already on the article, not added again
    unmapped: Counter[str] = field(default_factory=Counter)  # T lines by type
    unlinked: Counter[str] = field(default_factory=Counter)  # R and E lines by type
    unused_attributes: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


def store_annotations(
    project: Project,
    article: Article,
    ann: BratDocument,
    spans: dict[str, CheckedSpan],
    tally: BratTally,
) -> None:
    """Create the annotations of ``spans`` on ``article``, skipping those it already has."""
    Storer(project, article, ann, spans, tally).run()


def _key(annotation: Annotation) -> tuple:
    """What makes two annotations the same for a re-import: kind, spans and code."""
    return (
        annotation.kind,
        tuple((f.start, f.end) for f in annotation.fragments),
        annotation.code_id,
    )


class Storer:
    def __init__(
        self,
        project: Project,
        article: Article,
        ann: BratDocument,
        spans: dict[str, CheckedSpan],
        tally: BratTally,
    ) -> None:
        self._project = project
        self._article = article
        self._ann = ann
        self._spans = spans
        self._tally = tally
        # Only this coder's own annotations count as already present: another coder's identical
        # span is a separate judgement, and agreement needs both.
        coder = project.annotations.annotator
        self._present = {
            _key(a): a
            for a in project.store.annotations.for_article(article.id)
            if a.annotator == coder
        }
        self._stored: dict[str, Annotation] = {}  # mentions and passages, by brat id
        self._code_notes: dict[str, dict[str, str]] = {}
        self._notes: dict[str, list[str]] = {}
        for note in ann.notes:
            codes = note.codes
            if codes is not None:
                self._code_notes.setdefault(note.target, {}).update(codes)
            elif note.target in spans:
                self._notes.setdefault(note.target, []).append(note.text)

    def run(self) -> None:
        for span in self._spans.values():
            if span.kind is not AnnotationKind.CLAIM:
                self._store_labelled(span)
        speakers, issues = self._links()
        stances = self._stances()
        for span in self._spans.values():
            if span.kind is AnnotationKind.CLAIM:
                self._store_claim(span, speakers.get(span.entity.id, []), issues, stances)
            elif span.entity.id in self._notes:
                self._tally.problems.append(
                    f"{span.where}: its note is not imported (only claims keep notes)"
                )

    def _store_labelled(self, span: CheckedSpan) -> None:
        named = self._code_notes.get(span.entity.id, {})
        try:
            if span.kind is AnnotationKind.SPEAKER:
                code = self._code(CodeKind.SPEAKER, named.get("speaker") or span.quote)
            else:
                code = self._issue_code(named.get("issue"), span.entity.type)
        except AnnotatorError as exc:
            self._tally.problems.append(f"{span.where}: {exc}")
            return
        key = (span.kind, span.spans, code.id)
        annotation = self._present.get(key)
        if annotation is not None:
            self._tally.present += 1
        else:
            annotation = self._create(span, code_id=code.id)
        if annotation is not None:
            self._stored[span.entity.id] = annotation

    def _links(self) -> tuple[dict[str, list[Annotation]], dict[str, list[str]]]:
        """Per claim id: the speaker mentions and issue codes relations and events join it to."""
        speakers: dict[str, list[Annotation]] = {}
        issues: dict[str, list[str]] = {}
        for link in self._ann.links:
            claims = [m for m in link.members if self._is_claim(m)]
            joined = [self._stored[m] for m in link.members if m in self._stored]
            if not claims or not joined:
                self._tally.unlinked[link.type] += 1
                continue
            for claim in claims:
                for other in joined:
                    if other.kind is AnnotationKind.SPEAKER:
                        speakers.setdefault(claim, []).append(other)
                    elif other.code_id is not None:
                        issues.setdefault(claim, []).append(other.code_id)
        return speakers, issues

    def _stances(self) -> dict[str, Stance]:
        """A ``Stance`` attribute (supports, opposes, neutral) on a claim is its stance."""
        stances: dict[str, Stance] = {}
        values = {s.value for s in Stance}
        for attribute in self._ann.attributes:
            value = attribute.value.lower()
            if (
                attribute.name.lower() == "stance"
                and value in values
                and self._is_claim(attribute.target)
            ):
                stances[attribute.target] = Stance(value)
            else:
                self._tally.unused_attributes[attribute.name] += 1
        return stances

    def _store_claim(
        self,
        span: CheckedSpan,
        linked: list[Annotation],
        issues: dict[str, list[str]],
        stances: dict[str, Stance],
    ) -> None:
        if (AnnotationKind.CLAIM, span.spans, None) in self._present:
            self._tally.present += 1
            return
        mentions = list({m.id: m for m in linked}.values())
        if len(mentions) > 1:
            self._tally.problems.append(
                f"{span.where}: linked to {len(mentions)} speaker mentions; "
                f"the first, {mentions[0].quote!r}, is its speaker"
            )
        mention = mentions[0] if mentions else None
        named = self._code_notes.get(span.entity.id, {})
        try:
            speaker_id = mention.code_id if mention else None
            if speaker_id is None and named.get("speaker"):
                speaker_id = self._code(CodeKind.SPEAKER, named["speaker"]).id
            issue_ids = list(issues.get(span.entity.id, []))
            for name in named.get("issues", "").split(ISSUE_SEPARATOR):
                if name.strip():
                    issue_ids.append(self._code(CodeKind.ISSUE, name).id)
        except AnnotatorError as exc:
            self._tally.problems.append(f"{span.where}: {exc}")
            return
        self._create(
            span,
            speaker_id=speaker_id,
            speaker_mention_id=mention.id if mention else None,
            issue_ids=issue_ids,
            stance=stances.get(span.entity.id),
            note="\n".join(self._notes.get(span.entity.id, [])),
        )

    def _is_claim(self, brat_id: str) -> bool:
        span = self._spans.get(brat_id)
        return span is not None and span.kind is AnnotationKind.CLAIM

    def _code(self, kind: CodeKind, name: str) -> Code:
        return self._project.codebook.find_or_create(kind, name.strip())[0]

    def _issue_code(self, named: str | None, brat_type: str) -> Code:
        """The issue a code note names exactly, else the type's name, with underscores read
        as spaces unless an issue has the name as written."""
        if named:
            return self._code(CodeKind.ISSUE, named)
        exact = self._project.store.codes.by_name(CodeKind.ISSUE, brat_type)
        return exact or self._code(CodeKind.ISSUE, brat_type.replace("_", " "))

    def _create(
        self,
        span: CheckedSpan,
        *,
        code_id: str | None = None,
        speaker_id: str | None = None,
        speaker_mention_id: str | None = None,
        issue_ids: Iterable[str] = (),
        stance: Stance | None = None,
        note: str = "",
    ) -> Annotation | None:
        """One annotation through the service's create_* (which validate); a refusal becomes
        a problem line and the rest of the file goes on."""
        service = self._project.annotations
        article_id = self._article.id
        try:
            if span.kind is AnnotationKind.CLAIM:
                change = service.create_claim(
                    article_id,
                    span.spans,
                    speaker_id=speaker_id,
                    speaker_mention_id=speaker_mention_id,
                    issue_ids=tuple(issue_ids),
                    stance=stance,
                    note=note,
                )
            elif span.kind is AnnotationKind.SPEAKER:
                change = service.create_speaker_mention(article_id, span.spans, code_id or "")
            else:
                change = service.create_issue_passage(article_id, span.spans, code_id or "")
        except AnnotatorError as exc:
            self._tally.problems.append(f"{span.where}: {exc}")
            return None
        annotation = change.annotation
        if annotation is not None:
            self._tally.created[span.kind] += 1
            self._present[_key(annotation)] = annotation
        return annotation
