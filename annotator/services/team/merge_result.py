"""What a merge did, as the CLI and the window report it."""

from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.model import (
    CodeKind,
)
from annotator.core.wording import plural


@dataclass(frozen=True, slots=True)
class CodeConflict:
    """A code both projects have, with a different ``field``; this project's value is kept."""

    kind: CodeKind
    name: str
    field: str  # colour, parent, organisation, or shortcut (of a code added without it)
    here: str | None
    there: str | None

    def describe(self) -> str:
        if self.field == "shortcut":
            return (
                f"{self.kind.value} {self.name!r}: added without its shortcut "
                f"{self.there!r}, which is taken here"
            )
        return (
            f"{self.kind.value} {self.name!r}: {self.field} differs "
            f"(here {_shown(self.here)}, there {_shown(self.there)}); kept this project's"
        )


@dataclass(frozen=True, slots=True)
class MergeResult:
    other: Path
    backup: Path | None = None  # written before the merge; None when nothing changed
    sources_added: tuple[str, ...] = ()
    articles_added: tuple[str, ...] = ()  # titles
    articles_matched: int = 0
    codes_added: tuple[str, ...] = ()  # "issue 'Taiwan'"
    codes_matched: int = 0
    conflicts: tuple[CodeConflict, ...] = ()
    annotations_added: int = 0
    annotations_updated: int = 0  # edited later in the other project
    annotations_unchanged: int = 0  # already here, the same
    annotations_kept: int = 0  # differ, but edited later here: this project's copy stays
    coders: dict[str, int] = field(default_factory=dict)  # added or updated, per coder
    refused: tuple[tuple[str, int], ...] = ()  # rows not merged: (reason, how many), most first
    statuses_set: int = 0  # coders' article statuses taken from the other project
    variables_set: int = 0  # article variables taken from the other project
    variable_notes: tuple[str, ...] = ()  # values that differ (this project's kept), refused

    @property
    def changed(self) -> bool:
        return bool(
            self.sources_added
            or self.articles_added
            or self.codes_added
            or self.annotations_added
            or self.annotations_updated
            or self.statuses_set
            or self.variables_set
        )

    def lines(self) -> list[str]:
        """The outcome in a few lines, for the CLI and the window alike."""
        lines = [
            f"Merged {self.other}: {plural(self.annotations_added, 'annotation')} added, "
            f"{self.annotations_updated} updated, {self.annotations_unchanged} already here"
            + (f", {self.annotations_kept} kept as edited here" if self.annotations_kept else ""),
            f"Articles: {len(self.articles_added)} added, {self.articles_matched} already here; "
            f"codes: {len(self.codes_added)} added, {self.codes_matched} already here; "
            f"sources: {len(self.sources_added)} added",
        ]
        if self.refused:
            total = sum(n for _, n in self.refused)
            reasons = ", ".join(f"{reason} ({n})" for reason, n in self.refused)
            lines.append(
                f"Refused {total} row{'s' if total != 1 else ''} from {self.other.name}: {reasons}"
            )
        if self.coders:
            lines.append(
                "Coders: " + ", ".join(f"{name} ({n})" for name, n in sorted(self.coders.items()))
            )
        if self.statuses_set:
            lines.append(f"Article statuses: {self.statuses_set} taken from the other project")
        lines += [f"Conflict: {c.describe()}" for c in self.conflicts]
        if self.variables_set:
            lines.append(f"Article variables: {self.variables_set} taken from the other project")
        lines += list(self.variable_notes)
        if self.backup is not None:
            lines.append(f"Backup before the merge: {self.backup}")
        elif not self.changed:
            lines.append("Nothing to change.")
        return lines


def _shown(value: str | None) -> str:
    return repr(value) if value else "none"
