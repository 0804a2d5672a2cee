"""How well the claim and speaker suggestions do, on a hand-marked evaluation set.

    python -m benchmarks.suggest            # the table
    python -m benchmarks.suggest --details  # and every miss, false alarm and wrong speaker

The set (``benchmarks/data/attribution.yaml``) holds the two sample articles and short
wire-style stories with every attributed statement and its speaker marked by hand. Each
document becomes an article of an in-memory project with the starter codebook, and the
suggestions come from ``suggest_for_article``, exactly as a coder gets them.

A suggested claim matches a marked one when their fragments overlap; each is matched at most
once, largest overlap first. Precision is matched / suggested, recall matched / marked, and
speaker accuracy the share of matched claims whose suggested speaker (the code's name, or the
name of the code to create) is the marked one, compared ignoring case, stops and a leading
"the". The baseline takes every quotation as a claim, which is what quotation marks alone find.
"""

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from annotator.core.attribution import normalise
from annotator.core.attribution.quotes import find_quotes
from annotator.core.formats.frontmatter import split_front_matter
from annotator.core.model import AnnotationKind
from annotator.core.text import canonicalize_text
from annotator.services.project import open_memory_project
from annotator.services.suggestions import default_rules, suggest_for_article

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data" / "attribution.yaml"
Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Claim:
    fragments: tuple[Span, ...]
    speaker: str | None
    form: str = ""  # direct, indirect or mixed (marked claims only)


@dataclass(frozen=True, slots=True)
class Document:
    name: str
    text: str
    claims: tuple[Claim, ...]
    held_out: bool = False


def load_documents(path: Path = DATA) -> list[Document]:
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    documents = []
    for entry in data["documents"]:
        if "file" in entry:
            raw = (ROOT / entry["file"]).read_text(encoding="utf-8")
            text = canonicalize_text(split_front_matter(raw)[1])
        else:
            text = canonicalize_text(entry["text"])
        claims = tuple(
            Claim(
                tuple((int(s), int(e)) for s, e, _quote in claim["fragments"]),
                claim["speaker"],
                claim["form"],
            )
            for claim in entry["claims"]
        )
        documents.append(Document(entry["name"], text, claims, bool(entry.get("held_out"))))
    return documents


def marked_quotes(path: Path = DATA) -> list[tuple[str, str, Span, str]]:
    """(document, its text, fragment, quoted text as marked): for checking the offsets."""
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    by_name = {d.name: d for d in load_documents(path)}
    return [
        (entry["name"], by_name[entry["name"]].text, (int(s), int(e)), quote)
        for entry in data["documents"]
        for claim in entry["claims"]
        for s, e, quote in claim["fragments"]
    ]


# -- predictors -------------------------------------------------------------------------------


def suggested_claims(documents: Sequence[Document]) -> dict[str, list[Claim]]:
    """The claim suggestions for each document, from a fresh project with the starter
    codebook, as the window and ``annotator suggest`` would offer them."""
    result = {}
    with open_memory_project() as project:
        for document in documents:
            added = project.articles.add(document.text, source="Evaluation", title=document.name)
            assert added.article.text == document.text, "offsets refer to the canonical text"
            result[document.name] = [
                Claim(s.fragments, s.speaker_name)
                for s in suggest_for_article(project.store, added.article.id)
                if s.kind is AnnotationKind.CLAIM
            ]
    return result


def quotation_claims(documents: Sequence[Document]) -> dict[str, list[Claim]]:
    """Every outermost quotation as a claim, with no speaker: the baseline."""
    pairs = default_rules().quote_pairs
    result = {}
    for document in documents:
        claims, offset = [], 0
        for line in document.text.split("\n"):
            quotes = find_quotes(document.text, offset, offset + len(line), pairs)
            claims += [Claim(((q.start, q.end),), None) for q in quotes]
            offset += len(line) + 1
        result[document.name] = claims
    return result


# -- scoring ----------------------------------------------------------------------------------


@dataclass
class Score:
    marked: int = 0
    suggested: int = 0
    matched: int = 0
    right_speaker: int = 0

    def add(self, other: "Score") -> None:
        self.marked += other.marked
        self.suggested += other.suggested
        self.matched += other.matched
        self.right_speaker += other.right_speaker

    @property
    def precision(self) -> float:
        return self.matched / self.suggested if self.suggested else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.marked if self.marked else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.right_speaker / self.matched if self.matched else 0.0


def overlap(a: Claim, b: Claim) -> int:
    return sum(
        max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a.fragments for s2, e2 in b.fragments
    )


def match(marked: Sequence[Claim], suggested: Sequence[Claim]) -> list[tuple[Claim, Claim]]:
    """One-to-one pairs of overlapping claims, the largest overlaps first."""
    candidates = sorted(
        ((overlap(m, s), i, j) for i, m in enumerate(marked) for j, s in enumerate(suggested)),
        reverse=True,
    )
    used_m: set[int] = set()
    used_s: set[int] = set()
    pairs = []
    for size, i, j in candidates:
        if size > 0 and i not in used_m and j not in used_s:
            used_m.add(i)
            used_s.add(j)
            pairs.append((marked[i], suggested[j]))
    return pairs


def same_speaker(marked: str | None, suggested: str | None) -> bool:
    return normalise(marked or "") == normalise(suggested or "")


def score(marked: Sequence[Claim], suggested: Sequence[Claim]) -> Score:
    pairs = match(marked, suggested)
    return Score(
        marked=len(marked),
        suggested=len(suggested),
        matched=len(pairs),
        right_speaker=sum(same_speaker(m.speaker, s.speaker) for m, s in pairs),
    )


# -- report -----------------------------------------------------------------------------------

Predictor = Callable[[Sequence[Document]], dict[str, list[Claim]]]
GROUPS: tuple[tuple[str, Callable[[Document], bool]], ...] = (
    ("sample articles", lambda d: not d.held_out and not d.name.startswith("wire")),
    ("wire stories", lambda d: not d.held_out and d.name.startswith("wire")),
    ("held-out stories", lambda d: d.held_out),
    ("all", lambda d: True),
)


def table(documents: Sequence[Document], predictors: dict[str, Predictor]) -> list[str]:
    lines = [
        "| set | method | marked | suggested | matched | precision | recall | right speaker |",
        "|---|---|---|---|---|---|---|---|",
    ]
    predictions = {name: predict(documents) for name, predict in predictors.items()}
    for group, wanted in GROUPS:
        chosen = [d for d in documents if wanted(d)]
        if not chosen:
            continue
        for method, predicted in predictions.items():
            total = Score()
            for document in chosen:
                total.add(score(document.claims, predicted[document.name]))
            speaker = f"{total.speaker_accuracy:.0%}" if method == "suggestions" else "–"
            lines.append(
                f"| {group} | {method} | {total.marked} | {total.suggested} | {total.matched} "
                f"| {total.precision:.0%} | {total.recall:.0%} | {speaker} |"
            )
    return lines


def recall_by_form(documents: Sequence[Document], predicted: dict[str, list[Claim]]) -> str:
    found: dict[str, list[int]] = {}
    for document in documents:
        matched = {id(m) for m, _ in match(document.claims, predicted[document.name])}
        for claim in document.claims:
            counts = found.setdefault(claim.form, [0, 0])
            counts[0] += id(claim) in matched
            counts[1] += 1
    return ", ".join(f"{form} {hit}/{n}" for form, (hit, n) in sorted(found.items()))


def details(documents: Sequence[Document], predicted: dict[str, list[Claim]]) -> list[str]:
    lines = []
    for document in documents:

        def show(claim: Claim, text: str = document.text) -> str:
            return " … ".join(text[s:e] for s, e in claim.fragments)[:90]

        pairs = match(document.claims, predicted[document.name])
        matched_m = {id(m) for m, _ in pairs}
        matched_s = {id(s) for _, s in pairs}
        for claim in document.claims:
            if id(claim) not in matched_m:
                lines.append(f"{document.name}: missed ({claim.speaker}): {show(claim)}")
        for claim in predicted[document.name]:
            if id(claim) not in matched_s:
                lines.append(f"{document.name}: false alarm ({claim.speaker}): {show(claim)}")
        for m, s in pairs:
            if not same_speaker(m.speaker, s.speaker):
                lines.append(
                    f"{document.name}: speaker {s.speaker!r}, marked {m.speaker!r}: {show(m)}"
                )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--details", action="store_true", help="list misses and false alarms")
    args = parser.parse_args(argv)
    documents = load_documents()
    predictors: dict[str, Predictor] = {
        "suggestions": suggested_claims,
        "quotation marks only": quotation_claims,
    }
    print("\n".join(table(documents, predictors)))
    suggested = suggested_claims(documents)
    print(f"\nRecall by form (suggestions): {recall_by_form(documents, suggested)}")
    if args.details:
        print("\n" + "\n".join(details(documents, suggested)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
