"""Annotator's codebook as REFI-QDA codes, shared by the project export and the codebook
file (``.qdc``).

Four groups, each a code that cannot be coded (``isCodable="false"``), so another tool
shows them as folders: the issues (with their hierarchy), the speakers, the annotation kinds
(one code, "claim", that every claim's selections carry) and the stances (supports, opposes,
neutral, carried by a claim that has one). A claim is thus filed under its speaker's, its
issues' and its stance's codes in any tool. The groups' GUIDs are fixed, which is how our
importer knows a file came from Annotator.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from annotator.core.formats.qde import CODEBOOK_NS, Element, guid, new_root, sub, to_bytes
from annotator.core.model import Code, CodeKind, Stance
from annotator.services.interchange.files import atomic_text_file
from annotator.store import Store

GROUP_ISSUES = guid("group", "issues")
GROUP_SPEAKERS = guid("group", "speakers")
GROUP_KINDS = guid("group", "kinds")
GROUP_STANCES = guid("group", "stances")
CLAIM_CODE = guid("kind", "claim")
STANCE_CODES = {stance: guid("stance", stance.value) for stance in Stance}

GROUP_NAMES = {
    GROUP_ISSUES: "Annotator: issues",
    GROUP_SPEAKERS: "Annotator: speakers",
    GROUP_KINDS: "Annotator: annotation kinds",
    GROUP_STANCES: "Annotator: stances",
}
#: The line a speaker's description ends with when the speaker has an organisation.
ORGANISATION_PREFIX = "Organisation: "

_RGB = re.compile(r"#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")


@dataclass(frozen=True, slots=True)
class CodeRole:
    """What one QDA code means here: a code of ours (``kind``), or a marker of ours (the
    claim code, a stance), or a group folder (nothing)."""

    kind: CodeKind | None = None
    claim: bool = False
    stance: str | None = None
    name: str = ""
    parent: str | None = None  # the parent code's GUID, when that is a code of ours


def code_guid(code: Code) -> str:
    return guid("code", code.id)


def add_codes(parent: Element, codes: list[Code]) -> None:
    """Append the four groups with ``codes`` inside to ``parent`` (a ``Codes`` element)."""
    issues = sub(
        parent, "Code", guid=GROUP_ISSUES, name=GROUP_NAMES[GROUP_ISSUES], isCodable="false"
    )
    _add_tree(issues, [c for c in codes if c.kind is CodeKind.ISSUE])
    speakers = sub(
        parent, "Code", guid=GROUP_SPEAKERS, name=GROUP_NAMES[GROUP_SPEAKERS], isCodable="false"
    )
    _add_tree(speakers, [c for c in codes if c.kind is CodeKind.SPEAKER])
    kinds = sub(parent, "Code", guid=GROUP_KINDS, name=GROUP_NAMES[GROUP_KINDS], isCodable="false")
    claim = sub(kinds, "Code", guid=CLAIM_CODE, name="claim", isCodable="true")
    sub(claim, "Description", "Every selection of an Annotator claim carries this code.")
    stances = sub(
        parent, "Code", guid=GROUP_STANCES, name=GROUP_NAMES[GROUP_STANCES], isCodable="false"
    )
    for stance, stance_guid in STANCE_CODES.items():
        sub(stances, "Code", guid=stance_guid, name=stance.value, isCodable="true")


def _add_tree(parent: Element, codes: list[Code]) -> None:
    ids = {code.id for code in codes}
    by_parent: dict[str | None, list[Code]] = {}
    for code in codes:
        key = code.parent_id if code.parent_id in ids else None
        by_parent.setdefault(key, []).append(code)
    for level in by_parent.values():
        level.sort(key=lambda c: (c.name.casefold(), c.name))
    for code, element in _walk(parent, by_parent, None):
        description = code.description
        if code.organisation:
            description = "\n".join(
                filter(None, [description, ORGANISATION_PREFIX + code.organisation])
            )
        if description:
            sub(element, "Description", description)


def _walk(
    parent: Element, by_parent: dict[str | None, list[Code]], key: str | None
) -> Iterator[tuple[Code, Element]]:
    """Each code with its element, parents before children (a loop in the data cannot recur:
    a code is only reached through its one parent)."""
    for code in by_parent.get(key, []):
        colour = code.colour if _RGB.fullmatch(code.colour or "") else None
        element = sub(
            parent, "Code", guid=code_guid(code), name=code.name, isCodable="true", color=colour
        )
        yield code, element
        yield from _walk(element, by_parent, code.id)


def split_organisation(description: str) -> tuple[str, str | None]:
    """A description written by ``add_codes`` back into (description, organisation)."""
    head, _, last = description.rpartition("\n")
    if last.startswith(ORGANISATION_PREFIX):
        return head, last.removeprefix(ORGANISATION_PREFIX).strip() or None
    return description, None


def export_qdc(store: Store, path: Path) -> int:
    """The codebook as a REFI-QDA codebook file (``.qdc``); returns the number of codes."""
    codes = store.codes.all()
    root = new_root("CodeBook", CODEBOOK_NS, origin="Annotator")
    add_codes(sub(root, "Codes"), codes)
    with atomic_text_file(path, newline="\n") as handle:
        handle.write(to_bytes(root).decode("utf-8"))
    return len(codes)
