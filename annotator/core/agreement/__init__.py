"""Inter-coder agreement on span annotations: pure measures over character offsets.

``unitizing`` is Krippendorff's αu, ``kappa`` character-level Cohen's and Fleiss' κ, ``spans``
span F1 and speaker attribution agreement. No Qt, no SQL: the services hand over plain units.
"""

from annotator.core.agreement.kappa import Kappa, Run, character_runs, cohen_kappa, fleiss_kappa
from annotator.core.agreement.spans import (
    NO_PAIRS,
    NO_SPANS,
    Attribution,
    Span,
    SpanF1,
    fragments_overlap,
    overlapping_pairs,
    span_f1,
    speaker_attribution,
)
from annotator.core.agreement.unitizing import CategoryAlpha, Unit, UnitizingAlpha, unitizing_alpha

__all__ = [
    "NO_PAIRS",
    "NO_SPANS",
    "Attribution",
    "CategoryAlpha",
    "Kappa",
    "Run",
    "Span",
    "SpanF1",
    "Unit",
    "UnitizingAlpha",
    "character_runs",
    "cohen_kappa",
    "fleiss_kappa",
    "fragments_overlap",
    "overlapping_pairs",
    "span_f1",
    "speaker_attribution",
    "unitizing_alpha",
]
