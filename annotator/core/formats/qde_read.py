"""Reading a parsed QDA-XML project or codebook into plain values (no project, no files).

What another tool put there is data: names and texts are kept as given, positions are
checked by the importer against the text they index, and nothing here follows a path.
"""

from dataclasses import dataclass, field

from annotator.core.formats.qde import (
    Element,
    QdaFormatError,
    child,
    child_text,
    children,
    local,
)

#: Non-text sources, listed as skipped by an import.
MEDIA_SOURCES = {
    "PDFSource": "PDF",
    "PictureSource": "picture",
    "AudioSource": "audio",
    "VideoSource": "video",
}


@dataclass(frozen=True, slots=True)
class QdaCode:
    guid: str
    name: str
    codable: bool
    parent: str | None  # the parent code's GUID
    description: str = ""
    colour: str | None = None


@dataclass(frozen=True, slots=True)
class QdaSelection:
    guid: str
    start: int
    end: int
    codes: tuple[str, ...]  # GUIDs of the codes of its Codings
    user: str | None  # creatingUser's GUID
    created: str | None
    modified: str | None
    notes: tuple[str, ...]  # GUIDs of its NoteRefs


@dataclass(frozen=True, slots=True)
class QdaTextSource:
    guid: str
    name: str
    inline: str | None  # PlainTextContent
    path: str | None  # plainTextPath
    selections: tuple[QdaSelection, ...]
    variables: tuple[tuple[str, str], ...]  # (variable GUID, value)


@dataclass
class QdaProject:
    name: str = ""
    origin: str = ""
    users: dict[str, str] = field(default_factory=dict)  # GUID -> name
    codes: list[QdaCode] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)  # GUID -> name
    sources: list[QdaTextSource] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "PDF 'Interview 3'"
    notes: dict[str, str] = field(default_factory=dict)  # GUID -> text
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (name, origin, target)


def read_qda(root: Element, where: str) -> QdaProject:
    """A Project or CodeBook document element as values; QdaFormatError for a structure
    this reader cannot take (a selection without positions, a position that is no number)."""
    found = QdaProject(name=root.get("name") or "", origin=root.get("origin") or "")
    if local(root) == "CodeBook":
        found.codes = _codes(child(root, "Codes"))
        return found
    if local(root) != "Project":
        raise QdaFormatError(f"{where}: the root element is {local(root)!r}, not a QDA-XML Project")
    for user in children(_inside(root, "Users"), "User"):
        found.users[user.get("guid") or ""] = user.get("name") or user.get("id") or ""
    book = child(root, "CodeBook")
    found.codes = _codes(child(book, "Codes") if book is not None else None)
    for variable in children(_inside(root, "Variables"), "Variable"):
        found.variables[variable.get("guid") or ""] = variable.get("name") or ""
    for source in _inside(root, "Sources"):
        kind = local(source)
        if kind == "TextSource":
            found.sources.append(_text_source(source, where))
        elif kind in MEDIA_SOURCES:
            found.skipped.append(f"{MEDIA_SOURCES[kind]} {source.get('name') or '(unnamed)'!r}")
    for note in children(_inside(root, "Notes"), "Note"):
        found.notes[note.get("guid") or ""] = child_text(note, "PlainTextContent")
    for link in children(_inside(root, "Links"), "Link"):
        origin, target = link.get("originGUID"), link.get("targetGUID")
        if origin and target:
            found.links.append((link.get("name") or "", origin, target))
    return found


def _inside(root: Element, name: str) -> list[Element]:
    """The children of the root's child ``name`` (none when it is missing)."""
    found = child(root, name)
    return list(found) if found is not None else []


def _codes(parent: Element | None, parent_guid: str | None = None) -> list[QdaCode]:
    """Every code under ``parent``, parents before their children."""
    found: list[QdaCode] = []
    for code in children(parent if parent is not None else [], "Code"):
        guid = code.get("guid") or ""
        found.append(
            QdaCode(
                guid=guid,
                name=code.get("name") or "",
                codable=(code.get("isCodable") or "true").strip().lower() not in ("false", "0"),
                parent=parent_guid,
                description=child_text(code, "Description"),
                colour=code.get("color"),
            )
        )
        found.extend(_codes(code, guid))
    return found


def _text_source(source: Element, where: str) -> QdaTextSource:
    name = source.get("name") or "(unnamed)"
    inline = child(source, "PlainTextContent")
    selections = tuple(
        _selection(s, f"{where}: source {name!r}") for s in children(source, "PlainTextSelection")
    )
    variables = []
    for value in children(source, "VariableValue"):
        ref = child(value, "VariableRef")
        texts = [str(v.text or "").strip() for v in value if local(v).endswith("Value")]
        if ref is not None and texts:
            variables.append((ref.get("targetGUID") or "", texts[0]))
    return QdaTextSource(
        guid=source.get("guid") or "",
        name=name,
        inline=str(inline.text or "") if inline is not None else None,
        path=source.get("plainTextPath"),
        selections=selections,
        variables=tuple(variables),
    )


def _selection(selection: Element, where: str) -> QdaSelection:
    guid = selection.get("guid") or ""
    try:
        start = int(selection.get("startPosition") or "")
        end = int(selection.get("endPosition") or "")
    except ValueError as exc:
        raise QdaFormatError(
            f"{where}: selection {guid or '(no guid)'} has no whole-number positions"
        ) from exc
    codes = []
    for coding in children(selection, "Coding"):
        ref = child(coding, "CodeRef")
        if ref is not None and ref.get("targetGUID"):
            codes.append(ref.get("targetGUID"))
    return QdaSelection(
        guid=guid,
        start=start,
        end=end,
        codes=tuple(codes),
        user=selection.get("creatingUser") or selection.get("modifyingUser"),
        created=selection.get("creationDateTime"),
        modified=selection.get("modifiedDateTime"),
        notes=tuple(n.get("targetGUID") or "" for n in children(selection, "NoteRef")),
    )


def canonical_positions(raw: str) -> list[int]:
    """For each position 0..len(raw) in a source text as the file holds it, the position in
    its canonical form (``core.text.canonicalize_text``), which drops a leading BOM, the CR
    of each CRLF and NULs and changes nothing else's length."""
    mapping = [0] * (len(raw) + 1)
    dropped = 0
    for index, ch in enumerate(raw):
        mapping[index] = index - dropped
        if (
            (index == 0 and ch == "\ufeff")
            or ch == "\x00"
            or (ch == "\r" and raw[index + 1 : index + 2] == "\n")
        ):
            dropped += 1
    mapping[len(raw)] = len(raw) - dropped
    return mapping
