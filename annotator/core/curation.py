"""Curation's pure logic: which annotations of two coders agree, how the rest pair up into
disagreements, and what differs between the two versions of one.

Every annotation of either coder lands in exactly one place: an agreement (an identical
annotation of the other coder, matched one to one, so two identical annotations of A against
one of B's leave one of A's over), a paired disagreement (the two overlapping annotations of
one kind that share the most characters, matched one to one), or a one-sided disagreement.
So a decision taken on one place can never be taken twice on the same annotation.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from annotator.core.model import Annotation, AnnotationKind

Signature = tuple[object, ...]


def signature(a: Annotation) -> Signature:
    """What two coders must share to agree: kind and fragments, and the code of a mention or
    passage, or a claim's speaker, issues and stance. Notes and mention links are the coder's
    own working material, not part of the label."""
    spans = tuple((f.start, f.end) for f in a.fragments)
    if a.kind is AnnotationKind.CLAIM:
        return (a.kind, spans, a.speaker_id, tuple(sorted(a.issue_ids)), a.stance)
    return (a.kind, spans, a.code_id)


@dataclass(frozen=True, slots=True)
class Pairing:
    """One place of the comparison: both coders' versions, or one of them."""

    kind: AnnotationKind
    a: Annotation | None
    b: Annotation | None

    @property
    def key(self) -> str:
        """Stable across sessions: the ids of the annotations compared, which curation never
        changes (the coders' own work is read, never written)."""
        return f"{self.kind.value}:{self.a.id if self.a else '-'}:{self.b.id if self.b else '-'}"

    @property
    def start(self) -> int:
        return min(x.start for x in (self.a, self.b) if x is not None)

    @property
    def end(self) -> int:
        return max(x.end for x in (self.a, self.b) if x is not None)

    @property
    def agreed(self) -> bool:
        return self.a is not None and self.b is not None and signature(self.a) == signature(self.b)


def pair_up(a: Sequence[Annotation], b: Sequence[Annotation]) -> list[Pairing]:
    """Agreements first (identical annotations, one to one), then disagreements (overlapping
    annotations of one kind, most shared characters first, one to one), then what is left on
    each side alone; in reading order."""
    result: list[Pairing] = []
    unmatched_b: dict[Signature, list[Annotation]] = defaultdict(list)
    for ann in b:
        unmatched_b[signature(ann)].append(ann)
    rest_a: list[Annotation] = []
    for ann in a:
        same = unmatched_b.get(signature(ann))
        if same:
            result.append(Pairing(ann.kind, ann, same.pop(0)))
        else:
            rest_a.append(ann)
    rest_b = [ann for found in unmatched_b.values() for ann in found]
    candidates = sorted(
        (
            (-shared, x.start, y.start, i, j)
            for i, x in enumerate(rest_a)
            for j, y in enumerate(rest_b)
            if x.kind is y.kind and (shared := shared_characters(x, y)) > 0
        ),
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    for _shared, _sa, _sb, i, j in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        result.append(Pairing(rest_a[i].kind, rest_a[i], rest_b[j]))
    result.extend(Pairing(x.kind, x, None) for i, x in enumerate(rest_a) if i not in used_a)
    result.extend(Pairing(y.kind, None, y) for j, y in enumerate(rest_b) if j not in used_b)
    return sorted(result, key=lambda p: (p.start, p.end, p.kind.value, p.key))


def shared_characters(x: Annotation, y: Annotation) -> int:
    return sum(
        max(0, min(f.end, g.end) - max(f.start, g.start)) for f in x.fragments for g in y.fragments
    )


def differences(pairing: Pairing, names: Mapping[str, str]) -> tuple[str, ...]:
    """What differs, said from A's version to B's: "boundary: +12 characters at the end",
    "speaker: The White House ≠ Joe Biden", "issues: +Taiwan", "only A"."""
    a, b = pairing.a, pairing.b
    if a is None:
        return ("only B",)
    if b is None:
        return ("only A",)
    found = list(_boundary(a, b))

    def name(code_id: str | None) -> str:
        return names.get(code_id, "?") if code_id else "none"

    if a.kind is AnnotationKind.CLAIM:
        if a.speaker_id != b.speaker_id:
            found.append(f"speaker: {name(a.speaker_id)} ≠ {name(b.speaker_id)}")
        added = sorted(name(i) for i in set(b.issue_ids) - set(a.issue_ids))
        dropped = sorted(name(i) for i in set(a.issue_ids) - set(b.issue_ids))
        if added or dropped:
            changed = [*(f"+{n}" for n in added), *(f"−{n}" for n in dropped)]
            found.append("issues: " + ", ".join(changed))
        if a.stance != b.stance:
            stance = [s.value if s else "none" for s in (a.stance, b.stance)]
            found.append(f"stance: {stance[0]} ≠ {stance[1]}")
    elif a.code_id != b.code_id:
        label = "speaker" if a.kind is AnnotationKind.SPEAKER else "issue"
        found.append(f"{label}: {name(a.code_id)} ≠ {name(b.code_id)}")
    return tuple(found) or ("same",)


def _boundary(a: Annotation, b: Annotation) -> list[str]:
    if len(a.fragments) != len(b.fragments):
        return [f"fragments: {len(a.fragments)} ≠ {len(b.fragments)}"]
    found: list[str] = []
    several = len(a.fragments) > 1
    for number, (f, g) in enumerate(zip(a.fragments, b.fragments, strict=True), start=1):
        where = f" of fragment {number}" if several else ""
        # From A's version to B's: B starting earlier adds characters at the start.
        if f.start != g.start:
            found.append(f"boundary: {_signed(f.start - g.start)} at the start{where}")
        if f.end != g.end:
            found.append(f"boundary: {_signed(g.end - f.end)} at the end{where}")
    return found


def _signed(n: int) -> str:
    unit = "character" if abs(n) == 1 else "characters"
    return f"{'+' if n > 0 else '−'}{abs(n)} {unit}"
