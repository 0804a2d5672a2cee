"""The article view: headline, source and date above the read-only text, with every
annotation painted by the SpanHighlighter.

Positions cross between Qt (UTF-16 units) and the store (code points) only here, and only
through OffsetMap. The text shown is the canonical text set into the widget; it is never read
back from the widget, whose plain text differs (U+2029 paragraph separators).
"""

from collections.abc import Iterable
from typing import cast

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QMouseEvent,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextDocumentLayout,
    QPlainTextEdit,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Annotation, AnnotationKind, Article, ArticleStatus, Code, Source
from annotator.core.spans.offsets import OffsetMap
from annotator.core.spans.span_index import SpanIndex
from annotator.core.spans.span_style import SpanStyle
from annotator.ui import page_colours as page
from annotator.ui.annotate.find_bar import FindBar
from annotator.ui.annotate.highlighter import SpanHighlighter
from annotator.ui.labels import colour_of, describe, plain_tip


class ArticleText(QPlainTextEdit):
    """Read-only text that reports clicks on painted spans."""

    clicked_at = Signal(int)  # document (UTF-16) position of a click without a drag

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        font = QFont()
        font.setFamilies(list(page.ARTICLE_FAMILIES))  # a missing glyph is looked for down the list
        font.setStyleHint(QFont.StyleHint.Serif)
        font.setPointSizeF(12.5)
        self.setFont(font)
        self.document().setDocumentMargin(18)
        self.setMouseTracking(True)
        self._press_pos = -1

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._press_pos = self.cursorForPosition(event.position().toPoint()).position()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            position = self.cursorForPosition(event.position().toPoint()).position()
            if position == self._press_pos:
                self.clicked_at.emit(position)


class ArticleView(QWidget):
    annotation_clicked = Signal(str)
    status_requested = Signal(str, str)  # article id, ArticleStatus value

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 15pt; font-weight: bold;")  # colour: the palette's
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # an article's title is never markup
        self.meta = QLabel()
        self.meta.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted, light or dark
        self.meta.setTextFormat(Qt.TextFormat.PlainText)
        self.status = QComboBox()
        for status in ArticleStatus:
            self.status.addItem(status.value.capitalize(), status.value)
        self.status.setToolTip("Your coding status of this article (each coder has their own)")
        self.text = ArticleText()
        self.finder = FindBar(
            lambda: self._article.text if self._article else "",
            lambda: self.offsets,
            self._select_hit,
            self._refresh_extra_selections,
            lambda: self.text.textCursor().selectionStart(),
        )
        self.finder.on_close = self.text.setFocus
        self.find_box, self.find_status = self.finder.box, self.finder.status

        meta_row = QHBoxLayout()
        meta_row.addWidget(self.meta, 1)
        meta_row.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addLayout(meta_row)
        layout.addLayout(self.finder.row)
        layout.addWidget(self.text, 1)

        self._article: Article | None = None
        self._index = SpanIndex("")
        self._annotations: dict[str, Annotation] = {}
        self._codes: dict[str, Code] = {}
        self._styles: dict[tuple[AnnotationKind, str | None], SpanStyle] = {}
        self._selected_id = ""
        self._suggestions: list[tuple[tuple[int, int], ...]] = []  # code-point fragments
        self._current_suggestion = -1
        self._highlighter: SpanHighlighter | None = None
        self._document: QTextDocument | None = None
        self._click_cycle: tuple[int, int] = (-1, 0)

        self.text.clicked_at.connect(self._clicked)
        self.text.viewport().installEventFilter(self)
        self.status.activated.connect(self._status_chosen)
        self.show_article(None, None, [], {})

    # -- content --------------------------------------------------------------------------

    @property
    def article(self) -> Article | None:
        return self._article

    @property
    def offsets(self) -> OffsetMap:
        """The one converter between Qt's UTF-16 positions and the store's code points."""
        return self._index.offsets

    def show_article(
        self,
        article: Article | None,
        source: Source | None,
        annotations: list[Annotation],
        codes: dict[str, Code],
        status: ArticleStatus = ArticleStatus.NEW,
    ) -> None:
        """``status`` is the current coder's: statuses are per coder, not the article's."""
        self._article = article
        self._codes = codes
        self._styles = {}
        self._selected_id = ""
        self._suggestions = []
        self._current_suggestion = -1
        text = article.text if article else ""
        self._index = SpanIndex(text)
        self._annotations = {a.id: a for a in annotations}
        self._index.set_annotations((a, self._style(a)) for a in annotations)
        # A fresh document with the highlighter attached before the text arrives: painting
        # then happens once, as the text is laid out, never as a rehighlight afterwards.
        document = QTextDocument(self.text)
        document.setDocumentLayout(QPlainTextDocumentLayout(document))
        document.setUndoRedoEnabled(False)
        document.setDocumentMargin(18)
        document.setDefaultFont(self.text.font())
        # Given the view, it formats only the paragraphs about to be shown, not the whole
        # article (benchmarks/highlight.py measures it). It is the document's child, so it
        # goes with the old document below.
        self._highlighter = SpanHighlighter(document, self._index, view=self.text)
        document.setPlainText(text)
        # Qt deletes the widget's own first document; the ones made here are freed here.
        previous, self._document = self._document, document
        self.text.setDocument(document)
        if previous is not None:
            previous.deleteLater()
        self.title.setText(article.title if article else "No article open")
        if article:
            parts = [source.name if source else "", article.published or "no date"]
            if article.author:
                parts.append(article.author)
            self.meta.setText(" · ".join(p for p in parts if p))
            self.set_status(status)
        else:
            self.meta.setText("Choose an article on the left.")
        self.status.setEnabled(article is not None)
        self.finder.reset()
        if self.find_box.isVisible():
            self.finder.timer.start()  # the new article is searched once it is shown
        self._refresh_extra_selections()

    def set_status(self, status: ArticleStatus) -> None:
        self.status.setCurrentIndex(self.status.findData(status.value))

    def update_annotations(self, annotations: list[Annotation], codes: dict[str, Code]) -> None:
        """Repaint only the paragraphs whose spans changed (every span when colours did)."""
        if self._highlighter is None:
            return
        colours_changed = codes != self._codes
        self._codes = codes
        if colours_changed:
            self._styles = {}
        new = {a.id: a for a in annotations}
        self._patch(self._annotations.keys() - new.keys(), new.values(), restyle=colours_changed)

    def patch_annotations(self, removed: Iterable[str], upserted: Iterable[Annotation]) -> None:
        """Repaint what one edit touched, given as ids gone and annotations added or changed
        (colours unchanged): nothing is compared with every annotation, so an edit's cost does
        not grow with the article's."""
        if self._highlighter is not None:
            self._patch(removed, upserted, restyle=False)

    def _patch(
        self, removed: Iterable[str], upserted: Iterable[Annotation], *, restyle: bool
    ) -> None:
        touched: set[int] = set()
        for annotation_id in removed:
            if self._annotations.pop(annotation_id, None) is not None:
                touched |= self._index.remove(annotation_id)
        for annotation in upserted:
            if restyle or self._annotations.get(annotation.id) != annotation:
                self._annotations[annotation.id] = annotation
                touched |= self._index.update(annotation, self._style(annotation))
        self._highlighter.rehighlight_blocks(touched)  # type: ignore[union-attr]  # callers check
        if self._selected_id not in self._annotations:
            self._selected_id = ""
        self._refresh_extra_selections()

    def _style(self, annotation: Annotation) -> SpanStyle:
        """One shared SpanStyle per kind and code: opening an article with 50,000 annotations
        made as many styles (and colour look-ups), a third of opening it."""
        kind = annotation.kind
        key = (kind, annotation.speaker_id if kind is AnnotationKind.CLAIM else annotation.code_id)
        style = self._styles.get(key)
        if style is None:
            style = self._styles[key] = SpanStyle(kind, colour_of(annotation, self._codes))
        return style

    # -- selection ------------------------------------------------------------------------

    def selected_span(self) -> tuple[int, int] | None:
        """The text selection in code points of the canonical text, or None."""
        cursor = self.text.textCursor()
        if not cursor.hasSelection():
            return None
        start = self.offsets.to_code_point(cursor.selectionStart())
        end = self.offsets.to_code_point(cursor.selectionEnd())
        return (start, end) if end > start else None

    def set_selection(self, start: int, end: int) -> None:
        """Select code points [start, end), as a coder would with the mouse."""
        cursor = self.text.textCursor()
        cursor.setPosition(self.offsets.to_utf16(start))
        cursor.setPosition(self.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.text.setTextCursor(cursor)

    def clear_selection(self) -> None:
        cursor = self.text.textCursor()
        cursor.clearSelection()
        self.text.setTextCursor(cursor)

    def select_annotation(self, annotation_id: str, *, scroll: bool = True) -> None:
        self._selected_id = annotation_id if annotation_id in self._annotations else ""
        self._refresh_extra_selections()
        if scroll and self._selected_id:
            ranges = self._index.fragments_u16(self._selected_id)
            if ranges:
                cursor = QTextCursor(self.text.document())
                cursor.setPosition(ranges[0][0])
                self.text.setTextCursor(cursor)
                self.text.centerCursor()

    def _clicked(self, position: int) -> None:
        ids = self._index.at(position)
        if not ids:
            return
        # Clicking the same place again steps through overlapping annotations.
        last_position, turn = self._click_cycle
        turn = turn + 1 if last_position == position else 0
        self._click_cycle = (position, turn)
        self.annotation_clicked.emit(ids[turn % len(ids)])

    def set_suggestions(
        self, fragments: list[tuple[tuple[int, int], ...]], current: int = -1
    ) -> None:
        """Suggested spans, drawn dashed under the annotations' own paint; few per article,
        so ExtraSelections serve."""
        self._suggestions = fragments
        self._current_suggestion = current
        self._refresh_extra_selections()

    def show_span(self, start: int) -> None:
        """Scroll so the code point ``start`` is in the middle of the view."""
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(self.offsets.to_utf16(start))
        self.text.setTextCursor(cursor)
        self.text.centerCursor()

    def _refresh_extra_selections(self) -> None:
        selections = []
        document = self.text.document()
        for number, fragments in enumerate(self._suggestions):
            for start, end in fragments:
                selections.append(
                    self._suggestion_extra(
                        document, self.offsets.to_utf16(start), self.offsets.to_utf16(end),
                        current=number == self._current_suggestion,
                    )
                )  # fmt: skip
        hit = page.tint(self.text, page.FIND_HIT)
        for start, end in self.finder.painted():
            selections.append(self._extra(document, start, end, hit, outline=False))
        if self._selected_id:
            selected = page.tint(self.text, page.SELECTED)
            for start, end in self._index.fragments_u16(self._selected_id):
                selections.append(self._extra(document, start, end, selected, True))
        self.text.setExtraSelections(selections)

    def _suggestion_extra(
        self, document: QTextDocument, start: int, end: int, *, current: bool
    ) -> QTextEdit.ExtraSelection:
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
        line = page.CURRENT_SUGGESTION_LINE if current else page.SUGGESTION_LINE
        fmt.setUnderlineColor(page.line(self.text, line))
        if current:
            fmt.setBackground(page.tint(self.text, page.CURRENT_SUGGESTION))
        return ArticleView._selection(document, start, end, fmt)

    @staticmethod
    def _extra(
        document: QTextDocument, start: int, end: int, colour: QColor, outline: bool
    ) -> QTextEdit.ExtraSelection:
        fmt = QTextCharFormat()
        fmt.setBackground(colour)
        if outline:
            fmt.setFontOverline(True)
        return ArticleView._selection(document, start, end, fmt)

    @staticmethod
    def _selection(
        document: QTextDocument, start: int, end: int, fmt: QTextCharFormat
    ) -> QTextEdit.ExtraSelection:
        """An ExtraSelection over document positions [start, end) (UTF-16)."""
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(document)
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        selection.format = fmt
        return selection

    # -- hover ----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.text.viewport() and event.type() == QEvent.Type.ToolTip:
            event = cast(QHelpEvent, event)
            position = self.text.cursorForPosition(event.pos()).position()
            ids = self._index.at(position)
            if ids:
                lines = [describe(self._annotations[i], self._codes) for i in ids]
                tip = plain_tip("\n".join(lines))
                QToolTip.showText(event.globalPos(), tip, self.text.viewport())
            else:
                QToolTip.hideText()
            return True
        if watched is self.text.viewport() and event.type() == QEvent.Type.PaletteChange:
            self._refresh_extra_selections()  # a dark theme: the marks are drawn for it
        return super().eventFilter(watched, event)

    # -- find (find_bar.py) ----------------------------------------------------------------

    def open_find(self) -> None:
        self.finder.open()

    def close_find(self) -> None:
        self.finder.close()

    def find_next(self, *, backwards: bool = False) -> None:
        self.finder.next(backwards=backwards)

    def _select_hit(self, start: int, end: int) -> None:
        """Select a find hit (UTF-16 positions) and bring it to the middle of the view."""
        cursor = self.text.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.text.setTextCursor(cursor)
        self.text.centerCursor()

    def _status_chosen(self) -> None:
        if self._article:
            self.status_requested.emit(self._article.id, self.status.currentData())
