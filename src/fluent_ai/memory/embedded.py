"""Embedded ``surrealkv`` clients: made once per store in a process, then reused.

Why: with ``surrealdb`` 2.0.0, making an embedded ``surrealkv`` client (its constructor
opens the datastore) starts a pool of OS threads (``surrealdb-threadpool``, from
``affinitypool`` 0.3.1) that nothing stops: not ``close()``, not dropping the client,
not ``gc.collect()``, not the end of the event loop. Measured on 2 CPUs: 8 threads and
about 0.5 MB per client. A program that opened and closed a store per request would run
out of threads. ``mem://`` clients start none, so only ``surrealkv`` clients are kept.

A kept client is reconnected by the next open of the same store in this process, so
the threads grow with the number of distinct stores opened, not with the opens. The
SDK's ``close()`` stops nothing (the engine keeps its files open, and even answers
queries); dropping a client closes its files but not its threads. So a kept client
holds its store's files open (4 descriptors) after close; that does not bar another
process, because surrealkv takes no OS lock: our lock, released at close, is the guard.

Two things make reuse safe. The :class:`~fluent_ai.memory.lock.StoreLock` gives a store
one user at a time, so a client is taken out of the registry while its store is open
and put back when it is closed; no client is shared by two open stores, two threads or
two event loops at once (one client used from several loops *in turn* works). And a
closed client keeps its in-memory view of the store: measured, it does not see what
another process wrote after it was closed. So the store's files are fingerprinted
(name, inode, size, mtime) when the client is put back; if they differ when the store
is reopened, someone else wrote there and a fresh client is made (one more thread pool,
never a stale view).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Fingerprint = frozenset[tuple[str, int, int, int]]


@dataclass(frozen=True, slots=True)
class _Kept:
    client: Any
    files: Fingerprint


_guard = threading.Lock()
_kept: dict[str, _Kept] = {}


def take(url: str, store: Path) -> Any:
    """An unconnected client for the ``surrealkv`` store ``url`` (directory ``store``): the one kept
    from its last close if the store's files are as that close left them, else a new
    one. The caller holds the store's lock and gives the client back with :func:`keep`
    after a clean close (a client not given back is simply dropped)."""
    with _guard:
        kept = _kept.pop(url, None)
    if kept is not None and kept.files == fingerprint(store):
        return kept.client
    from surrealdb import AsyncSurreal

    return AsyncSurreal(url)


def keep(url: str, store: Path, client: Any) -> None:
    """Put back ``client``, just closed, for the next open of its store (call it before
    the store's lock is released, so no other opener can write in between)."""
    files = fingerprint(store)
    with _guard:
        _kept[url] = _Kept(client, files)


def is_kept(url: str) -> bool:
    """Whether a closed client is kept for ``url`` (none is while its store is open)."""
    with _guard:
        return url in _kept


def fingerprint(store: Path) -> Fingerprint:
    """Every file under ``store`` as (relative name, inode, size, mtime in ns); empty
    if the directory is gone. Any write by anyone changes it: surrealkv appends."""
    found: set[tuple[str, int, int, int]] = set()
    pending = [store]
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(Path(entry.path))
                    continue
                stat = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            name = os.path.relpath(entry.path, store)
            found.add((name, stat.st_ino, stat.st_size, stat.st_mtime_ns))
    return frozenset(found)
