"""``annotator agreement``: how well the coders of a project agree, as a table or as JSON.

The JSON shape is a contract for scripts: ``{"<kind>": {"alpha_u_pooled": x,
"alpha_u_by_article": {"<article title>": x, ...}, "fleiss_kappa": x, "cohen_kappa":
{"<A>|<B>": x, ...}, "f1_exact": x, "f1_overlap": x, ...}}``, with ``speaker_attribution``
under ``claim``, ``by_code`` under ``issue`` and what every number is made of under
``counts``; a value that cannot be computed is null.
"""

import argparse
import json
from typing import Any

from annotator.core.agreement import Attribution, Kappa, SpanF1, UnitizingAlpha
from annotator.core.model import AnnotationKind
from annotator.core.wording import plural
from annotator.services.project import Project
from annotator.services.team.agreement import (
    AgreementReport,
    KindAgreement,
    measure_agreement,
)

#: A report: it runs beside a window that has the project open.
READS_ONLY = True
LISTED = 5  # skipped articles, lowest articles and codes shown in the table


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Agreement between coders on the articles each of them has annotated: "
        "Krippendorff's unitizing alpha per article and pooled, character-level Fleiss' and "
        "Cohen's kappa, span F1 (exact and overlap) and, for claims, speaker attribution."
    )
    parser.add_argument(
        "--kind", dest="kinds", action="extend", nargs="+", default=[],
        choices=[k.value for k in AnnotationKind], metavar="KIND",
        help="claim, speaker and/or issue (default: all three)",
    )  # fmt: skip
    # dest differs from the global --annotator (who is coding), which must stay untouched.
    parser.add_argument(
        "--annotators", dest="coders", metavar="A,B,...",
        help="the coders to compare, comma-separated (default: everyone; names match in any case)",
    )  # fmt: skip
    parser.add_argument(
        "--include", action="append", default=[], metavar="GOLD",
        help="also compare this curation target (left out by default), e.g. a coder against "
        "gold with --annotators alice,gold or --include gold",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def run(project: Project, args: argparse.Namespace) -> int:
    coders = [c for c in (args.coders or "").split(",") if c.strip()] or None
    kinds = [AnnotationKind(k) for k in args.kinds] or None
    report = measure_agreement(project.store, kinds=kinds, annotators=coders, include=args.include)
    if args.json:
        print(json.dumps(agreement_json(report), indent=2, ensure_ascii=False))
    else:
        print("\n".join(report_lines(report)))
    return 0


# -- the table -------------------------------------------------------------------------------


def number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def report_lines(report: AgreementReport) -> list[str]:
    lines = [
        f"Coders: {', '.join(report.coders)}. Compared: {plural(report.articles, 'article')} "
        f"annotated by all of them ({report.characters:,} characters)."
    ]
    if report.skipped:
        shown = "; ".join(f"{s.title} ({', '.join(s.coders)})" for s in report.skipped[:LISTED])
        more = len(report.skipped) - LISTED
        lines.append(
            f"Skipped {plural(len(report.skipped), 'article')} not annotated by every coder: "
            f"{shown}" + (f"; and {more} more" if more > 0 else "")
        )
    for kind in report.kinds:
        lines += ["", *_kind_lines(kind)]
    return lines


def _kind_lines(k: KindAgreement) -> list[str]:
    per_coder = ", ".join(f"{coder} {n}" for coder, n in k.spans.items())
    alpha = k.alpha_u
    lines = [f"{k.kind.value}: {sum(k.spans.values())} annotations ({per_coder})"]
    if alpha is not None:
        lines.append(
            f"  alpha-u pooled       {number(alpha.alpha)}  (D_o {alpha.observed:.3g}, "
            f"D_e {alpha.expected:.3g}; {plural(alpha.units, 'unit')})"
        )
    lines.append(f"  Fleiss' kappa        {number(k.fleiss.value)}")
    width = max((len(p.key) for p in k.pairs), default=0)
    lines += [f"  Cohen's kappa {p.key:<{width}}  {number(p.cohen.value)}" for p in k.pairs]
    lines.append(f"  F1 exact / overlap   {number(k.f1_exact.f1)} / {number(k.f1_overlap.f1)}")
    attribution = k.attribution
    if attribution is not None:
        lines.append(
            f"  speaker attribution  {number(attribution.share)}  ({attribution.agreeing} of "
            f"{plural(attribution.pairs, 'overlapping claim pair')} agree)"
        )
    lowest = k.lowest_articles(LISTED)
    if lowest:
        lines.append(
            "  lowest alpha-u: " + "; ".join(f"{a.title} {number(a.alpha)}" for a in lowest)
        )
    if k.codes:
        lines.append("  by issue (lowest alpha-u first):")
        codes = sorted(
            k.codes, key=lambda c: (c.alpha_u.alpha is None, c.alpha_u.alpha or 0, c.name)
        )
        lines += [
            f"    {c.name}: alpha-u {number(c.alpha_u.alpha)}, kappa {number(c.fleiss.value)}, "
            f"F1 overlap {number(c.f1_overlap.f1)} ({plural(c.alpha_u.units, 'unit')})"
            for c in codes
        ]
    return lines


# -- JSON: a contract for scripts -------------------------------------------------------------


def agreement_json(report: AgreementReport) -> dict[str, Any]:
    """``{"<kind>": {"alpha_u_pooled", "alpha_u_by_article", "fleiss_kappa", "cohen_kappa",
    "f1_exact", "f1_overlap", ["speaker_attribution"], ["by_code"], "counts"}}``; a value
    that cannot be computed is None (null). ``counts`` carries what each number is made of."""
    return {k.kind.value: _kind_json(report, k) for k in report.kinds}


def _kind_json(report: AgreementReport, k: KindAgreement) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "alpha_u_pooled": k.alpha_u.alpha if k.alpha_u else None,
        "alpha_u_by_article": {a.title: a.alpha for a in k.articles},
        "fleiss_kappa": k.fleiss.value,
        "cohen_kappa": {p.key: p.cohen.value for p in k.pairs},
        "f1_exact": k.f1_exact.f1,
        "f1_overlap": k.f1_overlap.f1,
    }
    attribution = k.attribution
    if attribution is not None:
        entry["speaker_attribution"] = attribution.share
    if k.kind is AnnotationKind.ISSUE:
        entry["by_code"] = {
            c.name: {
                "alpha_u": c.alpha_u.alpha,
                "fleiss_kappa": c.fleiss.value,
                "f1_exact": c.f1_exact.f1,
                "f1_overlap": c.f1_overlap.f1,
                "units": c.alpha_u.units,
            }
            for c in k.codes
        }
    counts: dict[str, Any] = {
        "coders": list(report.coders),
        "articles": report.articles,
        "characters": report.characters,
        "skipped_articles": {s.title: list(s.coders) for s in report.skipped},
        "units": k.units,
        "spans": k.spans,
        "alpha_u": _alpha_json(k.alpha_u) if k.alpha_u else None,
        "alpha_u_by_article": {a.title: _alpha_json(a.alpha_u) for a in k.articles},
        "fleiss_kappa": _kappa_json(k.fleiss),
        "cohen_kappa": {p.key: _kappa_json(p.cohen) for p in k.pairs},
        "f1_exact": _f1_json(k.f1_exact, {p.key: p.f1_exact for p in k.pairs}),
        "f1_overlap": _f1_json(k.f1_overlap, {p.key: p.f1_overlap for p in k.pairs}),
    }
    if attribution is not None:
        counts["speaker_attribution"] = _attribution_json(attribution) | {
            "by_pair": {p.key: _attribution_json(p.attribution) for p in k.pairs if p.attribution}
        }
    entry["counts"] = counts
    return entry


def _alpha_json(alpha: UnitizingAlpha) -> dict[str, Any]:
    return {
        "alpha_u": alpha.alpha,
        "observed_disagreement": alpha.observed,
        "expected_disagreement": alpha.expected,
        "units": alpha.units,
        "characters": alpha.length,
    }


def _kappa_json(kappa: Kappa) -> dict[str, Any]:
    return {
        "kappa": kappa.value,
        "observed_agreement": kappa.observed,
        "expected_agreement": kappa.expected,
        "characters": kappa.items,
        "coders": kappa.coders,
    }


def _f1_json(pooled: SpanF1, pairs: dict[str, SpanF1]) -> dict[str, Any]:
    def one(f1: SpanF1) -> dict[str, Any]:
        return {
            "f1": f1.f1,
            "precision": f1.precision,
            "recall": f1.recall,
            "spans_a": f1.a_spans,
            "spans_b": f1.b_spans,
            "matched_a": f1.a_matched,
            "matched_b": f1.b_matched,
        }

    return one(pooled) | {"by_pair": {key: one(f1) for key, f1 in pairs.items()}}


def _attribution_json(attribution: Attribution) -> dict[str, Any]:
    return {
        "share": attribution.share,
        "pairs": attribution.pairs,
        "agreeing": attribution.agreeing,
        "unattributed": attribution.unattributed,
    }
