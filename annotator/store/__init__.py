"""The only package that talks to SQLite. It hands out domain objects, never cursors."""

import sys


def _import_sqlite_utils_without_numpy() -> None:
    """sqlite-utils imports numpy when it is installed, only to map numpy's number types to
    column types; Annotator never stores numpy values. numpy is installed for the chart, and
    importing it here cost a quarter of the launch budget (benchmarks/README.md), so it is
    hidden while sqlite-utils loads and left for pyqtgraph to import when the chart is shown."""
    if "numpy" in sys.modules or "sqlite_utils" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # makes `import numpy` fail
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["numpy"]


_import_sqlite_utils_without_numpy()

from annotator.store.files.errors import ProjectFileError  # noqa: E402
from annotator.store.store import Store  # noqa: E402

__all__ = ["ProjectFileError", "Store"]
