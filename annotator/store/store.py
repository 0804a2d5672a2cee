"""The Store: one open project file and the typed queries on it."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from annotator.store.annotations import AnnotationQueries
from annotator.store.article_texts import ArticleTextQueries
from annotator.store.articles import ArticleQueries, SourceQueries
from annotator.store.bulk import BulkQueries
from annotator.store.codes import CodeQueries
from annotator.store.coverage_queries import CoverageQueries
from annotator.store.curation_queries import CurationQueries
from annotator.store.files.project_file import (
    ProjectDatabase,
    backup_database,
    backup_file,
    open_memory_database,
    open_project_database,
)
from annotator.store.files.read_only import (
    ReadOnlyDatabase,
    open_read_only_database,
    scratch_copy_database,
)
from annotator.store.merge_queries import MergeQueries
from annotator.store.reports import ReportQueries
from annotator.store.suggestion_queries import SuggestionQueries
from annotator.store.variables import VariableQueries


class Store:
    """Every read and write of a project goes through here.

    Each write method is atomic on its own; a service wraps one user action in ``atomic()`` so
    that the whole action commits or none of it does (nested blocks become savepoints).
    """

    def __init__(self, db: Database, path: Path | None) -> None:
        self._db = db
        self.path = path
        self.sources = SourceQueries(db)
        self.articles = ArticleQueries(db)
        self.codes = CodeQueries(db)
        self.annotations = AnnotationQueries(db)
        self.reports = ReportQueries(db)
        self.coverage = CoverageQueries(db)
        self.merging = MergeQueries(db)
        self.suggestions = SuggestionQueries(db)
        self.bulk = BulkQueries(db)
        self.curation = CurationQueries(db)
        self.texts = ArticleTextQueries(db)
        self.variables = VariableQueries(db)

    @classmethod
    def open(cls, path: Path) -> "Store":
        """Open or create the project at ``path``; raises ProjectFileError if it is unusable."""
        return cls(open_project_database(path), path)

    @classmethod
    def open_read_only(cls, path: Path) -> "Store":
        """Open the project at ``path`` for reading only, beside any writer: no lock, no
        migration, nothing created. Refuses what ``open`` refuses, a missing file, and a file
        of an older schema (only a writer migrates); a write through it raises
        ReadOnlyProjectError and changes nothing."""
        return cls(open_read_only_database(path), path)

    @classmethod
    def in_memory(cls) -> "Store":
        return cls(open_memory_database(), None)

    @property
    def read_only(self) -> bool:
        return isinstance(self._db, ReadOnlyDatabase)

    def changed_while_read(self) -> bool:
        """Whether another program changed the file under this read-only store, so that what
        it read may mix two states; always False for a store that writes."""
        return isinstance(self._db, ReadOnlyDatabase) and self._db.changed_while_read()

    @contextmanager
    def scratch_copy(self) -> Iterator["Store"]:
        """A writable copy of what this store reads, in a temporary folder removed afterwards:
        for a check that writes and rolls back, on a store opened for reading only. It takes
        as much disk as the project."""
        with tempfile.TemporaryDirectory(prefix="annotator-") as folder:
            copy = Store(scratch_copy_database(self._db, Path(folder) / "copy.annotator"), None)
            try:
                yield copy
            finally:
                copy.close()

    @contextmanager
    def atomic(self, *, defer_foreign_keys: bool = False) -> Iterator[None]:
        """One transaction. ``defer_foreign_keys`` checks references at commit rather than per
        statement, so a set of rows that refer to each other can be written in any order."""
        with self._db.atomic():
            if defer_foreign_keys:
                self._db.execute("PRAGMA defer_foreign_keys = ON")
            yield

    def backup_to(self, target: Path, *, own_connection: bool = False) -> Path:
        """With ``own_connection`` the copy is read through a new connection, so it may run on
        another thread (a project file only; an in-memory store has no file to read)."""
        if own_connection and self.path is not None:
            return backup_file(self.path, target)
        return backup_database(self._db, target)

    @property
    def in_transaction(self) -> bool:
        return self._db.conn.in_transaction

    def distrust(self) -> None:
        """The file may be damaged: check every page when it is next opened."""
        if isinstance(self._db, ProjectDatabase):
            self._db.distrust()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
