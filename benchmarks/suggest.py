"""How well the claim and speaker suggestions do, on a hand-marked evaluation set.

    python -m benchmarks.suggest            # the table
    python -m benchmarks.suggest --details  # and every miss, false alarm and wrong speaker
    python -m benchmarks.suggest --brat DIR --map Content=claim --map Source=speaker
    python -m benchmarks.suggest --timing   # detection time of a 5 KB and a 100 KB article

The set (``benchmarks/data/attribution.yaml``) holds the two sample articles and short
wire-style stories with every attributed statement and its speaker marked by hand. Each
document becomes an article of an in-memory project with the starter codebook, and the
suggestions come from ``suggest_for_article``, exactly as a coder gets them.

A suggested claim matches a marked one when their fragments overlap; each is matched at most
once, largest overlap first. Precision is matched / suggested, recall matched / marked, and
speaker accuracy the share of matched claims whose suggested speaker (the code's name, or the
name of the code to create) is the marked one, compared ignoring case, stops and a leading
"the" (on a brat set, a surname alone matches the full name: "Fifita" is "Ebonie Fifita"),
over the matched claims whose marked speaker is named: a name or a noun phrase, not a lone
pronoun such as "He" (the detector resolves pronouns, a brat mark does not say to whom).

The baseline takes every quotation as a claim, which is what quotation marks alone find.
"""

import argparse
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from annotator.core.attribution import detect, normalise
from annotator.core.attribution.quotes import find_quotes
from annotator.core.formats.frontmatter import split_front_matter
from annotator.core.model import AnnotationKind
from annotator.core.text import canonicalize_text
from annotator.services.project import open_memory_project
from annotator.services.suggestions import (
    DEFAULT_MIN_CONFIDENCE,
    default_rules,
    suggest_for_article,
)
from benchmarks.brat_set import BratError, load_brat

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data" / "attribution.yaml"
Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Claim:
    fragments: tuple[Span, ...]
    speaker: str | None
    form: str = ""  # direct, indirect or mixed (marked claims only)
    confidence: float = 1.0  # suggested claims only


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


#: The least confidence a suggestion needs to count (``--min-confidence``; by default the
#: window's and ``annotator suggest``'s own threshold).
MIN_CONFIDENCE = [DEFAULT_MIN_CONFIDENCE]


def suggested_claims(documents: Sequence[Document]) -> dict[str, list[Claim]]:
    """The claim suggestions for each document, from a fresh project with the starter
    codebook, as the window and ``annotator suggest`` would offer them."""
    result = {}
    with open_memory_project() as project:
        for document in documents:
            added = project.articles.add(document.text, source="Evaluation", title=document.name)
            assert added.article.text == document.text, "offsets refer to the canonical text"
            result[document.name] = [
                Claim(s.fragments, s.speaker_name, confidence=s.confidence)
                for s in suggest_for_article(project.store, added.article.id)
                if s.kind is AnnotationKind.CLAIM and s.confidence >= MIN_CONFIDENCE[0]
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
    named: int = 0  # matched claims whose marked speaker is named

    def add(self, other: "Score") -> None:
        self.marked += other.marked
        self.suggested += other.suggested
        self.matched += other.matched
        self.right_speaker += other.right_speaker
        self.named += other.named

    @property
    def precision(self) -> float:
        return self.matched / self.suggested if self.suggested else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.marked if self.marked else 0.0

    @property
    def f1(self) -> float:
        both = self.precision + self.recall
        return 2 * self.precision * self.recall / both if both else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.right_speaker / self.named if self.named else 0.0


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


#: Whether a surname alone matches the full name (brat sets, marked by span text).
LENIENT = [False]


#: Where a marked source's name ends and its description starts: "Dennis Ross, a former
#: envoy", "Sen. Rand Paul (R-Ky.)", "Hayati Camlica, who owns…", "George Will’s".
_APPOSITION = re.compile(r"\s*(?:[,(]|\bwho\b|\bwhich\b).*$|['’]s?$", re.DOTALL)


def head(source: str) -> str:
    """A marked source without its apposition: brat sets mark "Jack Dorsey, Twitter's
    chief executive," where the speaker named is "Jack Dorsey"."""
    return _APPOSITION.sub("", source.strip()) or source


#: A place or employer after a person's name of two words or more.
_PLACE = re.compile(r"^(\S+\s+\S+.*?)\s+of\s+.*$")


def names_in(source: str) -> list[str]:
    """The names a marked source gives its speaker: the head, and a name in apposition
    ("A Twitter spokesman, Christopher Abboud," names Christopher Abboud too)."""
    parts = [head(source)] + [head(part) for part in source.split(",")[1:]]
    parts += [_PLACE.sub(r"\1", part) for part in parts]  # "Joel Pollak of Breitbart California"
    return [part for part in dict.fromkeys(parts) if part.strip()]


def _untitled(name: str) -> list[str]:
    """The words of a name without leading titles: "Mr. Indyk" is "Indyk", "Secretary of
    State John Kerry" is "John Kerry" (the detector names a speaker in full once)."""
    words = normalise(name).split()
    rules = default_rules()
    skip = rules.titles | rules.name_particles | {"mrs", "ms", "mr", "sen", "rep", "gov"}
    k = 0
    while k < len(words) - 1 and words[k] in skip:
        k += 1
    return words[k:]


def same_speaker(marked: str | None, suggested: str | None) -> bool:
    if LENIENT[0] and marked and suggested:
        return any(_same_name(name, suggested) for name in names_in(marked))
    return normalise(marked or "") == normalise(suggested or "")


def _same_name(marked: str, suggested: str) -> bool:
    """Equal, or one is the other's last words once titles are dropped ("Indyk" is
    "Martin Indyk"; "Mrs. Clinton" is "Hillary Rodham Clinton")."""
    a, b = normalise(marked), normalise(suggested)
    if a == b:
        return True
    short, long = sorted((_untitled(marked), _untitled(suggested)), key=len)
    return bool(short) and long[-len(short) :] == short


#: Sources that name no one by themselves (relative and possessive pronouns included, as brat
#: sets mark them: "his plan", "her").
_PRONOUNS = frozenset(
    {"he", "she", "it", "they", "we", "i", "you", "who", "which", "that"}
    | {"his", "her", "its", "their", "my", "our", "your", "whose", "him", "them", "me", "us"}
)


def is_named(speaker: str | None) -> bool:
    """Whether a marked source names someone: a name or a noun phrase, not a lone pronoun
    ("He", "they"), whose referent the mark does not say (issue 18 counts those apart)."""
    words = normalise(speaker or "").split()
    return bool(words) and not (
        len(words) == 1 and words[0] in _PRONOUNS | default_rules().pronouns.keys()
    )


def score(marked: Sequence[Claim], suggested: Sequence[Claim]) -> Score:
    pairs = [(m, s) for m, s in match(marked, suggested)]
    named = [(m, s) for m, s in pairs if is_named(m.speaker)]
    return Score(
        marked=len(marked),
        suggested=len(suggested),
        matched=len(pairs),
        right_speaker=sum(same_speaker(m.speaker, s.speaker) for m, s in named),
        named=len(named),
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


def brat_documents(folder: Path, maps: Sequence[str]) -> list[Document]:
    """A brat folder as documents; ``maps`` like ``Content=claim``, ``Source=speaker``."""
    mapping = dict(m.split("=", 1) for m in maps) or {"Content": "claim", "Source": "speaker"}
    return [
        Document(name, text, tuple(Claim(f, speaker) for f, speaker in claims), held_out=True)
        for name, text, claims in load_brat(folder, mapping)
    ]


def brat_table(documents: Sequence[Document]) -> list[str]:
    lines = [
        "| method | marked | suggested | matched | precision | recall | F1 | right speaker |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for method, predict in (("suggestions", suggested_claims), ("quotes", quotation_claims)):
        predicted, total = predict(documents), Score()
        for document in documents:
            total.add(score(document.claims, predicted[document.name]))
        speaker = f"{total.speaker_accuracy:.0%} of {total.named}" if method != "quotes" else "–"
        lines.append(
            f"| {method} | {total.marked} | {total.suggested} | {total.matched} "
            f"| {total.precision:.2f} | {total.recall:.2f} | {total.f1:.2f} | {speaker} |"
        )
    return lines


def threshold_table(documents: Sequence[Document]) -> list[str]:
    """What moving the panel's More/Fewer slider does: the suggestions at each threshold."""
    least = MIN_CONFIDENCE[0]
    MIN_CONFIDENCE[0] = 0.0
    predicted = suggested_claims(documents)
    MIN_CONFIDENCE[0] = least
    lines = [
        "| at least | suggested | precision | recall | F1 | right speaker |",
        "|---|---|---|---|---|---|",
    ]
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        total = Score()
        for document in documents:
            kept = [c for c in predicted[document.name] if c.confidence >= threshold]
            total.add(score(document.claims, kept))
        lines.append(
            f"| {threshold:.1f} | {total.suggested} | {total.precision:.2f} | {total.recall:.2f} "
            f"| {total.f1:.2f} | {total.speaker_accuracy:.0%} of {total.named} |"
        )
    return lines


def timing(documents: Sequence[Document]) -> list[str]:
    """Milliseconds to detect in about 5 KB and 100 KB of the set's text (best of three)."""
    text = "\n".join(d.text for d in documents)
    rules = default_rules()
    detect(text[:100], rules)
    lines = []
    for size in (5_000, 100_000):
        sample = (text * (size // max(1, len(text)) + 1))[:size]
        best = min(_seconds(lambda sample=sample: detect(sample, rules)) for _ in range(3))
        lines.append(f"{size // 1000} KB: {best * 1000:.0f} ms")
    return lines


def _seconds(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--details", action="store_true", help="list misses and false alarms")
    parser.add_argument("--brat", type=Path, metavar="DIR", help="score a folder of brat files")
    parser.add_argument(
        "--map", action="append", default=[], metavar="TYPE=ROLE",
        help="brat type to claim or speaker (default Content=claim, Source=speaker)",
    )  # fmt: skip
    parser.add_argument(
        "--min-confidence", type=float, default=DEFAULT_MIN_CONFIDENCE, metavar="X",
        help=f"count suggestions this sure or surer (default {DEFAULT_MIN_CONFIDENCE}, the app's)",
    )  # fmt: skip
    parser.add_argument(
        "--thresholds", action="store_true",
        help="on a brat set, precision and recall at each threshold of the More/Fewer slider",
    )  # fmt: skip
    parser.add_argument("--timing", action="store_true", help="time detection on 5 and 100 KB")
    args = parser.parse_args(argv)
    MIN_CONFIDENCE[0] = args.min_confidence
    if args.brat is not None:
        try:
            documents = brat_documents(args.brat, args.map)
        except (BratError, ValueError, OSError) as exc:
            parser.exit(2, f"benchmarks.suggest: {exc}\n")
        LENIENT[0] = True
        print("\n".join(brat_table(documents)))
        if args.thresholds:
            print("\n" + "\n".join(threshold_table(documents)))
    else:
        documents = load_documents()
        predictors: dict[str, Predictor] = {
            "suggestions": suggested_claims,
            "quotation marks only": quotation_claims,
        }
        print("\n".join(table(documents, predictors)))
        suggested = suggested_claims(documents)
        print(f"\nRecall by form (suggestions): {recall_by_form(documents, suggested)}")
    if args.details:
        print("\n" + "\n".join(details(documents, suggested_claims(documents))))
    if args.timing:
        print("\n" + "\n".join(timing(documents)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
