"""Remembering that Annotator itself closed a file, so its next open may skip ``quick_check``."""

import contextlib
import hashlib
import json
from pathlib import Path

import platformdirs


def close_stamp(path: Path) -> Path:
    """In the user's cache folder, named by the file's absolute path: nothing is written
    beside the project, and losing the cache costs one check."""
    key = hashlib.sha256(str(path.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return platformdirs.user_cache_path("Annotator", appauthor=False) / "closed" / key[:32]


def file_identity(path: Path) -> dict[str, int]:
    info = path.stat()
    return {"size": info.st_size, "mtime_ns": info.st_mtime_ns, "inode": info.st_ino,
            "device": info.st_dev}  # fmt: skip


def closed_cleanly(path: Path) -> bool:
    """Whether the file is exactly as Annotator left it when it last closed it: no journal
    beside it, and the same size, time and inode as recorded then. Such a file was checked
    when it was opened before, so ``quick_check`` (about 3 s per GB) is skipped; a file that
    was copied in, restored, synced, edited by another tool or left by a crash is checked.
    Damage from the disk itself between two sessions is found by the daily backup, which
    checks its copy."""
    if Path(f"{path}-wal").exists() or Path(f"{path}-journal").exists():
        return False
    try:
        recorded = json.loads(close_stamp(path).read_text(encoding="utf-8"))
        return bool(recorded == file_identity(path))
    except (OSError, ValueError):
        return False


def forget_clean_close(path: Path) -> None:
    with contextlib.suppress(OSError):
        close_stamp(path).unlink(missing_ok=True)


def record_clean_close(path: Path) -> None:
    """After the last connection closed: SQLite has folded the journal into the file."""
    if Path(f"{path}-wal").exists() or not path.exists():
        return
    stamp = close_stamp(path)
    with contextlib.suppress(OSError):  # only a check is skipped next time, never data lost
        stamp.parent.mkdir(parents=True, exist_ok=True)
        partial = stamp.with_name(stamp.name + ".partial")
        partial.write_text(json.dumps(file_identity(path)), encoding="utf-8")
        partial.replace(stamp)
