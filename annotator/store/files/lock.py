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
always refused. Commands that only read do not take the lock at all (see
``annotator.services.project``): SQLite gives them a consistent snapshot beside a writer.

The lock file's name is known in advance, so something else may already be there: a symbolic
link to someone's thesis, a named pipe, a second name of another file. The lock is created
new (``O_EXCL``), an existing one is opened without following a link (``O_NOFOLLOW``) or
blocking on a pipe, and anything but a plain file of one name is refused untouched; at the
end the file is removed only if it is still the one this process locked.
"""

import contextlib
import errno
import getpass
import json
import os
import socket
import stat
import sys
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from annotator.store.files.errors import ProjectFileError, ProjectReadOnlyError

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

LOCK_SUFFIX = ".lock"
_WINDOWS = sys.platform == "win32"
_WINDOWS_LOCK_OFFSET = 1 << 20  # past the record, so others can still read who holds it
_NOT_HELD = (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, getattr(errno, "EDEADLOCK", -1))
_READ_ONLY = (errno.EACCES, errno.EPERM, errno.EROFS)
#: What opening a symbolic link with O_NOFOLLOW fails with (EMLINK on FreeBSD).
_LINK_REFUSED = (errno.ELOOP, errno.EMLINK)
#: Never follow a link; never wait for a writer on a named pipe; never leak into children.
_OPEN_FLAGS = (
    getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


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
    """Who the lock file names, or None when there is none, it cannot be read, or it is not
    a plain file (a link is not followed, a pipe not waited on)."""
    path = lock_path(project)
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        fd = os.open(path, os.O_RDONLY | _OPEN_FLAGS)
    except OSError:
        return None
    try:
        return _parse(os.read(fd, 4096)) if stat.S_ISREG(os.fstat(fd).st_mode) else None
    except OSError:
        return None
    finally:
        os.close(fd)


def refuse_hard_links(project: Path) -> None:
    """Refuse a project file with more than one name. The lock and SQLite's journal are found
    by the file's name, so each name would get its own: two programs could then write the one
    file at once, and concurrent imports through two names did corrupt it."""
    try:
        names = project.stat().st_nlink
    except OSError:
        return  # missing: nothing to refuse yet
    if names > 1:
        raise ProjectFileError(
            f"{project} has {names} names (hard links) on this disk. Annotator finds a "
            "project's lock and journal by its name, so through two names two programs could "
            "change it at once and damage it; copy it instead (a copy, not a link) and open "
            "the copy. Nothing was changed."
        )


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
        fd = _open_lock_file(path)
        if fd is None:
            continue  # its holder removed it as we opened it: make a new one
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


def _open_lock_file(path: Path) -> int | None:
    """A new lock file, or the one already there if it is a plain file of one name (left by a
    crash, or held by another process: the OS lock tells); None if it vanished meanwhile."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | _OPEN_FLAGS, 0o644)
        except FileExistsError:
            pass
        _refuse_foreign(path, os.lstat(path))  # before opening: a device is never opened
        fd = os.open(path, os.O_RDWR | _OPEN_FLAGS)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno in _LINK_REFUSED:  # replaced by a link between lstat and open
            _refuse_foreign(path, os.lstat(path))
        if exc.errno in _READ_ONLY:
            raise ProjectReadOnlyError(
                f"Cannot create the lock file {path} ({exc.strerror}): the folder is "
                "read-only. Copy the project to a folder you can write to."
            ) from exc
        raise ProjectFileError(f"Cannot create the lock file {path}: {exc.strerror}.") from exc
    try:
        _refuse_foreign(path, os.fstat(fd))  # what was opened, whatever lstat saw
    except BaseException:
        os.close(fd)
        raise
    return fd


def _refuse_foreign(path: Path, info: os.stat_result) -> None:
    """Anything but a plain file of one name is not a lock Annotator made: writing the record
    into it would overwrite what it points to or is another name of."""
    mode = info.st_mode
    kinds = [
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "a socket"),
        (lambda m: stat.S_ISCHR(m) or stat.S_ISBLK(m), "a device"),
        (lambda m: not stat.S_ISREG(m), "not a regular file"),
    ]
    what = next((name for test, name in kinds if test(mode)), None)
    if what is None and info.st_nlink > 1:
        what = f"a file with {info.st_nlink} names (hard links)"
    if what is not None:
        raise ProjectFileError(
            f"The lock file {path} is {what}, not a lock file Annotator made. Annotator will "
            "not follow, overwrite or delete it: move it out of the way, then try again. "
            "Nothing was changed."
        )


def _os_lock(fd: int) -> bool | None:
    """True when locked, False when another process holds it, None when unsupported."""
    try:
        if sys.platform == "win32":  # _WINDOWS, spelled so the type checker sees msvcrt's import
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
    """Whether ``path`` itself (not what a link there points to) is the file ``fd`` holds."""
    return _is_at(os.fstat(fd), path)


def _is_at(mine: os.stat_result, path: Path) -> bool:
    try:
        there = os.lstat(path)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)


def _give_up(fd: int, path: Path) -> None:
    """Remove the file while still holding it (POSIX), so that no one locks a file that is
    about to vanish; Windows cannot delete an open file, so it closes first. Only the file
    this process locked is removed: whatever has replaced it since is someone else's."""
    mine = os.fstat(fd)
    if not _WINDOWS:
        if _is_at(mine, path):
            path.unlink(missing_ok=True)
        os.close(fd)
        return
    os.close(fd)
    with contextlib.suppress(PermissionError):  # another process has just opened it
        if _is_at(mine, path):
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
