"""The types of what goes into SQLite and what comes back."""

from typing import Any

#: A value SQLite stores (TEXT, INTEGER, REAL, BLOB or NULL), the way sqlite3 takes and gives it.
SqlValue = str | int | float | bytes | None

#: A fetched row. sqlite3 types a row's columns as Any: only the query that selected them knows
#: what they hold, so the code reading the row converts or names them where it uses them.
Row = tuple[Any, ...]

#: A row by column name (sqlite-utils' ``rows_where``), Any for the same reason.
RowDict = dict[str, Any]
