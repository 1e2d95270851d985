"""One owner per embedded store: an exclusive lock on ``<store>.lock``.

Nothing in SurrealDB's embedded engine stops two processes from opening one
``surrealkv`` directory, and two writers silently corrupt its index; the usearch index
beside it would diverge as well. So opening takes an exclusive, non-blocking OS lock
(``flock`` on POSIX, ``msvcrt.locking`` on Windows) that the OS releases if the
process dies, and a second opener, in this process or another, is refused with a
:class:`~fluent_ai.memory.errors.StoreLockedError` that says what to do instead.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from fluent_ai.memory.errors import StoreLockedError


class StoreLock:
    """An exclusive lock held on ``path`` until :meth:`release`."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, store: Path) -> StoreLock:
        """Lock ``store`` (a directory) through ``<store>.lock``, or raise."""
        path = store.with_name(store.name + ".lock")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(fd)
        except OSError:
            owner = _read_owner(fd)
            os.close(fd)
            raise StoreLockedError(
                f"the memory store {store} is already open ({owner}); an embedded store has "
                "one owner. Close the other one, or share the memories through a SurrealDB "
                "server: Memory.open('ws://host:8000', namespace=..., database=...)"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        return cls(path, fd)

    def release(self) -> None:
        """Give the lock up (closing the file releases it on every platform)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)


def _lock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _read_owner(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        pid = os.read(fd, 32).decode().strip()
    except (OSError, UnicodeDecodeError):
        pid = ""
    if pid == str(os.getpid()):
        return "by this process"
    return f"by process {pid}" if pid.isdigit() else "by another process"
