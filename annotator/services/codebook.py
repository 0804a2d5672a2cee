"""The codebook: issue and speaker codes, and the rules for changing them.

The delete rule: an unused code is simply deleted. A code in use is refused, with the counts,
so the coder can merge it into another code instead; ``force=True`` deletes it anyway: speaker
mentions and issue passages labelled with it are deleted, claims lose it as speaker or issue
(the claims themselves stay), and its child issues move up to its parent. Like every edit, it
is one Change and can be undone.
"""

import dataclasses
from collections.abc import Sequence
from typing import TypedDict

from annotator.core.clock import now_iso
from annotator.core.codebook import aliases_of, memo_of, tree_order, with_aliases
from annotator.core.errors import ConflictError, NotFoundError, ValidationError
from annotator.core.ids import new_id
from annotator.core.model import Annotation, Code, CodeKind
from annotator.core.names import closest, did_you_mean
from annotator.core.palette import is_colour, next_colour, spread
from annotator.core.wording import plural
from annotator.services.changes import Change, Snapshot, apply_change
from annotator.store import Store
from annotator.store.codes import CodeUsage as CodeUsage  # part of this service's answers

#: Keys the tagging panel uses for Claim, Speaker and Issue.
RESERVED_SHORTCUTS = frozenset("csi")


@dataclasses.dataclass(frozen=True, slots=True)
class CodebookEntry:
    """One line of the codebook as the manager and ``codebook list`` show it."""

    code: Code
    depth: int  # 0 for a top-level issue and for every speaker
    usage: CodeUsage


class CodeEdit(TypedDict, total=False):
    """The fields ``CodebookService.edit`` takes, for a caller that gathers them first."""

    name: str
    colour: str
    description: str
    shortcut: str
    organisation: str
    aliases: Sequence[str]


def describe_usage(code: Code, usage: CodeUsage) -> str:
    """Where a code is used, in words: "3 speaker mentions, 2 claims attributed to it"."""
    labelled = "speaker mention" if code.kind is CodeKind.SPEAKER else "issue passage"
    parts = [
        (usage.annotations, plural(usage.annotations, labelled)),
        (usage.claim_speaker, f"{plural(usage.claim_speaker, 'claim')} attributed to it"),
        (usage.claim_issue, f"{plural(usage.claim_issue, 'claim')} tagged with it"),
        (usage.children, plural(usage.children, "child issue")),
    ]
    return ", ".join(text for n, text in parts if n) or "not used"


class CodebookService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def create(
        self,
        kind: CodeKind,
        name: str,
        *,
        colour: str | None = None,
        description: str = "",
        shortcut: str | None = None,
        parent_id: str | None = None,
        organisation: str | None = None,
    ) -> Change:
        code = Code(
            id=new_id(),
            kind=kind,
            name=name.strip(),
            colour=colour or next_colour(self._store.codes.colours()),
            description=description,
            shortcut=shortcut,
            parent_id=parent_id,
            organisation=organisation,
            created_at=now_iso(),
        )
        self._validate(code)
        return apply_change(
            self._store, Change(f"add {kind.value} {code.name!r}", Snapshot(), _codes(code))
        )

    def find_or_create(self, kind: CodeKind, name: str) -> tuple[Code, Change | None]:
        """The code of that name (ignoring case), creating it if new: Enter in the panel."""
        existing = self._store.codes.by_name(kind, name)
        if existing:
            return existing, None
        change = self.create(kind, name)
        assert change.code is not None
        return change.code, change

    def find(self, kind: CodeKind, name: str) -> Code:
        """The code of that name (ignoring case), or a NotFoundError naming the closest."""
        code = self._store.codes.by_name(kind, name)
        if code is not None:
            return code
        codes = self._store.codes.all(kind)
        aliases = {c.name: aliases_of(c.description) for c in codes}
        near = did_you_mean(closest([c.name for c in codes], name, aliases=aliases))
        raise NotFoundError(f"No {kind.value} named {name.strip()!r}. {near}".strip())

    def usage(self, code_id: str) -> CodeUsage:
        return self._store.codes.usage(code_id)

    def overview(self, kind: CodeKind | None = None) -> list[CodebookEntry]:
        """Every code with its usage: issues as a tree (parents first), then speakers."""
        usages = self._store.codes.usages(kind)
        entries: list[CodebookEntry] = []
        for each in (CodeKind.ISSUE, CodeKind.SPEAKER):
            if kind in (None, each):
                ordered = tree_order(self._store.codes.all(each))
                entries += [CodebookEntry(c, depth, usages[c.id]) for c, depth in ordered]
        return entries

    def edit(
        self,
        code_id: str,
        *,
        name: str | None = None,
        colour: str | None = None,
        description: str | None = None,
        shortcut: str | None = None,
        organisation: str | None = None,
        aliases: Sequence[str] | None = None,
    ) -> Change:
        """Change the given fields; pass "" to clear a shortcut or an organisation.
        ``aliases`` replaces the description's ``aliases:`` line (see core.codebook)."""
        before = self._store.codes.get(code_id)
        if aliases is not None:
            memo = memo_of(before.description if description is None else description)
            description = with_aliases(memo, aliases)
        after = dataclasses.replace(
            before,
            name=before.name if name is None else name.strip(),
            colour=before.colour if colour is None else colour,
            description=before.description if description is None else description,
            shortcut=before.shortcut if shortcut is None else shortcut or None,
            organisation=before.organisation if organisation is None else organisation or None,
        )
        self._validate(after)
        return self._replace(before, after, f"edit {before.kind.value} {before.name!r}")

    def rename(self, code_id: str, name: str) -> Change:
        return self.edit(code_id, name=name)

    def recolour(self, code_id: str, colour: str) -> Change:
        return self.edit(code_id, colour=colour)

    def spread_colours(self) -> Change:
        """New colours for the codes whose colour is too close to an older code's (for
        colour-blind readers too, core/palette): asked for, one undoable step, never done
        behind the coder's back."""
        codes = sorted(self._store.codes.all(), key=lambda c: c.created_at)  # stable
        fresh = spread([c.colour for c in codes])
        before = tuple(c for c, f in zip(codes, fresh, strict=True) if c.colour != f)
        if not before:
            raise ValidationError("No two codes have colours too close to tell apart.")
        after = tuple(dataclasses.replace(c, colour=fresh[codes.index(c)]) for c in before)
        description = f"reassign {plural(len(before), 'clashing colour')}"
        return apply_change(self._store, Change(description, _codes(*before), _codes(*after)))

    def reparent(self, code_id: str, parent_id: str | None) -> Change:
        before = self._store.codes.get(code_id)
        after = dataclasses.replace(before, parent_id=parent_id)
        self._validate(after)
        return self._replace(before, after, f"move issue {before.name!r}")

    def merge(self, source_id: str, target_id: str) -> Change:
        """Fold ``source`` into ``target``: every use of source now uses target, source's
        child issues move under target, and source is deleted."""
        source = self._store.codes.get(source_id)
        target = self._store.codes.get(target_id)
        if source.id == target.id:
            raise ValidationError("A code cannot be merged into itself.")
        if source.kind is not target.kind:
            raise ValidationError(
                f"Cannot merge {source.kind.value} {source.name!r} into "
                f"{target.kind.value} {target.name!r}: they are different kinds of code."
            )
        uses = self._store.annotations.using_code(source.id)
        changed = tuple(_swap_code(a, source.id, target.id) for a in uses)
        children_before, children_after = self._children_moved(source, new_parent=target.id)
        extra_before: tuple[Code, ...]
        extra_after: tuple[Code, ...]
        if source.id in self._store.codes.ancestors(target.id):
            # Target lies inside source: it takes source's place, so no loop can form.
            target_after = dataclasses.replace(target, parent_id=source.parent_id)
            children_after = tuple(c for c in children_after if c.id != target.id)
            children_before = tuple(c for c in children_before if c.id != target.id)
            extra_before, extra_after = (target,), (target_after,)
        else:
            extra_before, extra_after = (), ()
        change = Change(
            f"merge {source.name!r} into {target.name!r}",
            Snapshot(codes=(source, *children_before, *extra_before), annotations=tuple(uses)),
            Snapshot(codes=(*children_after, *extra_after), annotations=changed),
        )
        return apply_change(self._store, change)

    def delete(self, code_id: str, *, force: bool = False) -> Change:
        code = self._store.codes.get(code_id)
        usage = self._store.codes.usage(code.id)
        if usage.total and not force:
            raise ConflictError(
                f"{code.name!r} is in use ({describe_usage(code, usage)}). Merge it into "
                "another code, or delete it with its uses."
            )
        uses = self._store.annotations.using_code(code.id)
        deleted = {a.id for a in uses if a.code_id == code.id}
        kept = tuple(_without_code(a, code.id, deleted) for a in uses if a.id not in deleted)
        children_before, children_after = self._children_moved(code, new_parent=code.parent_id)
        change = Change(
            f"delete {code.kind.value} {code.name!r}",
            Snapshot(codes=(code, *children_before), annotations=tuple(uses)),
            Snapshot(codes=children_after, annotations=kept),
        )
        return apply_change(self._store, change)

    # -- helpers --------------------------------------------------------------------------

    def _replace(self, before: Code, after: Code, description: str) -> Change:
        if before == after:
            return Change("no change", Snapshot(), Snapshot())
        return apply_change(self._store, Change(description, _codes(before), _codes(after)))

    def _children_moved(
        self, code: Code, new_parent: str | None
    ) -> tuple[tuple[Code, ...], tuple[Code, ...]]:
        children = tuple(c for c in self._store.codes.all(code.kind) if c.parent_id == code.id)
        return children, tuple(dataclasses.replace(c, parent_id=new_parent) for c in children)

    def _validate(self, code: Code) -> None:
        if not code.name:
            raise ValidationError("A code needs a name.")
        if not is_colour(code.colour):
            raise ValidationError(f"Colour {code.colour!r} is not of the form #rrggbb.")
        if code.shortcut is not None:
            self._validate_shortcut(code)
        if code.parent_id is not None:
            if code.kind is not CodeKind.ISSUE:
                raise ValidationError("Only issues can have a parent issue.")
            parent = self._store.codes.get(code.parent_id)
            if parent.kind is not CodeKind.ISSUE:
                raise ValidationError(f"{parent.name!r} is not an issue.")
            if parent.id == code.id:
                raise ValidationError(f"{code.name!r} cannot be its own parent: that is a loop.")
            if code.id in self._store.codes.ancestors(parent.id):
                raise ValidationError(f"{parent.name!r} is inside {code.name!r}: that is a loop.")
        # A name taken by another code of the kind is refused by the store as it writes.

    def _validate_shortcut(self, code: Code) -> None:
        key = code.shortcut or ""
        if len(key) != 1 or not key.isprintable() or key.isspace():
            raise ValidationError("A shortcut is a single key, such as 't' or '3'.")
        if key.lower() in RESERVED_SHORTCUTS:
            raise ValidationError(f"{key!r} is taken by the Claim, Speaker and Issue actions.")
        for other in self._store.codes.all():
            if other.id != code.id and (other.shortcut or "").lower() == key.lower():
                raise ConflictError(f"{key!r} is already the shortcut of {other.name!r}.")


def _codes(*codes: Code) -> Snapshot:
    return Snapshot(codes=codes)


def _swap_code(annotation: Annotation, old: str, new: str) -> Annotation:
    def swap(value: str | None) -> str | None:
        return new if value == old else value

    return dataclasses.replace(
        annotation,
        code_id=swap(annotation.code_id),
        speaker_id=swap(annotation.speaker_id),
        issue_ids=tuple(sorted({new if i == old else i for i in annotation.issue_ids})),
    )


def _without_code(annotation: Annotation, code_id: str, deleted: set[str]) -> Annotation:
    mention = annotation.speaker_mention_id
    return dataclasses.replace(
        annotation,
        speaker_id=None if annotation.speaker_id == code_id else annotation.speaker_id,
        speaker_mention_id=None if mention in deleted else mention,
        issue_ids=tuple(i for i in annotation.issue_ids if i != code_id),
    )
