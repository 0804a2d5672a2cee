"""One path for every write of the window: the operations runner pushes the undo entry and
reports each kind of failure by one policy, whichever widget the edit came from."""

import pytest

from annotator.core.errors import ConflictError, ValidationError
from annotator.core.model import ArticleStatus
from annotator.services import suggestions
from annotator.services.project import WriteError
from annotator.ui import commands
from annotator.ui.operations import Failure, error_log_path
from tests.conftest import table_rows


@pytest.fixture
def failures(window) -> list[Failure]:
    shown: list[Failure] = []
    window.ops.report_failure = shown.append  # no modal dialog in a test
    return shown


def set_status(window) -> None:
    window.set_status(ArticleStatus.DONE)


def reject_suggestion(window) -> None:
    window.suggester.next()
    window.suggester.reject()


def accept_suggestion(window) -> None:
    window.suggester.next()
    window.suggester.accept()


#: Each entry point of the window, and the service call it makes (to make fail).
ENTRY_POINTS = {
    "status": (set_status, "articles", "set_status"),
    "reject": (reject_suggestion, suggestions, "reject"),
    "accept": (accept_suggestion, suggestions, "accept"),
}


def breaking(monkeypatch, window, entry: str, error: Exception) -> None:
    _, owner, name = ENTRY_POINTS[entry]
    target = getattr(window.project, owner) if isinstance(owner, str) else owner

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(target, name, fail)


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_a_write_that_fails_is_a_not_saved_dialog(
    qtbot, window, gui_project, failures, monkeypatch, entry
):
    before = table_rows(gui_project.path)
    breaking(monkeypatch, window, entry, WriteError("Not saved: the disk is full."))
    ENTRY_POINTS[entry][0](window)
    assert failures == [Failure("Not saved", "Not saved: the disk is full.")]
    assert window.stack.count() == 0
    assert table_rows(gui_project.path) == before


@pytest.mark.parametrize("error", [ValidationError("No such span."), ConflictError("Taken.")])
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_a_refused_edit_is_a_status_line(
    qtbot, window, gui_project, failures, monkeypatch, entry, error
):
    breaking(monkeypatch, window, entry, error)
    ENTRY_POINTS[entry][0](window)
    assert failures == []
    assert window.statusBar().currentMessage() == str(error)
    assert window.stack.count() == 0


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_an_unexpected_error_shows_its_traceback_and_logs_it(
    qtbot, window, gui_project, failures, monkeypatch, entry
):
    breaking(monkeypatch, window, entry, RuntimeError("a bug in the service"))
    ENTRY_POINTS[entry][0](window)
    (failure,) = failures
    assert failure.title == "Unexpected error"
    assert "RuntimeError: a bug in the service" in failure.text
    assert "Traceback (most recent call last)" in failure.details
    assert "in fail" in failure.details  # the frame that raised
    assert failure.log_file == error_log_path()
    assert failure.details in error_log_path().read_text(encoding="utf-8")
    assert str(error_log_path()) in failure.text
    assert window.stack.count() == 0


def test_a_rejection_and_its_undo_and_redo_go_through_apply_change(
    qtbot, window, gui_project, monkeypatch
):
    written = []
    real = commands.apply_change

    def recording(store, change):
        written.append(change)
        return real(store, change)

    monkeypatch.setattr(commands, "apply_change", recording)
    window.suggester.next()
    first = window.suggester.items[window.suggester.current]
    before = table_rows(gui_project.path)["rejected_suggestions"]
    window.suggester.reject()
    after = table_rows(gui_project.path)["rejected_suggestions"]
    assert before == [] and len(after) == 1 and after[0][1] == first.key
    assert window.stack.undoText() == f"Reject suggestion {first.text[:30]!r}"  # as it was
    assert first not in window.suggester.items

    window.controller.undo()
    (undone,) = written
    assert undone.before.rejections and not undone.after.rejections
    assert table_rows(gui_project.path)["rejected_suggestions"] == before
    assert first in window.suggester.items

    window.controller.redo()
    assert written[1].after.rejections == undone.before.rejections
    assert table_rows(gui_project.path)["rejected_suggestions"] == after
    assert first not in window.suggester.items


def test_an_undo_that_fails_still_drops_out_of_the_history(qtbot, window, monkeypatch):
    """The undo stack's own failure path stays as it was: obsolete, and write_failed."""
    from PySide6.QtWidgets import QMessageBox

    told = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: told.append(args[2]))
    reject_suggestion(window)

    def broken(store, change):
        raise OSError("disk full")

    monkeypatch.setattr(commands, "apply_change", broken)
    window.controller.undo()
    assert told and "disk full" in told[0]
    qtbot.waitUntil(lambda: window.stack.count() == 0)
