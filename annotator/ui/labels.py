"""How annotations are named on screen: one place, so the list, the hover text and the
editor say the same thing."""

import html

from annotator.core.model import Annotation, AnnotationKind, Code

KIND_LABEL = {
    AnnotationKind.CLAIM: "Claim",
    AnnotationKind.SPEAKER: "Speaker",
    AnnotationKind.ISSUE: "Issue",
}
NEUTRAL_CLAIM_COLOUR = "#444444"


def code_name(codes: dict[str, Code], code_id: str | None, missing: str = "—") -> str:
    return codes[code_id].name if code_id and code_id in codes else missing


def main_label(annotation: Annotation, codes: dict[str, Code]) -> str:
    """The speaker of a claim or the code of a mention or passage."""
    if annotation.kind is AnnotationKind.CLAIM:
        return code_name(codes, annotation.speaker_id, "(no speaker)")
    return code_name(codes, annotation.code_id)


def issues_label(annotation: Annotation, codes: dict[str, Code]) -> str:
    return "; ".join(sorted(code_name(codes, i) for i in annotation.issue_ids))


def describe(annotation: Annotation, codes: dict[str, Code]) -> str:
    """One line for hover text: kind, code or speaker, issues and stance."""
    parts = [f"{KIND_LABEL[annotation.kind]}: {main_label(annotation, codes)}"]
    if annotation.issue_ids:
        parts.append(f"issues: {issues_label(annotation, codes)}")
    if annotation.stance:
        parts.append(f"stance: {annotation.stance.value}")
    return " · ".join(parts)


def colour_of(annotation: Annotation, codes: dict[str, Code]) -> str:
    code_id = (
        annotation.speaker_id if annotation.kind is AnnotationKind.CLAIM else (annotation.code_id)
    )
    if code_id and code_id in codes:
        return codes[code_id].colour
    return NEUTRAL_CLAIM_COLOUR


def plain_tip(text: str) -> str:
    """Article-derived text for a tooltip, shown as written. Qt guesses that text with tags is
    rich text and would render it (an imported "<img src=…>" would even load a file), so the
    text is escaped inside markup of our own."""
    escaped = html.escape(text).replace("\n", "<br>")
    return f"<p style='white-space:pre-wrap'>{escaped}</p>"
