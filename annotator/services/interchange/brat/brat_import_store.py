"""Storing the checked annotations of one brat file on its article (see brat_import).

Speaker mentions and issue passages are built first, so that claims can name them. Every
annotation is checked here against the rules the annotation service enforces (fragments
inside the text, codes of the right kind, a claim's mention a speaker mention of the same
article naming the same speaker) and a refusal becomes a problem line, as before; the file's
annotations then go in through one bulk insert rather than one service call, read-back of the
article and transaction each, which made a brat import ~1,000 times slower than its parsing.
Codes are looked up in a per-file copy of the codebook, and only a new name goes through the
codebook service, which creates it as the tagging panel would.

A row the database still refuses (a constraint or trigger the checks here do not know of)
refuses the whole file: ``store_annotations`` raises ConflictError naming the brat line, and
the caller's savepoint undoes the file's article, codes and annotations together.
"""

import secrets
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import count

from annotator.core.clock import now_iso
from annotator.core.errors import AnnotatorError, ConflictError, ValidationError
from annotator.core.formats.brat_ann import BratDocument, BratEntity, BratNote, unescape_name
from annotator.core.model import (
    Annotation,
    AnnotationKind,
    Article,
    Code,
    CodeKind,
    Fragment,
    Stance,
)
from annotator.services.annotations import check_references, expect_kind
from annotator.services.project import Project
from annotator.store.bulk import RefusedRowError

Spans = tuple[tuple[int, int], ...]
#: A file's notes, each with its codes if it is a code note (read once: both steps need them).
Notes = list[tuple[BratNote, dict[str, str] | None]]
ISSUE_SEPARATOR = " | "


def read_notes(ann: BratDocument) -> Notes:
    return [(note, note.codes) for note in ann.notes]


@dataclass(frozen=True, slots=True)
class CheckedSpan:
    """A mapped T line whose quote matched the text, with its fragments in the canonical
    text (validated by make_fragments against it)."""

    entity: BratEntity
    kind: AnnotationKind
    fragments: tuple[Fragment, ...]

    @property
    def quote(self) -> str:
        """Whitespace collapsed: the name a speaker code is found or created by."""
        return " ".join(" ".join(f.quote for f in self.fragments).split())

    @property
    def spans(self) -> Spans:
        return tuple((f.start, f.end) for f in self.fragments)

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
    notes: Notes,
    spans: dict[str, CheckedSpan],
    tally: BratTally,
) -> None:
    """Create the annotations of ``spans`` on ``article``, skipping those it already has;
    call it inside the file's ``Store.atomic()``. Raises ConflictError if the project refuses
    one of them, after which nothing of the file may be kept."""
    Storer(project, article, ann, notes, spans, tally).run()


def ordered_ids() -> Iterator[str]:
    """UUIDs in increasing order, for one file's annotations: RFC 9562's version 7, the time
    in milliseconds and then random bits, the last of them counting up. Stored in the order
    they are made, they go in at the end of every index keyed by them, not at random places
    in it, which halves SQLite's time for a dense file; 73 random bits per file keep projects
    coded apart as unlikely to collide as random UUIDs do."""
    milliseconds = time.time_ns() // 1_000_000
    high = milliseconds << 80 | 0x7 << 76 | secrets.randbits(12) << 64 | 0b10 << 62
    low = secrets.randbits(61)  # counting up from here never reaches the variant's bits
    for n in count():
        digits = f"{high | (low + n):032x}"
        yield f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def _unescaped(written: str) -> str:
    """A code note's name, read without a regular expression when it holds no escape."""
    return unescape_name(written) if "\\" in written else written


def _key(annotation: Annotation) -> tuple[object, ...]:
    """What makes two annotations the same for a re-import: kind, spans and codes (a claim's
    speaker, issues and stance: two claims of one span are two readings of it). Not the note,
    which brat flattens, nor a claim's mention, whose id is this import's."""
    spans = tuple((f.start, f.end) for f in annotation.fragments)
    if annotation.kind is AnnotationKind.CLAIM:
        return (annotation.kind, spans, annotation.speaker_id, annotation.issue_ids,
                annotation.stance)  # fmt: skip
    return (annotation.kind, spans, annotation.code_id)


class Storer:
    def __init__(
        self,
        project: Project,
        article: Article,
        ann: BratDocument,
        notes: Notes,
        spans: dict[str, CheckedSpan],
        tally: BratTally,
    ) -> None:
        self._project = project
        self._article = article
        self._ann = ann
        self._spans = spans
        self._tally = tally
        self._codes = FileCodebook(project)
        self._annotator = project.annotations.annotator
        self._now = now_iso()  # one moment for the file: its annotations go in together
        self._ids = ordered_ids()
        # Only this coder's own annotations count as already present: another coder's identical
        # span is a separate judgement, and agreement needs both. Each matches one line of the
        # file, and the file's own lines never match each other: each is an annotation.
        self._present: dict[tuple[object, ...], list[Annotation]] = {}
        for a in project.store.annotations.for_article(article.id):
            if a.annotator == self._annotator:
                self._present.setdefault(_key(a), []).append(a)
        self._stored: dict[str, Annotation] = {}  # mentions and passages, by brat id
        self._new: list[tuple[Annotation, CheckedSpan]] = []  # to insert, in this order
        self._code_notes: dict[str, dict[str, str]] = {}
        self._notes: dict[str, list[str]] = {}
        for note, codes in notes:
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
        self._insert()

    def _insert(self) -> None:
        """Mentions and passages first, then claims, which may refer to them."""
        ordered = sorted(self._new, key=lambda pair: pair[0].kind is AnnotationKind.CLAIM)
        try:
            self._project.store.bulk.add_annotations([a for a, _ in ordered])
        except RefusedRowError as exc:
            where = ordered[exc.index][1].where
            raise ConflictError(
                f"{where}: the project refused this annotation ({exc.reason}), "
                "so nothing of this file was imported"
            ) from exc
        for annotation, _ in ordered:
            self._tally.created[annotation.kind] += 1

    def _store_labelled(self, span: CheckedSpan) -> None:
        named = self._code_notes.get(span.entity.id, {})
        try:
            if span.kind is AnnotationKind.SPEAKER:
                speaker = named.get("speaker")
                code = self._codes.find_or_create(
                    CodeKind.SPEAKER, _unescaped(speaker) if speaker else span.quote
                )
            else:
                issue = named.get("issue")
                code = self._issue_code(_unescaped(issue) if issue else None, span.entity.type)
        except AnnotatorError as exc:
            self._tally.problems.append(f"{span.where}: {exc}")
            return
        annotation = self._take_present((span.kind, span.spans, code.id))
        if annotation is None:
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
                speaker = _unescaped(named["speaker"])
                speaker_id = self._codes.find_or_create(CodeKind.SPEAKER, speaker).id
            issue_ids = list(issues.get(span.entity.id, []))
            for name in named.get("issues", "").split(ISSUE_SEPARATOR):
                if name.strip():
                    issue = _unescaped(name)
                    issue_ids.append(self._codes.find_or_create(CodeKind.ISSUE, issue).id)
        except AnnotatorError as exc:
            self._tally.problems.append(f"{span.where}: {exc}")
            return
        stance = stances.get(span.entity.id)
        key = (AnnotationKind.CLAIM, span.spans, speaker_id, tuple(sorted(set(issue_ids))), stance)
        if self._take_present(key) is not None:
            return
        self._create(
            span,
            speaker_id=speaker_id,
            speaker_mention=mention,
            issue_ids=issue_ids,
            stance=stance,
            note="\n".join(self._notes.get(span.entity.id, [])),
        )

    def _take_present(self, key: tuple[object, ...]) -> Annotation | None:
        """One of the coder's annotations the same as this line, counted as already there;
        each matches one line only."""
        same = self._present.get(key) if self._present else None
        if not same:
            return None
        self._tally.present += 1
        return same.pop(0)

    def _is_claim(self, brat_id: str) -> bool:
        span = self._spans.get(brat_id)
        return span is not None and span.kind is AnnotationKind.CLAIM

    def _issue_code(self, named: str | None, brat_type: str) -> Code:
        """The issue a code note names exactly, else the type's name, with underscores read
        as spaces unless an issue has the name as written."""
        if named:
            return self._codes.find_or_create(CodeKind.ISSUE, named)
        exact = self._codes.by_name(CodeKind.ISSUE, brat_type)
        return exact or self._codes.find_or_create(CodeKind.ISSUE, brat_type.replace("_", " "))

    def _create(
        self,
        span: CheckedSpan,
        *,
        code_id: str | None = None,
        speaker_id: str | None = None,
        speaker_mention: Annotation | None = None,
        issue_ids: Iterable[str] = (),
        stance: Stance | None = None,
        note: str = "",
    ) -> Annotation | None:
        """One annotation, checked as the service would check it and kept for the bulk
        insert; a refusal becomes a problem line and the rest of the file goes on."""
        annotation = Annotation(
            id=next(self._ids),
            article_id=self._article.id,
            kind=span.kind,
            fragments=span.fragments,
            annotator=self._annotator,
            created_at=self._now,
            updated_at=self._now,
            code_id=code_id,
            speaker_id=speaker_id,
            speaker_mention_id=speaker_mention.id if speaker_mention else None,
            issue_ids=tuple(sorted(set(issue_ids))),
            stance=stance,
            note=note,
        )
        try:
            self._check(annotation, speaker_mention)
        except ValidationError as exc:
            self._tally.problems.append(f"{span.where}: {exc}")
            return None
        self._new.append((annotation, span))
        return annotation

    def _check(self, annotation: Annotation, mention: Annotation | None) -> None:
        """AnnotationService's rules, on values already in memory: the fragments were made
        from this article's text by make_fragments, so only the references remain."""
        check_references(annotation, self._codes.expect, mention)


class FileCodebook:
    """The codebook as one file's import sees it: read once, then looked up by name in memory
    instead of one query over every code per annotation. A new name is created through the
    codebook service (colour, validation, as the tagging panel would) and remembered; the
    copy lives for one file, so a file that is refused cannot leave a stale code behind."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self._by_id: dict[str, Code] = {}
        # None marks a name two codes share once case is folded (UNIQUE NOCASE folds only
        # ASCII): which one wins is left to the store, as before.
        self._by_name: dict[tuple[CodeKind, str], Code | None] = {}
        for code in project.store.codes.all():
            self._remember(code)

    def _remember(self, code: Code) -> None:
        self._by_id[code.id] = code
        key = (code.kind, code.name.casefold())
        self._by_name[key] = None if key in self._by_name else code

    def by_name(self, kind: CodeKind, name: str) -> Code | None:
        """As CodeQueries.by_name: the code of that name ignoring case in every script."""
        key = (kind, name.strip().casefold())
        if key not in self._by_name:
            return None
        return self._by_name[key] or self._project.store.codes.by_name(kind, name)

    def find_or_create(self, kind: CodeKind, name: str) -> Code:
        found = self.by_name(kind, name)
        if found is not None:
            return found
        code = self._project.codebook.find_or_create(kind, name.strip())[0]
        self._remember(code)
        return code

    def expect(self, code_id: str, kind: CodeKind) -> None:
        expect_kind(self._by_id.get(code_id) or self._project.store.codes.get(code_id), kind)
