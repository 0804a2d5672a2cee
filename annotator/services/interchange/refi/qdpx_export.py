"""Exporting a project as REFI-QDA (``.qdpx``): a zip of ``project.qde`` (QDA-XML 1.0) and
each article's canonical text as ``sources/<GUID>.txt``, for MAXQDA, ATLAS.ti, NVivo,
QualCoder and the like.

Coders are Users; the codebook is the codes of ``qdpx_codes``; each annotation is one
``PlainTextSelection`` per fragment on its article, in code points of the canonical text with
the end exclusive, carrying a ``Coding`` per code it has (a claim: "claim", its speaker, its
issues, its stance). Two ``Link`` kinds keep what codings cannot: the later fragments of one
annotation ("Annotator: same annotation") and a claim's speaker mention ("Annotator: speaker
mention"). A claim's note is a ``Note``; article metadata and variables are ``Variable``s.
"""

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from annotator import __version__
from annotator.core.clock import now_iso
from annotator.core.formats.qde import Element, guid, new_root, sub, to_bytes, xml_datetime
from annotator.core.model import Annotation, AnnotationKind, Article, Code
from annotator.services.interchange.csv_export import (
    ExportFilter,
    article_annotations,
    make_filter,
    selected_articles,
)
from annotator.services.interchange.files import atomic_path, refuse_project_file
from annotator.services.interchange.refi.qdpx_codes import (
    CLAIM_CODE,
    STANCE_CODES,
    add_codes,
    code_guid,
)
from annotator.store import Store

__all__ = ["LINK_MENTION", "LINK_SAME", "METADATA_VARIABLES", "QdpxExport", "export_qdpx"]

LINK_SAME = "Annotator: same annotation"
LINK_MENTION = "Annotator: speaker mention"
#: Article metadata exported as variables beside the article variables (no variable may
#: take these names: they are fixed columns of the articles export).
METADATA_VARIABLES = ("source", "published", "author", "url")


@dataclass(frozen=True, slots=True)
class QdpxExport:
    articles: int
    annotations: int


def selection_guid(annotation_id: str, index: int) -> str:
    return guid("selection", f"{annotation_id}:{index}")


def export_qdpx(
    store: Store,
    path: Path,
    *,
    sources: Iterable[str] = (),
    annotators: Iterable[str] = (),
    kinds: Iterable[AnnotationKind | str] = (),
) -> QdpxExport:
    """Write the project (as filtered) to ``path``, which appears only once complete."""
    path = Path(path)
    refuse_project_file(store, path)
    chosen = make_filter(store, sources=sources, annotators=annotators, kinds=kinds)
    builder = _Builder(store, chosen, path.stem)
    with (
        atomic_path(path) as temporary,
        zipfile.ZipFile(temporary, "x", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        root, texts = builder.build()
        archive.writestr("project.qde", to_bytes(root))
        for name, text in texts:
            archive.writestr(f"sources/{name}", text.encode("utf-8"))
    return QdpxExport(builder.article_count, builder.annotation_count)


class _Builder:
    def __init__(self, store: Store, chosen: ExportFilter, name: str) -> None:
        self._store = store
        self._chosen = chosen
        self._name = name or "Annotator project"
        self._codes = {code.id: code for code in store.codes.all()}
        self._variables = store.variables.by_article()
        self._users: dict[str, str] = {}  # name -> GUID
        self.article_count = 0
        self.annotation_count = 0

    def user(self, name: str) -> str:
        return self._users.setdefault(name, guid("user", name))

    def build(self) -> tuple[Element, list[tuple[str, str]]]:
        root = new_root(
            "Project", name=self._name, origin=f"Annotator {__version__}",
            creationDateTime=xml_datetime(now_iso()) or "",
        )  # fmt: skip
        users = sub(root, "Users")
        codes = sub(sub(root, "CodeBook"), "Codes")
        add_codes(codes, list(self._codes.values()))
        names = sorted({n for found in self._variables.values() for n in found}, key=str.casefold)
        variables = [*METADATA_VARIABLES, *names]
        declared = sub(root, "Variables")
        for name in variables:
            sub(declared, "Variable", guid=guid("variable", name), name=name, typeOfVariable="Text")
        sources = sub(root, "Sources")
        notes: list[tuple[str, Annotation]] = []
        links: list[tuple[str, str, str]] = []  # (name, origin, target)
        texts = []
        for summary in selected_articles(self._store, self._chosen):
            article = self._store.articles.get(summary.id)
            annotations = article_annotations(self._store, article.id, self._chosen)
            source = self._source(sources, article, summary.source_name, annotations)
            texts.append((f"{source}.txt", article.text))
            for annotation in annotations:
                if annotation.note:
                    notes.append((guid("note", annotation.id), annotation))
                links.extend(_links(annotation))
        for name, user_guid in sorted(self._users.items()):
            sub(users, "User", guid=user_guid, name=name)
        if not self._users:
            root.remove(users)
        if notes:
            self._notes(sub(root, "Notes"), notes)
        if links:
            linked = sub(root, "Links")
            for name, origin, target in links:
                sub(linked, "Link", guid=guid("link", f"{name}:{origin}:{target}"), name=name,
                    direction="OneWay", originGUID=origin, targetGUID=target)  # fmt: skip
        return root, texts

    def _source(
        self, parent: Element, article: Article, source_name: str, annotations: list[Annotation]
    ) -> str:
        self.article_count += 1
        source_guid = guid("article", article.id)
        element = sub(
            parent, "TextSource", guid=source_guid, name=article.title,
            plainTextPath=f"internal://{source_guid}.txt",
            creationDateTime=xml_datetime(article.created_at),
        )  # fmt: skip
        for annotation in annotations:
            self._selections(element, annotation)
        metadata = {
            "source": source_name, "published": article.published or "",
            "author": article.author or "", "url": article.url or "",
        }  # fmt: skip
        values = metadata | self._variables.get(article.id, {})
        for name, value in values.items():
            if value:
                found = sub(element, "VariableValue")
                sub(found, "VariableRef", targetGUID=guid("variable", name))
                sub(found, "TextValue", value)
        return source_guid

    def _selections(self, parent: Element, a: Annotation) -> None:
        self.annotation_count += 1
        user = self.user(a.annotator)
        created, modified = xml_datetime(a.created_at), xml_datetime(a.updated_at)
        for index, fragment in enumerate(a.fragments):
            selection = sub(
                parent, "PlainTextSelection", guid=selection_guid(a.id, index),
                name=_label(fragment.quote), startPosition=str(fragment.start),
                endPosition=str(fragment.end), creatingUser=user, creationDateTime=created,
                modifyingUser=user, modifiedDateTime=modified,
            )  # fmt: skip
            for code in self._coded(a):
                coding = sub(
                    selection, "Coding", guid=guid("coding", f"{a.id}:{index}:{code}"),
                    creatingUser=user, creationDateTime=created,
                )  # fmt: skip
                sub(coding, "CodeRef", targetGUID=code)
            if a.note and index == 0:
                sub(selection, "NoteRef", targetGUID=guid("note", a.id))

    def _coded(self, a: Annotation) -> list[str]:
        """The GUIDs of the codes one annotation's selections carry."""
        if a.kind is not AnnotationKind.CLAIM:
            return [code_guid(self._codes[a.code_id])] if a.code_id in self._codes else []
        found = [CLAIM_CODE]
        speaker: Code | None = self._codes.get(a.speaker_id or "")
        if speaker is not None:
            found.append(code_guid(speaker))
        found += [code_guid(self._codes[i]) for i in a.issue_ids if i in self._codes]
        if a.stance is not None:
            found.append(STANCE_CODES[a.stance])
        return found

    def _notes(self, parent: Element, notes: list[tuple[str, Annotation]]) -> None:
        for note_guid, a in notes:
            user = self.user(a.annotator)
            note = sub(
                parent, "Note", guid=note_guid, name=f"Note on {a.kind.value} {_label(a.quote)}",
                creatingUser=user, creationDateTime=xml_datetime(a.updated_at),
            )  # fmt: skip
            sub(note, "PlainTextContent", a.note)


def _links(a: Annotation) -> list[tuple[str, str, str]]:
    first = selection_guid(a.id, 0)
    found = [(LINK_SAME, first, selection_guid(a.id, i)) for i in range(1, len(a.fragments))]
    if a.speaker_mention_id:
        found.append((LINK_MENTION, first, selection_guid(a.speaker_mention_id, 0)))
    return found


def _label(quote: str, width: int = 60) -> str:
    """A short name for a selection, as other tools show one: the start of its text."""
    flat = " ".join(quote.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
