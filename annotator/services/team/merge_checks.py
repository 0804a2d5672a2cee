"""Checking another project's rows before a merge uses any of them.

A merge source is someone else's file, so nothing in it is trusted, not even a value's type:
each row is checked with the rules the services apply when the same thing is made in the
window, and a row that breaks one is refused with a short reason, which the merge counts and
reports, while the rest is merged. What depends on a refused row goes with it: a source takes
its articles, an article its annotations, a code the issues under it and the annotations that
use it, a speaker mention the claims attributed through it.

- sources: an id and a name;
- codes: a known kind, a name, a ``#rrggbb`` colour, a shortcut of one key or none, a parent
  only for an issue and only an issue, no loop of parents;
- articles: canonical text (core.text) whose SHA-256 is the one stored, a text no other of
  its articles has, a known status, a source;
- annotations: a known kind and stance, only the fields its kind may have (the schema's CHECK
  constraints), fragments inside the article's text, neither empty nor overlapping, each
  quoting the text at its offsets (core.fragments), codes of the right kind and a speaker
  mention of the same article naming the same speaker (services.annotations), an annotator;
- every id once, and every time readable and no later than now plus ``SKEW``: an edit dated
  in the year 9999 would win every later merge.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar

from annotator.core.errors import ValidationError
from annotator.core.model import (
    Annotation,
    AnnotationKind,
    Article,
    ArticleStatus,
    ArticleStatusRow,
    Code,
    CodeKind,
    Fragment,
    Source,
    Stance,
)
from annotator.core.palette import is_colour
from annotator.core.spans.fragments import make_fragments
from annotator.core.text import canonicalize_text, text_sha256
from annotator.core.variables import ArticleVariable
from annotator.services.annotations import check_references
from annotator.services.team.merge_values import SKEW, RowRuleError, _an_id, _moment, _texts, _whole
from annotator.store.merge_queries import MergeRows
from annotator.store.sql_types import Row

_CODE_KINDS = {kind.value: kind for kind in CodeKind}
_ANNOTATION_KINDS = {kind.value: kind for kind in AnnotationKind}
_STANCES = {stance.value: stance for stance in Stance}
_STATUSES = {status.value: status for status in ArticleStatus}

T = TypeVar("T")


@dataclass
class CheckedRows:
    """What passed, as the model's values, and how many rows were refused for what."""

    sources: dict[str, Source] = field(default_factory=dict)
    codes: list[Code] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)
    statuses: list[ArticleStatusRow] = field(default_factory=list)
    variables: list[ArticleVariable] = field(default_factory=list)  # names checked by the plan
    refused: Counter[str] = field(default_factory=Counter)

    def refuse(self, reason: str, count: int = 1) -> None:
        self.refused[reason] += count


def check_rows(rows: MergeRows, *, now: datetime | None = None) -> CheckedRows:
    """The rows of another project that may be merged; see the module's docstring."""
    checked = CheckedRows()
    latest = (now or datetime.now(UTC)) + SKEW

    def each(found: Iterable[Row], build: Callable[[Row], T]) -> list[T]:
        kept = []
        for row in found:
            try:
                kept.append(build(row))
            except RowRuleError as exc:
                checked.refuse(str(exc))
        return kept

    sources = each(_once(rows.sources, checked), _source)
    checked.sources = {s.id: s for s in sources}
    codes = each(_once(rows.codes, checked), lambda row: _code(row, latest))
    checked.codes = _with_sound_parents(codes, checked)
    articles = each(
        _once(rows.articles, checked), lambda row: _article(row, checked.sources, latest)
    )
    checked.articles = _distinct_texts(articles, checked)
    _check_annotations(rows, checked, latest)
    articles_kept = {a.id for a in checked.articles}
    checked.variables = each(rows.variables, lambda row: _variable(row, articles_kept))
    checked.statuses = each(_once(rows.statuses, checked), lambda row: _status(row, articles_kept))
    return checked


# -- one row at a time -------------------------------------------------------------------------


def _once(rows: Iterable[Row], checked: CheckedRows) -> list[Row]:
    """The rows whose id (their first value) no other row has: a file whose unique indexes
    were tampered with may hold two, and neither can be told to be the right one."""
    rows = list(rows)
    seen = Counter(row[0] for row in rows)
    twice = sum(1 for row in rows if seen[row[0]] > 1)
    if twice:
        checked.refuse("the same id twice", twice)
    return [row for row in rows if seen[row[0]] == 1]


def _source(row: Row) -> Source:
    source_id, name, url = row
    _an_id(source_id)
    if not isinstance(name, str) or not name.strip():
        raise RowRuleError("source without a name")
    _texts(url, optional=True)
    return Source(source_id, name.strip(), url)


def _code(row: Row, latest: datetime) -> Code:
    code_id, kind, name, colour, description, shortcut, parent_id, organisation, created = row
    _an_id(code_id)
    if kind not in _CODE_KINDS:
        raise RowRuleError("unknown code kind")
    if not isinstance(name, str) or not name.strip():
        raise RowRuleError("code without a name")
    if not isinstance(colour, str) or not is_colour(colour):
        raise RowRuleError("colour not of the form #rrggbb")
    _texts(description)
    _texts(organisation, parent_id, optional=True)
    if shortcut is not None and not (
        isinstance(shortcut, str)
        and len(shortcut) == 1
        and shortcut.isprintable()
        and not shortcut.isspace()
    ):
        raise RowRuleError("shortcut not a single key")
    if parent_id is not None and kind != CodeKind.ISSUE.value:
        raise RowRuleError("parent issue of a speaker")
    _moment(created, latest)
    return Code(
        code_id, _CODE_KINDS[kind], name.strip(), colour, description, shortcut, parent_id,
        organisation, created,
    )  # fmt: skip


def _article(row: Row, sources: dict[str, Source], latest: datetime) -> Article:
    article_id, source_id, title, published, author, url, text, sha256, origin, status, created = (
        row
    )
    _an_id(article_id)
    _texts(title)
    _texts(published, author, url, origin, optional=True)
    if not isinstance(text, str) or canonicalize_text(text) != text:
        raise RowRuleError("text not in canonical form")
    if not text.strip():
        raise RowRuleError("article without text")
    if sha256 != text_sha256(text):
        raise RowRuleError("hash mismatch")
    if status not in _STATUSES:
        raise RowRuleError("unknown status")
    _moment(created, latest)
    if source_id not in sources:
        raise RowRuleError("its source was refused")
    return Article(
        article_id, source_id, title, text, sha256, published, author, url, origin, created
    )


def _variable(row: Row, articles: set[str]) -> ArticleVariable:
    """One variable of an article; its name and value are checked with this project's
    spelling when the merge is planned (merge_variables)."""
    article_id, name, value = row
    _texts(name, value)
    if article_id not in articles:
        raise RowRuleError("its article was refused")
    return ArticleVariable(article_id, name, value)


def _status(row: Row, articles: set[str]) -> ArticleStatusRow:
    """One coder's status of one article; "new" is no row at all, so it is no status."""
    article_id, annotator, status = row
    _texts(annotator)
    if status not in _STATUSES or status == ArticleStatus.NEW.value:
        raise RowRuleError("unknown status")
    if article_id not in articles:
        raise RowRuleError("its article was refused")
    return ArticleStatusRow(article_id, annotator, _STATUSES[status])


def _annotation(
    row: Row,
    articles: dict[str, Article],
    fragments: dict[str, list[Row]],
    issues: dict[str, list[object]],
    latest: datetime,
) -> Annotation:
    (annotation_id, article_id, kind, code_id, speaker_id, mention_id, stance, note, annotator,
     created, updated) = row  # fmt: skip
    _an_id(annotation_id)
    article = articles.get(article_id)
    if article is None:
        raise RowRuleError("its article was refused")
    if kind not in _ANNOTATION_KINDS:
        raise RowRuleError("unknown annotation kind")
    if stance is not None and stance not in _STANCES:
        raise RowRuleError("unknown stance")
    _texts(note)
    _texts(code_id, speaker_id, mention_id, optional=True)
    linked = issues.get(annotation_id, [])
    _texts(*linked)
    if not isinstance(annotator, str) or not annotator.strip():
        raise RowRuleError("annotation without an annotator")
    claim = kind == AnnotationKind.CLAIM.value
    if claim == (code_id is not None) or (
        not claim and (speaker_id is not None or mention_id is not None or stance or linked)
    ):
        raise RowRuleError("fields its kind cannot have")
    _moment(created, latest)
    _moment(updated, latest)
    return Annotation(
        id=annotation_id,
        article_id=article.id,
        kind=_ANNOTATION_KINDS[kind],
        fragments=_fragments(article.text, fragments.get(annotation_id, [])),
        annotator=annotator,
        created_at=created,
        updated_at=updated,
        code_id=code_id,
        speaker_id=speaker_id,
        speaker_mention_id=mention_id,
        issue_ids=tuple(sorted({str(code_id) for code_id in linked})),  # checked text above
        stance=_STANCES[stance] if stance else None,
        note=note,
    )


def _fragments(text: str, rows: list[Row]) -> tuple[Fragment, ...]:
    """make_fragments' rules, each failure named; and each quote must be the text's."""
    if not rows:
        raise RowRuleError("annotation without a fragment")
    spans = []
    for start, end, quote in rows:
        if not (_whole(start) and _whole(end) and isinstance(quote, str)):
            raise RowRuleError("value of the wrong type")
        if start < 0 or end > len(text):
            raise RowRuleError("fragment outside the text")
        if start >= end:
            raise RowRuleError("empty fragment")
        if text[start:end] != quote:
            raise RowRuleError("quote differs from the text")
        spans.append((start, end))
    try:
        return make_fragments(text, spans)
    except ValidationError as exc:
        raise RowRuleError("overlapping fragments") from exc


# -- what rows depend on -------------------------------------------------------------------------


def _with_sound_parents(codes: list[Code], checked: CheckedRows) -> list[Code]:
    """Codes whose chain of parents ends, through issues only, at a code with none. Walked
    without recursion: a hostile file may chain thousands."""
    by_id = {c.id: c for c in codes}
    verdicts: dict[str, str | None] = {}  # None: sound
    for code in codes:
        chain: list[str] = []  # walked up from ``code``, not decided yet
        current = code
        verdict: str | None = None
        while current.id not in verdicts:
            if current.id in chain:
                verdict = "loop of parent issues"
                break
            chain.append(current.id)
            parent = by_id.get(current.parent_id or "")
            if current.parent_id is None:
                break
            if parent is None:
                verdict = "its parent issue was refused"
                break
            if parent.kind is not CodeKind.ISSUE:
                verdict = "parent is not an issue"
                break
            current = parent
        else:
            if verdicts[current.id] is not None:
                verdict = "its parent issue was refused"
        for code_id in chain:
            verdicts.setdefault(code_id, verdict)
    refused = [verdicts[c.id] for c in codes if verdicts[c.id] is not None]
    for reason in refused:
        checked.refuse(reason or "")
    return [c for c in codes if verdicts[c.id] is None]


def _distinct_texts(articles: list[Article], checked: CheckedRows) -> list[Article]:
    """The texts' index was tampered with if two articles share one: both go."""
    counts = Counter(a.sha256 for a in articles)
    for article in articles:
        if counts[article.sha256] > 1:
            checked.refuse("the same text twice")
    return [a for a in articles if counts[a.sha256] == 1]


def _check_annotations(rows: MergeRows, checked: CheckedRows, latest: datetime) -> None:
    """Speaker mentions and issue passages first, so that a claim's mention is known."""
    fragments: dict[str, list[Row]] = defaultdict(list)
    for annotation_id, *values in rows.fragments:
        fragments[annotation_id].append(tuple(values))
    issues: dict[str, list[object]] = defaultdict(list)
    for annotation_id, code_id in rows.claim_issues:
        issues[annotation_id].append(code_id)
    articles = {a.id: a for a in checked.articles}
    codes = {c.id: c for c in checked.codes}
    built: list[Annotation] = []
    for row in _once(rows.annotations, checked):
        try:
            built.append(_annotation(row, articles, fragments, issues, latest))
        except RowRuleError as exc:
            checked.refuse(str(exc))

    def expect_code(code_id: str, kind: CodeKind) -> None:
        code = codes.get(code_id)
        if code is None:
            raise RowRuleError("its code was refused")
        if code.kind is not kind:
            raise RowRuleError("code of the wrong kind")

    mentions: dict[str, Annotation] = {}
    for annotation in sorted(built, key=lambda a: a.kind is AnnotationKind.CLAIM):
        try:
            mention = None
            if annotation.speaker_mention_id is not None:
                mention = mentions.get(annotation.speaker_mention_id)
                if mention is None or annotation.speaker_id is None:
                    raise RowRuleError("speaker mention that does not fit the claim")
            try:
                check_references(annotation, expect_code, mention)
            except RowRuleError:
                raise
            except ValidationError as exc:
                raise RowRuleError("speaker mention that does not fit the claim") from exc
        except RowRuleError as exc:
            checked.refuse(str(exc))
            continue
        checked.annotations.append(annotation)
        if annotation.kind is AnnotationKind.SPEAKER:
            mentions[annotation.id] = annotation


# -- values --------------------------------------------------------------------------------------
