"""Imports and merges from the window run on a worker thread with their own connection: the
window's thread holds no transaction across its event loop, progress and the outcome come
back through signals, Cancel stops between files, and the coder's edits meanwhile are kept."""

import threading
import time

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QPushButton

from annotator.services.interchange import importing
from annotator.services.project import open_memory_project
from annotator.ui import workers
from annotator.ui.shell import transfer
from tests.ui.test_transfer import make_folder, quiet_dialogs


@pytest.fixture
def jobs(monkeypatch) -> list[workers.Job]:
    """The jobs the window starts, each recording the progress it reports."""
    started: list[workers.Job] = []

    class Recorded(workers.Job):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.reports: list[tuple[int, int]] = []
            self.progress.connect(lambda done, total, _text: self.reports.append((done, total)))
            started.append(self)

    monkeypatch.setattr(transfer, "Job", Recorded)
    return started


def recording_threads(monkeypatch, pause: float = 0.0) -> list[threading.Thread]:
    """Each file's import records the thread it ran on, and then holds its batch (written,
    not committed) for ``pause`` seconds."""
    threads: list[threading.Thread] = []
    real = importing.import_item

    def import_item(*args, **kwargs):
        threads.append(threading.current_thread())
        outcome = real(*args, **kwargs)
        time.sleep(pause)
        return outcome

    monkeypatch.setattr(importing, "import_item", import_item)
    return threads


def test_an_import_runs_on_a_worker_and_the_window_shows_its_articles(
    qtbot, window, gui_project, tmp_path, monkeypatch, jobs
):
    shown = quiet_dialogs(monkeypatch)
    threads = recording_threads(monkeypatch)
    window.files.import_paths([make_folder(tmp_path)])
    assert len(threads) == 4  # three files, then one.txt again with the source asked for
    assert all(t is not threading.main_thread() for t in threads)
    job, lacking = jobs  # then one.txt, which names no source, with the one asked for
    assert lacking.reports == [(0, 1), (1, 1)]
    assert job.reports == [(0, 3), (1, 3), (2, 3), (3, 3)]  # in order, on the window's thread
    assert not job.running
    assert "1 rejected" in shown[0]
    assert len(window.articles.article_ids()) == 3
    assert "2 articles imported" in window.statusBar().currentMessage()
    assert not gui_project.store.in_transaction


def test_cancel_stops_between_files(qtbot, window, gui_project, tmp_path, monkeypatch, jobs):
    shown = quiet_dialogs(monkeypatch)
    cancelled = threading.Event()
    second_started = threading.Event()
    real = importing.import_item
    imported: list[str] = []

    def import_item(project, item, **kwargs):
        if imported and not cancelled.is_set():  # the second file waits for Cancel, then
            second_started.set()  # finishes: files are whole
            assert cancelled.wait(10)
        imported.append(item.path.name)
        return real(project, item, **kwargs)

    monkeypatch.setattr(importing, "import_item", import_item)

    def press_cancel(done: int, _total: int, _text: str) -> None:
        # Pressed while the second file is being read (a busy machine could otherwise let
        # the click land before the worker starts it, and the test would time the race).
        if done == 1:
            assert second_started.wait(10)
            window.findChild(QProgressDialog).findChild(QPushButton).click()  # Cancel
            cancelled.set()

    folder = make_folder(tmp_path)
    monkeypatch.setattr(
        transfer.Job, "start", _connected_first(transfer.Job.start, "progress", press_cancel)
    )
    window.files.import_paths([folder])
    # The third file was never started; one.txt, read before Cancel, names no source and
    # is imported again with the source asked for.
    assert imported == ["broken.txt", "one.txt", "one.txt"]
    assert "Cancelled after 2 of 3 files." in shown[0]
    assert len(gui_project.store.articles.summaries()) == 1 + 1


def _connected_first(start, signal: str, slot):
    """``Job.start`` that first connects ``slot`` to the job's ``signal``."""

    def connected(self) -> None:
        getattr(self, signal).connect(slot)
        start(self)

    return connected


def test_an_edit_while_an_import_runs_waits_its_turn_and_is_kept(
    qtbot, window, gui_project, tmp_path, monkeypatch, jobs
):
    """The note is written on the window's thread while the worker's batch transaction is
    open: it waits for that batch, rather than failing with "database is locked"."""
    quiet_dialogs(monkeypatch)
    failures = []
    window.ops.report_failure = failures.append
    article_id = window.view.article.id
    claim = window.ops.run(lambda: gui_project.annotations.create_claim(article_id, [(0, 5)]))
    assert claim is not None and claim.annotation is not None
    recording_threads(monkeypatch, pause=0.3)  # each file outlasts a batch's 0.25 s
    during = []

    def type_a_note(done: int, _total: int, _text: str) -> None:
        if done == 1 and not during:  # the worker has moved on to the next file, in its next batch
            during.append(jobs[0].running)
            note = "typed while importing"
            window.panel.editor.note_requested.emit(claim.annotation.id, note)  # its timer

    monkeypatch.setattr(
        transfer.Job, "start", _connected_first(transfer.Job.start, "progress", type_a_note)
    )
    window.files.import_paths([make_folder(tmp_path)])
    assert during == [True]
    assert failures == []
    assert gui_project.store.annotations.get(claim.annotation.id).note == "typed while importing"
    assert len(gui_project.store.articles.summaries()) == 3
    window.controller.undo()  # the note was one undo step, as ever
    assert gui_project.store.annotations.get(claim.annotation.id).note == ""


def test_a_bug_in_the_import_is_reported_by_the_one_policy(
    qtbot, window, tmp_path, monkeypatch, jobs
):
    quiet_dialogs(monkeypatch)
    failures = []
    window.ops.report_failure = failures.append

    def broken(paths):
        raise RuntimeError("a bug while planning")

    monkeypatch.setattr(importing, "plan_import", broken)
    window.files.import_paths([make_folder(tmp_path)])
    (failure,) = failures
    assert failure.title == "Unexpected error" and "a bug while planning" in failure.text


def test_work_gets_its_own_connection_and_a_memory_project_stays_on_this_thread(qtbot, gui_project):
    seen = []

    def work(project, control):
        seen.append((threading.current_thread(), project.store is gui_project.store))
        control.report(1, 1, "done")
        return "result"

    assert workers.Job(gui_project, work).run_until_finished() == "result"
    assert seen[0][0] is not threading.main_thread() and seen[0][1] is False
    memory = open_memory_project()
    try:
        job = workers.Job(memory, work)
        with qtbot.waitSignal(job.progress):
            assert job.run_until_finished() == "result"
        assert seen[1] == (threading.main_thread(), False)
    finally:
        memory.close()


def test_a_merge_runs_on_a_worker(qtbot, window, gui_project, tmp_path, monkeypatch):
    from annotator.services.project import open_project
    from annotator.services.team import merge

    other = tmp_path / "bob.annotator"
    open_project(other, annotator="bob").close()
    threads = []
    real = merge.merge_project

    def recording(store, path):
        threads.append(threading.current_thread())
        return real(store, path)

    monkeypatch.setattr(merge, "merge_project", recording)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: 0)
    window.files.merge_project()
    assert len(threads) == 1 and threads[0] is not threading.main_thread()


def test_a_folder_with_nothing_to_import_says_so(qtbot, window, tmp_path, monkeypatch, jobs):
    quiet_dialogs(monkeypatch)
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args[2]))
    empty = tmp_path / "empty"
    empty.mkdir()
    window.files.import_paths([empty])
    assert told == ["No importable files were found."]
    assert jobs[0].reports == []
