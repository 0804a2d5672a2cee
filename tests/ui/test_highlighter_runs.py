"""The highlighter's fast path (packed weights, formats merged from per-channel parts) paints
exactly what char_format of each segment's styles says."""

import random

import pytest
from PySide6.QtGui import QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout, QPlainTextEdit

from annotator.core.model import Annotation, AnnotationKind
from annotator.core.palette import PALETTE
from annotator.core.spans.span_index import SpanIndex
from annotator.core.spans.span_style import SpanStyle
from annotator.ui.annotate.highlighter import (
    SpanHighlighter,
    _Formats,
    char_format,
    format_of,
    weight_of,
)
from tests.conftest import loose_annotation

KINDS = (AnnotationKind.ISSUE, AnnotationKind.CLAIM, AnnotationKind.SPEAKER)
TEXT = "\n".join(
    f"“Paragraph {n} 😠,” Xi’s aide said 🇺🇸 about the tariffs, “they stay.” {'x' * n}"
    for n in range(12)
)


def dense(rng: random.Random, count: int) -> list[tuple[Annotation, SpanStyle]]:
    """Many overlapping spans of every kind, some across paragraphs, some of two fragments."""
    items = []
    for number in range(count):
        kind = rng.choice(KINDS)
        start = rng.randrange(len(TEXT) - 100)
        end = start + rng.randint(1, 90)
        spans = [(start, end)]
        if kind is AnnotationKind.CLAIM and end - start > 10 and rng.random() < 0.3:
            spans = [(start, start + 4), (start + 7, end)]
        annotation = loose_annotation(TEXT, f"n{number:03d}", kind, spans)
        items.append((annotation, SpanStyle(kind, rng.choice(PALETTE[:6]))))
    return items


def painted_formats(edit: QPlainTextEdit, block: int, length: int) -> list[QTextCharFormat]:
    """The format of each UTF-16 unit of a block, as its layout holds it."""
    result = [QTextCharFormat() for _ in range(length)]
    for r in edit.document().findBlockByNumber(block).layout().formats():
        for position in range(r.start, r.start + r.length):
            result[position] = QTextCharFormat(r.format)
    return result


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_unit_gets_the_format_of_its_covering(qtbot, seed):
    index = SpanIndex(TEXT)
    index.set_annotations(dense(random.Random(seed), 120))
    edit = QPlainTextEdit()
    qtbot.addWidget(edit)
    document = QTextDocument(edit)
    document.setDocumentLayout(QPlainTextDocumentLayout(document))
    highlighter = SpanHighlighter(document, index)  # eager: every block formatted
    document.setPlainText(TEXT)
    edit.setDocument(document)
    ranges = 0
    for block, line in enumerate(TEXT.split("\n")):
        length = len(line.encode("utf-16-le")) // 2
        expected = [QTextCharFormat() for _ in range(length)]
        for segment in index.segments(block):
            fmt = char_format(segment.styles)
            for position in range(segment.start, segment.start + segment.length):
                expected[position] = fmt
        assert painted_formats(edit, block, length) == expected
        ranges += len(document.findBlockByNumber(block).layout().formats())
    looks = highlighter._looks
    assert ranges > 100 and len(looks) < ranges  # the run formats are shared per look


def test_a_merged_look_equals_the_look_built_directly():
    rng = random.Random(7)
    formats = _Formats()
    for _ in range(300):
        styles = [
            SpanStyle(rng.choice(KINDS), rng.choice(PALETTE)) for _ in range(rng.randint(1, 6))
        ]
        total = sum(weight_of(style) for style in styles)
        assert formats.of_total(total) == char_format(styles)
        assert formats.of_total(total) is formats.of_total(total)


def test_hundreds_of_overlapping_claims_do_not_carry_into_other_channels():
    styles = [SpanStyle(AnnotationKind.CLAIM, "#ffffff")] * 300
    styles += [SpanStyle(AnnotationKind.ISSUE, "#010203")]
    total = sum(weight_of(style) for style in styles)
    fmt = _Formats().of_total(total)
    assert fmt == char_format(styles)
    assert fmt == format_of(((1, 2, 3), (255, 255, 255), True, None))
