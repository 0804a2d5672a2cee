"""Opening a REFI-QDA file for import: a ``.qdpx`` zip (``project.qde`` and ``sources/``)
or a bare ``.qde``/``.qdc`` document, read into values with each source's text.

Everything is read, bounded and checked before the importer writes anything: a malformed
zip, a missing ``project.qde``, XML that is not QDA-XML or declares a DTD, a text source
whose ``plainTextPath`` is not ``internal://`` or names a file the zip lacks, a member too
large to be a text: each is one ``QdpxError`` line naming the file.
"""

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import ValidationError
from annotator.core.formats.qde import MAX_XML_BYTES, QdaFormatError, parse_qda_xml
from annotator.core.formats.qde_read import QdaProject, QdaTextSource, read_qda

#: The largest source text read from a package (bytes, decoded as UTF-8).
MAX_TEXT_BYTES = 50_000_000
INTERNAL = "internal://"


class QdpxError(ValidationError):
    """The file cannot be imported; the one-line message says why. Nothing was imported."""


@dataclass(frozen=True, slots=True)
class QdaPackage:
    project: QdaProject
    texts: dict[str, str]  # source GUID -> its text as the file holds it


def read_package(path: Path) -> QdaPackage:
    """The file's project and texts, or QdpxError."""
    path = Path(path)
    where = path.name
    try:
        if not zipfile.is_zipfile(path):
            if path.suffix.lower() == ".qdpx":
                raise QdpxError(f"{where}: not a zip archive (a .qdpx file is one)")
            return _bare_document(path)
        with zipfile.ZipFile(path) as archive:
            return _from_archive(archive, where)
    except QdaFormatError as exc:
        raise QdpxError(str(exc)) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise QdpxError(f"{where}: a damaged zip archive ({exc})") from exc
    except OSError as exc:
        raise QdpxError(f"{where}: cannot read the file ({exc.strerror or exc})") from exc


def _bare_document(path: Path) -> QdaPackage:
    """A ``.qde`` or ``.qdc`` on its own: codes, and text sources with inline content."""
    with path.open("rb") as handle:
        data = handle.read(MAX_XML_BYTES + 1)
    project = read_qda(parse_qda_xml(data, path.name), path.name)
    texts = {s.guid: _inline(s, path.name) for s in project.sources}
    return QdaPackage(project, texts)


def _inline(source: QdaTextSource, where: str) -> str:
    if source.inline is not None:
        return source.inline
    raise QdpxError(
        f"{where}: source {source.name!r} has its text in a file ({source.path!r}); "
        "import the whole .qdpx"
    )


def _from_archive(archive: zipfile.ZipFile, where: str) -> QdaPackage:
    members = {info.filename.replace("\\", "/").lstrip("/"): info for info in archive.infolist()}
    documents = [name for name in members if "/" not in name and name.lower().endswith(".qde")]
    if not documents:
        raise QdpxError(f"{where}: the archive holds no project.qde, so it is not a .qdpx")
    chosen = next((n for n in documents if n.lower() == "project.qde"), documents[0])
    data = _read_member(archive, members[chosen], MAX_XML_BYTES, where)
    project = read_qda(parse_qda_xml(data, f"{where}: {chosen}"), where)
    lowered = {name.lower(): info for name, info in members.items()}
    texts = {}
    for source in project.sources:
        if source.inline is not None:
            texts[source.guid] = source.inline
            continue
        name = _internal_name(source, where)
        info = lowered.get(f"sources/{name.lower()}")
        if info is None:
            raise QdpxError(
                f"{where}: source {source.name!r}: sources/{name} is not in the archive"
            )
        raw = _read_member(archive, info, MAX_TEXT_BYTES, where)
        try:
            texts[source.guid] = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise QdpxError(
                f"{where}: source {source.name!r}: sources/{name} is not UTF-8 text "
                f"(byte {exc.start})"
            ) from exc
    return QdaPackage(project, texts)


def _internal_name(source: QdaTextSource, where: str) -> str:
    """The file name an ``internal://`` path names; any other path is refused (an import
    reads nothing outside the archive)."""
    path = source.path or ""
    if not path:
        raise QdpxError(f"{where}: source {source.name!r} has neither text nor plainTextPath")
    if not path.startswith(INTERNAL):
        raise QdpxError(
            f"{where}: source {source.name!r}: plainTextPath {path!r} is not internal:// "
            "(only texts inside the .qdpx are read)"
        )
    name = path.removeprefix(INTERNAL)
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise QdpxError(f"{where}: source {source.name!r}: {path!r} is not a plain file name")
    return name


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, where: str) -> bytes:
    """The member's bytes, never more than ``limit`` whatever its header claims."""
    if info.file_size > limit:
        raise QdpxError(f"{where}: {info.filename} is larger than {limit:,} bytes")
    with archive.open(info) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise QdpxError(f"{where}: {info.filename} is larger than {limit:,} bytes")
    return data
