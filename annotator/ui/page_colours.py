"""Colours drawn on a text page, fitted to its palette (light or dark) by the rules of
core/palette/drawn.py: a tint keeps the page's text at 4.5:1, a line shows at 3:1. For the
marks the article view adds besides annotations: the selected annotation, find hits,
suggestions. Fonts for article text, with colour emoji as a fallback, live here too."""

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from annotator.core.palette.contrast import TEXT_CONTRAST, with_contrast
from annotator.core.palette.drawn import Theme, tint_alpha, underline

RGB = tuple[int, int, int]

SELECTED = (255, 214, 10), 150
FIND_HIT = (120, 200, 255), 160
CURRENT_SUGGESTION = (122, 92, 255), 40
SUGGESTION_LINE, CURRENT_SUGGESTION_LINE = (154, 154, 154), (122, 92, 255)

#: Article text: a serif with wide coverage first; then colour emoji, so that 🇹🇼 or 😠 show
#: as pictures, not boxes, wherever one of these is installed (.ci/setup installs Noto's).
ARTICLE_FAMILIES = (
    "Noto Serif", "DejaVu Serif", "Georgia", "Times New Roman",
    "Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji", "Twemoji", "Symbola",
)  # fmt: skip
EMOJI_FAMILIES = frozenset(ARTICLE_FAMILIES[4:])


def theme_of(widget: QWidget) -> Theme:
    """The page a text widget shows: its palette's base and text colours."""
    palette = widget.palette()
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    return Theme((base.red(), base.green(), base.blue()), (text.red(), text.green(), text.blue()))


def tint(widget: QWidget, mark: tuple[RGB, int]) -> QColor:
    """A translucent background mark at the most opacity (up to its own) that keeps text read."""
    colour, alpha = mark
    return QColor(*colour, tint_alpha(colour, theme_of(widget), alpha))


def line(widget: QWidget, colour: RGB) -> QColor:
    """A line's colour, adjusted to show at 3:1 on the widget's page."""
    return QColor(*underline(colour, theme_of(widget)))


def muted_text(palette: QPalette) -> QColor:
    """Secondary text (a table's kind column): grey, but 4.5:1 on the palette's base."""
    base = palette.color(QPalette.ColorRole.Base)
    grey = with_contrast((85, 85, 85), (base.red(), base.green(), base.blue()), TEXT_CONTRAST)
    return QColor(*grey)
