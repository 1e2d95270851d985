"""The on-disk response store: one SQLite file, shared by every process that opens it.

Answers survive a restart and are shared by the processes of one machine (SQLite's
own locking, in WAL mode so readers never wait for the writer). Each call runs in a
worker thread, so the event loop never waits on the disk. Expiry uses wall-clock time
(the file outlives the process, so a monotonic clock would mean nothing); eviction
beyond ``max_entries`` removes the least recently used, counting reads.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from fluent_ai._dirs import cache_dir
from fluent_ai.engine.cache_store import CacheEntry, CacheStoreError
from fluent_ai.engine.event_codec import decode_events, encode_events
from fluent_ai.types import ConfigurationError, StreamEvent

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key TEXT PRIMARY KEY,
    events BLOB NOT NULL,
    stored_at REAL NOT NULL,
    expires_at REAL,
    used_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_used ON answers (used_at);
"""


def default_path() -> Path:
    """``responses.sqlite3`` in fluent-ai's ``engine`` cache directory."""
    return cache_dir("engine") / "responses.sqlite3"


class SQLiteStore:
    """At most ``max_entries`` answers in the SQLite file ``path``; ``clock`` is for tests."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if max_entries < 1:
            raise ConfigurationError(
                f"SQLiteStore(max_entries={max_entries}) keeps nothing; pass 1 or more"
            )
        self.path = Path(path) if path is not None else default_path()
        self.max_entries = max_entries
        self._clock = clock
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path)!r}, max_entries={self.max_entries})"

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA busy_timeout=5000")
                db.executescript(_SCHEMA)
            except (OSError, sqlite3.Error) as exc:
                raise ConfigurationError(
                    f"cannot open the response cache at {self.path}: {exc}; pass "
                    "SQLiteStore(path=...) a writable file, or set FLUENT_AI_CACHE_DIR"
                ) from exc
            self._db = db
        return self._db

    def _failed(self, exc: sqlite3.Error) -> CacheStoreError:
        return CacheStoreError(
            f"the response cache at {self.path} failed: {exc}; another process may hold "
            "it locked, or the disk is full (SQLiteStore(path=...) can move it)",
            retryable=isinstance(exc, sqlite3.OperationalError),
        )

    async def get(self, key: str) -> CacheEntry | None:
        try:
            return await asyncio.to_thread(self._get, key)
        except sqlite3.Error as exc:
            raise self._failed(exc) from exc

    def _get(self, key: str) -> CacheEntry | None:
        now = self._clock()
        with self._lock:
            db = self._connection()
            row = db.execute(
                "SELECT events, stored_at, expires_at FROM answers WHERE key = ?", (key,)
            ).fetchone()
            if row is None:
                return None
            if row[2] is not None and now >= row[2]:
                db.execute("DELETE FROM answers WHERE key = ?", (key,))
                return None
            db.execute("UPDATE answers SET used_at = ? WHERE key = ?", (now, key))
        return CacheEntry(tuple(decode_events(row[0])), row[1])

    async def set(self, key: str, events: tuple[StreamEvent, ...], ttl: float | None) -> None:
        try:
            await asyncio.to_thread(self._set, key, encode_events(events), ttl)
        except sqlite3.Error as exc:
            raise self._failed(exc) from exc

    def _set(self, key: str, data: bytes, ttl: float | None) -> None:
        now = self._clock()
        expires = None if ttl is None else now + ttl
        with self._lock:
            db = self._connection()
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute(
                    "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)",
                    (key, data, now, expires, now),
                )
                db.execute("DELETE FROM answers WHERE expires_at <= ?", (now,))
                db.execute(
                    "DELETE FROM answers WHERE key IN (SELECT key FROM answers "
                    "ORDER BY used_at DESC, rowid DESC LIMIT -1 OFFSET ?)",
                    (self.max_entries,),
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._run, "DELETE FROM answers WHERE key = ?", (key,))

    async def clear(self) -> None:
        await asyncio.to_thread(self._run, "DELETE FROM answers", ())

    def _run(self, sql: str, args: tuple[str, ...]) -> None:
        with self._lock:
            try:
                self._connection().execute(sql, args)
            except sqlite3.Error as exc:
                raise self._failed(exc) from exc

    async def size(self) -> int:
        try:
            return await asyncio.to_thread(self._size)
        except sqlite3.Error as exc:
            raise self._failed(exc) from exc

    def _size(self) -> int:
        with self._lock:
            row = self._connection().execute("SELECT count(*) FROM answers").fetchone()
        return int(row[0])

    async def aclose(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


__all__ = ["SQLiteStore", "default_path"]
