import hashlib

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.text import canonicalize_text, text_sha256


def test_line_ends_become_lf_and_nul_is_removed():
    assert canonicalize_text("a\r\nb\rc\nd\x00e") == "a\nb\nc\nde"


def test_curly_quotes_and_emoji_are_kept():
    text = "“Xi” said 😠 …"
    assert canonicalize_text(text) == text


@given(st.text())
def test_canonical_text_is_stable(text):
    once = canonicalize_text(text)
    assert canonicalize_text(once) == once
    assert "\r" not in once and "\x00" not in once


def test_sha256_is_of_utf8():
    assert text_sha256("é") == hashlib.sha256("é".encode()).hexdigest()


def test_bom_goes_and_lone_surrogates_are_replaced():
    assert canonicalize_text("\ufeffHead\ud83dx") == "Head\ufffdx"
    text_sha256(canonicalize_text("\udc00"))  # encodable now


def test_fragment_offsets_must_be_integers():
    import pytest

    from annotator.core.errors import ValidationError
    from annotator.core.spans.fragments import make_fragments

    for spans in ([(0, 2), ("3", 5)], [(False, True)], [(0.0, 2)]):
        with pytest.raises(ValidationError, match="whole numbers"):
            make_fragments("abcdef", spans)


def test_qt_paragraph_separators_become_line_ends():
    assert canonicalize_text("a\u2029b\ufdd0c\ufdd1") == "a\nb\ufffdc\ufffd"


def _canonical_reference(text: str) -> str:
    """The rules spelled out one after the other, without the fast paths."""
    import re

    text = text.removeprefix("\ufeff")
    text = re.sub("[\ud800-\udfff]", "\ufffd", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return text.translate({0x2029: "\n", 0xFDD0: "\ufffd", 0xFDD1: "\ufffd"})


@given(
    st.text(alphabet=st.sampled_from("ab \r\n\x00\ufeff\u2029\ufdd0\ufdd1é😠\ud800\udfff"))
    | st.text()
)
def test_the_fast_paths_keep_every_rule(text):
    assert canonicalize_text(text) == _canonical_reference(text)


def test_ascii_and_already_canonical_text_comes_back_as_is():
    for text in ("plain ASCII\nlines", "“curly” 😠 and é\n"):
        assert canonicalize_text(text) is text
