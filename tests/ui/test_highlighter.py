import pytest
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextDocument, QTextFormat
from PySide6.QtWidgets import QPlainTextDocumentLayout, QPlainTextEdit

from annotator.core.model import Annotation, AnnotationKind
from annotator.core.palette.contrast import contrast
from annotator.core.palette.drawn import LIGHT, speaker_text
from annotator.core.spans.fragments import make_fragments
from annotator.core.spans.span_index import SpanIndex
from annotator.core.spans.span_style import SpanStyle
from annotator.ui.annotate.highlighter import (
    BLEND_STEP,
    ISSUE_ALPHA,
    SpanHighlighter,
    char_format,
    look_of,
)
from tests.conftest import loose_annotation

CLAIM, SPEAKER, ISSUE = AnnotationKind.CLAIM, AnnotationKind.SPEAKER, AnnotationKind.ISSUE
ISSUE_RED = SpanStyle(ISSUE, "#e15759")
ISSUE_BLUE = SpanStyle(ISSUE, "#4e79a7")
CLAIM_ORANGE = SpanStyle(CLAIM, "#f28e2b")
CLAIM_GREEN = SpanStyle(CLAIM, "#59a14f")
SPEAKER_YELLOW = SpanStyle(SPEAKER, "#edc948")

TEXT = (
    "Flags 🇺🇸 first, then the tariffs.\n"
    "“We will not sit back,” Xi said 😠 about the tariffs.\n"
    "Biden’s aide replied."
)


def note(annotation_id: str, kind: AnnotationKind, *needles: str) -> Annotation:
    spans = []
    for needle in needles:
        start = TEXT.index(needle)
        spans.append((start, start + len(needle)))
    return loose_annotation(TEXT, annotation_id, kind, spans)


def u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def formats(edit: QPlainTextEdit, block: int) -> list[tuple[int, int, QTextCharFormat]]:
    layout = edit.document().findBlockByNumber(block).layout()
    # Copies: a FormatRange's format dies with the range.
    return [(r.start, r.length, QTextCharFormat(r.format)) for r in layout.formats()]


@pytest.fixture
def view(qtbot):
    """A read-only editor whose document got its highlighter before its text, as in the app."""
    edit = QPlainTextEdit()
    edit.setReadOnly(True)
    qtbot.addWidget(edit)
    document = QTextDocument(edit)
    document.setDocumentLayout(QPlainTextDocumentLayout(document))
    index = SpanIndex(TEXT)
    index.set_annotations(
        [
            (note("issue", ISSUE, "tariffs"), ISSUE_RED),  # the first "tariffs", block 0
            (note("claim", CLAIM, "“We will not sit back,”"), CLAIM_ORANGE),
            (note("xi", SPEAKER, "Xi"), SPEAKER_YELLOW),
        ]
    )
    highlighter = SpanHighlighter(document, index)
    document.setPlainText(TEXT)
    edit.setDocument(document)
    edit.resize(600, 300)
    edit.show()
    qtbot.waitExposed(edit)
    return edit, index, highlighter


def test_issue_is_a_background_tint_at_the_utf16_offset(view):
    edit, _, _ = view
    [(start, length, fmt)] = formats(edit, 0)
    line = TEXT.split("\n")[0]
    assert start == u16(line[: line.index("tariffs")])
    assert start == line.index("tariffs") + 2  # the flag is two astral characters
    assert length == 7
    background = fmt.background().color()
    assert background.rgb() == QColor("#e15759").rgb()
    assert background.alpha() == ISSUE_ALPHA
    assert fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.NoUnderline
    assert fmt.fontWeight() != QFont.Weight.Bold


def test_claim_is_underlined_and_speaker_is_bold_and_dark(view):
    edit, _, _ = view
    (c_start, c_length, claim), (x_start, x_length, xi) = formats(edit, 1)
    line = TEXT.split("\n")[1]
    assert (c_start, c_length) == (0, len("“We will not sit back,”"))
    assert claim.underlineStyle() == QTextCharFormat.UnderlineStyle.SingleUnderline
    # Orange on white is 2.4:1: drawn darker (hue kept) to show at 3:1, the code keeps its own.
    underline = claim.underlineColor()
    assert underline.hue() == pytest.approx(QColor("#f28e2b").hue(), abs=2)
    assert contrast(underline.getRgb()[:3], (255, 255, 255)) >= 3
    assert (x_start, x_length) == (line.index("Xi"), 2)
    assert xi.fontWeight() == QFont.Weight.Bold
    colour = xi.foreground().color()
    assert contrast(colour.getRgb()[:3], (255, 255, 255)) >= 4.5
    assert colour.hue() == pytest.approx(QColor("#edc948").hue(), abs=2)


def test_adding_a_span_repaints_only_its_block(view):
    edit, index, highlighter = view
    before_block_0 = formats(edit, 0)
    calls: list[int] = []
    original = highlighter.highlightBlock

    def spy(text: str) -> None:
        calls.append(highlighter.currentBlock().blockNumber())
        original(text)

    highlighter.highlightBlock = spy
    touched = index.add(note("later", ISSUE, "about the tariffs"), ISSUE_BLUE)
    assert touched == {1}
    highlighter.rehighlight_blocks(touched)
    assert calls == [1]
    assert formats(edit, 0) == before_block_0
    line = TEXT.split("\n")[1]
    start = u16(line[: line.index("about the tariffs")])
    assert start == line.index("about the tariffs") + 1  # 😠 is two units
    tint = [
        (s, n, f)
        for s, n, f in formats(edit, 1)
        if f.hasProperty(QTextFormat.Property.BackgroundBrush)
    ]
    assert [(s, n) for s, n, _ in tint] == [(start, len("about the tariffs"))]


def test_removing_a_span_clears_it(view):
    edit, index, highlighter = view
    highlighter.rehighlight_blocks(index.remove("issue"))
    assert formats(edit, 0) == []
    assert len(formats(edit, 1)) == 2


def test_overlaps_keep_every_channel(view):
    edit, index, highlighter = view
    touched = index.add(note("passage", ISSUE, "“We will not sit back,” Xi said"), ISSUE_BLUE)
    touched |= index.add(note("inner", CLAIM, "sit back"), CLAIM_GREEN)
    highlighter.rehighlight_blocks(touched)
    ranges = formats(edit, 1)
    by_start = {start: fmt for start, _, fmt in ranges}
    overlap = by_start[TEXT.split("\n")[1].index("sit back")]
    assert overlap.background().color().rgb() == QColor("#4e79a7").rgb()
    assert overlap.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
    xi = by_start[TEXT.split("\n")[1].index("Xi")]
    assert xi.fontWeight() == QFont.Weight.Bold
    assert xi.background().color().rgb() == QColor("#4e79a7").rgb()


def test_several_issues_blend():
    fmt = char_format([ISSUE_RED, SpanStyle(ISSUE, "#000000")])
    colour = fmt.background().color()
    exact = (0xE1 / 2, 0x57 / 2, 0x59 / 2)
    for channel, expected in zip((colour.red(), colour.green(), colour.blue()), exact, strict=True):
        assert abs(channel - expected) <= BLEND_STEP / 2
    assert colour.alpha() == ISSUE_ALPHA


def test_a_blend_does_not_depend_on_order():
    styles = [ISSUE_RED, ISSUE_BLUE, CLAIM_GREEN, CLAIM_ORANGE]
    assert look_of(styles) == look_of(list(reversed(styles)))


def test_two_claims_wave_and_one_speaker_is_bold_only():
    assert char_format([CLAIM_GREEN, CLAIM_ORANGE]).underlineStyle() == (
        QTextCharFormat.UnderlineStyle.WaveUnderline
    )
    bold = char_format([SPEAKER_YELLOW])
    assert bold.fontWeight() == QFont.Weight.Bold
    assert not bold.hasProperty(QTextFormat.Property.BackgroundBrush)
    assert bold.underlineStyle() == QTextCharFormat.UnderlineStyle.NoUnderline


def test_dark_colours_stay_as_they_are():
    assert speaker_text((32, 32, 32), LIGHT) == (32, 32, 32)
    assert contrast(speaker_text((255, 255, 255), LIGHT), (255, 255, 255)) >= 4.5


def test_formats_are_shared_per_combination(view):
    _, index, highlighter = view
    touched = index.add(note("again", ISSUE, "Biden"), ISSUE_RED)
    highlighter.rehighlight_blocks(touched)
    assert len(highlighter._looks) == 3  # issue red, the claim, the speaker: reused


def test_rehighlight_ignores_blocks_that_do_not_exist(view):
    _, _, highlighter = view
    highlighter.rehighlight_blocks([99, -1])


def test_set_index_then_new_text_paints_the_new_article(view):
    edit, _, highlighter = view
    text = "other 😠 article"
    index = SpanIndex(text)
    start = text.index("article")
    index.add(
        Annotation(
            id="n",
            article_id="b",
            kind=ISSUE,
            fragments=make_fragments(text, [(start, start + 7)]),
            annotator="t",
            created_at="",
            updated_at="",
        ),
        ISSUE_RED,
    )
    highlighter.set_index(index)
    edit.document().setPlainText(text)
    assert highlighter.index is index
    [(s, n, _)] = formats(edit, 0)
    assert (s, n) == (start + 1, 7)


# -- lazy: only what the view shows ----------------------------------------------------------

LONG = "\n".join(f"Paragraph {n}: Xi said the tariffs would stay. 😠" for n in range(300))


def long_note(annotation_id: str, kind: AnnotationKind, paragraph: int, needle: str):
    offset = sum(len(line) + 1 for line in LONG.split("\n")[:paragraph])
    start = LONG.index(needle, offset)
    return Annotation(
        id=annotation_id,
        article_id="long",
        kind=kind,
        fragments=make_fragments(LONG, [(start, start + len(needle))]),
        annotator="t",
        created_at="",
        updated_at="",
    )


@pytest.fixture
def lazy_view(qtbot):
    edit = QPlainTextEdit()
    edit.setReadOnly(True)
    qtbot.addWidget(edit)
    document = QTextDocument(edit)
    document.setDocumentLayout(QPlainTextDocumentLayout(document))
    index = SpanIndex(LONG)
    index.set_annotations(
        (long_note(f"issue{n}", ISSUE, n, "tariffs"), ISSUE_RED) for n in range(300)
    )
    highlighter = SpanHighlighter(document, index, view=edit)
    document.setPlainText(LONG)
    edit.setDocument(document)
    edit.resize(500, 300)
    edit.show()
    qtbot.waitExposed(edit)
    edit.viewport().repaint()
    return edit, index, highlighter


def painted(edit: QPlainTextEdit) -> list[int]:
    document = edit.document()
    return [n for n in range(document.blockCount()) if formats(edit, n)]


def test_lazy_formats_only_the_screen(lazy_view):
    edit, _, highlighter = lazy_view
    shown = painted(edit)
    assert shown[0] == 0
    assert 3 < len(shown) < 40  # a screenful, not 300 paragraphs
    assert list(highlighter.visible_blocks())[:2] == [0, 1]
    start, length, fmt = formats(edit, 0)[0]
    assert (start, length) == (LONG.index("tariffs"), 7)
    assert fmt.background().color().rgb() == QColor("#e15759").rgb()


def test_lazy_formats_what_is_scrolled_to(lazy_view, qtbot):
    edit, _, highlighter = lazy_view
    bar = edit.verticalScrollBar()
    bar.setValue(bar.maximum())
    edit.viewport().repaint()
    assert 299 in painted(edit)
    assert 150 not in painted(edit)
    assert 299 in highlighter.visible_blocks()


def test_lazy_edit_off_screen_waits_until_shown(lazy_view):
    edit, index, highlighter = lazy_view
    calls: list[int] = []
    original = highlighter.highlightBlock

    def spy(text: str) -> None:
        calls.append(highlighter.currentBlock().blockNumber())
        original(text)

    highlighter.highlightBlock = spy
    highlighter.rehighlight_blocks(index.add(long_note("xi", SPEAKER, 0, "Xi"), SPEAKER_YELLOW))
    assert calls == [0]  # on screen: at once
    assert any(f.fontWeight() == QFont.Weight.Bold for _, _, f in formats(edit, 0))
    calls.clear()
    highlighter.rehighlight_blocks(index.remove("issue290"))
    assert calls == []  # off screen: nothing yet
    edit.verticalScrollBar().setValue(edit.verticalScrollBar().maximum())
    edit.viewport().repaint()
    assert 290 in calls
    assert formats(edit, 290) == []


def test_lazy_highlighter_ignores_a_view_showing_another_document(lazy_view, qtbot):
    _, _, highlighter = lazy_view
    other = QPlainTextEdit()
    qtbot.addWidget(other)
    document = QTextDocument()  # not the one `other` shows
    lonely = SpanHighlighter(document, SpanIndex(""), view=other)
    assert lonely.visible_blocks() == range(0)
    assert highlighter.visible_blocks() != range(0)
