"""The rows the coverage analysis needs, each fetched by one set-based query.

A table costs three queries (four with an annotator filter): the sources' totals over the
filtered articles, those articles' sources, and every fragment of every counted annotation
with its label. The fragments are not joined with ``articles`` row by row: an article row holds
its whole text, and looking it up per fragment was the largest cost of a dense article.
The union of overlapping spans and the roll-up of child issues are done by ``core.coverage``,
where they can be tested without a database. Lists are bound as one JSON parameter
(``json_each``), so the SQL text stays the same whatever the filter holds and no list meets
SQLite's parameter limit.
"""

import json
from collections.abc import Collection

from sqlite_utils import Database

from annotator.core.coverage import NO_VALUE, CellSums, CoverageFilter, LabelledSpan, SourceTotals
from annotator.core.model import Annotation, AnnotationKind, ArticleStatus
from annotator.store.annotations import AnnotationQueries
from annotator.store.coverage_summary import CoverageSummary
from annotator.store.variables import (
    VariableQueries,
    group_condition,
    group_totals,
    variable_filter,
)

Params = dict[str, object]

#: Issue passages under their issue and claims under each of their issues; both as
#: (article_id, label_id, annotation_id). {where}: conditions on ``n`` (_annotation_filter).
_ISSUE_PASSAGES = """SELECT n.article_id, n.code_id AS label_id, n.id AS annotation_id
    FROM annotations n WHERE n.kind = 'issue' AND {where}"""
_CLAIM_ISSUES = """SELECT n.article_id, i.code_id AS label_id, n.id AS annotation_id
    FROM annotations n JOIN claim_issues i ON i.annotation_id = n.id
    WHERE n.kind = 'claim' AND {where}"""
#: Claims under their speaker; claims whose speaker is still unset are not counted.
_CLAIM_SPEAKERS = """SELECT n.article_id, n.speaker_id AS label_id, n.id AS annotation_id
    FROM annotations n WHERE n.kind = 'claim' AND n.speaker_id IS NOT NULL AND {where}"""
_ABOUT_ISSUES = """EXISTS (SELECT 1 FROM claim_issues t WHERE t.annotation_id = n.id
    AND t.code_id IN (SELECT value FROM json_each(:about)))"""


class CoverageQueries:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._annotations = AnnotationQueries(db)
        self._summary = CoverageSummary(db)
        self._variables = VariableQueries(db)

    # -- the table ------------------------------------------------------------------------

    def source_totals(self, flt: CoverageFilter) -> list[SourceTotals]:
        """Every source with articles in the filtered set, with their number and characters
        (code points, as SQLite's length() counts text, like the offsets). Unfiltered, the
        sizes kept by triggers; filtered, counted (reading every chosen article's text).
        Grouped by a variable, one row per value (its id) and one for the articles without
        it (id "", named NO_VALUE)."""
        where, params = self._article_filter(flt)
        if flt.group_by:
            rows = group_totals(self._db, flt.group_by, where, params)
            return [SourceTotals(v or "", v or NO_VALUE, n, chars) for v, n, chars in rows]
        if where == "1":
            return self._summary.source_totals()
        rows = self._db.execute(
            f"""SELECT s.id, s.name, count(*), coalesce(sum(length(a.text)), 0)
                FROM articles a JOIN sources s ON s.id = a.source_id
                WHERE {where} GROUP BY s.id""",
            params,
        ).fetchall()
        return [SourceTotals(*row) for row in rows]

    def summarised(self, flt: CoverageFilter) -> bool:
        """Whether ``issue_sums`` can answer ``flt`` (no coder filter, no roll-up)."""
        return CoverageSummary.serves(flt)

    def issue_sums(self, flt: CoverageFilter) -> list[CellSums]:
        """The issue table's cells from the kept summary, for a filter ``summarised`` accepts."""
        if not self.summarised(flt):
            raise ValueError(f"the coverage summary cannot answer {flt}")
        return self._summary.cell_sums(flt, self._article_filter(flt))

    def summary_differences(self) -> list[str]:
        """Where the kept summary differs from a recomputation (for ``annotator check``)."""
        return list(self._summary.differences())

    def issue_spans(self, flt: CoverageFilter) -> list[LabelledSpan]:
        """Every fragment of the filter's issue passages and issue-tagged claims, once per
        issue: one query for all of them, and one for the chosen articles' sources."""
        labelled = self._issue_labelled(flt)
        return self._spans(flt, *labelled) if labelled else []

    def speaker_spans(
        self, flt: CoverageFilter, about: Collection[str] | None = None
    ) -> list[LabelledSpan]:
        """Every fragment of the filter's claims under their speaker; with ``about``, only
        claims tagged with one of those issues. ``flt.kinds`` does not apply: these are claims."""
        return self._spans(flt, *self._speaker_labelled(flt, about))

    # -- what lies behind one bar ---------------------------------------------------------

    def issue_annotations(
        self, flt: CoverageFilter, source_id: str, issue_ids: Collection[str]
    ) -> list[Annotation]:
        """The source's annotations counted under any of ``issue_ids``, each once."""
        labelled = self._issue_labelled(flt, source_id)
        return self._behind(*labelled, issue_ids) if labelled else []

    def speaker_claims(
        self,
        flt: CoverageFilter,
        source_id: str,
        speaker_id: str,
        about: Collection[str] | None = None,
    ) -> list[Annotation]:
        return self._behind(*self._speaker_labelled(flt, about, source_id), [speaker_id])

    # -- building blocks ------------------------------------------------------------------

    def _issue_labelled(
        self, flt: CoverageFilter, source_id: str | None = None
    ) -> tuple[str, Params] | None:
        parts = [
            part
            for kind, part in (
                (AnnotationKind.ISSUE, _ISSUE_PASSAGES),
                (AnnotationKind.CLAIM, _CLAIM_ISSUES),
            )
            if kind in flt.kinds
        ]
        if not parts:
            return None
        where, params = self._annotation_filter(flt, source_id)
        return " UNION ALL ".join(p.format(where=where) for p in parts), params

    def _speaker_labelled(
        self, flt: CoverageFilter, about: Collection[str] | None, source_id: str | None = None
    ) -> tuple[str, Params]:
        where, params = self._annotation_filter(flt, source_id)
        if about is not None:
            where += f" AND {_ABOUT_ISSUES}"
            params["about"] = json.dumps(sorted(about))
        return _CLAIM_SPEAKERS.format(where=where), params

    def _spans(self, flt: CoverageFilter, labelled: str, params: Params) -> list[LabelledSpan]:
        """The article filter is applied through a dict of the chosen articles' sources (or,
        grouped by a variable, of their groups)."""
        where, article_params = self._article_filter(flt)
        source_of = dict(
            self._db.execute(
                f"SELECT a.id, a.source_id FROM articles a WHERE {where}", article_params
            ).fetchall()
        )
        if flt.group_by:
            group_of = self._variables.values_of(flt.group_by)
            source_of = {article: group_of.get(article, "") for article in source_of}
        rows = self._db.execute(
            f"""SELECT l.article_id, l.label_id, l.annotation_id, f.start, f."end"
                FROM ({labelled}) l JOIN fragments f ON f.annotation_id = l.annotation_id""",
            params,
        ).fetchall()
        return [LabelledSpan(source_of[row[0]], *row) for row in rows if row[0] in source_of]

    def _behind(
        self, labelled: str, params: Params, label_ids: Collection[str]
    ) -> list[Annotation]:
        """Loaded in one go, then put in reading order: article by article (date, title),
        each article's annotations by position."""
        rows = self._db.execute(
            f"""SELECT DISTINCT l.annotation_id, a.published, a.title, a.id
                FROM ({labelled}) l JOIN articles a ON a.id = l.article_id
                WHERE l.label_id IN (SELECT value FROM json_each(:labels))""",
            {**params, "labels": json.dumps(sorted(label_ids))},
        ).fetchall()
        if not rows:
            return []
        articles = sorted({(r[1] or "", r[2], r[3]) for r in rows})
        article_rank = {article[2]: rank for rank, article in enumerate(articles)}
        # One loader for annotations everywhere: the store's own, fed one JSON list of ids.
        found = self._annotations._load(
            "a.id IN (SELECT value FROM json_each(?))", [json.dumps([r[0] for r in rows])]
        )
        return sorted(found, key=lambda n: article_rank[n.article_id])  # stable: by position

    def _annotation_filter(
        self, flt: CoverageFilter, source_id: str | None = None
    ) -> tuple[str, Params]:
        """Conditions on annotations ``n``: the coders, and with ``source_id`` the article
        filter within that source (through the index on the annotations' article)."""
        clauses: list[str] = ["1"]
        params: Params = {}
        if flt.annotators:
            clauses.append("n.annotator IN (SELECT value FROM json_each(:annotators))")
            params["annotators"] = json.dumps(self._annotator_names(flt.annotators))
        if source_id is not None:
            where, article_params = self._article_filter(flt)
            row_params: Params
            if flt.group_by:  # the "source" is a group: a value of the variable, or none
                row, row_params = group_condition(source_id or None)
                row_params["group_name"] = flt.group_by
            else:
                row, row_params = "a.source_id = :source", {"source": source_id}
            clauses.append(f"n.article_id IN (SELECT a.id FROM articles a WHERE {row} AND {where})")
            params.update(article_params, **row_params)
        return " AND ".join(clauses), params

    def _annotator_names(self, wanted: Collection[str]) -> list[str]:
        """The stored spellings of the wanted coders, matched ignoring case in every script
        (SQLite's NOCASE folds only ASCII)."""
        keys = {name.strip().casefold() for name in wanted}
        return sorted(n for n in self._annotations.annotators() if n.casefold() in keys)

    def _article_filter(self, flt: CoverageFilter) -> tuple[str, Params]:
        """Status and date conditions on articles ``a``. Dates compare as ISO text: ``from``
        as is, ``to`` on the published date cut to its length, so both ends are inclusive
        at any precision. With a bound, undated (or not ISO-dated) articles drop out."""
        clauses, params = ["1"], {}
        if flt.statuses:
            where, status_params = self._status_filter(flt)
            clauses.append(where)
            params.update(status_params)
        if flt.dated:
            clauses.append("a.published GLOB '[0-9][0-9][0-9][0-9]*'")
        if flt.date_from is not None:
            clauses.append("a.published >= :date_from")
            params["date_from"] = flt.date_from
        if flt.date_to is not None:
            clauses.append("substr(a.published, 1, length(:date_to)) <= :date_to")
            params["date_to"] = flt.date_to
        if flt.variables:
            where, variable_params = variable_filter(flt.variables)
            clauses.append(where)
            params.update(variable_params)
        return " AND ".join(clauses), params

    def _status_filter(self, flt: CoverageFilter) -> tuple[str, Params]:
        """Statuses are per coder, so the filter asks about the coders being counted: an
        article passes when one of them has it in a chosen status, "new" meaning no status
        row for that coder. Without a coder filter it asks about anyone: in progress or done
        for someone, and new when no one has a status for it (no one has started it)."""
        coders = self._status_coders(flt.annotators) if flt.annotators else None
        params: Params = {}
        of_coders = ""
        if coders is not None:
            of_coders = " AND t.annotator IN (SELECT value FROM json_each(:status_coders))"
            params["status_coders"] = json.dumps(coders)
        either = []
        started = sorted(s.value for s in flt.statuses if s is not ArticleStatus.NEW)
        if started:
            either.append(
                f"""EXISTS (SELECT 1 FROM article_statuses t WHERE t.article_id = a.id
                    AND t.status IN (SELECT value FROM json_each(:statuses)){of_coders})"""
            )
            params["statuses"] = json.dumps(started)
        if ArticleStatus.NEW in flt.statuses:
            rows = f"SELECT count(*) FROM article_statuses t WHERE t.article_id = a.id{of_coders}"
            if coders is None:
                either.append(f"({rows}) = 0")
            else:
                either.append(f"({rows}) < :coder_count")
                params["coder_count"] = len(coders)
        return "(" + " OR ".join(either) + ")", params

    def _status_coders(self, wanted: Collection[str]) -> list[str]:
        """The wanted coders as their statuses are stored, matched ignoring case like the
        coder filter; one who has neither annotations nor statuses keeps the name given
        (every article is new to them)."""
        stored = set(self._annotations.annotators()) | {
            row[0] for row in self._db.execute("SELECT DISTINCT annotator FROM article_statuses")
        }
        keys = {name.strip().casefold(): name.strip() for name in wanted if name.strip()}
        found = {n for n in stored if n.casefold() in keys}
        unmatched = set(keys) - {n.casefold() for n in found}
        return sorted(found | {keys[k] for k in unmatched})
