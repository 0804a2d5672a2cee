"""Tabs whose page is built the first time it is shown, so what a page imports (pyqtgraph for
the chart) and computes stays out of start-up, and a page is rebuilt for a new project."""

from collections.abc import Callable

from PySide6.QtWidgets import QTabWidget, QWidget


class LazyTabs:
    def __init__(self, tabs: QTabWidget) -> None:
        self.tabs = tabs
        self._factories: dict[int, Callable[[], QWidget]] = {}
        self._built: dict[int, QWidget] = {}

    def add(self, title: str, factory: Callable[[], QWidget]) -> int:
        index = self.tabs.addTab(QWidget(), title)
        self._factories[index] = factory
        return index

    def get(self, index: int) -> QWidget | None:
        """The page if it has been built."""
        return self._built.get(index)

    def ensure(self, index: int) -> QWidget | None:
        """Build the page at ``index`` if it is a lazy one not built yet."""
        if index not in self._factories or index in self._built:
            return self._built.get(index)
        page = self._factories[index]()
        self._swap(index, page)
        self._built[index] = page
        return page

    def reset(self) -> None:
        """Forget every built page; each is built again when next shown."""
        for index, page in list(self._built.items()):
            self._swap(index, QWidget())
            page.deleteLater()
        self._built.clear()
        self.ensure(self.tabs.currentIndex())

    def _swap(self, index: int, page: QWidget) -> None:
        current = self.tabs.currentIndex()
        title = self.tabs.tabText(index)
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, page, title)
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
