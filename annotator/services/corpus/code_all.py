"""Coding every hit of a search: each one a speaker mention, an issue passage or a claim.

A hit the coder has already coded the same way (same kind, same span, same code; for a
claim the same speaker and, when one is given, the issue) is skipped, so running the same
code-all twice creates nothing the second time. Other coders' annotations never count: each
coder codes for themself. Everything is created in one Change, so it is one undo step.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from annotator.core.errors import ValidationError
from annotator.core.model import Annotation, AnnotationKind, CodeKind
from annotator.core.search import SearchQuery
from annotator.core.wording import plural
from annotator.services.changes import Change
from annotator.services.code_lookup import find_code
from annotator.services.corpus.search import iter_matches
from annotator.services.project import Project
from annotator.store import Store

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class CodeTarget:
    """What each hit becomes. ``code_id`` is the speaker of a mention, the issue of a
    passage, or a claim's optional issue; ``speaker_id`` is a claim's speaker."""

    kind: AnnotationKind
    code_id: str | None
    speaker_id: str | None = None
    label: str = ""  # how messages name it: "speaker mention of 'John Kirby'"


@dataclass(frozen=True, slots=True)
class CodeAllPlan:
    """What a code-all would do, computed before anything is written (the preview)."""

    target: CodeTarget
    matches: int
    already: int
    spans: tuple[tuple[str, tuple[Span, ...]], ...]  # to create: (article id, spans)

    @property
    def to_create(self) -> int:
        return sum(len(spans) for _, spans in self.spans)


def resolve_target(
    store: Store, kind: AnnotationKind, code: str | None, speaker: str | None = None
) -> CodeTarget:
    """The target named as on the command line: ``--kind speaker --code NAME``, ``--kind
    issue --code NAME``, or ``--kind claim --speaker NAME [--code ISSUE]``."""
    if kind is AnnotationKind.CLAIM:
        if not speaker:
            raise ValidationError("A claim needs a speaker: add --speaker NAME.")
        who = find_code(store, speaker, CodeKind.SPEAKER)
        issue = find_code(store, code, CodeKind.ISSUE) if code else None
        label = f"claim by {who.name!r}" + (f" on {issue.name!r}" if issue else "")
        return CodeTarget(kind, issue.id if issue else None, who.id, label)
    if speaker:
        raise ValidationError("--speaker goes with --kind claim.")
    if not code:
        raise ValidationError(f"Say which {kind.value} code: --code NAME.")
    code_kind = kind.code_kind
    assert code_kind is not None
    found = find_code(store, code, code_kind)
    noun = "speaker mention" if kind is AnnotationKind.SPEAKER else "issue passage"
    return CodeTarget(kind, found.id, None, f"{noun} of {found.name!r}")


def plan_code_all(
    store: Store, annotator: str, query: SearchQuery, target: CodeTarget
) -> CodeAllPlan:
    """Every match of ``query``, split into those to create and those ``annotator`` coded
    already."""
    found = ((m.article_id, m.spans) for m in iter_matches(store, query))
    return plan_for_matches(store, annotator, found, target)


def match_spans(store: Store, query: SearchQuery) -> list[tuple[str, tuple[Span, ...]]]:
    """Every match of ``query`` as (article id, spans), without the texts: what a preview
    keeps while the coder tries targets (``plan_for_matches``)."""
    return [(m.article_id, m.spans) for m in iter_matches(store, query)]


def plan_for_matches(
    store: Store,
    annotator: str,
    matches: Iterable[tuple[str, tuple[Span, ...]]],
    target: CodeTarget,
) -> CodeAllPlan:
    """The plan for matches found before, so trying another target searches nothing again."""
    count = already = 0
    spans: list[tuple[str, tuple[Span, ...]]] = []
    for article_id, found in matches:
        count += len(found)
        done = _coded(store.annotations.for_article(article_id), annotator, target)
        new = tuple(span for span in found if span not in done)
        already += len(found) - len(new)
        if new:
            spans.append((article_id, new))
    return CodeAllPlan(target, count, already, tuple(spans))


def _coded(annotations: list[Annotation], annotator: str, target: CodeTarget) -> set[Span]:
    """The single-fragment spans ``annotator`` has already coded as ``target``."""
    coded = set()
    for a in annotations:
        if a.annotator != annotator or a.kind is not target.kind or len(a.fragments) != 1:
            continue
        if target.kind is AnnotationKind.CLAIM:
            same = a.speaker_id == target.speaker_id and (
                target.code_id is None or target.code_id in a.issue_ids
            )
        else:
            same = a.code_id == target.code_id
        if same:
            coded.add((a.start, a.end))
    return coded


def code_all(project: Project, plan: CodeAllPlan) -> Change:
    """Create what ``plan`` lists, as the project's coder, in one Change."""
    target = plan.target
    claim = target.kind is AnnotationKind.CLAIM
    return project.annotations.create_many(
        f"code {plural(plan.to_create, 'hit')} as {target.label}",
        target.kind,
        dict(plan.spans),
        code_id=None if claim else target.code_id,
        speaker_id=target.speaker_id if claim else None,
        issue_ids=(target.code_id,) if claim and target.code_id else (),
    )
