"""What can go wrong with a project file, as errors whose message says what to do."""

from annotator.core.errors import AnnotatorError


class ProjectFileError(AnnotatorError):
    """The file cannot be used as a project; the message says why and what to do."""


class ProjectReadOnlyError(ProjectFileError):
    """The project file, or the folder it is in, cannot be written."""


class UntrustedSchemaError(ProjectFileError):
    """The file holds tables, triggers or views that Annotator did not create."""


class WriteError(ProjectFileError):
    """A change could not be written (full disk, read-only file, I/O error). The transaction
    was rolled back, so the project is exactly as it was before the change."""


class DiskFullError(WriteError):
    """The disk is full. Nothing is damaged, so the message never sends anyone to a backup:
    what was committed is in the file and its journal, and freeing space is the cure."""
