"""The schema a project file must have: exactly what the migrations build, SQL for SQL.

A project may come from someone else, and SQLite runs a file's triggers and views as part of
reading and writing it; so every table, index, trigger and view is compared with the one the
migrations create before anything else touches the file."""

import functools
import re
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from annotator.store.files.errors import ProjectFileError, UntrustedSchemaError
from annotator.store.migrations import migrations

#: (type, table, SQL) by name. The SQL is the whole definition: a table's columns, CHECK and
#: foreign-key clauses, an index's columns and WHERE, a trigger's or a view's body. SQLite
#: builds the schema from exactly this text, so an object whose text is ours behaves as ours.
Schema = dict[str, tuple[str, str, str | None]]


#: The tables SQLite itself adds (ANALYZE, AUTOINCREMENT), as SQLite defines them: they hold
#: numbers, no code. SQLite reserves these names, so another definition of one was written
#: past SQLite's own rules, and is refused like any object that is not ours.
_SQLITE_TABLES = {
    "sqlite_stat1": "CREATE TABLE sqlite_stat1(tbl,idx,stat)",
    "sqlite_stat4": "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)",
    "sqlite_sequence": "CREATE TABLE sqlite_sequence(name,seq)",
}


#: What SQLite reads as written (string literals, quoted names) and what it skips between
#: tokens (whitespace as SQLite defines it, and comments).
_SQL_PARTS = re.compile(
    r"""(?P<kept>'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\])"""
    r"""|(?:[ \t\n\f\r]+|--[^\n]*|/\*.*?(?:\*/|\Z))+""",
    re.DOTALL,
)


def normalised_sql(sql: str | None) -> str | None:
    """``sql`` with each run of whitespace and comments between tokens made one space, and
    literals and quoted names left exactly as written: two texts that normalise alike are the
    same tokens to SQLite. Nothing else is normalised (case, quoting), since the migrations'
    own output already compares equal: SQLite stores the statements as they ran."""
    if sql is None:
        return None
    return _SQL_PARTS.sub(lambda part: part["kept"] or " ", sql).strip()


def schema_of(conn: sqlite3.Connection) -> Schema:
    """Every object in the file by name, with its whole definition. Reading the schema runs
    nothing in it. A trigger may share another object's name, so ``vet_schema`` refuses a
    repeated name before it compares this."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    return {name: (kind, table, normalised_sql(sql)) for kind, name, table, sql in rows}


@functools.cache
def expected_schema(version: int) -> Schema:
    """What a file of schema ``version`` holds: built in memory by the same migrations, so a
    migration added later is checked without anyone listing its objects here."""
    db = Database(memory=True)
    names = [m.name for m in migrations.pending(db)]  # an empty database: every migration
    migrations.apply(db, stop_before=names[version] if version < len(names) else None)
    schema = schema_of(db.conn)
    db.close()
    return schema


def _comparable(schema: Schema) -> Schema:
    """The schema without what sqlite-utils decides about its own bookkeeping table (its
    columns and indexes), which may differ between its versions; ``_vet_bookkeeping`` makes
    sure that they hold no code. The table's name and type are still compared, and any
    trigger or view, whatever it is on, must be one of ours."""
    bookkeeping = migrations.migrations_table
    return {
        name: (kind, table, None if (kind, name) == ("table", bookkeeping) else sql)
        for name, (kind, table, sql) in schema.items()
        if not (kind == "index" and table == bookkeeping)
    }


def vet_schema(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Refuse a file whose schema is not exactly what the migrations create for ``version``:
    a trigger with one of our names but another body runs as surely as a new one."""
    (repeated,) = conn.execute(
        "SELECT min(name) FROM (SELECT name FROM sqlite_master GROUP BY name HAVING count(*) > 1)"
    ).fetchone()
    if repeated is not None:  # a trigger may share a table's name, and hide behind it
        raise UntrustedSchemaError(
            f"{path} has been altered: it holds two objects named {repeated!r}, so the file is "
            "not opened; ask for a clean copy, or restore a backup."
        )
    found = schema_of(conn)
    expected = expected_schema(version)
    _vet_bookkeeping(conn, path, found)
    found, expected = _comparable(found), _comparable(expected)
    for name, (kind, _table, sql) in sorted(found.items()):
        if kind == "table" and name in _SQLITE_TABLES and sql == _SQLITE_TABLES[name]:
            continue
        if name not in expected:
            raise UntrustedSchemaError(
                f"{path} contains a {kind} {name!r} that Annotator did not create. A file can "
                "be altered to run hidden commands when it is edited, so this one is not "
                "opened; ask for a clean copy, or restore a backup."
            )
        if found[name] != expected[name]:
            raise UntrustedSchemaError(
                f"{path} has been altered: its {kind} {name!r} differs from the one Annotator "
                "creates, so the file is not opened; ask for a clean copy, or restore a backup."
            )
    missing = sorted(set(expected) - set(found))
    if missing and version > 0:  # a version-0 file may hold the start of an interrupted build
        raise ProjectFileError(f"{path} is damaged: {missing[0]!r} is missing.")


def _vet_bookkeeping(conn: sqlite3.Connection, path: Path, found: Schema) -> None:
    """sqlite-utils' bookkeeping table and its indexes are not compared with ours, so they
    must be plain: an ordinary table with no CHECK, DEFAULT, generated column or foreign key,
    and indexes on its columns alone (no expression, no WHERE). Whatever sqlite-utils created
    passes; an expression hidden there would run when a migration is recorded."""
    bookkeeping = migrations.migrations_table
    entry = found.get(bookkeeping)
    if entry is None or entry[0] != "table":
        return  # absent, or not a table: the comparison refuses the latter
    sql = entry[2] or ""
    words = set(re.findall(r"[A-Z_][A-Z0-9_$]*", _SQL_PARTS.sub(" ", sql).upper()))  # bare
    columns = conn.execute(
        "SELECT dflt_value, hidden FROM pragma_table_xinfo(?)", [bookkeeping]
    ).fetchall()
    plain = (
        sql.upper().startswith("CREATE TABLE ")
        and not {"CHECK", "DEFAULT", "AS", "GENERATED", "REFERENCES"} & words
        and all(default is None and hidden == 0 for default, hidden in columns)
        and not conn.execute("SELECT 1 FROM pragma_foreign_key_list(?)", [bookkeeping]).fetchone()
    )
    for name, partial in conn.execute(
        "SELECT name, partial FROM pragma_index_list(?)", [bookkeeping]
    ).fetchall():
        expressions = conn.execute(
            "SELECT 1 FROM pragma_index_xinfo(?) WHERE cid = -2", [name]
        ).fetchone()
        plain = plain and not partial and expressions is None
    if not plain:
        raise UntrustedSchemaError(
            f"{path} has been altered: its table {bookkeeping!r} is not the one Annotator "
            "creates, so the file is not opened; ask for a clean copy, or restore a backup."
        )
