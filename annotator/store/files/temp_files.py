"""Hidden temporary files beside a file being written, and removing those a killed run left.

A file is written next to its target and renamed over it, so the target is never half
written. A process killed meanwhile leaves its temporary behind (ten killed 1 GB exports left
95 MB of hidden files). The name carries the writer's process id, so the next run removes only
the temporaries of processes that are gone, never one another process is still writing.
"""

import contextlib
import os
import re
import time
import uuid
from pathlib import Path

#: Temporaries of an older naming, without a process id, count as stale after this long.
_UNOWNED_STALE_SECONDS = 24 * 3600


def temporary_beside(target: Path) -> Path:
    """A new hidden name in ``target``'s folder, after removing stale ones of ``target``."""
    remove_stale_temporaries(target)
    return target.with_name(f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:12]}.tmp")


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Remove the temporaries of ``target`` whose writer has ended; returns what went."""
    pattern = re.compile(
        rf"^\.{re.escape(target.name)}\.(?:(?P<pid>\d+)-)?[0-9a-f]{{12}}\.tmp(?:-wal|-shm|-journal)?$"
    )
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in target.parent.iterdir():
            found = pattern.match(entry.name)
            if found is None or not _abandoned(entry, found.group("pid")):
                continue
            with contextlib.suppress(OSError):
                entry.unlink()
                removed.append(entry)
    return removed


def _abandoned(path: Path, pid: str | None) -> bool:
    if pid is None:
        return time.time() - path.lstat().st_mtime > _UNOWNED_STALE_SECONDS
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False
