"""Writing files others will open: atomically (a file appears whole or not at all, and a
killed run leaves nothing a later run does not clean), never over the project itself, and
with spreadsheet formulas neutralised. Shared by every export: CSV, brat, codebook, coverage."""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from annotator.core.errors import AnnotatorError
from annotator.store import Store
from annotator.store.files.temp_files import temporary_beside

#: A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class ExportError(AnnotatorError):
    """The export could not be written; the message names the path and the reason."""


def neutralise(value: str) -> str:
    """The cell as a spreadsheet shows it but never runs: a leading quote makes it text."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def refuse_project_file(store: Store, target: Path) -> None:
    """An export must never replace the project it reads (``--csv study.annotator``)."""
    if store.path is None:
        return
    project = store.path.resolve()
    sidecars = {project, project.with_name(project.name + "-wal")}
    sidecars.add(project.with_name(project.name + "-shm"))
    if target.resolve() in sidecars:
        raise ExportError(f"{target} is the project file itself; choose another name.")


@contextmanager
def atomic_text_file(path: Path, *, newline: str = "") -> Iterator[TextIO]:
    """A UTF-8 text file that appears at ``path`` only once the block completes.

    Written to a hidden temporary file in the same folder (so ``os.replace`` is an atomic
    rename on one file system), synced to disk, then moved over ``path``. On any exception,
    Ctrl+C included, the temporary file is removed and ``path`` keeps its old content.
    ``newline=""`` leaves line ends to the caller, as the csv module requires.
    """
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name.")
    if not path.parent.is_dir():
        raise ExportError(f"The folder {path.parent} does not exist.")
    temporary = temporary_beside(path)
    try:
        # "x": created anew with the usual permissions (umask), never over another file.
        handle = temporary.open("x", encoding="utf-8", newline=newline)
    except OSError as exc:
        raise ExportError(f"Cannot write to {path.parent}: {exc.strerror or exc}.") from exc
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            shutil.copymode(path, temporary)  # a replaced file keeps its permissions
        os.replace(temporary, path)  # noqa: PTH105 - the atomic step, named plainly
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ExportError(f"Could not write {path}: {exc.strerror or exc}.") from exc
        raise
