"""The article list: its tree (sources over articles), counts, marks, tooltips, selection."""

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from annotator.core.model import ArticleStatus, ArticleSummary
from annotator.ui.annotate.article_list import ARTICLE_ID, ArticleList
from annotator.ui.annotate.article_list_model import ArticleTreeModel

DISPLAY = Qt.ItemDataRole.DisplayRole
TIP = Qt.ItemDataRole.ToolTipRole

#: QAbstractItemModelTester reports a broken model (an index whose parent() disagrees with
#: index(), a wrong rowCount) as a Qt warning: here that fails the test.
pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore("propagateSizeHints"),  # the offscreen platform's own warning
]


def summary(
    article_id: str,
    title: str,
    source: str = "AP",
    *,
    published: str | None = "2024-01-02",
    status: ArticleStatus = ArticleStatus.NEW,
    count: int = 0,
) -> ArticleSummary:
    return ArticleSummary(
        id=article_id,
        title=title,
        source_id=f"src-{source}",
        source_name=source,
        published=published,
        status=status,
        annotation_count=count,
        length=100,
    )


#: As the store gives them: by source name, then date, then title.
SUMMARIES = [
    summary("a1", "Trade talks resume", "AP", published="2024-01-01", count=3),
    summary("a2", "<b>x</b>", "AP", published=None, status=ArticleStatus.DONE),
    summary("r1", "Biden’s “red line” 😠", "Reuters", status=ArticleStatus.IN_PROGRESS, count=12),
    summary("r2", "Straße nach Berlin", "Reuters"),
    summary("z1", "GROSS DOMESTIC PRODUCT", "Zeit", count=1),
]


@pytest.fixture
def articles(qtbot) -> ArticleList:
    widget = ArticleList()
    qtbot.addWidget(widget)
    QAbstractItemModelTester(
        widget.model, QAbstractItemModelTester.FailureReportingMode.Warning, widget
    )  # checks index/parent/rowCount agree after every change below
    widget.set_articles(SUMMARIES)
    widget.resize(400, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown(articles: ArticleList) -> dict[str, list[str]]:
    """The visible tree as {source label: [titles]}."""
    model = articles.model
    tree: dict[str, list[str]] = {}
    for row in range(model.rowCount()):
        group = model.index(row, 0)
        titles = [model.index(i, 0, group).data() for i in range(model.rowCount(group))]
        tree[group.data()] = titles
    return tree


def row_of(articles: ArticleList, article_id: str) -> list[str]:
    index = articles.model.index_of(article_id)
    return [index.siblingAtColumn(c).data() for c in range(3)]


def test_sources_hold_their_articles_in_the_given_order(articles):
    assert shown(articles) == {
        "AP  (2)": ["Trade talks resume", "<b>x</b>"],
        "Reuters  (2)": ["Biden’s “red line” 😠", "Straße nach Berlin"],
        "Zeit  (1)": ["GROSS DOMESTIC PRODUCT"],
    }
    assert articles.article_ids() == ["a1", "a2", "r1", "r2", "z1"]
    assert all(articles.tree.isExpanded(articles.model.index(r, 0)) for r in range(3))
    header = [articles.model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)]
    assert header == ["Article", "Status", "#"]


def test_rows_show_status_marks_counts_and_ids(articles):
    assert row_of(articles, "a1") == ["Trade talks resume", "○ new", "3"]
    assert row_of(articles, "a2") == ["<b>x</b>", "● done", "0"]
    assert row_of(articles, "r1") == ["Biden’s “red line” 😠", "◐ in progress", "12"]
    count = articles.model.index_of("r1").siblingAtColumn(2)
    assert count.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert all(articles.model.index_of("r1").siblingAtColumn(c).data(ARTICLE_ID) == "r1"
               for c in range(3))  # fmt: skip


def test_source_rows_are_bold_and_cannot_be_selected(articles):
    group = articles.model.index(0, 0)
    assert group.data(Qt.ItemDataRole.FontRole).bold()
    assert group.data(ARTICLE_ID) is None
    assert not group.flags() & Qt.ItemFlag.ItemIsSelectable
    assert articles.model.index_of("a1").flags() & Qt.ItemFlag.ItemIsSelectable
    assert articles.model.index_of("a1").data(Qt.ItemDataRole.FontRole) is None


def test_tooltips_show_titles_as_written_never_as_markup(articles):
    tip = articles.model.index_of("a2").data(TIP)
    assert "<b>x" not in tip and "&lt;b&gt;x&lt;/b&gt;" in tip
    assert "AP, no date" in tip
    assert "Reuters, 2024-01-02" in articles.model.index_of("r1").data(TIP)
    assert "😠" in articles.model.index_of("r1").data(TIP)


def test_the_old_search_by_role_still_finds_an_article(articles):
    model = articles.model
    flags = Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive
    (match,) = model.match(model.index(0, 0), ARTICLE_ID, "z1", 1, flags)
    assert match.siblingAtColumn(2).data() == "1"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("TRADE", {"AP  (2)": ["Trade talks resume"]}),
        ("😠", {"Reuters  (2)": ["Biden’s “red line” 😠"]}),
        ("“red", {"Reuters  (2)": ["Biden’s “red line” 😠"]}),
        ("biden's \"red", {"Reuters  (2)": ["Biden’s “red line” 😠"]}),  # typed plain quotes
        ("STRASSE", {"Reuters  (2)": ["Straße nach Berlin"]}),
        ("groß", {"Zeit  (1)": ["GROSS DOMESTIC PRODUCT"]}),
        ("<b>", {"AP  (2)": ["<b>x</b>"]}),
        ("reuters", {"Reuters  (2)": ["Biden’s “red line” 😠", "Straße nach Berlin"]}),
        ("zei", {"Zeit  (1)": ["GROSS DOMESTIC PRODUCT"]}),  # a source: all its articles
        ("nothing like it", {}),
    ],
)
def test_the_filter_matches_titles_and_sources_without_regard_to_case(articles, typed, expected):
    articles.filter_box.setText(typed)
    assert shown(articles) == expected
    assert articles.article_ids() == ["a1", "a2", "r1", "r2", "z1"]  # all, filtered or not
    articles.filter_box.clear()
    assert len(shown(articles)) == 3


def test_enter_in_the_filter_opens_the_first_match(qtbot, articles):
    articles.filter_box.setText("r")  # every title but "<b>x</b>"
    with qtbot.waitSignal(articles.article_activated) as opened:
        qtbot.keyClick(articles.filter_box, Qt.Key.Key_Return)
    assert opened.args == ["a1"]
    articles.filter_box.setText("berlin")
    with qtbot.waitSignal(articles.article_activated) as opened:
        qtbot.keyClick(articles.filter_box, Qt.Key.Key_Return)
    assert opened.args == ["r2"]
    assert articles.tree.currentIndex().data(ARTICLE_ID) == "r2"


def test_set_count_changes_one_cell(qtbot, articles):
    changed: list[tuple[QModelIndex, QModelIndex]] = []
    articles.model.dataChanged.connect(lambda first, last, _roles: changed.append((first, last)))
    articles.set_count("r2", 7)
    assert row_of(articles, "r2") == ["Straße nach Berlin", "○ new", "7"]
    ((first, last),) = changed
    assert first == last == articles.model.index_of("r2").siblingAtColumn(2)
    articles.set_count("no such article", 4)  # nothing to change, nothing raised
    assert len(changed) == 1


def test_set_count_of_a_filtered_out_article_shows_once_the_filter_is_cleared(articles):
    articles.filter_box.setText("trade")
    articles.set_count("z1", 1234)
    articles.filter_box.clear()
    assert row_of(articles, "z1")[2] == "1234"
    width = articles.tree.sizeHintForColumn(2)
    assert width >= articles.tree.fontMetrics().horizontalAdvance("1234")


def test_select_makes_an_article_current_and_emits_only_when_asked(qtbot, articles):
    with qtbot.assertNotEmitted(articles.article_activated):
        articles.select("r1", emit=False)
    assert articles.tree.currentIndex().data(ARTICLE_ID) == "r1"
    with qtbot.waitSignal(articles.article_activated) as opened:
        articles.select("z1")
    assert opened.args == ["z1"]
    with qtbot.assertNotEmitted(articles.article_activated):
        articles.select("z1")  # already open
        articles.select("unknown")
    assert articles.tree.currentIndex().data(ARTICLE_ID) == "z1"


def test_picking_an_article_in_the_tree_opens_it(qtbot, articles):
    with qtbot.waitSignal(articles.article_activated) as opened:
        articles.tree.setCurrentIndex(articles.model.index_of("a2"))
    assert opened.args == ["a2"]


def test_select_clears_a_filter_that_hides_the_article(articles):
    articles.filter_box.setText("trade")
    articles.select("r2", emit=False)
    assert articles.filter_box.text() == ""
    assert articles.tree.currentIndex().data(ARTICLE_ID) == "r2"


def test_the_current_article_is_kept_across_a_rebuild(qtbot, articles):
    articles.select("r2", emit=False)
    newer = [summary("a0", "Added first", "AP", published="2023-12-31"), *SUMMARIES]
    with qtbot.assertNotEmitted(articles.article_activated):
        articles.set_articles(newer)
    assert articles.tree.currentIndex().data(ARTICLE_ID) == "r2"
    assert articles.article_ids()[:2] == ["a0", "a1"]
    assert shown(articles)["AP  (3)"][0] == "Added first"


def test_a_rebuild_keeps_the_filter(qtbot, articles):
    articles.select("r1", emit=False)
    articles.filter_box.setText("berlin")
    with qtbot.assertNotEmitted(articles.article_activated):
        articles.set_articles(SUMMARIES)
    assert articles.filter_box.text() == "berlin"
    assert shown(articles) == {"Reuters  (2)": ["Straße nach Berlin"]}
    articles.filter_box.clear()
    assert articles.tree.currentIndex().data(ARTICLE_ID) == "r1"  # marked again


def test_an_empty_list_and_a_large_one(qtbot):
    model = ArticleTreeModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning, model)
    model.set_summaries([])
    assert model.rowCount() == 0 and model.article_ids() == []
    assert not model.first_article().isValid()
    many = [summary(f"id{i:04d}", f"Title {i}", f"S{i % 50:02d}") for i in range(2000)]
    many.sort(key=lambda s: (s.source_name, s.title))
    model.set_summaries(many)
    assert model.rowCount() == 50
    assert model.article_ids() == [s.id for s in many]
    last = model.index_of(many[-1].id)
    assert (last.parent().row(), last.row()) == (49, 39)
    assert last.data() == many[-1].title


def test_a_long_list_opens_only_the_open_articles_source(qtbot, articles, monkeypatch):
    """Past EXPAND_ALL_UP_TO articles, laying every row out costs each start; the open
    article's source opens, the others stay closed until clicked or a filter narrows it."""
    from annotator.ui.annotate import article_list

    monkeypatch.setattr(article_list, "EXPAND_ALL_UP_TO", 3)
    model, tree = articles.model, articles.tree

    def expanded() -> list[str]:
        return [model.index(r, 0).data() for r in range(model.rowCount())
                if tree.isExpanded(model.index(r, 0))]  # fmt: skip

    articles.set_articles(SUMMARIES)
    articles.select("r2", emit=False)
    assert expanded() == ["Reuters  (2)"]
    articles.set_articles(SUMMARIES)  # a rebuild keeps the open article's source open
    assert expanded() == ["Reuters  (2)"]
    articles.filter_box.setText("ss")  # Straße and GROSS: few enough to open them all
    assert expanded() == ["Reuters  (2)", "Zeit  (1)"]
    monkeypatch.setattr(article_list, "EXPAND_ALL_UP_TO", 2_000)
    articles.filter_box.clear()
    assert len(expanded()) == 3


def test_the_window_lists_the_current_coders_status(qtbot, window, gui_project, monkeypatch):
    """Statuses are per coder: the list and the status box show the current coder's, Ctrl+2
    sets it for them alone, and a new coder name (File > Coder name) shows the new coder's."""
    from PySide6.QtWidgets import QInputDialog

    from annotator.services.articles import ArticleService
    from annotator.ui.annotate.article_list_model import STATUS

    article_id = window.view.article.id
    ArticleService(gui_project.store, coder=lambda: "bob").set_status(
        article_id, ArticleStatus.DONE
    )

    def listed() -> str:
        return window.articles.model.index_of(article_id, STATUS).data()

    window._articles_changed()  # as after a merge brought bob's status in
    assert (listed(), window.view.status.currentData()) == ("○ new", "new")
    qtbot.keyClick(window.view.text, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert (listed(), window.view.status.currentData()) == ("◐ in progress", "in progress")
    assert gui_project.store.articles.status_of(article_id, "bob") is ArticleStatus.DONE

    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("bob", True))
    window.ask_annotator()
    assert (listed(), window.view.status.currentData()) == ("● done", "done")
    window.stack.undo()  # alice's Ctrl+2: bob's view of the article is unchanged
    assert listed() == "● done"
    assert gui_project.store.articles.status_of(article_id, "alice") is ArticleStatus.NEW


def test_the_first_annotation_shows_the_article_in_progress_until_undone(qtbot, window):
    """A first annotation's Change carries the coder's status: the list cell and the status
    box follow it, and one undo takes both back."""
    from annotator.ui.annotate.article_list_model import STATUS

    article_id = window.view.article.id

    def shown() -> tuple[str, str]:
        cell = window.articles.model.index_of(article_id, STATUS).data()
        return cell, window.view.status.currentData()

    assert shown() == ("○ new", "new")
    window.view.set_selection(0, 5)
    window.view.text.setFocus()
    qtbot.keyClick(window.view.text, Qt.Key.Key_C)  # a claim, speaker still to pick
    assert shown() == ("◐ in progress", "in progress")
    window.controller.undo()
    assert shown() == ("○ new", "new")
    window.controller.redo()
    assert shown() == ("◐ in progress", "in progress")
