"""One place for timestamps, so every record uses the same UTC ISO-8601 form."""

from datetime import UTC, datetime


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")
