"""Decoding imported bytes: marks first, then UTF-8, then chardet; binary files refused."""

import codecs
import random

import pytest

from annotator.core.formats.decoding import BinaryContentError, DecodingError, decode_bytes

ENGLISH = (
    "“We will not back down,” the minister said on Tuesday, promising €20 million for the "
    "new programme. Critics called it “too little, too late”."
)
FRENCH = "élève, garçon, où, naïve"
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06"


def test_plain_utf8():
    decoded = decode_bytes(ENGLISH.encode("utf-8"))
    assert decoded.text == ENGLISH
    assert decoded.encoding == "utf-8" and not decoded.had_bom


def test_empty_input_is_empty_text():
    assert decode_bytes(b"").text == ""


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_byte_order_marks_decide_and_are_not_part_of_the_text(bom, codec):
    decoded = decode_bytes(bom + ENGLISH.encode(codec))
    assert decoded.text == ENGLISH
    assert decoded.encoding == codec and decoded.had_bom


def test_utf16_without_a_mark_is_recognised_by_its_pattern():
    text = "Biden and Xi spoke by phone on Tuesday."
    assert decode_bytes(text.encode("utf-16-le")).text == text


def test_cp1252_curly_quotes_and_euro():
    data = ENGLISH.encode("cp1252")
    assert b"\x93" in data and b"\x94" in data and b"\x80" in data
    decoded = decode_bytes(data)
    assert decoded.text == ENGLISH
    assert decoded.encoding == "cp1252"


def test_latin1_french():
    assert decode_bytes(FRENCH.encode("latin-1")).text == FRENCH


def test_latin1_french_paragraph():
    text = "Le ministre a déclaré que l'élève, le garçon et la naïve ne savaient pas où aller. " * 3
    assert decode_bytes(text.encode("latin-1")).text == text


@pytest.mark.parametrize(
    "data",
    [
        PNG_HEADER,
        PNG_HEADER + bytes(range(256)) * 4,
        b"\x89PNG\r\n\x1a\n",  # the bare signature, no NUL at all
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)),
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00" * 8,
        random.Random(4).randbytes(2000),
    ],
    ids=["png-header", "png", "png-signature", "zip", "elf", "random"],
)
def test_binary_files_are_refused(data):
    with pytest.raises(BinaryContentError, match="binary file"):
        decode_bytes(data)


def test_png_names_its_format():
    with pytest.raises(BinaryContentError, match="image/png"):
        decode_bytes(PNG_HEADER)


def test_a_stray_nul_or_nul_padding_is_still_text():
    assert decode_bytes(b"A text with a stray\x00 NUL.").text == "A text with a stray\x00 NUL."
    assert decode_bytes(b"Padded text.\n" + b"\x00" * 50).text.startswith("Padded text.")


def test_a_mark_that_lies_is_refused():
    with pytest.raises(DecodingError, match="UTF-16 byte-order mark"):
        decode_bytes(codecs.BOM_UTF16_LE + b"abc")  # an odd number of bytes


def test_control_characters_mean_binary():
    with pytest.raises(BinaryContentError):
        decode_bytes(bytes(range(1, 9)) * 20 + b"some words")


def test_decoding_errors_are_validation_errors():
    from annotator.core.errors import ValidationError

    assert issubclass(DecodingError, ValidationError)
    assert issubclass(BinaryContentError, DecodingError)
