"""One Annotator process per project: a lock file beside it says who has it open.

``study.annotator.lock`` carries an OS lock (``flock`` on POSIX, ``msvcrt.locking`` on
Windows) for as long as a process has the project open. The kernel drops that lock when the
process ends, however it ends, so a lock file left behind by a crash is simply taken over; the
file also records the holder (user, host, process id, since when), so that a second opener can
be told who has the project. Where the file system cannot lock at all (some network shares),
the record decides: a live process on this host, or any process on another host, holds the
project; a dead process on this host left a stale lock, which is taken over.

Within one process a project may be opened more than once (a window reopening its own project,
tests): the lock counts its users and releases the OS lock with the last. Another process is
always refused, whether it means to write or only to read, which is the one rule that needs no
exceptions to be safe.
"""

import contextlib
import errno
import getpass
import json
import os
import socket
import sys
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from annotator.store.project_file import ProjectFileError, ProjectReadOnlyError

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

LOCK_SUFFIX = ".lock"
_WINDOWS = sys.platform == "win32"
_WINDOWS_LOCK_OFFSET = 1 << 20  # past the record, so others can still read who holds it
_NOT_HELD = (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, getattr(errno, "EDEADLOCK", -1))
_READ_ONLY = (errno.EACCES, errno.EPERM, errno.EROFS)


@dataclass(frozen=True, slots=True)
class LockHolder:
    """Who holds a project: enough to find the window and ask them to close it."""

    user: str
    hostname: str
    pid: int
    since: str  # UTC, ISO 8601

    @classmethod
    def me(cls) -> "LockHolder":
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "unknown user"
        return cls(user, socket.gethostname(), os.getpid(), datetime.now(UTC).isoformat())

    def describe(self) -> str:
        try:
            since = datetime.fromisoformat(self.since).astimezone().strftime("%Y-%m-%d %H:%M")
        except ValueError:
            since = self.since
        return f"{self.user} on {self.hostname} (process {self.pid}, since {since})"

    def is_alive(self) -> bool:
        """False only when certain: a process of this host that no longer exists."""
        if self.hostname != socket.gethostname() or _WINDOWS:
            return True  # another machine's processes cannot be seen from here
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True  # alive, and another user's
        return True


class ProjectInUseError(ProjectFileError):
    """Another Annotator has the project open; ``holder`` says who, when known."""

    def __init__(self, project: Path, holder: LockHolder | None, advice: str = "") -> None:
        self.holder = holder
        who = f"by {holder.describe()}" if holder else "by another Annotator"
        advice = advice or "Close it there first, then open it here."
        super().__init__(f"{project} is in use {who}. {advice} Nothing was changed.")


def lock_path(project: Path) -> Path:
    return project.with_name(project.name + LOCK_SUFFIX)


def read_holder(project: Path) -> LockHolder | None:
    """Who the lock file names, or None when there is none or it cannot be read."""
    try:
        return _parse(lock_path(project).read_bytes())
    except OSError:
        return None


@dataclass(slots=True)
class _Held:
    fd: int
    pid: int
    users: int


_held: dict[Path, _Held] = {}
_guard = threading.Lock()


class ProjectLock:
    """This process's claim on one project; ``release`` it (or leave the ``with`` block)."""

    def __init__(self, project: Path, key: Path, *, first: bool) -> None:
        self.project = project
        #: This claim took the OS lock: the process had not had the project open before.
        self.first = first
        self._key = key
        self._released = False

    @classmethod
    def acquire(cls, project: Path, *, reentrant: bool = True) -> "ProjectLock":
        """Claim ``project`` or raise ProjectInUseError naming the holder. With
        ``reentrant=False`` this process must not have it open either (a restore)."""
        key = project.resolve()
        with _guard:
            held = _held.get(key)
            if held is not None and held.pid == os.getpid():
                if not reentrant:
                    raise ProjectInUseError(
                        project, LockHolder.me(), "Close it in this program first."
                    )
                held.users += 1
                return cls(project, key, first=False)
            # Not held, or held by the process this one was forked from.
            _held[key] = _Held(_take(key), os.getpid(), 1)
        return cls(project, key, first=True)

    def release(self) -> None:
        with _guard:
            if self._released:
                return
            self._released = True
            held = _held.get(self._key)
            if held is None or held.pid != os.getpid():
                return
            held.users -= 1
            if held.users == 0:
                del _held[self._key]
                _give_up(held.fd, lock_path(self._key))

    def __enter__(self) -> "ProjectLock":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def _take(project: Path) -> int:
    """Open the lock file and lock it; the open descriptor is the claim."""
    path = lock_path(project)
    for _ in range(5):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            if exc.errno in _READ_ONLY:
                raise ProjectReadOnlyError(
                    f"Cannot create the lock file {path} ({exc.strerror}): the folder is "
                    "read-only. Copy the project to a folder you can write to."
                ) from exc
            raise ProjectFileError(f"Cannot create the lock file {path}: {exc.strerror}.") from exc
        try:
            locked = _os_lock(fd)
            if locked is False:
                raise ProjectInUseError(project, _read_settled(fd))
            if locked is None:  # no locking on this file system: the record decides
                holder = _read(fd)
                if holder is not None and holder.is_alive():
                    raise ProjectInUseError(
                        project,
                        holder,
                        f"Close it there first. If Annotator is not running there, delete "
                        f"{path.name} and try again.",
                    )
            if locked and not _still_at(fd, path):
                os.close(fd)  # its holder removed it as we opened it: take the new one
                continue
            _write(fd, LockHolder.me())
        except BaseException:
            os.close(fd)
            raise
        return fd
    raise ProjectInUseError(project, read_holder(project))


def _os_lock(fd: int) -> bool | None:
    """True when locked, False when another process holds it, None when unsupported."""
    try:
        if _WINDOWS:
            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in _NOT_HELD:
            return False
        return None  # ENOLCK, ENOTSUP, ...: this file system does not lock
    return True


def _still_at(fd: int, path: Path) -> bool:
    try:
        mine, there = os.fstat(fd), path.stat()
    except FileNotFoundError:
        return False
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)


def _give_up(fd: int, path: Path) -> None:
    """Remove the file while still holding it (POSIX), so that no one locks a file that is
    about to vanish; Windows cannot delete an open file, so it closes first."""
    if not _WINDOWS:
        path.unlink(missing_ok=True)
        os.close(fd)
        return
    os.close(fd)
    with contextlib.suppress(PermissionError):  # another process has just opened it
        path.unlink(missing_ok=True)


def _write(fd: int, holder: LockHolder) -> None:
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, json.dumps(asdict(holder)).encode("utf-8"))


def _read(fd: int) -> LockHolder | None:
    os.lseek(fd, 0, os.SEEK_SET)
    return _parse(os.read(fd, 4096))


def _read_settled(fd: int) -> LockHolder | None:
    """The holder writes its record just after locking: give it a moment to appear."""
    for _ in range(10):
        holder = _read(fd)
        if holder is not None:
            return holder
        time.sleep(0.02)
    return None


def _parse(data: bytes) -> LockHolder | None:
    try:
        fields = json.loads(data.decode("utf-8"))
        return LockHolder(
            str(fields["user"]), str(fields["hostname"]), int(fields["pid"]), str(fields["since"])
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
