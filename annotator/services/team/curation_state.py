"""Where the curation of one article stands: its agreements, its disagreements with what
differs and the decision taken, and the article's state. Read by the window and the CLI."""

from dataclasses import dataclass
from enum import StrEnum

from annotator.core.curation import Pairing
from annotator.core.model import Annotation, CurationDecision


class CurationState(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    CURATED = "curated"


@dataclass(frozen=True, slots=True)
class CurationItem:
    """One disagreement: both versions (or one), what differs, and the decision if taken."""

    pairing: Pairing
    differences: tuple[str, ...]
    decision: CurationDecision | None

    @property
    def key(self) -> str:
        return self.pairing.key

    @property
    def a(self) -> Annotation | None:
        return self.pairing.a

    @property
    def b(self) -> Annotation | None:
        return self.pairing.b

    def version(self, side: str) -> Annotation | None:
        return self.pairing.a if side == "A" else self.pairing.b


@dataclass(frozen=True, slots=True)
class ArticleCuration:
    """Where the curation of one article stands."""

    article_id: str
    coder_a: str
    coder_b: str
    target: str
    agreed: tuple[Pairing, ...]
    items: tuple[CurationItem, ...]
    decisions: dict[str, CurationDecision]  # by item key, agreements included
    #: Decisions on places that no longer exist (a coder edited or deleted an annotation
    #: after it was decided); their copies stay in the target until the curator looks again.
    stale: tuple[CurationDecision, ...]
    target_annotations: tuple[Annotation, ...]

    @property
    def undecided(self) -> list[CurationItem]:
        return [item for item in self.items if item.decision is None]

    @property
    def agreed_to_copy(self) -> list[Pairing]:
        return [p for p in self.agreed if p.key not in self.decisions]

    @property
    def state(self) -> CurationState:
        if not self.decisions:
            return CurationState.NOT_STARTED
        if self.undecided or self.agreed_to_copy:
            return CurationState.IN_PROGRESS
        return CurationState.CURATED
