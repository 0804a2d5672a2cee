"""The Adjudicate tab lists its articles at once and counts their curation states on a worker,
with a bar and Cancel; a count for coders no longer chosen is never shown."""

import threading

from PySide6.QtCore import QTimer

from annotator.core.model import CodeKind, Decision
from annotator.services.annotations import AnnotationService
from annotator.services.project import Project
from annotator.services.team import adjudication
from annotator.ui.analysis import curation_progress
from tests.conftest import code_id
from tests.ui.test_adjudication_view import make_view, row_of, two_coders

#: Curly quotes and emoji: the spans below are code points of text like this.
STORY = "“Talks go on 🙂,” Xi said. Biden’s aide replied: “fine.” 😠 Flags waved.\n"


def many_articles(project: Project, count: int) -> list[str]:
    """``count`` more articles both alice and bob coded, a claim each (other speakers)."""
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    biden = code_id(project, CodeKind.SPEAKER, "Joe Biden")
    alice, bob = AnnotationService(project.store, "alice"), AnnotationService(project.store, "bob")
    ids = []
    for n in range(count):
        article = project.articles.add(f"{n}. {STORY}", source="Wire", title=f"Story {n:02}")
        start = STORY.index("Talks") + len(f"{n}. ")
        alice.create_claim(article.article.id, [(start, start + 12)], speaker_id=xi)
        bob.create_claim(article.article.id, [(start, start + 12)], speaker_id=biden)
        ids.append(article.article.id)
    return ids


def on_worker() -> bool:
    return threading.current_thread() is not threading.main_thread()


def labels(view) -> list[str]:
    return [view.articles.item(row).text() for row in range(view.articles.count())]


def test_states_arrive_from_a_worker_with_a_bar(qtbot, gui_project):
    two_coders(gui_project)
    many_articles(gui_project, 5)
    view, _ = make_view(qtbot, gui_project)
    assert view.states.counting and view.states.isVisible()
    assert view.states.bar.maximum() == 6
    assert len(labels(view)) == 6 and all(label.startswith("·") for label in labels(view))
    qtbot.waitUntil(lambda: not view.states.counting)
    assert all(label.startswith("○") for label in labels(view))
    assert not view.states.isVisible()


def test_cancel_stops_the_count_and_keeps_what_was_counted(qtbot, gui_project, monkeypatch):
    two_coders(gui_project)
    many_articles(gui_project, 5)
    started, release, loaded = threading.Event(), threading.Event(), []
    real = adjudication.CurationService.load

    def load(self, article_id):
        if not on_worker():
            return real(self, article_id)
        loaded.append(article_id)
        if len(loaded) == 2:
            started.set()
            release.wait(10)
        return real(self, article_id)

    monkeypatch.setattr(curation_progress.CurationService, "load", load)
    view, _ = make_view(qtbot, gui_project)
    qtbot.waitUntil(started.is_set)
    view.states.cancel.click()
    release.set()
    qtbot.waitUntil(lambda: not view.states.counting)
    assert len(loaded) == 2  # stopped at the next article
    marks = [label[0] for label in labels(view)]
    assert marks.count("○") == 2 and marks.count("·") == 4


def test_a_count_for_other_coders_is_dropped(qtbot, gui_project, monkeypatch):
    made = two_coders(gui_project)
    many_articles(gui_project, 3)
    AnnotationService(gui_project.store, "carol").create_issue_passage(
        made["article"], [(0, 5)], code_id(gui_project, CodeKind.ISSUE, "Taiwan")
    )
    view, _ = make_view(qtbot, gui_project)
    first = view.states.job
    view.coder_b.setCurrentText("carol")
    view.coder_b.activated.emit(view.coder_b.currentIndex())  # as the coder picks it
    assert view.states.job is not first and first.cancelled
    qtbot.waitUntil(lambda: not view.states.counting)
    assert labels(view) == ["○ Tricky"]  # alice and carol share one article


def test_a_decision_made_while_counting_keeps_its_state(qtbot, gui_project, monkeypatch):
    made = two_coders(gui_project)
    counted, release = threading.Event(), threading.Event()
    real = adjudication.CurationService.load

    def load(self, article_id):
        found = real(self, article_id)
        if on_worker():  # counted from the rows before the decision, handed on after it
            counted.set()
            release.wait(10)
        return found

    monkeypatch.setattr(curation_progress.CurationService, "load", load)
    view, _ = make_view(qtbot, gui_project)
    qtbot.waitUntil(counted.is_set)
    view.show_article(made["article"])
    view.select_row(row_of(view, made["claim_a"].id))
    assert view.decide(Decision.ACCEPT_B) is not None
    assert labels(view)[0].startswith("◐")
    QTimer.singleShot(0, release.set)
    qtbot.waitUntil(lambda: not view.states.counting)
    assert labels(view)[0].startswith("◐")  # not the "not started" counted before
