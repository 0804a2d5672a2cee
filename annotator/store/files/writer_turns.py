"""One writer at a time per project file within this process.

The window and an import worker each have a connection to the project. SQLite refuses, at
once and without waiting, a transaction that read before it writes while another connection
writes; so each connection's outermost transaction waits its turn here, in the order asked."""

import os
import threading
import weakref
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: How long a writer waits for its turn before SQLite's own busy timeout has the last word.
_TURN_SECONDS = 5.0


class WriterTurns:
    """The connections of this process to one project file write in turns, in the order
    they asked: the window's and a worker thread's (an import, a merge).

    SQLite's busy timeout alone does not share a file between two connections: a transaction
    that has read before it writes is refused at once (SQLITE_BUSY, no waiting) while the other
    connection holds the write lock, and a writer that commits and begins again at once (an
    import's batches) would starve one that polls for the lock. A thread already writing on one
    connection is not made to wait for itself on another (SQLite then decides, as before).
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._waiting: deque[object] = deque()
        self._owner: int | None = None
        self._depth = 0

    @contextmanager
    def turn(self) -> Iterator[None]:
        mine = self._acquire()
        try:
            yield
        finally:
            if mine:
                self._release()

    def _acquire(self) -> bool:
        me = threading.get_ident()
        with self._changed:
            if self._owner == me:
                self._depth += 1
                return True
            ticket = object()
            self._waiting.append(ticket)
            if self._changed.wait_for(
                lambda: self._owner is None and self._waiting[0] is ticket, _TURN_SECONDS
            ):
                self._waiting.popleft()
                self._owner, self._depth = me, 1
                return True
            self._waiting.remove(ticket)  # waited too long: SQLite's busy timeout decides
            self._changed.notify_all()
            return False

    def _release(self) -> None:
        with self._changed:
            self._depth -= 1
            if self._depth == 0:
                self._owner = None
                self._changed.notify_all()


_TURNS: "weakref.WeakValueDictionary[str, WriterTurns]" = weakref.WeakValueDictionary()
_TURNS_GUARD = threading.Lock()


def writer_turns_for(path: Path) -> WriterTurns:
    """The one turn-keeper of this file in this process, shared by all its connections."""
    key = os.path.normcase(os.path.realpath(path))
    with _TURNS_GUARD:
        turns = _TURNS.get(key)
        if turns is None:
            turns = _TURNS[key] = WriterTurns()
        return turns
