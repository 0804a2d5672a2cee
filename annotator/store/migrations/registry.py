"""The list the migrations register in, and how a migration runs its statements."""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("annotator")


def run_statements(db: Database, *statements: str) -> None:
    """One statement at a time: db.executescript() would COMMIT and break the migration's
    transaction."""
    for statement in statements:
        db.execute(statement)
