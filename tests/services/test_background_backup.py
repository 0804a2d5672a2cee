"""The window's daily backup runs on another thread while the project is in use."""

import threading
from pathlib import Path

from annotator.core.model import CodeKind
from annotator.services.backup import list_backups
from annotator.services.project import open_project
from annotator.store import Store
from annotator.store.files.backups import backups_dir
from tests.services.test_backup import make_project, quick_check


def test_the_backup_runs_beside_the_work_and_is_done_at_close(project_path: Path) -> None:
    make_project(project_path)
    with open_project(project_path, background_backup=True) as project:
        assert project.backup is not None and project.warnings == []
        article = project.store.articles.summaries()[0].id
        issue = project.store.codes.all(CodeKind.ISSUE)[0].id
        project.annotations.create_issue_passage(article, [(0, 5)], issue)  # meanwhile
    assert project.backup.done() and project.backup.result() is None
    (daily,) = [b for b in list_backups(project_path) if b.label == "daily"]
    assert quick_check(daily.path) == [("ok",)]
    with Store.open(daily.path) as copy:  # a snapshot: before or after the edit, not between
        assert sum(copy.reports.counts().annotations.values()) in (1, 2)
        assert copy.reports.problems() == []


def test_a_failed_background_backup_is_a_warning_not_an_error(project_path: Path) -> None:
    make_project(project_path)
    backups_dir(project_path).write_text("a file where the folder should be")
    with open_project(project_path, background_backup=True) as project:
        assert project.backup is not None
        warning = project.backup.result(timeout=60)
        assert warning is not None and "daily backup was not written" in warning
        assert project.store.articles.count() == 1


def test_a_snapshot_taken_while_another_thread_writes_is_consistent(tmp_path: Path) -> None:
    """Every backup reads one moment: the sources' count is one the writer committed."""
    path = tmp_path / "busy.annotator"
    with Store.open(path) as store:
        stop = threading.Event()
        copies: list[Path] = []

        def back_up() -> None:
            for number in range(5):
                copies.append(store.backup_to(tmp_path / f"copy{number}.annotator",
                                              own_connection=True))  # fmt: skip
            stop.set()

        worker = threading.Thread(target=back_up)
        worker.start()
        written = 0
        while not stop.is_set() and written < 5_000:
            with store.atomic():
                for _ in range(10):
                    store.sources.get_or_create(f"Source {written}")
                    written += 1
        worker.join()
    for copy in copies:
        assert quick_check(copy) == [("ok",)]
        with Store.open(copy) as opened:
            assert len(opened.sources.all()) % 10 == 0  # whole transactions only
