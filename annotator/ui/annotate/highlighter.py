"""Paints an article's annotations into its QTextDocument, one paragraph at a time.

Three independent visual channels, so that overlapping annotations of different kinds all stay
visible at once: issue passages tint the background, claims underline, speaker mentions are bold
in a dark shade of the speaker's colour. Several annotations of one kind blend their colours;
several claims switch the underline to a wave, so an overlap of claims is visible too.

Speed matters more than anything here (targets: open a 1 MB article with 10,000 annotations in
100 ms, show an edit within a 16 ms frame; see benchmarks/highlight.py):

- Never ``rehighlight()`` the whole document: it formats and re-lays out every paragraph one
  by one, which alone exceeds the open budget for a large article. Attach the highlighter to
  an empty document, then set the text; afterwards repaint only the blocks an edit touched
  (``rehighlight_blocks``).
- Give it the view, and it formats only the blocks the view is about to show, so opening an
  article costs what one screen costs.
- Formats are shared per *look* (the blended colours of each channel), not per combination
  of styles. Even so, in a densely coded article nearly every run is a look not seen before
  (cProfile of a scroll at 50,000 annotations: 90% of runs), so the per-run path builds no
  Python object per style: SpanIndex.runs sums one packed int per style (weight_of), the sum
  maps to per-channel "parts" by dict lookups, and a new look's format is merged from its
  parts' cached formats (_Formats) instead of being built with a dozen Qt calls.

Colours are drawn for the page they are on (core/palette/drawn.py): an underline that would not
show, a tint that would hide the text, a speaker's text that would not read are adjusted, on a
light and on a dark palette alike. Formats are made per page (``Theme``), once; a palette change
(dark mode switched) makes a new set and repaints what is shown.
"""

from collections.abc import Iterable
from functools import lru_cache

import shiboken6
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import (
    QColor,
    QFont,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextEdit

from annotator.core.model import AnnotationKind
from annotator.core.palette.drawn import LIGHT, Theme, speaker_text_at, tint_alpha, tint_level
from annotator.core.palette.drawn import underline as underline_colour
from annotator.core.spans.span_index import SpanIndex
from annotator.core.spans.span_style import SpanStyle
from annotator.ui.page_colours import theme_of

#: Background alpha of an issue tint: light enough that dark text keeps its contrast.
ISSUE_ALPHA = 70
#: Blends of several colours are rounded to this step per channel (see look_of).
BLEND_STEP = 8

ISSUE, CLAIM = AnnotationKind.ISSUE, AnnotationKind.CLAIM
_CHANNEL = {AnnotationKind.ISSUE: 0, AnnotationKind.CLAIM: 1, AnnotationKind.SPEAKER: 2}

RGB = tuple[int, int, int]
#: Issue tint, claim underline, whether several claims overlap, speaker text; None = unused.
Look = tuple[RGB | None, RGB | None, bool, RGB | None]


class SpanHighlighter(QSyntaxHighlighter):
    """Paints the segments of a SpanIndex; the index is the only source of what to paint.

    Given the ``view`` that shows the document, it paints lazily: a block is formatted only
    when it is about to be shown (checked as the view's viewport paints), so opening a big
    article formats one screen instead of every paragraph, and an edit off-screen costs
    nothing until it is scrolled to. Without a view, every block is formatted eagerly.
    """

    def __init__(
        self, document: QTextDocument, index: SpanIndex, view: QPlainTextEdit | None = None
    ) -> None:
        super().__init__(document)
        self._index = index
        self._formats = _Formats(LIGHT if view is None else theme_of(view))
        self._weights: dict[tuple[AnnotationKind, str], int] = {}
        self._view = view
        self._deferred: set[int] = set()  # blocks whose formats are missing or stale
        self._painting = False  # formatting blocks for real, not just deferring them
        if view is not None:
            # Scrolling formats the blocks it brings in before the frame is painted, so their
            # repaint joins the scroll's; the paint check catches everything else (first
            # show, resize) at the price of one extra partial repaint.
            view.verticalScrollBar().valueChanged.connect(self._format_visible)
            view.viewport().installEventFilter(self)

    @property
    def _looks(self) -> dict[int, QTextCharFormat]:
        """The formats made so far, one per look."""
        return self._formats.by_look

    @property
    def index(self) -> SpanIndex:
        return self._index

    def set_index(self, index: SpanIndex) -> None:
        """Use another index, e.g. for another article. Nothing is repainted: set the index
        before the document gets the new text, which then paints itself as it is laid out."""
        self._index = index

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        """Called by Qt for each block whose paint is due. Each run's covering is one packed
        int (see weight_of), so its format is one dict lookup once that covering was seen."""
        number = self.currentBlock().blockNumber()
        if self._view is not None and not self._painting:
            self._deferred.add(number)  # formatted when the view is about to show it
            return
        of_total = self._formats.of_total
        set_format = self.setFormat
        run_format: QTextCharFormat | None = None
        run_start = run_end = 0
        for start, length, total in self._index.runs(number, self._weigh):
            fmt = of_total(total)
            if fmt is run_format and start == run_end:
                run_end += length  # the same look as the run before (blends round alike)
                continue
            if run_format is not None:
                set_format(run_start, run_end - run_start, run_format)
            run_format, run_start, run_end = fmt, start, start + length
        if run_format is not None:
            set_format(run_start, run_end - run_start, run_format)

    def _weigh(self, style: SpanStyle) -> int:
        key = (style.kind, style.colour)  # a StrEnum and a str hash in C; a SpanStyle would not
        weight = self._weights.get(key)
        if weight is None:
            weight = self._weights[key] = weight_of(style)
        return weight

    def rehighlight_blocks(self, blocks: Iterable[int]) -> None:
        """Repaint just these blocks, as returned by SpanIndex.add/remove/update: a few
        paragraphs, instead of the whole document that ``rehighlight()`` would redo. With a
        view, blocks off-screen are only marked, and repainted when scrolled to."""
        wanted = set(blocks)
        if self._view is not None:
            visible = self.visible_blocks()
            self._deferred |= {n for n in wanted if n not in visible}
            wanted = {n for n in wanted if n in visible}
        self._format_now(sorted(wanted))

    def visible_blocks(self) -> range:
        """Numbers of the blocks the view shows, even partly; empty without a view, or when
        the view is hidden or shows another document."""
        return self._scan_visible(format_deferred=False)

    @property
    def theme(self) -> Theme:
        return self._formats.theme

    def set_theme(self, theme: Theme) -> None:
        """Draw for another page (a dark palette): new formats, every block repainted, with
        a view only the ones shown now and the rest as they are scrolled to."""
        if theme == self._formats.theme:
            return
        self._formats = _Formats(theme)
        document = self.document()
        if self._view is None or document is None:
            self.rehighlight()
            return
        self._deferred = set(range(document.blockCount()))
        self._format_visible()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Before the view's viewport paints, format the deferred blocks it is about to show;
        when the palette changes (a dark theme), draw for the new one."""
        kind = event.type()
        if kind == QEvent.Type.Paint:
            self._format_visible()
        elif kind == QEvent.Type.PaletteChange and self._view is not None:
            self.set_theme(theme_of(self._view))
        return False

    def _format_visible(self) -> None:
        if self._deferred:
            self._scan_visible(format_deferred=True)

    def _scan_visible(self, *, format_deferred: bool) -> range:
        """Walks down the screen from the first visible block. When formatting, each deferred
        block is formatted before its height is read, so it is laid out once, not twice."""
        view = self._view
        if view is None or not shiboken6.isValid(view) or not view.isVisible():
            return range(0)
        if view.document() is not self.document():
            return range(0)
        block = view.firstVisibleBlock()
        first = last = block.blockNumber()
        if format_deferred and first in self._deferred:
            self._format_now([first])  # before its geometry is read, which lays it out
        top = view.blockBoundingGeometry(block).translated(view.contentOffset()).top()
        bottom = view.viewport().height()
        while block.isValid() and top <= bottom:
            last = block.blockNumber()
            if format_deferred and last in self._deferred:
                self._format_now([last])
            top += view.blockBoundingRect(block).height()
            block = block.next()
        return range(first, last + 1)

    def _format_now(self, numbers: Iterable[int]) -> None:
        document = self.document()
        if document is None:
            return
        self._painting = True
        try:
            for number in numbers:
                self._deferred.discard(number)
                block = document.findBlockByNumber(number)
                if block.isValid():
                    self.rehighlightBlock(block)
        finally:
            self._painting = False


def look_of(styles: Iterable[SpanStyle]) -> Look:
    """What text covered by ``styles`` looks like: each channel's blended colour, or None.

    The reference for the packed path (weight_of, _Formats) that painting uses; blends of
    several colours are rounded to BLEND_STEP, which the eye cannot tell apart and which keeps
    the number of distinct formats small.
    """
    issue = [0, 0, 0, 0]
    claim = [0, 0, 0, 0]
    speaker = [0, 0, 0, 0]
    for style in styles:
        kind = style.kind
        sums = issue if kind is ISSUE else claim if kind is CLAIM else speaker
        r, g, b = _rgb(style.colour)
        sums[0] += r
        sums[1] += g
        sums[2] += b
        sums[3] += 1
    return _mean(issue), _mean(claim), claim[3] > 1, _mean(speaker)


def weight_of(style: SpanStyle) -> int:
    """A style as one int, so that a covering is the sum of its styles' weights and the sum
    alone gives the look: per kind a 96-bit field of count, red, green and blue sums, 24 bits
    each (no carry below 65,793 overlapping annotations of one kind)."""
    channel = _CHANNEL[style.kind]
    r, g, b = _rgb(style.colour)
    return ((1 << 72) | (r << 48) | (g << 24) | b) << (96 * channel)


_FIELD = (1 << 96) - 1


class _Formats:
    """The QTextCharFormat of each covering, as packed by weight_of, shared per look.

    Nearly every run of a densely coded paragraph is a covering never seen before (blends of
    two or three colours per channel), so a new one must be cheap. Each channel's field of the
    packed total maps to a numbered "part", the format of that channel alone, so a look is three
    small ints; its format is merged from the parts (one copy and up to two merges instead of a
    dozen Qt calls), and a look with one channel is its part.
    """

    def __init__(self, theme: Theme = LIGHT) -> None:
        self.theme = theme
        # One QTextCharFormat per look (three part numbers), shared: Qt compares formats by
        # pointer first.
        self.by_look: dict[int, QTextCharFormat] = {}
        self._field_parts: tuple[dict[int, int], ...] = ({}, {}, {})
        self._part_numbers: dict[tuple[int, RGB, bool], int] = {}
        self._parts: list[QTextCharFormat] = [QTextCharFormat()]  # 0: the channel is unused
        self._colours: list[RGB] = [(0, 0, 0)]  # each part's look colour
        self._levels: list[int] = [0]  # an issue part's tint lightness (drawn.tint_level)
        self._on_tint: dict[int, QTextCharFormat] = {}  # a speaker's part on an issue's tint

    def of_total(self, total: int) -> QTextCharFormat:
        issues, claims, speakers = self._field_parts
        field = total & _FIELD
        issue = issues.get(field)
        if issue is None:
            issue = self._part_of(0, field)
        field = (total >> 96) & _FIELD
        claim = claims.get(field)
        if claim is None:
            claim = self._part_of(1, field)
        field = total >> 192
        speaker = speakers.get(field)
        if speaker is None:
            speaker = self._part_of(2, field)
        look = issue | claim << 24 | speaker << 48
        fmt = self.by_look.get(look)
        if fmt is None:
            fmt = self.by_look[look] = self._merged(issue, claim, speaker)
        return fmt

    def _part_of(self, channel: int, field: int) -> int:
        """The number of the part for one channel's field (0 if no annotation of that kind)."""
        count = field >> 72
        if count == 0:
            number = 0
        else:
            mask = 0xFFFFFF
            colour = (field >> 48) & mask, (field >> 24) & mask, field & mask
            if count > 1:
                colour = _mean([*colour, count])  # type: ignore[assignment]  # never None: count > 1
            key = (channel, colour, channel == 1 and count > 1)
            number = self._part_numbers.get(key, 0)
            if not number:
                number = self._part_numbers[key] = len(self._parts)
                look: Look = (colour, None, False, None)
                if channel == 1:
                    look = (None, colour, count > 1, None)
                elif channel == 2:
                    look = (None, None, False, colour)
                self._parts.append(format_of(look, self.theme))
                self._colours.append(colour)
                self._levels.append(
                    tint_level(colour, self.theme, ISSUE_ALPHA) if not channel else 0
                )
        self._field_parts[channel][field] = number
        return number

    def _merged(self, issue: int, claim: int, speaker: int) -> QTextCharFormat:
        """format_of(look), from the formats of the look's parts. A look of one channel is
        that part itself; the parts set disjoint properties, so merging them is exact, in
        format_of's order (Qt compares formats property by property). A speaker on a tint
        takes the speaker's part made for that tint, so its text reads there too."""
        parts = self._parts
        if issue:
            if not (claim or speaker):
                return parts[issue]
            fmt = QTextCharFormat(parts[issue])
            if claim:
                fmt.merge(parts[claim])
            if speaker:
                on_tint = self._on_tint.get(issue << 24 | speaker)
                fmt.merge(self._speaker_on(issue, speaker) if on_tint is None else on_tint)
            return fmt
        if claim:
            if not speaker:
                return parts[claim]
            fmt = QTextCharFormat(parts[claim])
        else:
            return parts[speaker]
        fmt.merge(parts[speaker])
        return fmt

    def _speaker_on(self, issue: int, speaker: int) -> QTextCharFormat:
        fmt = QTextCharFormat(self._parts[speaker])
        fmt.setForeground(_text_brush(self._colours[speaker], self.theme, self._levels[issue]))
        self._on_tint[issue << 24 | speaker] = fmt
        return fmt


def format_of(look: Look, theme: Theme = LIGHT) -> QTextCharFormat:
    """The QTextCharFormat of a look on ``theme``'s page: background tint, underline, bold
    text in the speaker's colour, each adjusted to read there (core/palette/drawn.py)."""
    issue, claim, several_claims, speaker = look
    fmt = QTextCharFormat()
    if issue is not None:
        fmt.setBackground(QColor(*issue, tint_alpha(issue, theme, ISSUE_ALPHA)))
    if claim is not None:
        fmt.setUnderlineStyle(
            QTextCharFormat.UnderlineStyle.WaveUnderline
            if several_claims
            else QTextCharFormat.UnderlineStyle.SingleUnderline
        )
        fmt.setUnderlineColor(QColor(*underline_colour(claim, theme)))
    if speaker is not None:
        fmt.setFontWeight(QFont.Weight.Bold)
        level = None if issue is None else tint_level(issue, theme, ISSUE_ALPHA)
        fmt.setForeground(_text_brush(speaker, theme, level))
    return fmt


def char_format(styles: Iterable[SpanStyle], theme: Theme = LIGHT) -> QTextCharFormat:
    """The format for text covered by all ``styles`` at once, one channel per kind."""
    return format_of(look_of(styles), theme)


@lru_cache(maxsize=4096)
def _rgb(colour: str) -> RGB:
    parsed = QColor(colour)
    return parsed.red(), parsed.green(), parsed.blue()


@lru_cache(maxsize=65536)
def _text_brush(speaker: RGB, theme: Theme, level: int | None) -> QColor:
    """A speaker's text colour, over a tint of this lightness if there is one."""
    return QColor(*speaker_text_at(speaker, theme, level))


def _mean(sums: list[int]) -> RGB | None:
    r, g, b, n = sums
    if n == 0:
        return None
    if n == 1:
        return r, g, b
    step = BLEND_STEP
    return (
        min(255, round(r / n / step) * step),
        min(255, round(g / n / step) * step),
        min(255, round(b / n / step) * step),
    )
