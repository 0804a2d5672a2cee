"""REFI-QDA (QDA-XML 1.0) as XML: names, GUIDs, a writer's helpers and a safe reader.

Pure: no project, no files. The exporter (``services/interchange/qdpx_export``) builds its
tree with ``sub``; the importer reads bytes with ``parse_qda_xml``, which never loads a DTD,
never expands an entity, never touches the network and refuses a document that declares a
DTD at all (a QDA-XML file never needs one; a billion-laughs file is refused, not expanded).

Positions are Unicode code points from 0 (spec §10.2) with the end exclusive, as QualCoder
writes and reads them (its ``pos1`` is an exclusive end: ``text[pos0:pos1]``).
"""

import re
import uuid
from datetime import UTC, datetime
from typing import Any

from lxml import etree

from annotator.core.errors import ValidationError

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"

#: Every GUID an export writes derives from the row it stands for, so exporting the same
#: project twice gives the same file, and an importer can recognise Annotator's groups.
_GUID_ROOT = uuid.UUID("5b0c3a52-6f1d-4c55-9a3e-0e3c2d7f4a11")

#: The largest project.qde or codebook read (bytes): far above a real study's.
MAX_XML_BYTES = 200_000_000

#: A DOCTYPE after the prolog's declaration, comments and processing instructions (checked
#: before parsing, so a hostile DTD is refused by name, not by libxml2's expansion limits).
_DOCTYPE = re.compile(rb"^(?:\xef\xbb\xbf)?(?:\s|<\?.*?\?>|<!--.*?-->)*<!DOCTYPE", re.DOTALL)

Element = Any  # lxml's element type (lxml ships no type information)


class QdaFormatError(ValidationError):
    """The file is not a QDA-XML document this reader accepts; the message says why."""


def guid(kind: str, key: str) -> str:
    """A stable GUID for one thing of the project (a code, an article, a user...)."""
    return str(uuid.uuid5(_GUID_ROOT, f"{kind}:{key}"))


def tag(name: str, namespace: str = PROJECT_NS) -> str:
    return f"{{{namespace}}}{name}"


def new_root(element: str, namespace: str = PROJECT_NS, /, **attributes: str) -> Element:
    """The document element, with the namespace as the default one."""
    root = etree.Element(tag(element, namespace), nsmap={None: namespace})
    for key, value in attributes.items():
        root.set(key, value)
    return root


def sub(
    parent: Element, element: str, text: str | None = None, /, **attributes: str | None
) -> Element:
    """A child in the parent's namespace; ``None`` attributes are left out."""
    namespace = etree.QName(parent).namespace or PROJECT_NS
    child = etree.SubElement(parent, tag(element, namespace))
    for key, value in attributes.items():
        if value is not None:
            child.set(key, xml_text(value))
    if text is not None:
        child.text = xml_text(text)
    return child


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold: characters it forbids (NUL, most C0 controls, lone surrogates)
    become U+FFFD, one for one, so code-point positions into the text stay right."""
    return "".join(ch if _allowed(ch) else "\ufffd" for ch in text)


def _allowed(ch: str) -> bool:
    point = ord(ch)
    if point < 0x20:
        return ch in "\t\n\r"
    return not (0xD800 <= point <= 0xDFFF or point in (0xFFFE, 0xFFFF))


def to_bytes(root: Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def xml_datetime(value: str | None) -> str | None:
    """An ISO timestamp as xsd:dateTime in UTC (``2024-05-01T10:00:00Z``), or None."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_qda_xml(data: bytes, where: str) -> Element:
    """The document element of a QDA-XML document (project or codebook), or QdaFormatError.

    The parser resolves no entities, loads no DTD, reads nothing from the network and
    keeps libxml2's limits on depth and text size (``huge_tree=False``)."""
    if len(data) > MAX_XML_BYTES:
        raise QdaFormatError(f"{where} is larger than {MAX_XML_BYTES:,} bytes")
    if _DOCTYPE.match(data):
        raise QdaFormatError(f"{where} declares a DTD; QDA-XML files have none, so it is refused")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        document = etree.fromstring(data, parser).getroottree()
    except etree.XMLSyntaxError as exc:
        raise QdaFormatError(f"{where} is not well-formed XML ({_first_line(exc)})") from exc
    if document.docinfo.internalDTD is not None or document.docinfo.doctype:
        raise QdaFormatError(f"{where} declares a DTD; QDA-XML files have none, so it is refused")
    root = document.getroot()
    if etree.QName(root).namespace not in (PROJECT_NS, CODEBOOK_NS):
        raise QdaFormatError(
            f"{where} is XML but not QDA-XML (its root is {etree.QName(root).localname!r} "
            f"in {etree.QName(root).namespace or 'no namespace'!r})"
        )
    return root


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def local(element: Element) -> str:
    """The element's name without its namespace ('' for comments and the like)."""
    if not isinstance(element.tag, str):
        return ""
    return str(etree.QName(element).localname)


def children(element: Element, name: str) -> list[Element]:
    """The element's children of this local name, in any QDA-XML namespace."""
    return [child for child in element if local(child) == name]


def child(element: Element, name: str) -> Element | None:
    found = children(element, name)
    return found[0] if found else None


def child_text(element: Element, name: str) -> str:
    found = child(element, name)
    return str(found.text or "") if found is not None else ""
