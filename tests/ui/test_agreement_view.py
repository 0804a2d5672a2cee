"""The Agreement widget on a real project with two coders: the numbers are the service's."""

from PySide6.QtCore import Qt

from annotator.core.model import AnnotationKind, CodeKind
from annotator.services.annotations import AnnotationService
from annotator.services.project import Project
from annotator.services.team.agreement import measure_agreement
from annotator.ui.analysis.agreement_view import DASH, POOR_COLOUR, AgreementView
from tests.conftest import code_id


def span(project: Project, needle: str) -> list[tuple[int, int]]:
    """Where ``needle`` is in the stored (canonical) text of the project's first article."""
    text = project.store.articles.get(project.store.articles.summaries()[0].id).text
    start = text.index(needle)
    return [(start, start + len(needle))]


def two_coders(project: Project) -> str:
    """alice and bob code the tricky article: same claim, other speakers, shifted issues."""
    article = project.store.articles.summaries()[0].id
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    biden = code_id(project, CodeKind.SPEAKER, "Joe Biden")
    taiwan = code_id(project, CodeKind.ISSUE, "Taiwan")
    alice, bob = AnnotationService(project.store, "alice"), AnnotationService(project.store, "bob")
    alice.create_claim(article, span(project, "We will not sit back"), speaker_id=xi)
    bob.create_claim(article, span(project, "We will not sit back"), speaker_id=biden)
    alice.create_issue_passage(article, span(project, "Flags"), taiwan)
    bob.create_issue_passage(article, span(project, "Done."), taiwan)
    return article


def make_view(qtbot, project: Project) -> AgreementView:
    view = AgreementView(project)
    qtbot.addWidget(view)
    view.show()
    return view


def cell(view: AgreementView, row_label: str, column: int) -> str:
    rows = [view.measures.verticalHeaderItem(r).text() for r in range(view.measures.rowCount())]
    return view.measures.item(rows.index(row_label), column).text()


def test_table_shows_the_services_numbers(qtbot, gui_project):
    two_coders(gui_project)
    view = make_view(qtbot, gui_project)
    assert view.stack.currentIndex() == 0
    assert view.checked_coders() == ["alice", "bob"]
    view.compute.click()
    report = measure_agreement(gui_project.store)
    headers = [view.measures.horizontalHeaderItem(c).text() for c in range(3)]
    assert headers == ["Claims", "Speakers", "Issues"]
    for column, k in enumerate(report.kinds):
        for label, value in (
            ("αu pooled", k.alpha_u.alpha if k.alpha_u else None),
            ("Fleiss κ", k.fleiss.value),
            ("F1 exact", k.f1_exact.f1),
            ("F1 overlap", k.f1_overlap.f1),
            ("Cohen κ alice · bob", k.pairs[0].cohen.value),
        ):
            assert cell(view, label, column) == (DASH if value is None else f"{value:.3f}")
    claims = report.kinds[0]
    assert cell(view, "F1 exact", 0) == "1.000"  # the same claim span
    assert cell(view, "Speaker attribution", 0) == f"{claims.attribution.share:.3f}" == "0.000"


def test_missing_values_say_why(qtbot, gui_project):
    two_coders(gui_project)
    view = make_view(qtbot, gui_project)
    view.compute_agreement()
    speakers = 1  # nobody marked a speaker mention
    rows = {view.measures.verticalHeaderItem(r).text(): r for r in range(5)}
    item = view.measures.item(rows["αu pooled"], speakers)
    assert item.text() == DASH
    assert "Nobody marked any speaker" in item.toolTip()
    issue_attribution = view.measures.item(rows["Speaker attribution"], 2)
    assert issue_attribution.text() == DASH
    assert "claims" in issue_attribution.toolTip()


def test_lowest_articles_listed_highlighted_and_activated(qtbot, gui_project):
    article = two_coders(gui_project)
    view = make_view(qtbot, gui_project)
    view.set_checked_coders(["alice", "bob"])
    for kind, box in view.kinds.items():
        box.setChecked(kind is AnnotationKind.ISSUE)
    report = view.compute_agreement()
    assert report is not None and [k.kind for k in report.kinds] == [AnnotationKind.ISSUE]
    lowest = report.kinds[0].lowest_articles(10)
    assert [a.article_id for a in lowest] == [article]
    names = [view.lowest.item(r, 1).text() for r in range(view.lowest.rowCount())]
    assert names == ["Tricky", "Issue code: Taiwan"]
    value = view.lowest.item(0, 2)
    assert value.text() == f"{lowest[0].alpha:.3f}"
    assert lowest[0].alpha < 0.667
    assert value.background().color().name() == POOR_COLOUR
    with qtbot.waitSignal(view.article_activated) as opened:
        view.lowest.itemDoubleClicked.emit(view.lowest.item(0, 1))
    assert opened.args == [article]
    with qtbot.assertNotEmitted(view.article_activated):
        view.lowest.itemDoubleClicked.emit(view.lowest.item(1, 1))  # a code, not an article


def test_compute_needs_two_ticked_coders(qtbot, gui_project):
    two_coders(gui_project)
    view = make_view(qtbot, gui_project)
    view.coders.item(1).setCheckState(Qt.CheckState.Unchecked)
    assert not view.compute.isEnabled()
    assert view.compute_agreement() is None
    assert view.measures.rowCount() == 0


def test_one_coder_shows_the_message(qtbot, gui_project):
    article = gui_project.store.articles.summaries()[0].id
    gui_project.annotations.create_claim(article, span(gui_project, "fine."))
    view = make_view(qtbot, gui_project)
    assert view.stack.currentWidget() is view.message
    assert "at least two coders" in view.message.text()
    AnnotationService(gui_project.store, "bob").create_claim(article, span(gui_project, "fine."))
    view.refresh_coders()
    assert view.stack.currentIndex() == 0
    assert view.checked_coders() == ["alice", "bob"]


def test_empty_project_shows_the_message(qtbot, gui_project):
    view = make_view(qtbot, gui_project)
    assert view.stack.currentWidget() is view.message
    assert view.compute_agreement() is None


def test_agreement_computes_on_a_worker_while_the_window_responds(qtbot, gui_project, monkeypatch):
    """The measures run on another thread; keys typed meanwhile land; Cancel drops the result."""
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QLineEdit

    from annotator.ui.analysis import agreement_view

    two_coders(gui_project)
    view = make_view(qtbot, gui_project)
    started, release, threads = threading.Event(), threading.Event(), []

    def slow(store, **options):
        threads.append(threading.current_thread())
        started.set()
        release.wait(10)
        return measure_agreement(store, **options)

    monkeypatch.setattr(agreement_view, "measure_agreement", slow)
    typed = QLineEdit()
    qtbot.addWidget(typed)
    typed.show()
    seen = {}

    def meanwhile() -> None:
        """Runs inside the compute's event loop, as the coder's keys and clicks would."""
        if not started.is_set():
            QTimer.singleShot(10, meanwhile)
            return
        seen["busy"] = (view.busy.isVisible(), view.compute.text(), view.summary.text())
        qtbot.keyClicks(typed, "still typing")
        view.compute.click()  # Cancel

    QTimer.singleShot(0, meanwhile)
    assert view.compute_agreement() is None
    assert threads[0] is not threading.main_thread()
    assert seen["busy"] == (True, "Cancel", "Computing agreement…")
    assert typed.text() == "still typing"
    assert view.summary.text() == "Cancelled." and view.compute.text() == "Compute"
    assert not view.busy.isVisible() and view.measures.rowCount() == 0
    release.set()
    qtbot.waitUntil(lambda: not agreement_view._ABANDONED)
    assert view.compute_agreement() is not None  # and a second run completes
    assert view.measures.rowCount() > 0


def _paused_at(step: int, started, release, calls):
    """measure_agreement, waiting on the worker at its ``step``-th article step."""
    from annotator.services.team import agreement

    def measure(store, progress, **options):
        def watched(done: int, total: int) -> None:
            calls.append((done, total))
            if done == step:
                started.set()
                release.wait(10)
            progress(done, total)

        return agreement.measure_agreement(store, progress=watched, **options)

    return measure


def test_agreement_shows_how_far_it_got(qtbot, gui_project, monkeypatch):
    import threading

    from PySide6.QtCore import QTimer

    from annotator.ui.analysis import agreement_view

    two_coders(gui_project)
    view = make_view(qtbot, gui_project)
    started, release, calls = threading.Event(), threading.Event(), []
    monkeypatch.setattr(agreement_view, "measure_agreement", _paused_at(4, started, release, calls))
    seen = {}

    def meanwhile() -> None:
        if not started.is_set():
            QTimer.singleShot(10, meanwhile)
            return
        qtbot.waitUntil(lambda: view.busy.value() == 3)
        seen["bar"] = (view.busy.value(), view.busy.maximum())
        release.set()

    QTimer.singleShot(0, meanwhile)
    assert view.compute_agreement() is not None
    total = calls[-1][1]
    assert total == 1 * (1 + 3)  # one article read, then measured for each of three kinds
    assert seen["bar"] == (3, total)
    assert not view.busy.isVisible()


def test_cancel_stops_the_worker_at_its_next_article(qtbot, gui_project, monkeypatch):
    import threading

    from PySide6.QtCore import QTimer

    from annotator.ui.analysis import agreement_view

    two_coders(gui_project)
    view = make_view(qtbot, gui_project)
    started, release, calls = threading.Event(), threading.Event(), []
    monkeypatch.setattr(agreement_view, "measure_agreement", _paused_at(1, started, release, calls))

    def meanwhile() -> None:
        if not started.is_set():
            QTimer.singleShot(10, meanwhile)
            return
        view.compute.click()  # Cancel
        release.set()

    QTimer.singleShot(0, meanwhile)
    assert view.compute_agreement() is None
    assert view.summary.text() == "Cancelled."
    qtbot.waitUntil(lambda: not agreement_view._ABANDONED)
    assert [done for done, _total in calls] == [1]  # nothing measured after Cancel
