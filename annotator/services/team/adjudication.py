"""Curation: two coders' annotations of an article merged into a target coder (gold).

Annotations both coders made identically go into the target as they are; every other
annotation belongs to exactly one disagreement (see core.curation), on which the curator
decides: accept A's, accept B's, both, an edited version, or neither. Each decision is stored,
so work resumes after a restart and a second headless run changes nothing, and it remembers
the target annotations it made, so deciding again replaces them instead of adding copies.
The coders' own annotations are only ever read.

Every write is one Change (annotations and decision rows before and after), so the window
undoes a decision like any edit, and the headless ``annotator adjudicate`` uses the same code.
"""

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.core.curation import Pairing, differences, pair_up
from annotator.core.errors import ValidationError
from annotator.core.model import (
    Annotation,
    AnnotationKind,
    Decision,
    Stance,
)
from annotator.core.spans.fragments import make_fragments
from annotator.services.annotations import check_references, expect_kind
from annotator.services.changes import Change
from annotator.services.team.curation_draft import CurationDraft
from annotator.services.team.curation_state import ArticleCuration, CurationItem
from annotator.store import Store

DEFAULT_TARGET = "gold"


@dataclass(frozen=True, slots=True)
class AdjudicationReport:
    articles: int
    agreed: int
    disagreements: int
    resolved: int
    unresolved: int
    copied: int

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


def gold_coders(store: Store) -> list[str]:
    """Coders that curation writes into: left out of agreement unless asked for."""
    return store.curation.targets()


class CurationService:
    """Curating ``coder_a`` and ``coder_b`` into ``target``."""

    def __init__(
        self, store: Store, coder_a: str, coder_b: str, target: str = DEFAULT_TARGET
    ) -> None:
        coder_a, coder_b, target = coder_a.strip(), coder_b.strip(), target.strip()
        if not (coder_a and coder_b and target):
            raise ValidationError("Curation needs two coders and a target coder, each named.")
        if coder_a == coder_b:
            raise ValidationError("Choose two different coders to compare.")
        if target in (coder_a, coder_b):
            raise ValidationError(
                f"The target {target!r} is one of the coders compared; curation never changes "
                "a coder's own annotations, so choose another target (e.g. 'gold')."
            )
        self._store = store
        self.coder_a, self.coder_b, self.target = coder_a, coder_b, target

    # -- reading ------------------------------------------------------------------------

    def load(self, article_id: str) -> ArticleCuration:
        by_coder: dict[str, list[Annotation]] = {}
        for ann in self._store.annotations.for_article(article_id):
            by_coder.setdefault(ann.annotator, []).append(ann)
        names = {c.id: c.name for c in self._store.codes.all()}
        decisions = {
            d.item_key: d
            for d in self._store.curation.for_article(
                article_id, self.target, self.coder_a, self.coder_b
            )
        }
        agreed: list[Pairing] = []
        items: list[CurationItem] = []
        live: set[str] = set()
        for pairing in pair_up(by_coder.get(self.coder_a, []), by_coder.get(self.coder_b, [])):
            decision = decisions.get(pairing.key)
            # A decision taken when the place was an agreement (or a disagreement) does not
            # hold once a coder's edit has turned it into the other.
            if decision is not None and (decision.decision is Decision.AGREED) != pairing.agreed:
                decision = None
            if decision is not None:
                live.add(pairing.key)
            if pairing.agreed:
                agreed.append(pairing)
            else:
                items.append(CurationItem(pairing, differences(pairing, names), decision))
        return ArticleCuration(
            article_id=article_id,
            coder_a=self.coder_a,
            coder_b=self.coder_b,
            target=self.target,
            agreed=tuple(agreed),
            items=tuple(items),
            decisions={k: d for k, d in decisions.items() if k in live},
            stale=tuple(d for k, d in decisions.items() if k not in live),
            target_annotations=tuple(by_coder.get(self.target, [])),
        )

    def articles(self) -> list[str]:
        """The articles both coders have annotated: the ones there is something to curate."""
        return [
            article_id
            for article_id, coders in self._store.merging.coders_by_article().items()
            if self.coder_a in coders and self.coder_b in coders
        ]

    # -- deciding -----------------------------------------------------------------------

    def decide(
        self,
        curation: ArticleCuration,
        key: str,
        decision: Decision,
        edited: Sequence[Annotation] = (),
    ) -> Change:
        """Take (or replace) the decision on one disagreement; agreements not yet copied go
        in the same step, so the first decision on an article also brings them in."""
        item = next((i for i in curation.items if i.key == key), None)
        if item is None:
            raise ValidationError("That disagreement is no longer there; refresh and look again.")
        draft = CurationDraft(self._store, curation)
        draft.copy_agreed()
        draft.decide(item, decision, edited)
        return draft.write(f"{_VERBS[decision]} ({item.pairing.kind.value})")

    def decide_rest(self, curation: ArticleCuration, prefer: str) -> Change:
        """Every undecided disagreement resolved with ``prefer``'s version ("A" or "B"):
        pairs and that coder's own annotations accepted, the other coder's alone rejected."""
        draft = CurationDraft(self._store, curation)
        draft.copy_agreed()
        for item in curation.undecided:
            draft.decide(item, _preferred(item, prefer))
        return draft.write(f"accept the rest of {prefer}'s annotations")

    def edited_version(
        self,
        source: Annotation,
        *,
        spans: Iterable[tuple[int, int]] | None = None,
        code_id: str | None = None,
        speaker_id: str | None = None,
        issue_ids: Sequence[str] | None = None,
        stance: Stance | None = None,
    ) -> Annotation:
        """A coder's version changed by the curator, checked like any annotation; ``None``
        keeps a part as the coder had it (a claim's stance is set as given)."""
        fragments = source.fragments
        if spans is not None:
            text = self._store.articles.get(source.article_id).text
            fragments = make_fragments(text, spans)
        claim = source.kind is AnnotationKind.CLAIM
        version = dataclasses.replace(
            source,
            fragments=fragments,
            code_id=source.code_id if claim or code_id is None else code_id,
            speaker_id=(speaker_id or source.speaker_id) if claim else None,
            issue_ids=tuple(sorted(set(issue_ids)))
            if claim and issue_ids is not None
            else source.issue_ids,
            stance=stance if claim else None,
            speaker_mention_id=None,
        )
        check_references(
            version, lambda code, kind: expect_kind(self._store.codes.get(code), kind), None
        )
        return version

    def adjudicate(
        self, prefer: str | None = None, article_ids: Sequence[str] | None = None
    ) -> AdjudicationReport:
        """The headless run: agreements copied on every article both coders annotated; with
        ``prefer`` every undecided disagreement resolved that coder's way. All or nothing."""
        both = self.articles()
        if article_ids:
            missing = [a for a in article_ids if a not in both]
            if missing:
                raise ValidationError(
                    f"Article {missing[0]} is not annotated by both {self.coder_a} and "
                    f"{self.coder_b}; nothing was curated."
                )
            both = [a for a in both if a in set(article_ids)]
        agreed = disagreements = resolved = copied = 0
        with self._store.atomic():
            for article_id in both:
                curation = self.load(article_id)
                change = (
                    self.decide_rest(curation, prefer) if prefer else self._copy_agreed(curation)
                )
                copied += sum(a.annotator == self.target for a in change.after.annotations) - sum(
                    a.annotator == self.target for a in change.before.annotations
                )
                after = self.load(article_id) if not change.is_empty else curation
                agreed += len(after.agreed)
                disagreements += len(after.items)
                resolved += len(after.items) - len(after.undecided)
        return AdjudicationReport(
            articles=len(both),
            agreed=agreed,
            disagreements=disagreements,
            resolved=resolved,
            unresolved=disagreements - resolved,
            copied=copied,
        )

    def _copy_agreed(self, curation: ArticleCuration) -> Change:
        draft = CurationDraft(self._store, curation)
        draft.copy_agreed()
        return draft.write("copy agreed annotations")


_VERBS = {
    Decision.ACCEPT_A: "accept A's version",
    Decision.ACCEPT_B: "accept B's version",
    Decision.BOTH: "accept both versions",
    Decision.EDITED: "accept an edited version",
    Decision.REJECTED: "reject both versions",
    Decision.AGREED: "copy an agreed annotation",
}


def _preferred(item: CurationItem, side: str) -> Decision:
    if item.version(side) is None:
        return Decision.REJECTED
    return Decision.ACCEPT_A if side == "A" else Decision.ACCEPT_B
