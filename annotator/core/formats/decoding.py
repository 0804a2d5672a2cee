"""The bytes of an imported file as text, or a clear refusal.

Researchers bring files from scrapers, archives and old Windows machines, so the encoding is
rarely declared. The order matters:

1. A byte-order mark (UTF-8, UTF-16, UTF-32) is definitive.
2. NUL bytes: UTF-16/32 without a mark is full of them, and so is every binary format. chardet
   recognises the UTF-16/32 patterns; any other file with more than a stray NUL or two (or
   with two in a row) is refused as binary. A stray NUL in a text passes; canonicalisation
   drops it.
3. Strict UTF-8: text in another encoding almost never decodes as UTF-8 by accident.
4. chardet, limited to the encodings news text actually comes in (the web's and ISO-8859):
   DOS and Mac code pages are where short Western text gets misread (cp1252 quotes as cp862
   Hebrew). No answer (a binary format, or no encoding fits) is a refusal, not a guess.

Whatever decodes must also look like text: a result full of control characters is refused.
Pure: no files, no store.
"""

import codecs
import re
from dataclasses import dataclass

import chardet

from annotator.core.errors import ValidationError

#: How much of a file the heuristics look at; enough to judge, cheap on a 20 MB file.
SAMPLE_BYTES = 64 * 1024

# UTF-32 before UTF-16: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
_ERAS = chardet.EncodingEra.MODERN_WEB | chardet.EncodingEra.LEGACY_ISO
# chardet's answer when nothing fits; no text without NUL bytes can really be UTF-32.
_NO_MATCH = "utf-32-be"
# Control characters (category Cc) other than whitespace and NUL (handled on the bytes).
_CONTROL = re.compile("[\x01-\x08\x0e-\x1f\x7f-\x9f]")


class DecodingError(ValidationError):
    """The bytes cannot be read as text in any encoding we trust."""


class BinaryContentError(DecodingError):
    """The bytes are not text at all (an image, an archive, a program)."""


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str  # Python codec name, e.g. "utf-8", "utf-16-le", "cp1252"
    had_bom: bool = False  # the mark is not part of ``text``; standoff offsets may count it


def decode_bytes(data: bytes) -> DecodedText:
    """The text of ``data``; raises DecodingError (BinaryContentError for binary files) with
    a reason fit to follow a file name. Empty input is the empty text."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom) :], codec, had_bom=True, claim=f"a {name} byte-order mark")
    sample = data[:SAMPLE_BYTES]
    if b"\x00" in sample:
        wide = _wide_text(data)
        if wide is not None:
            return wide
        if _nuls_look_binary(sample):
            raise BinaryContentError(_binary_reason(_binary_mime(sample)))
    try:
        return _checked(DecodedText(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass
    guess = _detect(data)
    encoding = guess["encoding"]
    if encoding is None:
        raise BinaryContentError(_binary_reason(guess.get("mime_type")))
    if _no_match(guess):
        raise DecodingError("its encoding could not be recognised (not UTF-8, and no other fits)")
    return _decode(data, encoding, claim=f"detection as {encoding}")


def _detect(data: bytes) -> chardet.DetectionDict:
    return chardet.detect(
        data,
        encoding_era=_ERAS,
        prefer_superset=True,  # cp1252 over Latin-1: decodes curly quotes and the euro
        compat_names=False,
        no_match_encoding=_NO_MATCH,
    )


def _wide_text(data: bytes) -> DecodedText | None:
    """UTF-16/32 without a byte-order mark, if chardet sees its pattern and the result reads
    as text: binary formats fit the pattern too (a PNG header decodes as UTF-16 Chinese),
    but their text would hold NULs and control characters."""
    guess = _detect(data)
    encoding = guess["encoding"]
    if not encoding or not encoding.startswith(("utf-16", "utf-32")) or _no_match(guess):
        return None
    try:
        decoded = _checked(DecodedText(data.decode(encoding), encoding))
    except (UnicodeDecodeError, DecodingError):
        return None
    return None if "\x00" in decoded.text[:SAMPLE_BYTES] else decoded


def _binary_mime(sample: bytes) -> str | None:
    """The binary format chardet recognises by its magic number (image/png, ...), asked
    without UTF-16/32, whose pattern check runs first and would claim the bytes."""
    wide = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")
    return chardet.detect(sample, exclude_encodings=wide).get("mime_type")


def _no_match(guess: chardet.DetectionDict) -> bool:
    """chardet's documented fallback: the sentinel, unscored, at confidence 0.10."""
    return guess["encoding"] == _NO_MATCH and guess.get("language") is None


def _nuls_look_binary(sample: bytes) -> bool:
    """Runs of NULs, or more than a stray few, mean a binary file; NUL padding at the end of
    a text (left by some editors and exporters) does not."""
    body = sample.rstrip(b"\x00")
    return b"\x00\x00" in body or body.count(0) > max(2, len(body) // 100)


def _decode(data: bytes, codec: str, *, claim: str, had_bom: bool = False) -> DecodedText:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise DecodingError(
            f"the bytes at offset {exc.start} are not valid {codec}, "
            f"although {claim} says they should be"
        ) from exc
    return _checked(DecodedText(text, codec, had_bom))


def _checked(decoded: DecodedText) -> DecodedText:
    """Refuse text that decoded but is mostly control characters: a binary file that happened
    to fit some encoding."""
    sample = decoded.text[:SAMPLE_BYTES]
    controls = len(_CONTROL.findall(sample))
    if controls > max(2, len(sample) // 100):
        raise BinaryContentError(_binary_reason(None))
    return decoded


def _binary_reason(mime_type: str | None) -> str:
    specific = mime_type and not mime_type.startswith(("text/", "application/octet-stream"))
    kind = f" ({mime_type})" if specific else ""
    return f"binary file{kind}, not text"
