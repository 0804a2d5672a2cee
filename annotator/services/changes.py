"""A Change is what one user action did, as the rows before and after it.

Every service computes its Change first and then writes it with ``apply_change``, so one
mechanism covers doing, undoing (apply the inverse) and redoing, and undo survives a restart
because it only ever writes plain rows. The window refreshes from ``article_ids``.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any, Protocol, TypeVar

from annotator.core.model import (
    Annotation,
    AnnotationKind,
    ArticleStatusRow,
    Code,
    CurationDecision,
)
from annotator.core.variables import ArticleVariable
from annotator.store import Store
from annotator.store.suggestion_queries import Rejection


@dataclass(frozen=True, slots=True)
class Snapshot:
    codes: tuple[Code, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    #: coders' article statuses; a row absent after but present before is deleted (new)
    statuses: tuple[ArticleStatusRow, ...] = ()
    decisions: tuple[CurationDecision, ...] = ()
    #: suggestions a coder rejected; like every row, undone by applying the inverse
    rejections: tuple[Rejection, ...] = ()
    #: article variables; a row absent after but present before is deleted
    variables: tuple[ArticleVariable, ...] = ()


@dataclass(frozen=True, slots=True)
class Change:
    description: str
    before: Snapshot
    after: Snapshot

    def inverse(self) -> "Change":
        return Change(f"Undo {self.description}", self.after, self.before)

    @property
    def annotation(self) -> Annotation | None:
        """The one annotation this change leaves behind, if it leaves exactly one."""
        return self.after.annotations[0] if len(self.after.annotations) == 1 else None

    @property
    def code(self) -> Code | None:
        return self.after.codes[0] if len(self.after.codes) == 1 else None

    @property
    def article_ids(self) -> frozenset[str]:
        """Articles whose annotations or status changed: what the window must repaint."""
        return frozenset(
            a.article_id for a in self.before.annotations + self.after.annotations
        ) | frozenset(s.article_id for s in self.before.statuses + self.after.statuses)

    @property
    def variable_article_ids(self) -> frozenset[str]:
        """Articles whose variables changed."""
        return frozenset(v.article_id for v in self.before.variables + self.after.variables)

    @property
    def annotation_ids(self) -> frozenset[str]:
        return frozenset(a.id for a in self.before.annotations + self.after.annotations)

    @property
    def code_ids(self) -> frozenset[str]:
        return frozenset(c.id for c in self.before.codes + self.after.codes)

    @property
    def is_empty(self) -> bool:
        return self.before == self.after


def compose(description: str, parts: Sequence[Change]) -> Change:
    """The parts, done one after another, as one Change: each row's state before the first
    part that touched it (absent if a part created it) and after the last. So applying its
    inverse undoes them all, even when a later part edited or deleted what an earlier one made."""
    before: dict[str, dict[str, Any]] = {name: {} for name in _SNAPSHOT_FIELDS}
    after: dict[str, dict[str, Any]] = {name: {} for name in _SNAPSHOT_FIELDS}
    for part in parts:
        for name in _SNAPSHOT_FIELDS:
            olds = {row.id: row for row in getattr(part.before, name)}
            news = {row.id: row for row in getattr(part.after, name)}
            for row_id in [*olds, *(i for i in news if i not in olds)]:
                before[name].setdefault(row_id, olds.get(row_id))
                after[name][row_id] = news.get(row_id)

    def snapshot(rows: dict[str, dict[str, Any]]) -> Snapshot:
        return Snapshot(**{n: tuple(r for r in rows[n].values() if r is not None) for n in rows})

    return Change(description, snapshot(before), snapshot(after))


_SNAPSHOT_FIELDS = tuple(f.name for f in fields(Snapshot))


def apply_change(store: Store, change: Change) -> Change:
    """Make the store hold ``change.after``: one transaction, all or nothing.

    Rows go in an order in which every reference resolves as it is written (parent codes
    before their children, codes before the annotations that use them, speaker mentions before
    the claims attributed through them; deletions after, children first), so references are
    checked row by row. Deferring the checks to the commit instead would last to the end of
    the outermost transaction: in an import batch, one bad row would then refuse every file of
    the batch rather than its own.
    """
    after_annotations = {a.id for a in change.after.annotations}
    after_codes = {c.id for c in change.after.codes}
    with store.atomic():
        for code in _parents_first(change.after.codes):
            store.codes.upsert(code)
        for annotation in sorted(change.after.annotations, key=_mentions_first):
            store.annotations.upsert(annotation)
        for annotation in change.before.annotations:
            if annotation.id not in after_annotations:
                store.annotations.delete(annotation.id)
        for code in reversed(_parents_first(change.before.codes)):
            if code.id not in after_codes:
                store.codes.delete(code.id)
        # Rows that refer to articles (and a decision to its copies' article) only: each
        # kind's deletions, then its upserts.
        _replace(
            change.before.statuses,
            change.after.statuses,
            lambda s: store.articles.delete_status(s.article_id, s.annotator),
            store.articles.put_status,
        )
        _replace(
            change.before.decisions,
            change.after.decisions,
            lambda d: store.curation.delete(d.id),
            store.curation.upsert,
        )
        _replace(
            change.before.rejections,
            change.after.rejections,
            lambda r: store.suggestions.unreject(r.article_id, r.key),
            store.suggestions.reject,
        )
        _replace(
            change.before.variables,
            change.after.variables,
            lambda v: store.variables.delete(v.article_id, v.name),
            store.variables.put,
        )
    return change  # fmt: skip


class _Row(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_Row)


def _replace(
    before: Sequence[R],
    after: Sequence[R],
    delete: Callable[[R], object],
    put: Callable[[R], object],
) -> None:
    """Delete the rows gone from ``before`` to ``after``, then write every row of ``after``."""
    kept = {row.id for row in after}
    for row in before:
        if row.id not in kept:
            delete(row)
    for row in after:
        put(row)


def _mentions_first(annotation: Annotation) -> bool:
    return annotation.kind is not AnnotationKind.SPEAKER


def _parents_first(codes: Sequence[Code]) -> list[Code]:
    """The codes with each one after its parent, when both are among them."""
    by_id = {c.id: c for c in codes}
    ordered: list[Code] = []
    placed: set[str] = set()

    def place(code: Code, seen: frozenset[str] = frozenset()) -> None:
        if code.id in placed:
            return
        parent = by_id.get(code.parent_id) if code.parent_id else None
        if parent is not None and parent.id not in seen:  # a cycle cannot hold us
            place(parent, seen | {code.id})
        placed.add(code.id)
        ordered.append(code)

    for code in codes:
        place(code)
    return ordered
