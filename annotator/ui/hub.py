"""One signal hub: widgets learn about changes here instead of calling each other, so the
article view, the lists and (later) the chart all refresh from the same events."""

from PySide6.QtCore import QObject, Signal


class SignalHub(QObject):
    #: a Change was written (as written: an undo sends the inverse); before annotations_changed
    change_written = Signal(object)
    #: annotations of this article were added, edited or removed
    annotations_changed = Signal(str)
    #: the codebook changed (names, colours, codes added or removed)
    codes_changed = Signal()
    #: article metadata changed, or articles were added
    articles_changed = Signal()
    #: rows of every kind changed at once outside the undo history (a merge): reload all
    reloaded = Signal()
    #: a coder's status of this article changed (perhaps another coder's: read the current one)
    status_changed = Signal(str)
    #: the article now shown in the view
    article_opened = Signal(str)
    #: the annotation selected in any widget ("" for none)
    annotation_selected = Signal(str)
    #: an undo or redo could not be written; the message says what
    write_failed = Signal(str)
