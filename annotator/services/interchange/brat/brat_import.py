"""Importing brat standoff annotations: each .txt with the .ann beside it becomes an article
(title: its first non-empty line, unless the manifest gives one) with its annotations,
recorded under the project's annotator.

A mapping names what each brat entity type becomes (``--map Source=speaker``):

- *speaker*: a speaker mention whose speaker code is the mention's text, matched ignoring case
  to an existing speaker, else created;
- *issue*: an issue passage whose issue code is the type's name (underscores read as spaces,
  since brat type names cannot hold spaces, unless an issue is named with the underscores),
  matched or created the same way;
- *claim*: a claim. A relation or event that joins it to a speaker mention makes that mention
  the claim's speaker; one that joins it to an issue passage adds that issue to the claim. An
  ``AnnotatorNotes`` note on a claim becomes its note, a ``Stance`` attribute (supports,
  opposes, neutral) its stance.

A code note (``speaker=NAME; issues=A | B``, as annotator's brat export writes) names the codes
exactly: a mention's speaker, a passage's issue, a claim's speaker and issues (with characters
a note cannot hold escaped, see import_brat_ann).

Discontinuous spans become fragments; pieces separated only by line breaks are joined into one
fragment again, since brat splits every selection at line ends. A code note's ``fragments=``
(written where that guess would be wrong) gives them exactly instead, when brat's cut of them
is the T line's spans; otherwise it is reported and the guess stands.

Types without a mapping, relations and events that join no imported claim to a speaker or
issue, other attributes, normalisations and equivalences are counted and reported, never
dropped silently. Each annotation is checked against the text at its offsets; one that does
not match is reported on its own line and left out, and the rest of the file imports. Should
the project still refuse one when it is stored (a constraint nothing here checks for), the
whole file is refused and undone: its article, the codes it created and its annotations.

Offsets refer to the .txt as brat read it: CR characters and a UTF-8 byte-order mark count.
They are mapped onto the canonical text, so files with CRLF line ends import correctly. The
.txt is taken whole (no front matter: the offsets count every character of it).

A .txt whose text is already in the project (same SHA-256) gets its annotations attached to
that article instead of being refused; annotations it already has (same kind, spans and code)
are not added twice, so importing the same folder again adds nothing. An annotation is the
same as one of the importing coder's when kind, fragments and codes (a claim's speaker, issues
and stance) are; each one there matches one line of the file, so two claims of the same span
stay two claims.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from annotator.core.errors import ConflictError, ValidationError
from annotator.core.formats.brat_ann import (
    BratDocument,
    canonical_offsets,
    joined_at_line_breaks,
    parse_ann,
    parse_offsets,
    split_at_line_breaks,
)
from annotator.core.model import AnnotationKind, Article
from annotator.core.spans.fragments import make_fragments
from annotator.core.text import canonicalize_text, text_sha256
from annotator.services.interchange.article_files import add_article, decode_file
from annotator.services.interchange.brat.brat_import_store import (
    BratTally,
    CheckedSpan,
    Notes,
    Spans,
    read_notes,
    store_annotations,
)
from annotator.services.interchange.import_types import (
    ArticleMetadata,
    ImportItem,
    ImportOutcome,
    ImportStatus,
)
from annotator.services.interchange.import_variables import (
    Spellings,
    checked_variables,
    keep_variables,
)
from annotator.services.project import Project


def parse_brat_map(specs: Iterable[str]) -> dict[str, AnnotationKind]:
    """``TYPE=KIND`` pairs (KIND claim, speaker or issue) as a mapping of brat types."""
    mapping: dict[str, AnnotationKind] = {}
    kinds = ", ".join(k.value for k in AnnotationKind)
    for spec in specs:
        brat_type, equals, kind = (part.strip() for part in spec.partition("="))
        if not equals or not brat_type or kind.lower() not in set(AnnotationKind):
            raise ValidationError(f"--map expects TYPE=KIND with KIND one of {kinds}, not {spec!r}")
        chosen = AnnotationKind(kind.lower())
        if mapping.get(brat_type, chosen) is not chosen:
            raise ValidationError(f"brat type {brat_type!r} is mapped to two kinds")
        mapping[brat_type] = chosen
    return mapping


def import_brat_item(
    project: Project,
    item: ImportItem,
    *,
    source: str | None,
    mapping: Mapping[str, AnnotationKind],
    names: Spellings | None = None,
) -> ImportOutcome:
    """Import one .txt/.ann pair in one transaction (a savepoint inside import_items'
    batch): all of what the outcome reports, or, if it is rejected, nothing. The manifest's
    variables are kept on its article (``names``: the import's variable spellings)."""
    ann_path = item.path.with_suffix(".ann")
    if not ann_path.is_file():
        return _rejected(item, "no brat .ann file beside it")
    try:
        decoded = decode_file(item.path)
    except ValidationError as exc:
        return _rejected(item, str(exc))
    except OSError as exc:
        return _rejected(item, f"cannot read the file ({exc.strerror or exc})")
    try:
        ann = parse_ann(decode_file(ann_path, allow_empty=True).text)
    except ValidationError as exc:
        return _rejected(item, f"{ann_path.name}: {exc}")
    except OSError as exc:
        return _rejected(item, f"cannot read {ann_path.name} ({exc.strerror or exc})")
    # brat reads UTF-8 without dropping the mark, so its offsets count it.
    original = ("\ufeff" if decoded.had_bom and decoded.encoding == "utf-8" else "") + decoded.text
    text = canonicalize_text(original)
    if not text.strip():
        return _rejected(item, "no article text")
    meta = item.metadata.over(ArticleMetadata(source=source))
    if not meta.source:
        return _rejected(item, "no source: give --source or a source column in the manifest")
    tally = BratTally(problems=list(ann.problems))
    notes = read_notes(ann)
    try:
        spans = _checked_spans(ann, notes, original, text, mapping, tally)
        variables = checked_variables([(item.variables, "in the manifest")])
    except ValidationError as exc:
        return _rejected(item, str(exc))
    try:
        with project.store.atomic():  # the file's savepoint when a batch is open
            existing = project.store.articles.by_sha256(text_sha256(text))
            if existing is None:
                article = add_article(project, text, meta, item.path).article
            else:
                article = existing
            store_annotations(project, article, ann, notes, spans, tally)
            names = names or Spellings(project.store)
            tally.problems.extend(keep_variables(project.store, names, article.id, variables)[1])
    except (ValidationError, ConflictError) as exc:
        return _rejected(item, str(exc))  # the article, codes and annotations are undone
    return _outcome(item, article, attached=existing is not None, tally=tally, ann=ann)


def _checked_spans(
    ann: BratDocument,
    notes: Notes,
    original: str,
    text: str,
    mapping: Mapping[str, AnnotationKind],
    tally: BratTally,
) -> dict[str, CheckedSpan]:
    """The mapped T lines whose quote matches the text, by id; the others are tallied."""
    to_canonical = canonical_offsets(original, text)
    unchanged = original == text
    exact = {
        note.target: codes["fragments"]
        for note, codes in notes
        if codes is not None and "fragments" in codes
    }
    checked: dict[str, CheckedSpan] = {}
    for entity in ann.entities:
        kind = mapping.get(entity.type)
        if kind is None:
            tally.unmapped[entity.type] += 1
            continue
        where = f"{entity.id} (line {entity.line})"
        if any(start >= end for start, end in entity.spans):
            tally.problems.append(f"{where}: empty or reversed offsets {_offsets(entity.spans)}")
            continue
        if max(end for _, end in entity.spans) > len(original):
            tally.problems.append(
                f"{where}: offsets {_offsets(entity.spans)} lie outside the text "
                f"(0..{len(original)})"
            )
            continue
        found = " ".join(original[start:end] for start, end in entity.spans)
        if entity.text is not None and found != entity.text:
            tally.problems.append(
                f"{where}: the .ann quotes {entity.text!r} but the text at "
                f"{_offsets(entity.spans)} reads {found!r}"
            )
            continue
        if unchanged:  # nothing was canonicalised: the offsets stand as they are
            mapped = list(entity.spans)
        else:
            mapped = [(to_canonical(start), to_canonical(end)) for start, end in entity.spans]
        spans = joined_at_line_breaks(text, mapped)
        if entity.id in exact:
            told = _told_fragments(exact[entity.id], text, mapped, to_canonical)
            if told is None:
                tally.problems.append(
                    f"{where}: its note's fragments={exact[entity.id]} do not fit its offsets; "
                    "its fragments are read from the offsets"
                )
            else:
                spans = told
        try:
            fragments = make_fragments(text, spans)
        except ValidationError as exc:
            tally.problems.append(f"{where}: {exc}")
            continue
        checked[entity.id] = CheckedSpan(entity, kind, fragments)
    return checked


def _told_fragments(
    written: str, text: str, mapped: list[tuple[int, int]], to_canonical: Callable[[int], int]
) -> list[tuple[int, int]] | None:
    """The fragments a ``fragments=`` note gives, in the canonical text, if cutting them at
    line breaks (as brat and the export do) gives exactly the T line's spans; else None."""
    try:
        told = [(to_canonical(start), to_canonical(end)) for start, end in parse_offsets(written)]
    except ValueError:
        return None
    if any(not 0 <= start < end <= len(text) for start, end in told):
        return None
    pieces = sorted(piece for s, e in told for piece in split_at_line_breaks(text, s, e))
    return told if pieces == sorted(s for s in mapped if s[0] < s[1]) else None


def _offsets(spans: Spans) -> str:
    return ";".join(f"{start}..{end}" for start, end in spans)


def _rejected(item: ImportItem, reason: str) -> ImportOutcome:
    return ImportOutcome(ImportStatus.REJECTED, item.path, reason)


def _outcome(
    item: ImportItem, article: Article, *, attached: bool, tally: BratTally, ann: BratDocument
) -> ImportOutcome:
    created = sum(tally.created.values())
    counts = (
        ", ".join(
            f"{tally.created[kind]} {_LABELS[kind]}" for kind in _LABELS if tally.created[kind]
        )
        or "none"
    )
    details = list(tally.problems)
    if tally.unmapped:
        details.append(f"types without --map, not imported: {_counted(tally.unmapped)}")
    if tally.unlinked:
        details.append(
            "relations/events joining no imported claim to a speaker or issue, not imported: "
            + _counted(tally.unlinked)
        )
    if tally.unused_attributes:
        details.append(f"attributes not imported: {_counted(tally.unused_attributes)}")
    if ann.ignored:
        details.append(f"not imported (no place in this model): {_counted(ann.ignored)}")
    if tally.present:
        details.append(f"{tally.present} annotation(s) already in the project, not added again")
    if attached:
        status = ImportStatus.IMPORTED if created else ImportStatus.DUPLICATE
        reason = f"text already in the project as {article.title!r}; annotations added: {counts}"
    else:
        status = ImportStatus.IMPORTED
        reason = f"as {article.title!r}; annotations: {counts}"
    return ImportOutcome(status, item.path, reason, article.id, tuple(details))


_LABELS = {
    AnnotationKind.CLAIM: "claim(s)",
    AnnotationKind.SPEAKER: "speaker mention(s)",
    AnnotationKind.ISSUE: "issue passage(s)",
}


def _counted(counter: Counter[str]) -> str:
    return ", ".join(f"{name} ({n})" for name, n in sorted(counter.items()))
