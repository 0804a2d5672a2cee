"""Writing a checked REFI-QDA package into the project (see ``qdpx_import``): articles with
their metadata and variables, then every annotation in one bulk insert. Called inside the
import's transaction, so an error here leaves nothing behind.

A selection and the selections linked to it as "Annotator: same annotation" are one
annotation's fragments. A selection coded "claim" is a claim (its speaker, issues and stance
from its other codes); any other selection is one speaker mention or issue passage per code.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from annotator.core.clock import now_iso
from annotator.core.errors import ConflictError, ValidationError
from annotator.core.formats.qde_read import QdaProject, QdaSelection
from annotator.core.ids import new_id
from annotator.core.model import Annotation, AnnotationKind, CodeKind, Fragment, Stance
from annotator.core.spans.fragments import make_fragments
from annotator.core.wording import plural
from annotator.services.interchange.import_types import ArticleMetadata, too_long
from annotator.services.interchange.import_variables import (
    Spellings,
    checked_variables,
    keep_variables,
)
from annotator.services.interchange.refi.qdpx_codes import CodeRole
from annotator.services.interchange.refi.qdpx_export import LINK_MENTION, LINK_SAME
from annotator.services.project import Project
from annotator.store.bulk import RefusedRowError

_KINDS = {CodeKind.SPEAKER: AnnotationKind.SPEAKER, CodeKind.ISSUE: AnnotationKind.ISSUE}
#: Variables that are an article's metadata, not variables of its own.
_METADATA = ("source", "published", "author", "url")


@dataclass(frozen=True, slots=True)
class SourcePlan:
    guid: str
    name: str
    text: str  # canonical
    selections: Sequence[QdaSelection]
    spans: dict[str, tuple[int, int]]  # selection GUID -> span in the canonical text


@dataclass
class Stored:
    articles: int = 0
    duplicates: int = 0
    annotations: int = 0
    notes: list[str] = field(default_factory=list)


def store_sources(
    project: Project,
    qda: QdaProject,
    plans: list[SourcePlan],
    roles: dict[str, CodeRole],
    *,
    source: str,
    path: Path,
) -> Stored:
    """Add the articles and their annotations; raises an AnnotatorError to refuse it all."""
    stored = Stored()
    builder = _Annotations(project, qda, roles)
    spellings = Spellings(project.store)
    for plan in plans:
        values = {qda.variables.get(g, ""): v for g, v in _variables(qda, plan.guid) if v}
        values.pop("", None)
        meta = {name: values.pop(name, None) for name in _METADATA}
        fields = ArticleMetadata.from_mapping({"title": plan.name, **meta})
        overlong = too_long([(fields, f"in source {plan.name[:60]!r}")])
        if overlong:
            raise ValidationError(overlong)
        added = project.articles.add(
            plan.text, source=meta["source"] or source, title=plan.name,
            published=meta["published"], author=meta["author"], url=meta["url"],
            imported_from=str(path.resolve()),
        )  # fmt: skip
        article = added.article
        if added.duplicate:
            stored.duplicates += 1
        else:
            stored.articles += 1
        checked = checked_variables([(tuple(values.items()), f"in source {plan.name!r}")])
        stored.notes += keep_variables(project.store, spellings, article.id, checked)[1]
        builder.add(plan, article.id)
    new = builder.finished()
    try:
        project.store.bulk.add_annotations(new)
    except RefusedRowError as exc:
        raise ConflictError(f"the project refused an annotation ({exc.reason})") from exc
    stored.annotations = len(new)
    if builder.unkept_notes:
        stored.notes.append(
            f"{plural(builder.unkept_notes, 'note')} on speaker mentions or issue passages "
            "not imported (only claims keep notes)"
        )
    return stored


def _variables(qda: QdaProject, source_guid: str) -> tuple[tuple[str, str], ...]:
    return next((s.variables for s in qda.sources if s.guid == source_guid), ())


def _iso(value: str | None, fallback: str) -> str:
    if not value:
        return fallback
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return fallback
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


class _Annotations:
    """Builds the annotations of every source, mentions and passages before claims."""

    def __init__(self, project: Project, qda: QdaProject, roles: dict[str, CodeRole]) -> None:
        self._project = project
        self._qda = qda
        self._roles = roles
        self._fallback = project.annotations.annotator
        self._now = now_iso()
        self._codes: dict[str, str] = {}  # QDA code GUID -> our code id
        for guid, role in roles.items():
            if role.kind is not None:
                code = project.store.codes.by_name(role.kind, role.name.strip())
                if code is not None:
                    self._codes[guid] = code.id
        self._continues = {t: o for n, o, t in qda.links if n == LINK_SAME}
        self._mention_of = {o: t for n, o, t in qda.links if n == LINK_MENTION}
        self._by_head: dict[str, Annotation] = {}
        self._labelled: list[Annotation] = []
        self._claims: list[tuple[str, Annotation]] = []
        self.unkept_notes = 0

    def add(self, plan: SourcePlan, article_id: str) -> None:
        present = {_key(a) for a in self._project.store.annotations.for_article(article_id)}
        fragments: dict[str, list[QdaSelection]] = {}
        for selection in plan.selections:
            head = self._continues.get(selection.guid, selection.guid)
            fragments.setdefault(head, []).append(selection)
        for head_guid, parts in fragments.items():
            first = next((p for p in parts if p.guid == head_guid), parts[0])
            spans = sorted(plan.spans[p.guid] for p in parts)
            fragments_ = make_fragments(plan.text, spans)
            for annotation in self._from(first, article_id, fragments_):
                if _key(annotation) in present:
                    continue
                if annotation.kind is AnnotationKind.CLAIM:
                    self._claims.append((first.guid, annotation))
                else:
                    self._labelled.append(annotation)
                    self._by_head.setdefault(first.guid, annotation)

    def _from(
        self, head: QdaSelection, article_id: str, fragments: tuple[Fragment, ...]
    ) -> list[Annotation]:
        coder = self._qda.users.get(head.user or "", "").strip() or self._fallback
        created = _iso(head.created, self._now)
        base = Annotation(
            id=new_id(), article_id=article_id, kind=AnnotationKind.CLAIM, fragments=fragments,
            annotator=coder, created_at=created, updated_at=_iso(head.modified, created),
        )  # fmt: skip
        coded = [(g, self._roles[g]) for g in head.codes if g in self._roles]
        note = "\n\n".join(self._qda.notes[g] for g in head.notes if g in self._qda.notes)
        ours = {kind: [self._codes[g] for g, r in coded if r.kind is kind and g in self._codes]
                for kind in CodeKind}  # fmt: skip
        if any(r.claim for _, r in coded):
            stance = next((Stance(r.stance) for _, r in coded if r.stance in set(Stance)), None)
            speakers = ours[CodeKind.SPEAKER]
            return [replace(base, speaker_id=speakers[0] if speakers else None,
                            issue_ids=tuple(dict.fromkeys(ours[CodeKind.ISSUE])),
                            stance=stance, note=note)]  # fmt: skip
        found = [
            replace(base, id=new_id(), kind=_KINDS[kind], code_id=code_id)
            for kind in CodeKind
            for code_id in dict.fromkeys(ours[kind])
        ]
        if note and found:
            self.unkept_notes += 1
        return found

    def finished(self) -> list[Annotation]:
        """Mentions and passages, then claims with their speaker mention where linked."""
        claims = []
        for head, claim in self._claims:
            mention = self._by_head.get(self._mention_of.get(head, ""))
            if (
                mention is not None
                and mention.kind is AnnotationKind.SPEAKER
                and mention.code_id == claim.speaker_id
                and mention.article_id == claim.article_id
            ):
                claim = replace(claim, speaker_mention_id=mention.id)
            claims.append(claim)
        return self._labelled + claims


def _key(a: Annotation) -> tuple[object, ...]:
    """Two annotations of one coder with the same kind, spans and codes are one."""
    spans = tuple((f.start, f.end) for f in a.fragments)
    return (a.annotator, a.kind, spans, a.code_id, a.speaker_id, tuple(sorted(a.issue_ids)),
            a.stance)  # fmt: skip
