"""Find in the open article: the find box under the article's title, its hits and the
navigation between them.

A keystroke only restarts a short timer: the search runs once typing pauses (rerunning it per
keystroke on a 1 MB article let keys queue, and queued keys then reached the tagging panel).
A needle that extends the previous one filters the previous hits instead of rescanning the
text, and only the hits around the current one are painted, so neither cost grows with the
article. Hits are kept in code points and converted through the view's OffsetMap only when
shown.
"""

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import cast

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit

from annotator.core.spans.offsets import OffsetMap

DEBOUNCE_MS = 200
MAX_HITS = 10_000
PAINTED_AROUND = 200  # hits painted on either side of the current one


class FindBar(QObject):
    """The find box and status label; ``select`` shows a hit (UTF-16 start, end) and
    ``repaint`` redraws the painted hits; ``text_of`` and ``offsets`` read the article."""

    def __init__(
        self,
        text_of: Callable[[], str],
        offsets: Callable[[], OffsetMap],
        select: Callable[[int, int], None],
        repaint: Callable[[], None],
        cursor: Callable[[], int],
    ) -> None:
        super().__init__()
        self._text_of, self._offsets, self._select = text_of, offsets, select
        self._repaint, self._cursor = repaint, cursor
        self.box = QLineEdit(placeholderText="Find in article (Enter: next, Shift+Enter: previous)")
        self.box.setClearButtonEnabled(True)
        self.box.hide()
        self.status = QLabel()
        self.status.hide()
        self.row = QHBoxLayout()
        self.row.addWidget(self.box, 1)
        self.row.addWidget(self.status)
        self.timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self.timer.timeout.connect(self.search)
        # The bar has no parent and may outlive its view: a pause pending when the view goes
        # would search a deleted box.
        self.box.destroyed.connect(self.timer.stop)
        self.box.textChanged.connect(self._typed)
        self.box.installEventFilter(self)
        self._needle = ""
        self._starts: list[int] = []  # code points, ascending
        self._capped = False
        self._current = -1
        self.on_close: Callable[[], None] = lambda: None

    # -- the box --------------------------------------------------------------------------

    def open(self) -> None:
        self.box.show()
        self.status.show()
        self.reset()  # the article may have changed since the last search
        self.search()
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()

    def close(self) -> None:
        self.timer.stop()
        self.box.hide()
        self.status.hide()
        self.reset()
        self._repaint()
        self.on_close()

    def reset(self) -> None:
        """Forget the hits (another article was shown); the next search scans afresh."""
        self._needle, self._starts, self._capped, self._current = "", [], False, -1

    def _typed(self, _text: str) -> None:
        """All a keystroke costs: the search waits until typing pauses."""
        self.status.setText("…" if self.box.text() else "")
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.box and event.type() == QEvent.Type.ShortcutOverride:
            # Keys typed here stay here: no single-key window shortcut (C, S, A…) fires.
            key_event = cast(QKeyEvent, event)
            if not key_event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier:
                event.accept()
                return True
        if watched is self.box and event.type() == QEvent.Type.KeyPress:
            key_event = cast(QKeyEvent, event)
            if key_event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                shift = bool(key_event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self.next(backwards=shift)
                return True
            if key_event.key() == Qt.Key.Key_Escape:
                self.close()
                return True
        return super().eventFilter(watched, event)

    # -- searching ------------------------------------------------------------------------

    def search(self) -> None:
        """Find the needle and go to the first hit at or after the cursor."""
        self.timer.stop()
        needle = self.box.text() if self.box.isVisible() else ""
        text = self._text_of()
        if not needle or not text:
            self.reset()
            self._needle = needle
        else:
            # re with IGNORECASE keeps offsets (casefold() would not: "ß" becomes "ss").
            pattern = re.compile(re.escape(needle), re.IGNORECASE)
            if self._needle and needle.startswith(self._needle) and not self._capped:
                self._starts = [s for s in self._starts if pattern.match(text, s)]
            else:
                self._starts = []
                for match in pattern.finditer(text):
                    self._starts.append(match.start())
                    if len(self._starts) >= MAX_HITS:
                        break
                self._capped = len(self._starts) >= MAX_HITS
            self._needle = needle
        self._current = -1
        if self._starts:
            here = self._offsets().to_code_point(self._cursor())
            index = bisect_left(self._starts, here)
            self.go_to(index if index < len(self._starts) else 0)
        else:
            self.status.setText("0 found" if needle else "")
            self._repaint()

    def next(self, *, backwards: bool = False) -> None:
        if self.timer.isActive() or self._needle != self.box.text():
            self.search()  # Enter before the pause: search now
            if backwards and self._starts:
                self.next(backwards=True)
            return
        if not self._starts:
            return
        here = self._offsets().to_code_point(self._cursor())
        if backwards:
            index = bisect_left(self._starts, here) - 1
        else:
            index = bisect_right(self._starts, here)
        self.go_to(index % len(self._starts))

    def go_to(self, index: int) -> None:
        self._current = index
        start = self._starts[index]
        offsets = self._offsets()
        self._select(offsets.to_utf16(start), offsets.to_utf16(start + len(self._needle)))
        more = "+" if self._capped else ""
        self.status.setText(f"{index + 1:,} of {len(self._starts):,}{more}")
        self._repaint()

    def painted(self) -> list[tuple[int, int]]:
        """The hits to paint (UTF-16): those around the current one, a bounded number."""
        if not self._starts:
            return []
        offsets, size = self._offsets(), len(self._needle)
        middle = max(self._current, 0)
        window = self._starts[max(middle - PAINTED_AROUND, 0) : middle + PAINTED_AROUND]
        return [(offsets.to_utf16(s), offsets.to_utf16(s + size)) for s in window]
