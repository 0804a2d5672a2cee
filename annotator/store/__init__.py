"""The only package that talks to SQLite. It hands out domain objects, never cursors."""

from annotator.store.project_file import ProjectFileError
from annotator.store.store import Store

__all__ = ["ProjectFileError", "Store"]
