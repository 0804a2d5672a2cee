"""A background backup's failure reaches the researcher once it is done."""

from concurrent.futures import Future

import pytest
from PySide6.QtWidgets import QWidget

from annotator.ui.shell import backup_watch


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    messages: list[str] = []
    monkeypatch.setattr(
        backup_watch.QMessageBox, "warning", lambda parent, title, text: messages.append(text)
    )
    return messages


def test_a_warning_is_shown_when_the_backup_finishes(qtbot, shown: list[str]) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    backup: Future[str | None] = Future()
    backup_watch.watch_backup(parent, backup)
    qtbot.wait(backup_watch.POLL_MS * 2)
    assert shown == []  # still running: nothing to say yet
    backup.set_result("The daily backup was not written: disk full")
    qtbot.waitUntil(lambda: bool(shown))
    assert shown == ["The daily backup was not written: disk full"]
    qtbot.wait(backup_watch.POLL_MS * 2)
    assert len(shown) == 1  # said once


def test_an_unexpected_failure_is_shown_too_and_success_says_nothing(qtbot, shown) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    failed: Future[str | None] = Future()
    failed.set_exception(OSError("no space left"))
    fine: Future[str | None] = Future()
    fine.set_result(None)
    backup_watch.watch_backup(parent, failed)
    backup_watch.watch_backup(parent, fine)
    qtbot.waitUntil(lambda: bool(shown))
    qtbot.wait(backup_watch.POLL_MS * 2)
    assert shown == ["The daily backup was not written: no space left"]
