"""Canonical article text: the one form in which text is stored and offsets are counted.

Offsets into an article must stay valid forever, so the text is normalised once, on the way
in, and never changes afterwards.
"""

import hashlib
import re

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_QT_BREAKS = str.maketrans({"\u2029": "\n", "\ufdd0": "\ufffd", "\ufdd1": "\ufffd"})


def canonicalize_text(text: str) -> str:
    """LF line ends only and no NUL: Qt folds CRLF and C strings stop at NUL, either of which
    would shift offsets between the store and the widget. A leading byte-order mark goes; a
    lone surrogate (undecodable in UTF-8) becomes U+FFFD, one code point for one, as do
    the other replacements here."""
    text = text.removeprefix("\ufeff")
    text = _LONE_SURROGATE.sub("\ufffd", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    # Qt also starts a paragraph at U+2029 and at the noncharacters U+FDD0/U+FDD1, which
    # would put the widget's paragraphs out of step with the text's lines.
    return text.translate(_QT_BREAKS)


def text_sha256(text: str) -> str:
    """Hash of the canonical text as UTF-8; identifies an article across projects."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
