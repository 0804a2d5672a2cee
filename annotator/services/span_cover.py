"""Whether a suggestion overlaps an annotation of its kind, fast enough to ask for every
suggestion of an article with thousands of annotations."""

from bisect import bisect_left
from collections.abc import Iterable
from itertools import accumulate
from typing import Protocol

from annotator.core.model import Annotation, AnnotationKind

Span = tuple[int, int]


class Spans(Protocol):
    """What is asked about: a kind and its fragments (a Suggestion)."""

    @property
    def kind(self) -> AnnotationKind: ...

    @property
    def fragments(self) -> tuple[Span, ...]: ...


class SpanCover:
    """Whether an annotation of a kind overlaps a span, by bisection: fragments sorted by
    start with the running maximum of their ends (comparing every suggestion with every
    annotation took 0.1 s for an article with 5,000 of them)."""

    def __init__(self, annotations: Iterable[Annotation]) -> None:
        spans: dict[AnnotationKind, list[Span]] = {}
        for a in annotations:
            spans.setdefault(a.kind, []).extend((f.start, f.end) for f in a.fragments)
        self._starts: dict[AnnotationKind, list[int]] = {}
        self._reach: dict[AnnotationKind, list[int]] = {}
        for kind, found in spans.items():
            found.sort()
            self._starts[kind] = [start for start, _ in found]
            self._reach[kind] = list(accumulate((end for _, end in found), max))

    def overlaps(self, suggestion: Spans) -> bool:
        starts = self._starts.get(suggestion.kind)
        if not starts:
            return False
        reach = self._reach[suggestion.kind]
        for start, end in suggestion.fragments:
            before = bisect_left(starts, end)  # fragments that start before this span ends
            if before and reach[before - 1] > start:  # ... one of which ends after it starts
                return True
        return False
