"""Rules for an annotation's fragments, checked before anything reaches the store."""

from collections.abc import Iterable

from annotator.core.errors import ValidationError
from annotator.core.model import Fragment


def make_fragments(text: str, spans: Iterable[tuple[int, int]]) -> tuple[Fragment, ...]:
    """Validated, sorted fragments with their quotes taken from ``text``.

    A span must be non-empty and inside the text; the spans of one annotation must not overlap
    (touching is allowed) because a claim interrupted by "Flynn said" is two disjoint pieces.
    """
    spans = list(spans)
    for start, end in spans:
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
            raise ValidationError(f"Offsets must be whole numbers, got {start!r}..{end!r}.")
    ordered = sorted(spans)
    if not ordered:
        raise ValidationError("An annotation needs at least one fragment.")
    previous_end = -1
    fragments = []
    for start, end in ordered:
        if start < 0 or end > len(text):
            raise ValidationError(
                f"Fragment {start}..{end} lies outside the text (0..{len(text)})."
            )
        if start >= end:
            raise ValidationError(f"Fragment {start}..{end} is empty.")
        if start < previous_end:
            raise ValidationError(f"Fragment {start}..{end} overlaps the fragment before it.")
        previous_end = end
        fragments.append(Fragment(start, end, text[start:end]))
    return tuple(fragments)
