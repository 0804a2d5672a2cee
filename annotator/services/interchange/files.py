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
def atomic_path(path: Path) -> Iterator[Path]:
    """A hidden temporary path beside ``path`` to write the whole file to; it becomes ``path``
    only once the block completes.

    The temporary file is in the same folder (so ``os.replace`` is an atomic rename on one
    file system) and must be created anew by the block, never over another file. On any
    exception, Ctrl+C included, it is removed and ``path`` keeps its old content; an OSError
    becomes an ExportError naming the path.
    """
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name.")
    if not path.parent.is_dir():
        raise ExportError(f"The folder {path.parent} does not exist.")
    temporary = temporary_beside(path)
    try:
        yield temporary
        if path.exists():
            shutil.copymode(path, temporary)  # a replaced file keeps its permissions
        os.replace(temporary, path)  # noqa: PTH105 - the atomic step, named plainly
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ExportError(f"Could not write {path}: {exc.strerror or exc}.") from exc
        raise


@contextmanager
def atomic_text_file(path: Path, *, newline: str = "") -> Iterator[TextIO]:
    """A UTF-8 text file that appears at ``path`` only once the block completes and is on
    disk (see atomic_path). ``newline=""`` leaves line ends to the caller, as the csv module
    requires."""
    with atomic_path(path) as temporary:
        try:
            # "x": created anew with the usual permissions (umask), never over another file.
            handle = temporary.open("x", encoding="utf-8", newline=newline)
        except OSError as exc:
            raise ExportError(
                f"Cannot write to {Path(path).parent}: {exc.strerror or exc}."
            ) from exc
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())


def write_file_atomically(path: Path, data: bytes) -> None:
    """``data`` as the whole file at ``path``, on disk before it appears (see atomic_path)."""
    with atomic_path(path) as temporary, temporary.open("xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
