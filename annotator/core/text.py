"""Canonical article text: the one form in which text is stored and offsets are counted.

Offsets into an article must stay valid forever, so the text is normalised once, on the way
in, and never changes afterwards.
"""

import hashlib
import re

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def canonicalize_text(text: str) -> str:
    """LF line ends only and no NUL: Qt folds CRLF and C strings stop at NUL, either of which
    would shift offsets between the store and the widget. A leading byte-order mark goes; a
    lone surrogate (undecodable in UTF-8) becomes U+FFFD, one code point for one."""
    text = text.removeprefix("\ufeff")
    text = _LONE_SURROGATE.sub("\ufffd", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def text_sha256(text: str) -> str:
    """Hash of the canonical text as UTF-8; identifies an article across projects."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
