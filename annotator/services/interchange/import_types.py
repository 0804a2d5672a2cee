"""The values an import passes around: what to import, and what became of each file.

They are frozen so that a GUI can hold them across its progress dialog while the import runs,
and plain so that the CLI and the window print the same summary.
"""

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class ImportFormat(StrEnum):
    AUTO = "auto"  # by extension: .txt/.md text, .html/.htm HTML, anything else skipped
    TEXT = "text"
    HTML = "html"
    BRAT = "brat"  # a .txt with its brat standoff .ann beside it


class ImportStatus(StrEnum):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"
    SKIPPED = "skipped"


#: The longest value each field may have: generous for any article, and a bound on what one
#: file can put in every list and view of the project (a whole text as a title, say).
FIELD_LIMITS: dict[str, int] = {
    "title": 1_000,
    "source": 200,
    "published": 100,
    "author": 1_000,
    "url": 2_000,
}


@dataclass(frozen=True, slots=True)
class ArticleMetadata:
    """What is known about an article besides its text; None where nothing is known."""

    title: str | None = None
    source: str | None = None
    published: str | None = None
    author: str | None = None
    url: str | None = None

    def over(self, fallback: "ArticleMetadata") -> "ArticleMetadata":
        """These values where given, ``fallback``'s elsewhere."""
        return ArticleMetadata(
            **{
                f.name: getattr(self, f.name) or getattr(fallback, f.name)
                for f in dataclasses.fields(self)
            }
        )

    @classmethod
    def from_mapping(cls, values: dict[str, str | None]) -> "ArticleMetadata":
        """The known fields of ``values`` (front matter, a manifest row), blanks as None."""
        return cls(
            **{
                f.name: _clean(values.get(f.name))
                for f in dataclasses.fields(cls)
                if f.name in values
            }
        )


def _clean(value: str | None) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def too_long(layers: Sequence[tuple[ArticleMetadata, str]]) -> str | None:
    """Which field that would be stored exceeds FIELD_LIMITS, and where it came from (each
    layer's metadata with where it came from, the first one's winning). Only the value used
    counts: a manifest's title stands in for the file's overlong one."""
    for name, limit in FIELD_LIMITS.items():
        value, origin = next(((v, o) for m, o in layers if (v := getattr(m, name))), ("", ""))
        if len(value) > limit:
            return f"{name} too long {origin} ({len(value):,} characters; the limit is {limit:,})"
    return None


@dataclass(frozen=True, slots=True)
class ImportItem:
    """One file to import, as planned, with the manifest's metadata for it. ``format`` is
    resolved (TEXT, HTML or BRAT). An item whose ``verdict`` is set was already skipped or
    rejected while planning (an unknown extension, a bad manifest row; its format is AUTO);
    importing it only reports that, so a progress count over all items stays true.
    ``variables`` are the manifest's extra columns for it: (name, value) pairs, names checked,
    values not yet (a bad value refuses its file, not the manifest)."""

    path: Path
    format: ImportFormat
    metadata: ArticleMetadata = ArticleMetadata()
    verdict: ImportStatus | None = None
    reason: str = ""
    variables: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What became of one item. ``reason`` is one line; ``details`` lists problems within
    an imported file (a brat annotation that did not match its text), one line each."""

    status: ImportStatus
    path: Path
    reason: str = ""
    article_id: str | None = None
    details: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Reasons often quote an exception (YAML errors span lines): one line each, always.
        object.__setattr__(self, "reason", _one_line(self.reason))
        object.__setattr__(self, "details", tuple(_one_line(d) for d in self.details))

    def summary_lines(self) -> list[str]:
        """Nothing for a clean import; otherwise the status line and its details."""
        if self.status is ImportStatus.IMPORTED and not self.details:
            return []
        head = f"{self.status.value}: {self.path}" + (f": {self.reason}" if self.reason else "")
        return [head, *(f"  {d}" for d in self.details)]


def _one_line(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class ImportReport:
    outcomes: tuple[ImportOutcome, ...]

    @classmethod
    def from_outcomes(cls, outcomes: Iterable[ImportOutcome]) -> "ImportReport":
        """A report of the outcomes seen so far (all of them, or up to a cancel)."""
        return cls(tuple(outcomes))

    def count(self, status: ImportStatus) -> int:
        return sum(1 for o in self.outcomes if o.status is status)

    @property
    def imported(self) -> int:
        return self.count(ImportStatus.IMPORTED)

    @property
    def duplicates(self) -> int:
        return self.count(ImportStatus.DUPLICATE)

    @property
    def rejected(self) -> int:
        return self.count(ImportStatus.REJECTED)

    @property
    def skipped(self) -> int:
        return self.count(ImportStatus.SKIPPED)

    def summary_lines(self) -> list[str]:
        """One line per file that was not simply imported, then the totals."""
        lines = [line for o in self.outcomes for line in o.summary_lines()]
        return [*lines, totals_line(self.outcomes)]


def totals_line(outcomes: Iterable[ImportOutcome]) -> str:
    counts = Counter(o.status for o in outcomes)
    parts = ", ".join(f"{counts[s]} {s.value}" for s in ImportStatus)
    return f"Import finished: {parts}."
