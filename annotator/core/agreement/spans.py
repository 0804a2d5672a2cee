"""Span F1 between two coders, and whether two coders attribute a claim to the same speaker.

A span here is one annotation: all of its fragments. F1 treats one coder as the reference and
the other as the answer, and is the same number whichever way round:

- exact: a span matches a span of the other coder with the same category and exactly the same
  fragments;
- overlap: a span matches one of the other coder with the same category sharing a character.

Precision is the share of the second coder's spans matched, recall the share of the first's,
F1 their harmonic mean. Under overlap matching one long span may match two short ones; that
counts both short ones, as in Hripcsak & Rothschild's (2005) agreement F-measure.

Spans are compared only within the same ``group`` (an article), so offsets never meet across
articles.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

Fragments = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Span:
    """One coder's annotation as far as agreement is concerned."""

    coder: str
    fragments: Fragments  # sorted (start, end) pairs, end exclusive
    category: str = ""
    group: str = ""  # the article: spans of different groups never match
    id: str = ""
    speaker: str | None = None  # a claim's speaker code
    mention: Fragments | None = None  # the fragments of the speaker mention it is linked to

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


@dataclass(frozen=True, slots=True)
class SpanF1:
    """Matched spans of the first (``a``) and second (``b``) coder, and the F1 they make."""

    a_spans: int
    b_spans: int
    a_matched: int
    b_matched: int

    @property
    def precision(self) -> float | None:
        return self.b_matched / self.b_spans if self.b_spans else None

    @property
    def recall(self) -> float | None:
        return self.a_matched / self.a_spans if self.a_spans else None

    @property
    def f1(self) -> float | None:
        """None when neither coder marked anything: there is nothing to agree on."""
        if not self.a_spans and not self.b_spans:
            return None
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "SpanF1") -> "SpanF1":
        """Pooled counts (micro average), e.g. over several pairs of coders."""
        return SpanF1(
            self.a_spans + other.a_spans,
            self.b_spans + other.b_spans,
            self.a_matched + other.a_matched,
            self.b_matched + other.b_matched,
        )


NO_SPANS = SpanF1(0, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class Attribution:
    """Overlapping claim pairs of two coders and how many name the same speaker.

    ``unattributed`` pairs, where neither claim has a speaker yet, are left out of the share:
    there is nothing to compare."""

    pairs: int
    agreeing: int
    unattributed: int = 0

    @property
    def share(self) -> float | None:
        return self.agreeing / self.pairs if self.pairs else None

    def __add__(self, other: "Attribution") -> "Attribution":
        return Attribution(
            self.pairs + other.pairs,
            self.agreeing + other.agreeing,
            self.unattributed + other.unattributed,
        )


NO_PAIRS = Attribution(0, 0, 0)


def fragments_overlap(a: Fragments, b: Fragments) -> bool:
    """True when some fragment of ``a`` shares a character with some fragment of ``b``."""
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i][0] < b[j][1] and b[j][0] < a[i][1]:
            return True
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return False


def overlapping_pairs(a: Sequence[Span], b: Sequence[Span]) -> Iterator[tuple[Span, Span]]:
    """Every pair of a span of ``a`` and one of ``b`` in the same group that share a
    character, found by a sweep over starts rather than by comparing every pair."""
    for left, right in _grouped(a, b).values():
        left.sort(key=lambda s: s.start)
        right.sort(key=lambda s: s.start)
        active: list[Span] = []
        k = 0
        for span in left:  # by start, so a span of b that ends before this one starts is done
            while k < len(right) and right[k].start < span.end:
                active.append(right[k])
                k += 1
            active = [other for other in active if other.end > span.start]
            for other in active:
                if other.start < span.end and fragments_overlap(span.fragments, other.fragments):
                    yield span, other


def span_f1(a: Sequence[Span], b: Sequence[Span], *, exact: bool) -> SpanF1:
    """F1 of coder ``a``'s spans against coder ``b``'s; categories must be equal to match."""
    if exact:

        def key(span: Span) -> tuple[str, str, Fragments]:
            return span.group, span.category, span.fragments

        b_keys = {key(s) for s in b}
        a_keys = {key(s) for s in a}
        a_matched = sum(key(s) in b_keys for s in a)
        b_matched = sum(key(s) in a_keys for s in b)
    else:
        matched_a: set[int] = set()
        matched_b: set[int] = set()
        for left, right in overlapping_pairs(a, b):
            if left.category == right.category:
                matched_a.add(id(left))
                matched_b.add(id(right))
        a_matched, b_matched = len(matched_a), len(matched_b)
    return SpanF1(len(a), len(b), a_matched, b_matched)


def speaker_attribution(a: Sequence[Span], b: Sequence[Span]) -> Attribution:
    """Among overlapping claims of two coders, those whose speakers agree: their speaker
    mentions overlap when both are linked to one, otherwise they name the same speaker code."""
    pairs = agreeing = unattributed = 0
    for left, right in overlapping_pairs(a, b):
        if _unattributed(left) and _unattributed(right):
            unattributed += 1
            continue
        pairs += 1
        agreeing += _same_speaker(left, right)
    return Attribution(pairs, agreeing, unattributed)


def _unattributed(span: Span) -> bool:
    return span.speaker is None and span.mention is None


def _same_speaker(a: Span, b: Span) -> bool:
    if a.mention is not None and b.mention is not None:
        return fragments_overlap(a.mention, b.mention)
    return a.speaker is not None and a.speaker == b.speaker


def _grouped(a: Iterable[Span], b: Iterable[Span]) -> dict[str, tuple[list[Span], list[Span]]]:
    groups: dict[str, tuple[list[Span], list[Span]]] = defaultdict(lambda: ([], []))
    for span in a:
        groups[span.group][0].append(span)
    for span in b:
        groups[span.group][1].append(span)
    return groups
