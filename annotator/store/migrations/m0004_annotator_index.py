"""Migration 0004: released, so never edited; a change is a new migration. Its SQL is
spelled out as it went into users' files, which is why the function is as long as it is."""

from sqlite_utils import Database

from annotator.store.migrations.registry import migrations, run_statements


@migrations(name="0004_annotator_index")
def m0004_annotator_index(db: Database) -> None:
    """The coders' names are read at every start (the panel's coder filter); with this index
    they are found by jumping from one name to the next instead of reading every annotation."""
    run_statements(
        db,
        "CREATE INDEX annotations_annotator ON annotations(annotator)",
        "PRAGMA user_version = 4",
    )
