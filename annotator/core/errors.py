"""Errors a researcher may see: each carries a message fit to be shown as one line."""


class AnnotatorError(Exception):
    """Base of every error the CLI and the window report as a plain message."""


class ValidationError(AnnotatorError):
    """The request breaks a rule of the domain (bad offsets, wrong code kind, ...)."""


class NotFoundError(AnnotatorError):
    """An id that names nothing in the project."""


class ConflictError(AnnotatorError):
    """The request clashes with what is stored (a duplicate name, a code still in use)."""
