"""The Adjudicate tab's article states (not started, in progress, curated), counted on a worker.

Each state loads the article's curation (both coders' annotations, paired): 10 s on the
window's thread for 1,000 articles with 100,000 annotations. So the tab lists the articles at
once, and this counts their states on a worker with its own connection, with a bar saying how
far it got and a Cancel button; choosing other coders cancels it too, and only the latest
request's states are handed on (those counted before a Cancel included).
"""

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from annotator.services.project import Project
from annotator.services.team.adjudication import CurationService
from annotator.services.team.curation_state import CurationState
from annotator.ui.workers import Job, JobControl

#: Jobs still running (a cancelled one included): kept alive until their worker ends.
_RUNNING: set[Job] = set()


class CurationStateCounter(QWidget):
    #: dict[str, CurationState]: the states counted for the latest request
    counted = Signal(object)
    #: the counting failed: why
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel("Counting each article's curation state…")
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(200)
        self.cancel = QPushButton("Cancel")
        self.cancel.setToolTip("Stop counting: the articles not counted yet show no state.")
        self.cancel.clicked.connect(self.stop)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        layout.addStretch(1)
        self.job: Job | None = None
        self.hide()

    @property
    def counting(self) -> bool:
        return self.job is not None

    def count(self, project: Project, coders: tuple[str, str, str], article_ids: list[str]) -> None:
        """Count the states of ``article_ids`` for (coder A, coder B, target), dropping what
        an earlier request is still counting."""
        self.stop()
        self.job = None
        if not article_ids:
            self.hide()
            return

        def work(own: Project, control: JobControl) -> dict[str, CurationState]:
            service = CurationService(own.store, *coders)
            states: dict[str, CurationState] = {}
            for done, article_id in enumerate(article_ids, start=1):
                if control.cancelled:
                    break
                states[article_id] = service.load(article_id).state
                control.report(done, len(article_ids))
            return states

        job = self.job = Job(project, work)
        _RUNNING.add(job)
        job.progress.connect(lambda done, total, _text: self._progress(job, done, total))
        job.succeeded.connect(lambda states: self._ended(job, states))
        job.failed.connect(lambda error: self._ended(job, None, error))
        job.finished.connect(lambda: _RUNNING.discard(job))
        self.bar.setRange(0, len(article_ids))
        self.bar.setValue(0)
        self.show()
        job.start()

    def stop(self) -> None:
        """Cancel: the worker stops at its next article; what it counted is still shown."""
        if self.job is not None:
            self.job.cancel()

    def _progress(self, job: Job, done: int, total: int) -> None:
        if shiboken6.isValid(self) and job is self.job:
            self.bar.setValue(done)

    def _ended(self, job: Job, states: object, error: object = None) -> None:
        if not shiboken6.isValid(self) or job is not self.job:
            return  # the tab is gone, or other coders were chosen meanwhile
        self.job = None
        self.hide()
        if states is None:
            self.failed.emit(f"Could not count the articles' curation states: {error}")
        else:
            self.counted.emit(states)
