"""The domain model of DESIGN.md as frozen dataclasses.

Frozen, so that a value handed to the UI or kept on the undo stack cannot drift from what the
store holds; edits go through the services, which return fresh values.
"""

from dataclasses import dataclass, field
from enum import StrEnum


class CodeKind(StrEnum):
    ISSUE = "issue"
    SPEAKER = "speaker"


class AnnotationKind(StrEnum):
    CLAIM = "claim"
    SPEAKER = "speaker"
    ISSUE = "issue"

    @property
    def code_kind(self) -> CodeKind | None:
        """The kind of code a speaker mention or issue passage refers to; claims have none."""
        return {
            AnnotationKind.SPEAKER: CodeKind.SPEAKER,
            AnnotationKind.ISSUE: CodeKind.ISSUE,
        }.get(self)


class Stance(StrEnum):
    SUPPORTS = "supports"
    OPPOSES = "opposes"
    NEUTRAL = "neutral"


class ArticleStatus(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in progress"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    name: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """An article whose ``text`` is canonical (see core.text) and never changes once stored."""

    id: str
    source_id: str
    title: str
    text: str
    sha256: str
    published: str | None = None
    author: str | None = None
    url: str | None = None
    imported_from: str | None = None
    created_at: str = ""


@dataclass(frozen=True, slots=True)
class ArticleStatusRow:
    """One coder's status of one article. Statuses are per coder, so merging teammates'
    projects never lets one coder's "done" speak for another; "new" is the absence of a row,
    so a row is only ever in progress or done."""

    article_id: str
    annotator: str
    status: ArticleStatus

    def __post_init__(self) -> None:
        if self.status is ArticleStatus.NEW:
            raise ValueError("'new' is the absence of a status row, not a row.")

    @property
    def id(self) -> str:
        """The row's key as one string, so ``compose()`` treats it like every other row."""
        return f"{self.article_id}|{self.annotator}"


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """What the article list needs, without loading every text. ``status`` is one coder's
    (the one ``summaries()`` was asked for)."""

    id: str
    title: str
    source_id: str
    source_name: str
    published: str | None
    status: ArticleStatus
    annotation_count: int
    length: int


@dataclass(frozen=True, slots=True)
class Code:
    id: str
    kind: CodeKind
    name: str
    colour: str
    description: str = ""
    shortcut: str | None = None
    parent_id: str | None = None
    organisation: str | None = None
    created_at: str = ""


@dataclass(frozen=True, slots=True, order=True)
class Fragment:
    """A half-open span [start, end) in code points of the canonical text, with its quote so a
    file can be checked and read without the app."""

    start: int
    end: int
    quote: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class Annotation:
    """One labelled span of one article.

    ``code_id`` is the speaker code of a speaker mention or the issue code of an issue passage;
    claims leave it empty and use ``speaker_id`` (may be unset while the coder is still picking),
    ``speaker_mention_id``, ``issue_ids``, ``stance`` and ``note``.
    """

    id: str
    article_id: str
    kind: AnnotationKind
    fragments: tuple[Fragment, ...]
    annotator: str
    created_at: str
    updated_at: str
    code_id: str | None = None
    speaker_id: str | None = None
    speaker_mention_id: str | None = None
    issue_ids: tuple[str, ...] = ()
    stance: Stance | None = None
    note: str = ""

    @property
    def start(self) -> int:
        return self.fragments[0].start

    @property
    def end(self) -> int:
        return self.fragments[-1].end

    @property
    def quote(self) -> str:
        """The quoted text; fragments are joined with an ellipsis as a reader would cite them."""
        return " … ".join(f.quote for f in self.fragments)


class Decision(StrEnum):
    """What the curator chose for one place of two coders' comparison."""

    AGREED = "agreed"  # both coders had it: copied without asking
    ACCEPT_A = "A"
    ACCEPT_B = "B"
    BOTH = "both"
    EDITED = "edited"  # one version, changed by the curator, then accepted
    REJECTED = "rejected"  # neither


@dataclass(frozen=True, slots=True)
class CurationDecision:
    """One decision of curating coders A and B into ``target`` on one article.

    ``copies`` maps each coder annotation the decision accepted to the target's annotation
    made from it, so a later decision on the same place removes exactly those, and a claim's
    copy can point at the copy of its speaker mention.
    """

    id: str
    article_id: str
    target: str
    coder_a: str
    coder_b: str
    item_key: str
    decision: Decision
    copies: tuple[tuple[str, str], ...]
    decided_at: str
