"""One curation Change in the making: the target's annotations removed and copied, and the
decision rows before and after, for any number of decisions on one article. A decision that
replaces an earlier one removes exactly the copies the earlier one made."""

import dataclasses
from collections.abc import Sequence

from annotator.core.clock import now_iso
from annotator.core.errors import ValidationError
from annotator.core.ids import new_id
from annotator.core.model import Annotation, AnnotationKind, CurationDecision, Decision
from annotator.services.changes import Change, Snapshot, apply_change
from annotator.services.team.curation_state import ArticleCuration, CurationItem
from annotator.store import Store

#: Speaker mentions first, so a claim copied in the same step can point at its mention's copy.
_COPY_ORDER = {AnnotationKind.SPEAKER: 0, AnnotationKind.ISSUE: 1, AnnotationKind.CLAIM: 2}


class CurationDraft:
    """One Change in the making: the target annotations removed and made, and the decision
    rows before and after, for any number of decisions on one article."""

    def __init__(self, store: Store, curation: ArticleCuration) -> None:
        self._store = store
        self._curation = curation
        self._target = {a.id: a for a in curation.target_annotations}
        self._removed: dict[str, Annotation] = {}
        self._unlinked: dict[str, Annotation] = {}  # target claims whose mention copy goes
        self._made: list[Annotation] = []
        self._before: list[CurationDecision] = []
        self._after: list[CurationDecision] = []
        #: coder annotation id → its copy in the target, from every decision on the article
        self._copy_of = {s: c for d in curation.decisions.values() for s, c in d.copies}
        self._now = now_iso()

    def copy_agreed(self) -> None:
        for pairing in self._curation.agreed_to_copy:
            assert pairing.a is not None and pairing.b is not None
            self._record(pairing.key, Decision.AGREED, [pairing.a], also=(pairing.b,))

    def decide(
        self, item: CurationItem, decision: Decision, edited: Sequence[Annotation] = ()
    ) -> None:
        previous = item.decision
        if previous is not None:
            for _source, copy_id in previous.copies:
                self._remove(copy_id)
        if decision is Decision.AGREED:
            raise ValidationError("Only identical annotations can be marked as agreed.")
        chosen: list[Annotation | None]
        if decision is Decision.EDITED:
            if not edited:
                raise ValidationError("An edited version is needed to accept it.")
            chosen = list(edited)
        else:
            chosen = {
                Decision.ACCEPT_A: [item.a],
                Decision.ACCEPT_B: [item.b],
                Decision.BOTH: [item.a, item.b],
                Decision.REJECTED: [],
            }[decision]
            if decision is not Decision.REJECTED and None in chosen:
                side = "A" if decision is Decision.ACCEPT_A else "B"
                raise ValidationError(f"Coder {side} has nothing here to accept.")
        self._record(item.key, decision, [a for a in chosen if a is not None], previous)

    def _record(
        self,
        key: str,
        decision: Decision,
        sources: list[Annotation],
        previous: CurationDecision | None = None,
        also: Sequence[Annotation] = (),
    ) -> None:
        copies: list[tuple[str, str]] = []
        for source in sorted(sources, key=lambda a: _COPY_ORDER[a.kind]):
            copy = self._copy(source)
            copies.append((source.id, copy.id))
            for twin in (source, *also):
                self._copy_of[twin.id] = copy.id
        c = self._curation
        row = CurationDecision(
            id=previous.id if previous else new_id(),
            article_id=c.article_id,
            target=c.target,
            coder_a=c.coder_a,
            coder_b=c.coder_b,
            item_key=key,
            decision=decision,
            copies=tuple(copies),
            decided_at=self._now,
        )
        if previous is not None:
            self._before.append(previous)
        self._after.append(row)

    def _copy(self, source: Annotation) -> Annotation:
        mention_copy = self._copy_of.get(source.speaker_mention_id or "")
        mention = self._find(mention_copy) if mention_copy else None
        keep_link = mention is not None and mention.code_id == source.speaker_id
        copy = dataclasses.replace(
            source,
            id=new_id(),
            annotator=self._curation.target,
            created_at=self._now,
            updated_at=self._now,
            speaker_mention_id=mention_copy if keep_link else None,
        )
        self._made.append(copy)
        return copy

    def _find(self, annotation_id: str) -> Annotation | None:
        if annotation_id in self._removed:
            return None
        return self._target.get(annotation_id) or next(
            (a for a in self._made if a.id == annotation_id), None
        )

    def _remove(self, annotation_id: str) -> None:
        found = self._target.get(annotation_id)
        if found is None:  # the curator deleted that copy by hand already
            return
        self._removed[annotation_id] = found
        for claim in self._target.values():
            if claim.speaker_mention_id == annotation_id and claim.id not in self._removed:
                self._unlinked[claim.id] = claim

    def write(self, description: str) -> Change:
        unlinked_before = [a for a in self._unlinked.values() if a.id not in self._removed]
        change = Change(
            description,
            Snapshot(
                annotations=(*self._removed.values(), *unlinked_before),
                decisions=tuple(self._before),
            ),
            Snapshot(
                annotations=(
                    *(dataclasses.replace(a, speaker_mention_id=None) for a in unlinked_before),
                    *self._made,
                ),
                decisions=tuple(self._after),
            ),
        )
        return change if change.is_empty else apply_change(self._store, change)
