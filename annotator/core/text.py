"""Canonical article text: the one form in which text is stored and offsets are counted.

Offsets into an article must stay valid forever, so the text is normalised once, on the way
in, and never changes afterwards.
"""

import hashlib
import re

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
#: Qt starts a paragraph at U+2029 and at the noncharacters U+FDD0/U+FDD1, which would put the
#: widget's paragraphs out of step with the text's lines.
_QT_BREAKS = (("\u2029", "\n"), ("\ufdd0", "\ufffd"), ("\ufdd1", "\ufffd"))


def canonicalize_text(text: str) -> str:
    """LF line ends only and no NUL: Qt folds CRLF and C strings stop at NUL, either of which
    would shift offsets between the store and the widget. A leading byte-order mark goes; a
    lone surrogate (undecodable in UTF-8) becomes U+FFFD, one code point for one, as do
    the other replacements here.

    Every step first looks for its character (a scan in C) and rewrites only when it is there:
    most texts need no change at all, and ``str.translate`` over a non-ASCII text costs a
    dictionary lookup per character, which was most of a text import's time. So a text that is
    already canonical comes back unchanged at little more than the cost of reading it.
    """
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "")
    if text.isascii():
        return text  # no surrogate and no Qt break can be in it
    if _LONE_SURROGATE.search(text):
        text = _LONE_SURROGATE.sub("\ufffd", text)
    for found, replacement in _QT_BREAKS:
        if found in text:
            text = text.replace(found, replacement)
    return text


def text_sha256(text: str) -> str:
    """Hash of the canonical text as UTF-8; identifies an article across projects."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
