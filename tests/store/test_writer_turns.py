"""Two connections of one process to one project (the window's, and a worker thread's for an
import) write in turns: neither is refused with "database is locked", and the one that keeps
committing and beginning again does not starve the other."""

import threading
import time
from pathlib import Path

from annotator.core.model import CodeKind
from annotator.services.project import open_project


def test_a_second_connection_s_long_work_does_not_refuse_the_first_s_edits(tmp_path: Path):
    path = tmp_path / "shared.annotator"
    errors: list[BaseException] = []
    started = threading.Event()

    def worker() -> None:
        try:
            with open_project(path, annotator="bob") as theirs:
                for number in range(30):  # a batch transaction after another, back to back
                    with theirs.store.atomic():
                        theirs.articles.add(f"Article {number}. " * 40, source="S", title="T")
                        started.set()
                        time.sleep(0.01)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    with open_project(path, annotator="alice") as mine:
        thread = threading.Thread(target=worker)
        thread.start()
        assert started.wait(10)
        for number in range(20):  # each reads (the name's check) before it writes
            mine.codebook.create(CodeKind.SPEAKER, f"Speaker {number}")
        thread.join()
        assert errors == []
        assert len(mine.store.articles.summaries()) == 30
        assert mine.store.codes.by_name(CodeKind.SPEAKER, "Speaker 19") is not None
