"""The window's analysis tabs (Coverage, Agreement, Adjudicate), each built when first shown:
pyqtgraph and the agreement measures stay out of start-up."""

from typing import TYPE_CHECKING, cast

from PySide6.QtWidgets import QTabWidget, QWidget

from annotator.ui.shell.lazy_tabs import LazyTabs

if TYPE_CHECKING:
    from annotator.ui.analysis.adjudication_view import AdjudicationView
    from annotator.ui.analysis.coverage_view import CoverageView
    from annotator.ui.shell.main_window import MainWindow


#: The Annotate tab comes first; the analysis tabs follow it.
ANNOTATE_TAB = 0


class AnalysisTabs:
    def __init__(self, window: "MainWindow", tabs: QTabWidget) -> None:
        self.window = window
        self.tabs = tabs
        self.lazy = LazyTabs(tabs)
        self.coverage_tab = self.lazy.add("Coverage", self._make_coverage)
        self.agreement_tab = self.lazy.add("Agreement", self._make_agreement)
        self.adjudicate_tab = self.lazy.add("Adjudicate", self._make_adjudication)
        tabs.currentChanged.connect(self._tab_changed)

    @property
    def coverage(self) -> "CoverageView | None":
        return cast("CoverageView | None", self.lazy.get(self.coverage_tab))

    def reset(self) -> None:
        """A project opened: the tabs are built again, for it, when next shown."""
        self.lazy.reset()

    def coverage_stale(self, *_args: object) -> None:
        coverage = self.coverage
        if coverage is not None and self.tabs.currentIndex() == self.coverage_tab:
            coverage.schedule_refresh()

    def _make_coverage(self) -> QWidget:
        from annotator.ui.analysis.coverage_view import CoverageView  # pyqtgraph loads here

        w = self.window
        view = CoverageView(w.project)
        view.annotation_activated.connect(w.show_annotation)
        return view

    def _make_agreement(self) -> QWidget:
        from annotator.ui.analysis.agreement_view import AgreementView

        w = self.window
        view = AgreementView(w.project)
        view.article_activated.connect(w.go_to_article)
        return view

    def _make_adjudication(self) -> QWidget:
        from annotator.ui.analysis.adjudication_view import AdjudicationView

        w = self.window
        return AdjudicationView(w.project, w.hub, w.stack, ops=w.ops)

    def _tab_changed(self, index: int) -> None:
        page = self.lazy.ensure(index)
        if index == self.coverage_tab and page is not None:
            cast("CoverageView", page).refresh()
        elif index == self.adjudicate_tab and page is not None and self.window.view.article:
            cast("AdjudicationView", page).show_article(self.window.view.article.id)
