"""How an annotation is painted, and a run of a paragraph painted alike: the span index's
answers, shared with the highlighter."""

from dataclasses import dataclass

from annotator.core.model import AnnotationKind

#: Issues first, then claims, then speakers: the order in which the highlighter lays its three
#: channels (background, underline, bold), so equal coverage always gives equal segments.
KIND_RANK = {AnnotationKind.ISSUE: 0, AnnotationKind.CLAIM: 1, AnnotationKind.SPEAKER: 2}


@dataclass(frozen=True, slots=True)
class SpanStyle:
    """How one annotation is painted. The caller picks ``colour`` ("#rrggbb"): a claim's speaker
    colour or a neutral default, the code's colour for a speaker mention or issue passage."""

    kind: AnnotationKind
    colour: str


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of one block covered by the same annotations; ``start`` is relative to the block,
    in UTF-16 units. ``styles`` and ``annotation_ids`` are parallel, issue, claim, speaker, id."""

    start: int
    length: int
    styles: tuple[SpanStyle, ...]
    annotation_ids: tuple[str, ...]
