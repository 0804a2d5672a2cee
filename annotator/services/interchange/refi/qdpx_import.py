"""Importing a REFI-QDA project (``.qdpx``, or a codebook ``.qdc``): text sources become
articles, codes become codes, codings become annotations, users become coders.

All or nothing per file: the package is read and every selection checked against its text
first (``qdpx_package``), then everything is written in one transaction, so a refusal leaves
the project as it was. A file Annotator wrote (recognised by its code groups' GUIDs, see
``qdpx_codes``) comes back as it was: claims with speaker, issues, stance and note, speaker
mentions, issue passages, fragments and mention links. Any other file's codes become issues
(hierarchy kept) and its codings issue passages, unless ``mapping`` names a code's kind
(``--map "Politician=speaker"``). PDF, picture, audio and video sources are listed as skipped.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.formats.qde_read import QdaCode, QdaProject, QdaSelection, canonical_positions
from annotator.core.model import AnnotationKind, CodeKind
from annotator.core.palette import is_colour
from annotator.core.text import canonicalize_text
from annotator.services.interchange.codebook_files import CodebookEntry, merge_codebook_entries
from annotator.services.interchange.refi.qdpx_codes import (
    GROUP_ISSUES,
    GROUP_KINDS,
    GROUP_SPEAKERS,
    GROUP_STANCES,
    CodeRole,
    split_organisation,
)
from annotator.services.interchange.refi.qdpx_package import QdpxError, read_package
from annotator.services.interchange.refi.qdpx_store import SourcePlan, store_sources
from annotator.services.project import Project

__all__ = ["QdpxError", "QdpxImport", "import_qdpx"]


def codebook_entries(path: Path) -> list[CodebookEntry]:
    """The codes of a REFI-QDA codebook (or project) file, for ``annotator codebook import``."""
    qda = read_package(Path(path)).project
    return _entries(qda, code_kinds(qda, {}, Path(path).name), Path(path).name)


@dataclass(frozen=True, slots=True)
class QdpxImport:
    articles: int = 0
    duplicates: int = 0  # sources whose text the project already had
    codes: int = 0  # codes added
    annotations: int = 0
    skipped: tuple[str, ...] = ()  # non-text sources, e.g. "PDF 'Interview 3'"
    notes: tuple[str, ...] = field(default=())  # what was left out, one line each

    def summary_lines(self, where: str) -> list[str]:
        lines = [
            f"{where}: {self.articles} articles ({self.duplicates} already in the project), "
            f"{self.codes} new codes, {self.annotations} annotations imported"
        ]
        lines += [
            f"{where}: skipped {item}: only text sources are imported" for item in self.skipped
        ]
        return lines + [f"{where}: {note}" for note in self.notes]


def import_qdpx(
    project: Project,
    path: Path,
    *,
    source: str | None = None,
    mapping: Mapping[str, AnnotationKind] | None = None,
) -> QdpxImport:
    """Import one REFI-QDA file, all or nothing; QdpxError (one line) when refused."""
    path = Path(path)
    package = read_package(path)
    qda = package.project
    kinds = code_kinds(qda, mapping or {}, path.name)
    plans = [
        _plan_source(s.guid, s.name, package.texts[s.guid], s.selections, path.name)
        for s in qda.sources
    ]
    entries = _entries(qda, kinds, path.name)
    try:
        with project.store.atomic():
            codes = merge_codebook_entries(project.store, entries)
            stored = store_sources(
                project, qda, plans, kinds, source=source or path.stem, path=path
            )
    except QdpxError:
        raise
    except AnnotatorError as exc:
        raise QdpxError(f"{path.name}: {exc}; nothing was imported") from exc
    return QdpxImport(
        articles=stored.articles,
        duplicates=stored.duplicates,
        codes=len(codes.added),
        annotations=stored.annotations,
        skipped=tuple(qda.skipped),
        notes=tuple(codes.conflicts) + tuple(stored.notes),
    )


def code_kinds(
    qda: QdaProject, mapping: Mapping[str, AnnotationKind], where: str
) -> dict[str, CodeRole]:
    """Each code's role, by GUID: by its group in a file of ours, else by ``mapping``."""
    by_guid = {code.guid: code for code in qda.codes}
    ours = GROUP_ISSUES in by_guid and GROUP_SPEAKERS in by_guid
    roles: dict[str, CodeRole] = {}
    for code in qda.codes:
        if not code.name.strip():
            raise QdpxError(f"{where}: code {code.guid or '(no guid)'} has no name")
        roles[code.guid] = _ours(code, by_guid) if ours else _theirs(code, mapping)
    return roles


def _group(code: QdaCode, by_guid: dict[str, QdaCode]) -> str:
    seen = set()
    while code.parent is not None and code.parent in by_guid and code.guid not in seen:
        seen.add(code.guid)
        code = by_guid[code.parent]
    return code.guid


def _ours(code: QdaCode, by_guid: dict[str, QdaCode]) -> CodeRole:
    group = _group(code, by_guid)
    if code.guid == group:
        return CodeRole()
    parent = code.parent if code.parent != group else None
    if group == GROUP_ISSUES:
        return CodeRole(CodeKind.ISSUE, name=code.name, parent=parent)
    if group == GROUP_SPEAKERS:
        return CodeRole(CodeKind.SPEAKER, name=code.name)
    if group == GROUP_KINDS and code.name == "claim":
        return CodeRole(claim=True)
    if group == GROUP_STANCES:
        return CodeRole(stance=code.name)
    return CodeRole()


def _theirs(code: QdaCode, mapping: Mapping[str, AnnotationKind]) -> CodeRole:
    kind = mapping.get(code.name)
    if kind is AnnotationKind.CLAIM:
        return CodeRole(claim=True, name=code.name)
    if kind is AnnotationKind.SPEAKER:
        return CodeRole(CodeKind.SPEAKER, name=code.name)
    return CodeRole(CodeKind.ISSUE, name=code.name, parent=code.parent)


def _entries(qda: QdaProject, roles: dict[str, CodeRole], where: str) -> list[CodebookEntry]:
    """The codes to add (existing names are kept as they are), parents by name."""
    entries = []
    for code in qda.codes:
        role = roles[code.guid]
        if role.kind is None:
            continue
        parent = roles.get(role.parent or "")
        description, organisation = split_organisation(code.description.strip())
        colour = code.colour if code.colour and is_colour(code.colour) else None
        entries.append(
            CodebookEntry(
                where=f"{where} code {code.name!r}",
                kind=role.kind,
                name=code.name.strip(),
                colour=colour,
                description=description,
                parent=parent.name.strip() if parent and parent.kind is CodeKind.ISSUE else None,
                organisation=organisation if role.kind is CodeKind.SPEAKER else None,
            )
        )
    return entries


def _plan_source(
    guid: str, name: str, raw: str, selections: tuple[QdaSelection, ...], where: str
) -> SourcePlan:
    """The canonical text and each selection's span in it, every position checked."""
    text = canonicalize_text(raw)
    if not text.strip():
        raise QdpxError(f"{where}: source {name!r} has no text")
    positions = canonical_positions(raw)
    spans = {}
    for selection in selections:
        start, end = selection.start, selection.end
        if not 0 <= start < end <= len(raw):
            raise QdpxError(
                f"{where}: source {name!r}: selection {selection.guid or '(no guid)'} at "
                f"{start}–{end} is outside its text ({len(raw):,} characters); "
                "nothing was imported"
            )
        spans[selection.guid] = (positions[start], positions[end])
    return SourcePlan(guid, name, text, selections, spans)
