"""The main window's corpus-wide dialogs, made when first opened and kept (one of each):
Search all articles and Retrieve coded segments. Both jump through the window's public
``show_passage`` and ``show_annotation``."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.ui.shell.main_window import MainWindow


def open_search(window: "MainWindow") -> None:
    from annotator.ui.annotate.search_panel import SearchPanel

    panel = window.findChild(SearchPanel)
    if panel is None:
        panel = SearchPanel(lambda: window.project, window.hub, window.stack, window)
        panel.passage_activated.connect(window.show_passage)
    panel.open_panel()


def open_retrieve(window: "MainWindow") -> None:
    from annotator.ui.analysis.retrieve_view import RetrieveView

    view = window.findChild(RetrieveView)
    if view is None:
        view = RetrieveView(lambda: window.project, window.hub, window)
        view.annotation_activated.connect(window.show_annotation)
    view.open_view()
