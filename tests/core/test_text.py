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
