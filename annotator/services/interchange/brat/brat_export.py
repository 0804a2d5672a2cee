"""Exporting to brat standoff (https://brat.nlplab.org/standoff.html), so a project can be
opened in brat or fed to NLP tools that read its format, and imported back.

For each article, ``<title>-<id>.txt`` holds the canonical text (UTF-8, LF) and ``.ann``
beside it the annotations; ``annotation.conf`` and ``visual.conf`` let brat open the folder.
Offsets are code points, as in the project and in brat. The ``.ann`` lines:

- ``T1<TAB>Claim 10 20;25 30<TAB>text``: a claim; ``Speaker`` for a speaker mention; an issue
  passage has its issue's name as type, made brat-safe (``[A-Za-z0-9_-]``, as brat's own
  ``normalize_to_storage_form`` does; accents dropped, other characters become ``_``, a
  clash gets ``_2``). The text is the spans' texts joined by one space (brat's rule).
- ``A1<TAB>Stance T1 supports``: a claim's stance.
- ``R1<TAB>Speaker Arg1:T1 Arg2:T2``: a claim attributed through a speaker mention.
- ``#1<TAB>AnnotatorNotes T1<TAB>note``: the coder's note (line breaks become spaces).
- ``#2<TAB>AnnotatorNotes T1<TAB>speaker=Xi Jinping; issues=Taiwan | South China Sea``:
  the codes that have no span, always after the coder's note: a claim's ``speaker=`` and
  ``issues=`` (names joined by `` | ``, sorted; each part only when set), a speaker
  mention's ``speaker=`` and an issue passage's exact ``issue=`` name. A line break, other
  control character, backslash, ``|`` or ``;`` in a name is written ``\\u`` and four hex
  digits (import_brat_ann.escape_name), so the line stays one line and the name comes back.

brat's text field cannot hold a line break, so a fragment whose text contains one is split
into several spans at every line boundary Python's ``str.splitlines`` knows (brat splits a
selection at newlines the same way, and reads ``.ann`` lines with that rule). Spans of one
annotation separated only by line-break characters were therefore one fragment; an importer
merges them back. Where that would not give the fragments back (one that starts or ends at a
line break, or two fragments apart by one), the code note ends with ``fragments=`` and their
exact offsets (``fragments=0 11``). An annotation whose text is nothing but line breaks
cannot be written and is reported as skipped.

In ``visual.conf``, a label shows the real name with its line breaks and other control
characters as spaces (one entry a line); ``annotation.conf`` holds brat-safe types only.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator.core.formats.brat_ann import (
    LINE_BREAK,
    escape_name,
    format_offsets,
    joined_at_line_breaks,
    split_at_line_breaks,
)
from annotator.core.model import Annotation, AnnotationKind, Code, CodeKind, Stance
from annotator.services.interchange.csv_export import (
    Progress,
    article_annotations,
    make_filter,
    selected_articles,
)
from annotator.services.interchange.files import ExportError, atomic_text_file
from annotator.store import Store

__all__ = [
    "LINE_BREAK",
    "BratExport",
    "brat_type",
    "export_brat",
    "issue_types",
    "safe_stem",
    "split_at_line_breaks",
]

CLAIM_TYPE = "Claim"
SPEAKER_TYPE = "Speaker"
SPEAKER_RELATION = "Speaker"
STANCE_ATTRIBUTE = "Stance"
NOTE_TYPE = "AnnotatorNotes"
ISSUES_SEPARATOR = " | "
#: What a label in visual.conf shows as a space: what would end or garble its line.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True, slots=True)
class BratExport:
    directory: Path
    articles: int
    annotations: int
    skipped: tuple[str, ...] = ()  # ids of annotations made only of line breaks


def _ascii(text: str) -> str:
    """Accents dropped ("é" -> "e"); any other non-ASCII character becomes a space."""
    return "".join(
        c if c.isascii() else "" if unicodedata.combining(c) else " "
        for c in unicodedata.normalize("NFKD", text)
    )


def brat_type(name: str) -> str:
    """A brat-safe type name for an issue name ("AI risk" -> "AI_risk", "Café" -> "Cafe")."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", _ascii(name).strip())
    return safe if re.search("[A-Za-z0-9]", safe) else "Issue"


def issue_types(codes: Iterable[Code]) -> dict[str, str]:
    """The brat type of every issue code, by id: unique, and never Claim or Speaker."""
    taken = {CLAIM_TYPE.casefold(), SPEAKER_TYPE.casefold()}
    types = {}
    issues = sorted(
        (c for c in codes if c.kind is CodeKind.ISSUE), key=lambda c: (c.name.casefold(), c.id)
    )
    for code in issues:
        base = candidate = brat_type(code.name)
        number = 1
        while candidate.casefold() in taken:
            number += 1
            candidate = f"{base}_{number}"
        taken.add(candidate.casefold())
        types[code.id] = candidate
    return types


def ann_lines(
    text: str,
    annotations: Sequence[Annotation],
    codes: Mapping[str, Code],
    types: Mapping[str, str],
) -> tuple[list[str], list[str]]:
    """The ``.ann`` lines of one article (all T lines first, so every reference is to a line
    above it) and the ids of annotations that could not be written."""
    tids: dict[str, str] = {}
    cut: dict[str, str] = {}  # fragments= of the annotations whose spans do not tell them
    lines: list[str] = []
    skipped: list[str] = []
    for annotation in annotations:
        spans = [
            span
            for fragment in annotation.fragments
            for span in split_at_line_breaks(text, fragment.start, fragment.end)
        ]
        if not spans:
            skipped.append(annotation.id)
            continue
        tid = tids[annotation.id] = f"T{len(tids) + 1}"
        quoted = " ".join(text[s:e] for s, e in spans)
        lines.append(f"{tid}\t{_type_of(annotation, types)} {format_offsets(spans)}\t{quoted}")
        exact = [(f.start, f.end) for f in annotation.fragments]
        if joined_at_line_breaks(text, spans) != exact:  # an importer could not tell them
            cut[annotation.id] = format_offsets(exact)
    attributes = relations = notes = 0
    for annotation in annotations:
        found = tids.get(annotation.id)
        if found is None:
            continue
        tid = found
        if annotation.stance is not None:
            attributes += 1
            lines.append(f"A{attributes}\t{STANCE_ATTRIBUTE} {tid} {annotation.stance.value}")
        mention = tids.get(annotation.speaker_mention_id or "")
        if annotation.kind is AnnotationKind.CLAIM and mention:
            relations += 1
            lines.append(f"R{relations}\t{SPEAKER_RELATION} Arg1:{tid} Arg2:{mention}")
        fragments = cut.get(annotation.id)
        for note in (one_line(annotation.note), code_note(annotation, codes, fragments)):
            if note.strip():
                notes += 1
                lines.append(f"#{notes}\t{NOTE_TYPE} {tid}\t{note}")
    return lines, skipped


def _type_of(annotation: Annotation, types: Mapping[str, str]) -> str:
    if annotation.kind is AnnotationKind.CLAIM:
        return CLAIM_TYPE
    if annotation.kind is AnnotationKind.SPEAKER:
        return SPEAKER_TYPE
    return types[annotation.code_id or ""]


def one_line(note: str) -> str:
    return LINE_BREAK.sub(" ", note)


def code_note(
    annotation: Annotation, codes: Mapping[str, Code], fragments: str | None = None
) -> str:
    """The codes brat has no span for, e.g. ``speaker=Xi Jinping; issues=Taiwan``, and the
    exact ``fragments`` when the spans do not tell them."""

    def name(code_id: str | None) -> str:
        return escape_name(codes[code_id].name) if code_id is not None and code_id in codes else ""

    parts = []
    if annotation.kind is AnnotationKind.SPEAKER:
        parts.append(f"speaker={name(annotation.code_id)}")
    elif annotation.kind is AnnotationKind.ISSUE:
        parts.append(f"issue={name(annotation.code_id)}")
    else:
        if annotation.speaker_id:
            parts.append(f"speaker={name(annotation.speaker_id)}")
        if annotation.issue_ids:
            issues = sorted(
                (name(i) for i in annotation.issue_ids), key=lambda n: (n.casefold(), n)
            )
            parts.append("issues=" + ISSUES_SEPARATOR.join(issues))
    if fragments:
        parts.append(f"fragments={fragments}")
    return "; ".join(parts)


def annotation_conf(codes: Sequence[Code], types: Mapping[str, str]) -> str:
    """brat's schema: the entity types (issues nested under their parents, as brat's type
    hierarchy allows), the speaker relation, the stance attribute, and overlaps allowed
    (claims, mentions and issue passages overlap all the time)."""
    lines = [
        "# Written by Annotator. Issue types are issue names made brat-safe; each issue",
        "# passage's note gives the exact name.",
        "[entities]",
        CLAIM_TYPE,
        SPEAKER_TYPE,
        *(("\t" * depth) + types[code.id] for code, depth in _issue_tree(codes)),
        "",
        "[relations]",
        f"{SPEAKER_RELATION}\tArg1:{CLAIM_TYPE}, Arg2:{SPEAKER_TYPE}",
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
        "",
        "[events]",
        "",
        "[attributes]",
        f"{STANCE_ATTRIBUTE}\tArg:{CLAIM_TYPE}, Value:{'|'.join(s.value for s in Stance)}",
    ]
    return "\n".join(lines) + "\n"


def visual_conf(codes: Sequence[Code], types: Mapping[str, str]) -> str:
    """Issue passages in their codes' colours, with their real names as labels."""
    shown = {code.id: _CONTROL.sub(" ", code.name) for code in codes}
    labels = [
        f"{types[code.id]} | {shown[code.id]}"
        for code, _ in _issue_tree(codes)
        if "|" not in shown[code.id] and shown[code.id] != types[code.id]
    ]
    drawing = [f"{types[code.id]}\tbgColor:{code.colour}" for code, _ in _issue_tree(codes)]
    lines = [
        "[labels]",
        *labels,
        "",
        "[drawing]",
        "SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken",
        "ARC_DEFAULT\tcolor:black, arrowHead:triangle-5",
        f"{CLAIM_TYPE}\tbgColor:#fdd49e",
        f"{SPEAKER_TYPE}\tbgColor:#c6dbef",
        *drawing,
    ]
    return "\n".join(lines) + "\n"


def _issue_tree(codes: Sequence[Code]) -> list[tuple[Code, int]]:
    """Issues depth-first, each after its parent, siblings by name."""
    issues = [c for c in codes if c.kind is CodeKind.ISSUE]
    ids = {c.id for c in issues}
    children: dict[str | None, list[Code]] = {}
    for code in sorted(issues, key=lambda c: (c.name.casefold(), c.id)):
        parent = code.parent_id if code.parent_id in ids else None
        children.setdefault(parent, []).append(code)
    ordered: list[tuple[Code, int]] = []
    seen: set[str] = set()

    def walk(parent: str | None, depth: int) -> None:
        for code in children.get(parent, []):
            if code.id not in seen:  # a loop is refused by the codebook; stay safe anyway
                seen.add(code.id)
                ordered.append((code, depth))
                walk(code.id, depth + 1)

    walk(None, 0)
    return ordered


def safe_stem(title: str, article_id: str, taken: set[str]) -> str:
    """A file name stem from the title, safe on every system (ASCII letters, digits and
    ``_``, at most 60 characters) and unique through a short id suffix; ``taken`` holds the
    stems used so far, casefolded, since macOS and Windows ignore case in file names."""
    base = re.sub(r"[^A-Za-z0-9]+", "_", _ascii(title)).strip("_")[:60].rstrip("_") or "article"
    compact = re.sub(r"[^A-Za-z0-9]", "", article_id) or "0"
    candidates = [f"{base}-{compact[:n]}" for n in (8, 12, len(compact))]
    candidates += [f"{base}-{compact}-{n}" for n in range(2, len(taken) + 3)]
    stem = next(c for c in candidates if c.casefold() not in taken)
    taken.add(stem.casefold())
    return stem


def export_brat(
    store: Store,
    directory: Path,
    *,
    sources: Iterable[str] = (),
    annotators: Iterable[str] = (),
    kinds: Iterable[AnnotationKind | str] = (),
    on_progress: Progress | None = None,
) -> BratExport:
    """Write the filtered articles and annotations into ``directory`` (created if missing;
    files of the same name are replaced, each one atomically). Articles without annotations
    are written too, so their text can be annotated further in brat."""
    directory = Path(directory)
    chosen = make_filter(store, sources=sources, annotators=annotators, kinds=kinds)
    if directory.exists() and not directory.is_dir():
        raise ExportError(f"{directory} is a file; give a folder for the brat export.")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"Cannot create {directory}: {exc.strerror or exc}.") from exc
    codes = store.codes.all()
    by_id = {code.id: code for code in codes}
    types = issue_types(codes)
    _write(directory / "annotation.conf", annotation_conf(codes, types))
    _write(directory / "visual.conf", visual_conf(codes, types))
    articles = selected_articles(store, chosen)
    taken: set[str] = set()
    written = 0
    skipped: list[str] = []
    if on_progress:
        on_progress(0, len(articles))
    for done, summary in enumerate(articles, start=1):
        article = store.articles.get(summary.id)
        annotations = article_annotations(store, article.id, chosen)
        lines, missed = ann_lines(article.text, annotations, by_id, types)
        stem = safe_stem(article.title, article.id, taken)
        _write(directory / f"{stem}.txt", article.text)
        _write(directory / f"{stem}.ann", "".join(line + "\n" for line in lines))
        written += len(annotations) - len(missed)
        skipped.extend(missed)
        if on_progress:
            on_progress(done, len(articles))
    return BratExport(directory, len(articles), written, tuple(skipped))


def _write(path: Path, content: str) -> None:
    with atomic_text_file(path, newline="") as handle:  # "": LF stays LF on Windows too
        handle.write(content)
