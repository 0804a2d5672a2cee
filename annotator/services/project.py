"""Opening a project: the entry point of every use case, for the window and the CLI alike."""

import getpass
import logging
import os
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from annotator.core.errors import AnnotatorError
from annotator.services.annotations import AnnotationService
from annotator.services.articles import ArticleService
from annotator.services.backup import backup_if_due, recover_interrupted_restore
from annotator.services.codebook import CodebookService
from annotator.services.variables import VariableService
from annotator.store import Store
from annotator.store.files.backups import DamagedCopyError
from annotator.store.files.errors import ProjectFileError, ProjectReadOnlyError, WriteError
from annotator.store.files.lock import ProjectInUseError, ProjectLock, refuse_hard_links
from annotator.store.files.project_file import check_writable, inspect_project_file

__all__ = [
    "APP_NAME",
    "DEFAULT_PROJECT_NAME",
    "PROJECT_SUFFIX",
    "Project",
    "ProjectFileError",
    "ProjectInUseError",
    "ProjectReadOnlyError",
    "WriteError",
    "app_data_dir",
    "default_annotator",
    "default_project_path",
    "open_memory_project",
    "open_project",
]

APP_NAME = "Annotator"
PROJECT_SUFFIX = ".annotator"
DEFAULT_PROJECT_NAME = "default" + PROJECT_SUFFIX

log = logging.getLogger(__name__)


def app_data_dir() -> Path:
    """The per-user data folder ($XDG_DATA_HOME/Annotator on Linux), the same folder Qt's
    QStandardPaths.AppDataLocation names, found without loading Qt."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False, roaming=True)


def default_project_path() -> Path:
    return app_data_dir() / DEFAULT_PROJECT_NAME


def default_annotator() -> str:
    """The login name: a sensible default until the researcher names themself."""
    try:
        return os.environ.get("ANNOTATOR_NAME") or getpass.getuser()
    except (KeyError, OSError):
        return "annotator"


@dataclass
class Project:
    """An open project and the services bound to it."""

    path: Path | None
    store: Store
    annotations: AnnotationService
    codebook: CodebookService
    articles: ArticleService
    created: bool = False  # this open created the file
    lock: ProjectLock | None = None  # held until close(): other processes are refused
    #: What went wrong on the side while opening (a daily backup that could not be written),
    #: for the window or the CLI to show; the project itself opened fine.
    warnings: list[str] = field(default_factory=list)
    #: A daily backup running on another thread (``open_project(background_backup=True)``);
    #: its result is a warning, or None when it went well or was not due.
    backup: Future[str | None] | None = None
    #: close() was called: work that finishes later (on a worker) has nothing left to show in
    closed: bool = field(default=False, init=False)

    def close(self) -> None:
        """Waits for a daily backup still running, so that it completes before the lock goes
        and the process may end."""
        if self.backup is not None:
            wait([self.backup])
        self.closed = True
        self.store.close()
        if self.lock is not None:
            self.lock.release()

    @property
    def variables(self) -> VariableService:
        """Article variables (it keeps no state, so one is made when asked)."""
        return VariableService(self.store)

    @property
    def read_only(self) -> bool:
        """Opened with ``open_project(read_only=True)``: no lock, and every change refused."""
        return self.store.read_only

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        """A read-only project that another program changed under it (rare: see
        ``Store.changed_while_read``) raises on leaving the block, so that a command does not
        report success for what may mix two states."""
        disturbed = exc_type is None and self.store.changed_while_read()
        self.close()
        if disturbed:
            raise ProjectFileError(
                f"{self.path} was changed by another program while this command read it, so "
                "what it printed or wrote may mix the states before and after. Run it again."
            )


def _bind(store: Store, path: Path | None, annotator: str, *, created: bool) -> Project:
    annotations = AnnotationService(store, annotator)
    return Project(
        path=path,
        store=store,
        annotations=annotations,
        codebook=CodebookService(store),
        # Statuses are the coder's: the same name, read when used (File > Coder name sets it).
        articles=ArticleService(store, coder=lambda: annotations.annotator),
        created=created,
    )


def open_project(
    path: Path | None = None,
    *,
    annotator: str | None = None,
    create: bool = True,
    background_backup: bool = False,
    read_only: bool = False,
) -> Project:
    """Open the project at ``path``, or the default project when ``path`` is None.

    A new file gets the starter codebook; the default project also gets the sample articles,
    so a first-time user sees real text at once, while a researcher's own project starts empty.
    With ``create=False`` a missing file is an error (for commands that only read).

    Refused, with a message that says why and leaves the file untouched: a file that is not
    a project of this version, a file with more than one name (hard links), a read-only file
    or folder (ProjectReadOnlyError), and a project that another process has open
    (ProjectInUseError, naming who). An existing project is backed up first when it has no
    backup from the last day; with ``background_backup`` (the window) that backup runs on
    another thread while the project is in use (``backup``).

    With ``read_only`` (commands that only read) nothing is written and nothing created: no
    lock is taken, so it works while a window or another command has the project open; no
    migration (a file of an older version is refused) and no backup. ``create`` then applies
    to the default project only, which a first-time user's ``annotator stats`` seeds.
    """
    is_default = path is None
    path = (path or default_project_path()).expanduser()
    recover_interrupted_restore(path)  # finish or undo a restore killed halfway, first of all
    if path.is_symlink() and not path.exists():
        raise ProjectFileError(
            f"{path} is a link to {path.readlink()}, which does not exist. Annotator does not "
            "create a project (or folders) through a link: open the real file's path."
        )
    if read_only:
        return _open_for_reading(path, annotator, create=create and is_default)
    if not create and not path.exists():
        raise ProjectFileError(f"There is no project at {path}.")
    existed = path.exists()
    refuse_hard_links(path)  # two names would get two locks and two journals
    check_writable(path)
    new = inspect_project_file(path) == 0  # missing, empty, or never migrated
    lock = ProjectLock.acquire(path)
    try:
        store = Store.open(path)
    except BaseException:
        lock.release()
        raise
    try:
        project = _bind(store, path, annotator or default_annotator(), created=new)
        project.lock = lock
        _seed_or_back_up(project, new=new, samples=is_default, background=background_backup)
    except BaseException:
        store.close()
        if new and not existed:
            _remove_new_file(path)  # so the next start seeds it again
        lock.release()
        raise
    return project


def _seed_or_back_up(project: Project, *, new: bool, samples: bool, background: bool) -> None:
    """A new project gets its starter codebook (and the default one the sample articles); an
    existing one its daily backup, once per process, on another thread for the window."""
    store, lock = project.store, project.lock
    if new:
        from annotator.services.samples import load_sample_articles, load_starter_codebook

        with store.atomic():
            load_starter_codebook(store)
            if samples:
                load_sample_articles(store)
    elif lock is not None and lock.first and background:
        project.backup = _BACKUPS.submit(_daily_backup, store, own_connection=True)
    elif lock is not None and lock.first:  # a second open in this process: nothing new
        warning = _daily_backup(store)
        project.warnings.extend([warning] if warning else [])


def _open_for_reading(path: Path, annotator: str | None, *, create: bool) -> Project:
    created = create and not path.exists()
    if created:
        open_project(annotator=annotator).close()  # the first start, as the window makes it
    elif not path.exists():
        raise ProjectFileError(f"There is no project at {path}.")
    refuse_hard_links(path)  # a writer through the other name keeps its journal elsewhere
    store = Store.open_read_only(path)
    return _bind(store, path, annotator or default_annotator(), created=created)


#: One thread for daily backups: never two copies of one file at once.
_BACKUPS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="annotator-backup")


def _daily_backup(store: Store, *, own_connection: bool = False) -> str | None:
    """A failed daily backup (a full disk, say) must not keep anyone from their work: it
    becomes a warning to show."""
    try:
        backup_if_due(store, own_connection=own_connection)
    except DamagedCopyError as exc:
        log.warning("%s", exc)
        store.distrust()
        return (
            f"The daily backup was not written: {exc} The backup copies the project as it is, "
            "so the project file itself is damaged. Close Annotator, then run 'annotator "
            "check', or restore a backup ('annotator restore' lists them)."
        )
    except AnnotatorError as exc:
        log.warning("%s", exc)
        return f"The daily backup was not written: {exc}"
    return None


def _remove_new_file(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)


def open_memory_project(*, annotator: str = "tester", samples: bool = False) -> Project:
    """A throwaway project in memory, built like a real one: for tests and previews."""
    from annotator.services.samples import load_sample_articles, load_starter_codebook

    store = Store.in_memory()
    with store.atomic():
        load_starter_codebook(store)
        if samples:
            load_sample_articles(store)
    return _bind(store, None, annotator, created=True)
