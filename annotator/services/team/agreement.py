"""How well coders agree: the numbers behind ``annotator agreement`` and the Agreement view.

Which articles are compared: those every compared coder has annotated (anything, of any
kind). A coder who has not touched an article has not coded it yet, and counting that as
"found nothing" would sink every measure; such articles are listed as skipped instead.

Per kind of annotation, over the compared articles:

- Krippendorff's αu per article, and pooled with the articles laid end to end as one
  continuum. Each fragment is one unit. Claims and speaker mentions are one category each;
  issue passages have one category per issue code (αu per code, and over all codes).
- Character-level Fleiss' κ over all coders and Cohen's κ for each pair: a character's label
  is the set of categories covering it.
- Span F1 per pair of coders, exact and overlap, pooled over pairs (annotations, categories
  as above).
- For claims, speaker attribution agreement: among overlapping claims of two coders, the
  share naming the same speaker (see annotator.core.agreement.spans).
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import reduce
from itertools import combinations
from operator import add

from annotator.core.agreement import (
    NO_PAIRS,
    NO_SPANS,
    Attribution,
    CategoryAlpha,
    Kappa,
    Span,
    SpanF1,
    Unit,
    UnitizingAlpha,
    character_runs,
    cohen_kappa,
    fleiss_kappa,
    span_f1,
    speaker_attribution,
    unitizing_alpha,
)
from annotator.core.errors import ValidationError
from annotator.core.model import Annotation, AnnotationKind, ArticleSummary
from annotator.services.annotations import project_coders
from annotator.services.team.adjudication import gold_coders
from annotator.store import Store

KINDS = (AnnotationKind.CLAIM, AnnotationKind.SPEAKER, AnnotationKind.ISSUE)


@dataclass(frozen=True, slots=True)
class ArticleAgreement:
    article_id: str
    title: str  # unique among the report's articles (the source is added where titles repeat)
    length: int
    alpha_u: UnitizingAlpha

    @property
    def alpha(self) -> float | None:
        return self.alpha_u.alpha


@dataclass(frozen=True, slots=True)
class CodeAgreement:
    """One issue code's agreement, pooled over the compared articles."""

    code_id: str
    name: str
    alpha_u: CategoryAlpha
    fleiss: Kappa  # this code or not, character by character
    f1_exact: SpanF1
    f1_overlap: SpanF1


@dataclass(frozen=True, slots=True)
class PairAgreement:
    coders: tuple[str, str]
    cohen: Kappa
    f1_exact: SpanF1
    f1_overlap: SpanF1
    attribution: Attribution | None  # claims only

    @property
    def key(self) -> str:
        return "|".join(self.coders)


@dataclass(frozen=True, slots=True)
class KindAgreement:
    kind: AnnotationKind
    alpha_u: UnitizingAlpha | None  # pooled; None when no article was compared
    fleiss: Kappa
    pairs: tuple[PairAgreement, ...]
    articles: tuple[ArticleAgreement, ...]
    codes: tuple[CodeAgreement, ...]  # issue passages only
    units: dict[str, int]  # fragments per coder
    spans: dict[str, int]  # annotations per coder

    @property
    def f1_exact(self) -> SpanF1:
        return reduce(add, (p.f1_exact for p in self.pairs), NO_SPANS)

    @property
    def f1_overlap(self) -> SpanF1:
        return reduce(add, (p.f1_overlap for p in self.pairs), NO_SPANS)

    @property
    def attribution(self) -> Attribution | None:
        if self.kind is not AnnotationKind.CLAIM:
            return None
        return reduce(add, (p.attribution or NO_PAIRS for p in self.pairs), NO_PAIRS)

    def lowest_articles(self, n: int = 5) -> list[ArticleAgreement]:
        """The articles with the lowest αu (those where it cannot be computed left out)."""
        measured = [a for a in self.articles if a.alpha is not None]
        return sorted(measured, key=lambda a: (a.alpha, a.title))[:n]

    def lowest_codes(self, n: int = 5) -> list[CodeAgreement]:
        measured = [c for c in self.codes if c.alpha_u.alpha is not None]
        return sorted(measured, key=lambda c: (c.alpha_u.alpha, c.name))[:n]


@dataclass(frozen=True, slots=True)
class SkippedArticle:
    article_id: str
    title: str
    coders: tuple[str, ...]  # which of the compared coders did annotate it


@dataclass(frozen=True, slots=True)
class AgreementReport:
    coders: tuple[str, ...]
    articles: int  # compared
    characters: int  # their total length: the pooled continuum
    skipped: tuple[SkippedArticle, ...]
    kinds: tuple[KindAgreement, ...]

    def kind(self, kind: AnnotationKind) -> KindAgreement | None:
        return next((k for k in self.kinds if k.kind is kind), None)


#: Told ``(done, total)`` as the articles are measured, between two of them; an exception it
#: raises stops the measuring there (the window's Cancel, on a worker).
Progress = Callable[[int, int], None]


class _Steps:
    """Counts one step per article read and per article measured for each kind."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def advance(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)


def compared_by_default(store: Store, include: Sequence[str] = ()) -> list[str]:
    """Every coder but the curation targets (gold): gold is built from the coders' work, so
    counting it as one more coder would inflate agreement and shrink the articles every coder
    shares. ``include`` brings a target back in, to compare a coder against gold."""
    gold = set(gold_coders(store)) - {name.strip() for name in include}
    return [c for c in project_coders(store) if c not in gold]


def measure_agreement(
    store: Store,
    *,
    kinds: Iterable[AnnotationKind] | None = None,
    annotators: Sequence[str] | None = None,
    include: Sequence[str] = (),
    progress: Progress | None = None,
) -> AgreementReport:
    """Agreement of ``annotators`` (default: every coder but gold, see compared_by_default)
    on ``kinds``. Raises ValidationError for an unknown coder or fewer than two."""
    everyone = project_coders(store)
    include = [_match(everyone, name) for name in include]
    coders = _choose_coders(everyone, annotators or compared_by_default(store, include))
    by_article = store.merging.coders_by_article()
    compared: list[ArticleSummary] = []
    skipped: list[SkippedArticle] = []
    summaries = store.articles.summaries()
    titles = _unique_titles(summaries)
    for summary in summaries:
        present = tuple(c for c in coders if c in by_article.get(summary.id, ()))
        if len(present) == len(coders) and summary.length > 0:
            compared.append(summary)
        elif present:
            skipped.append(SkippedArticle(summary.id, titles[summary.id], present))
    chosen = [k for k in KINDS if kinds is None or k in set(kinds)]
    steps = _Steps(progress, len(compared) * (1 + len(chosen)))
    annotations: dict[str, list[Annotation]] = {}
    for s in compared:
        annotations[s.id] = [
            a for a in store.annotations.for_article(s.id) if a.annotator in coders
        ]
        steps.advance()
    data = _Data(coders, compared, titles, annotations, store, steps)
    return AgreementReport(
        coders=coders,
        articles=len(compared),
        characters=sum(s.length for s in compared),
        skipped=tuple(skipped),
        kinds=tuple(data.kind(k) for k in chosen),
    )


def _choose_coders(everyone: list[str], wanted: Sequence[str] | None) -> tuple[str, ...]:
    if not wanted:
        chosen = everyone
    else:
        chosen = []
        for name in wanted:
            match = _match(everyone, name)
            if match not in chosen:
                chosen.append(match)
    if len(chosen) < 2:
        who = f"only {chosen[0]!r}" if chosen else "nobody"
        raise ValidationError(f"Agreement needs at least two coders; this compares {who}.")
    return tuple(chosen)


def _match(everyone: list[str], name: str) -> str:
    """The coder called ``name``, exactly or else in any case."""
    name = name.strip()
    match = next((c for c in everyone if c == name), None) or next(
        (c for c in everyone if c.casefold() == name.casefold()), None
    )
    if match is None:
        listed = ", ".join(everyone) or "nobody yet"
        raise ValidationError(f"No annotations by {name!r}. Coders here: {listed}.")
    return match


def _unique_titles(summaries: list[ArticleSummary]) -> dict[str, str]:
    """Titles as keys of a table or JSON object: a repeated title gets its source, and a
    number if that still repeats."""
    counts = Counter(s.title for s in summaries)
    titles: dict[str, str] = {}
    seen: Counter[str] = Counter()
    for s in summaries:
        title = s.title if counts[s.title] == 1 else f"{s.title} ({s.source_name})"
        seen[title] += 1
        titles[s.id] = title if seen[title] == 1 else f"{title} #{seen[title]}"
    return titles


class _Data:
    """The compared articles' annotations, turned into units and spans per kind."""

    def __init__(
        self,
        coders: tuple[str, ...],
        articles: list[ArticleSummary],
        titles: dict[str, str],
        annotations: dict[str, list[Annotation]],
        store: Store,
        steps: _Steps,
    ) -> None:
        self.coders = coders
        self.steps = steps
        self.articles = articles
        self.titles = titles
        self.annotations = annotations
        self.offsets: dict[str, int] = {}
        total = 0
        for article in articles:
            self.offsets[article.id] = total
            total += article.length
        self.length = total
        self.code_names = {c.id: c.name for c in store.codes.all()}
        self.by_id = {a.id: a for found in annotations.values() for a in found}

    @staticmethod
    def category(annotation: Annotation) -> str:
        if annotation.kind is AnnotationKind.ISSUE:
            return annotation.code_id or ""
        return annotation.kind.value

    def units(self, kind: AnnotationKind, article_id: str, shift: int = 0) -> list[Unit]:
        return [
            Unit(a.annotator, self.category(a), shift + f.start, shift + f.end)
            for a in self.annotations[article_id]
            if a.kind is kind
            for f in a.fragments
        ]

    def spans(self, kind: AnnotationKind) -> dict[str, list[Span]]:
        spans: dict[str, list[Span]] = {c: [] for c in self.coders}
        for article_id, found in self.annotations.items():
            for a in found:
                if a.kind is not kind:
                    continue
                mention = self.by_id.get(a.speaker_mention_id or "")
                spans[a.annotator].append(
                    Span(
                        coder=a.annotator,
                        fragments=tuple((f.start, f.end) for f in a.fragments),
                        category=self.category(a),
                        group=article_id,
                        id=a.id,
                        speaker=a.speaker_id,
                        mention=tuple((f.start, f.end) for f in mention.fragments)
                        if mention
                        else None,
                    )
                )
        return spans

    def kind(self, kind: AnnotationKind) -> KindAgreement:
        units = [u for a in self.articles for u in self.units(kind, a.id, self.offsets[a.id])]
        spans = self.spans(kind)
        articles = tuple(self._article(kind, a) for a in self.articles)
        pooled = unitizing_alpha(units, self.coders, self.length) if self.length else None
        runs = character_runs(units, self.coders, self.length)
        pairs = tuple(
            PairAgreement(
                coders=(first, second),
                cohen=cohen_kappa(runs, i, j),
                f1_exact=span_f1(spans[first], spans[second], exact=True),
                f1_overlap=span_f1(spans[first], spans[second], exact=False),
                attribution=speaker_attribution(spans[first], spans[second])
                if kind is AnnotationKind.CLAIM
                else None,
            )
            for (i, first), (j, second) in combinations(enumerate(self.coders), 2)
        )
        codes = self._codes(units, spans, pooled) if kind is AnnotationKind.ISSUE else ()
        return KindAgreement(
            kind=kind,
            alpha_u=pooled,
            fleiss=fleiss_kappa(runs) if runs else Kappa(None, 0.0, 0.0, 0, len(self.coders)),
            pairs=pairs,
            articles=articles,
            codes=codes,
            units={c: sum(u.coder == c for u in units) for c in self.coders},
            spans={c: len(s) for c, s in spans.items()},
        )

    def _article(self, kind: AnnotationKind, article: ArticleSummary) -> ArticleAgreement:
        alpha = unitizing_alpha(self.units(kind, article.id), self.coders, article.length)
        self.steps.advance()
        return ArticleAgreement(article.id, self.titles[article.id], article.length, alpha)

    def _codes(
        self, units: list[Unit], spans: dict[str, list[Span]], pooled: UnitizingAlpha | None
    ) -> tuple[CodeAgreement, ...]:
        if pooled is None:
            return ()
        by_code: dict[str, list[Unit]] = defaultdict(list)
        for unit in units:
            by_code[unit.category].append(unit)
        result = []
        for category in pooled.categories:
            code_id = category.category
            runs = character_runs(by_code[code_id], self.coders, self.length)
            mine = {c: [s for s in spans[c] if s.category == code_id] for c in self.coders}
            pairs = list(combinations(self.coders, 2))
            result.append(
                CodeAgreement(
                    code_id=code_id,
                    name=self.code_names.get(code_id, code_id),
                    alpha_u=category,
                    fleiss=fleiss_kappa(runs),
                    f1_exact=reduce(
                        add, (span_f1(mine[a], mine[b], exact=True) for a, b in pairs), NO_SPANS
                    ),
                    f1_overlap=reduce(
                        add, (span_f1(mine[a], mine[b], exact=False) for a, b in pairs), NO_SPANS
                    ),
                )
            )
        return tuple(sorted(result, key=lambda c: c.name.casefold()))
