"""Every annotation colour reads on a light and on a dark page: the article view's actual
formats, after the application's palette changes as a desktop's dark mode would change it."""

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo, QPalette, QTextCharFormat, QTextFormat
from PySide6.QtWidgets import QApplication

from annotator.core.model import Annotation, AnnotationKind, Article, Code, CodeKind
from annotator.core.palette import PALETTE
from annotator.core.palette.contrast import LINE_CONTRAST, TEXT_CONTRAST, blend, contrast
from annotator.ui.annotate.article_view import ArticleView
from annotator.ui.page_colours import ARTICLE_FAMILIES, EMOJI_FAMILIES, muted_text, theme_of
from annotator.ui.shell.theme import apply_colour_scheme, dark_palette, is_dark
from tests.conftest import loose_annotation

ISSUE, CLAIM, SPEAKER = AnnotationKind.ISSUE, AnnotationKind.CLAIM, AnnotationKind.SPEAKER
#: Colours users pick or old projects hold: greys (the issue's invisible speaker underline),
#: white, black, yellow, and every palette colour.
COLOURS = ["#bab0ac", "#9a9a9a", "#79706e", "#ffffff", "#000000", "#edc948", *PALETTE[:24]]
WORD = "Xi said “we will” 😠 "


def _article_and_annotations() -> tuple[Article, list[Annotation], dict[str, Code]]:
    """One line per colour: an issue passage over the whole line, a claim by a speaker of
    that colour over its middle, and a speaker mention at its start; tints under all."""
    text = "".join(f"{WORD}{n}\n" for n in range(len(COLOURS)))
    codes: dict[str, Code] = {}
    annotations = []
    start = 0
    for n, colour in enumerate(COLOURS):
        line = f"{WORD}{n}"
        issue = codes[f"i{n}"] = Code(f"i{n}", CodeKind.ISSUE, f"Issue {n}", colour)
        speaker = codes[f"s{n}"] = Code(f"s{n}", CodeKind.SPEAKER, f"Speaker {n}", colour)
        other = COLOURS[(n + 7) % len(COLOURS)]  # an issue of another colour over the speaker
        codes[f"o{n}"] = Code(f"o{n}", CodeKind.ISSUE, f"Other {n}", other)
        spans = {
            "issue": (start, start + len(line)),
            "claim": (start + 8, start + 17),
            "speaker": (start, start + 2),
            "other": (start, start + 2),
        }
        made = {key: loose_annotation(text, f"{key}{n}", ISSUE, [span])
                for key, span in spans.items()}  # fmt: skip
        annotations += [
            dataclasses.replace(made["issue"], code_id=issue.id),
            dataclasses.replace(made["claim"], kind=CLAIM, speaker_id=speaker.id),
            dataclasses.replace(made["speaker"], kind=SPEAKER, code_id=speaker.id),
            dataclasses.replace(made["other"], code_id=f"o{n}"),
        ]
        start += len(line) + 1
    article = Article(id="a", source_id="s", title="Colours", text=text, sha256="")
    return article, annotations, codes


@pytest.fixture
def article_view(qtbot):
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(700, 2400)  # every line on screen, so every block is formatted
    view.show()
    qtbot.waitExposed(view)
    article, annotations, codes = _article_and_annotations()
    view.show_article(article, None, annotations, codes)
    yield view
    QApplication.instance().setPalette(QPalette())


def _check_contrast(view: ArticleView) -> int:
    """Every run of every block: text over its tint at 4.5:1, underline on the page at 3:1."""
    theme = theme_of(view.text)
    document = view.text.document()
    checked = 0
    for number in range(document.blockCount() - 1):
        ranges = document.findBlockByNumber(number).layout().formats()
        assert ranges, f"block {number} not painted"
        for found in ranges:
            fmt = QTextCharFormat(found.format)
            under = theme.background
            if fmt.hasProperty(QTextFormat.Property.BackgroundBrush):
                tint = fmt.background().color()
                under = blend(tint.getRgb()[:3], tint.alphaF(), theme.background)
            text = theme.text
            if fmt.hasProperty(QTextFormat.Property.ForegroundBrush):
                text = fmt.foreground().color().getRgb()[:3]
            assert contrast(text, under) >= TEXT_CONTRAST, (number, found.start)
            if fmt.underlineStyle() != QTextCharFormat.UnderlineStyle.NoUnderline:
                line = fmt.underlineColor().getRgb()[:3]
                assert contrast(line, theme.background) >= LINE_CONTRAST, (number, line)
            checked += 1
    return checked


def test_annotation_colours_read_on_a_light_and_a_dark_page(qtbot, article_view):
    app = QApplication.instance()
    app.setPalette(QPalette())
    light_theme = theme_of(article_view.text)
    assert not is_dark(app.palette())
    assert _check_contrast(article_view) >= 4 * len(COLOURS)
    light = article_view.text.grab()

    apply_colour_scheme(app, Qt.ColorScheme.Dark)  # as colorSchemeChanged would
    assert is_dark(app.palette())
    qtbot.waitUntil(lambda: theme_of(article_view.text) != light_theme)
    article_view.text.viewport().repaint()
    assert article_view._highlighter.theme == theme_of(article_view.text)
    assert _check_contrast(article_view) >= 4 * len(COLOURS)
    dark = article_view.text.grab()
    assert dark.toImage().pixelColor(3, 3).lightness() < 80  # the page itself went dark
    assert light.toImage().pixelColor(3, 3).lightness() > 200

    apply_colour_scheme(app, Qt.ColorScheme.Light)
    assert not is_dark(app.palette())
    qtbot.waitUntil(lambda: article_view._highlighter.theme == light_theme)
    assert _check_contrast(article_view) >= 4 * len(COLOURS)


def test_selection_find_and_suggestion_marks_follow_the_page(qtbot, article_view):
    article_view.set_suggestions([((20, 30),), ((40, 45),)], current=0)
    article_view.select_annotation("claim0", scroll=False)
    QApplication.instance().setPalette(dark_palette())  # after: the marks must follow
    qtbot.waitUntil(lambda: theme_of(article_view.text).dark)
    theme = theme_of(article_view.text)
    assert len(article_view.text.extraSelections()) == 3
    for selection in article_view.text.extraSelections():
        fmt = selection.format
        if fmt.hasProperty(QTextFormat.Property.BackgroundBrush):
            tint = fmt.background().color()
            under = blend(tint.getRgb()[:3], tint.alphaF(), theme.background)
            assert contrast(theme.text, under) >= TEXT_CONTRAST
        if fmt.underlineStyle() != QTextCharFormat.UnderlineStyle.NoUnderline:
            assert contrast(fmt.underlineColor().getRgb()[:3], theme.background) >= LINE_CONTRAST


def test_article_text_falls_back_to_a_colour_emoji_font(article_view):
    families = article_view.text.font().families()
    assert families == list(ARTICLE_FAMILIES)
    assert "Noto Color Emoji" in families and EMOJI_FAMILIES & set(families)
    assert families.index("Noto Color Emoji") > 0  # after the text faces: only for emoji
    assert QFontInfo(article_view.text.font()).family()  # resolves to an installed face


@pytest.mark.parametrize("palette", [QPalette(), dark_palette()], ids=["light", "dark"])
def test_muted_text_reads_on_either_palette(qtbot, palette):
    base = palette.color(QPalette.ColorRole.Base).getRgb()[:3]
    assert contrast(muted_text(palette).getRgb()[:3], base) >= TEXT_CONTRAST
