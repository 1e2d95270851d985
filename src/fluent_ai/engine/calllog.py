"""A local log of every call in SQLite: prompt, answer, model, usage, cost, latency.

Like simonw's ``llm logs``: a record of what was asked and answered, on the user's
own disk, to look back at, search (FTS5) and count. Off by default in the library
(``Observed(model, log=CallLog(path))`` or ``Router(..., log=...)``), on by default for
``fluent-ai chat`` (``fluent-ai logs`` reads it; see ``docs/observability.md``).

Writing never slows or fails a call. :meth:`CallLog.record` only puts the finished call
on a queue; one writer thread turns calls into rows and writes them in batches, one
transaction per batch, so the event loop never waits on the disk. A log that cannot be
written (a read-only directory, a full disk) says so once, on the ``fluent_ai.engine``
logger, counts what it dropped in :attr:`CallLog.dropped` and lets the calls go on.
Calls still queued are written when the log is closed, or at interpreter exit.
"""

from __future__ import annotations

import atexit
import logging
import queue
import sqlite3
import threading
from pathlib import Path

from fluent_ai._dirs import data_dir
from fluent_ai.engine.calllog_rows import (
    INSERT,
    SCHEMA,
    SCHEMA_VERSION,
    SELECT,
    LoggedCall,
    from_row,
    match_query,
    to_row,
)
from fluent_ai.engine.observe_events import CallEnd
from fluent_ai.types import ConfigurationError

logger = logging.getLogger("fluent_ai.engine")

BATCH = 256
"""The most calls written in one transaction."""

_STOP = None


def default_path() -> Path:
    """``logs.sqlite3`` in fluent-ai's data directory (``FLUENT_AI_DATA_DIR`` moves it)."""
    return data_dir() / "logs.sqlite3"


class CallLog:
    """The call log in the SQLite file ``path`` (:func:`default_path` when ``None``)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path).expanduser() if path is not None else default_path()
        self.dropped = 0
        """Calls that could not be written."""
        self._queue: queue.Queue[CallEnd | None] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._warned = False

    def __repr__(self) -> str:
        return f"CallLog({str(self.path)!r})"

    # Writing.

    def record(self, event: CallEnd) -> None:
        """Queue a finished call for writing; returns at once and never raises."""
        if self._thread is None:
            self._start()
        self._queue.put(event)

    def flush(self) -> None:
        """Wait until every call recorded so far is written (or dropped). Blocking: from
        async code, ``await asyncio.to_thread(log.flush)``."""
        if self._thread is not None:
            self._queue.join()

    def close(self) -> None:
        """Write what is queued and stop the writer; a later :meth:`record` starts anew."""
        with self._lock:
            thread, self._thread = self._thread, None
            if thread is None:
                return
            atexit.unregister(self.close)
            self._queue.put(_STOP)
        thread.join()

    def _start(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            thread = threading.Thread(target=self._write, name="fluent-ai-calllog", daemon=True)
            thread.start()
            self._thread = thread
            atexit.register(self.close)  # daemon thread: queued calls are written on exit

    def _write(self) -> None:
        db: sqlite3.Connection | None = None
        try:
            while True:
                batch = [self._queue.get()]
                while len(batch) < BATCH:
                    try:
                        batch.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
                calls = [event for event in batch if event is not None]
                try:
                    rows = self._rows(calls)
                    if rows:
                        db = db or self._open()
                        with db:
                            db.executemany(INSERT, rows)
                except (OSError, sqlite3.Error) as exc:
                    self._failed(len(rows), exc)
                finally:
                    for _ in batch:
                        self._queue.task_done()
                if len(calls) < len(batch):
                    return
        finally:
            if db is not None:
                db.close()

    def _rows(self, calls: list[CallEnd]) -> list[tuple[object, ...]]:
        rows = []
        for event in calls:
            try:
                rows.append(to_row(event))
            except Exception as exc:  # one odd call is dropped; the writer must live on
                self._failed(1, exc)
        return rows

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=5.0)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            if db.execute("PRAGMA user_version").fetchone()[0] == 0:
                db.executescript(SCHEMA)
                db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _failed(self, count: int, exc: Exception) -> None:
        self.dropped += count
        if not self._warned:
            self._warned = True
            logger.warning(
                "the call log %s cannot be written (%s); calls go on without it, and "
                "%s will not warn again",
                self.path,
                exc,
                self,
            )

    # Reading: plain blocking queries, for the CLI and for scripts.

    def recent(self, count: int = 10) -> list[LoggedCall]:
        """The ``count`` latest calls, newest first."""
        return self._query(f"{SELECT} ORDER BY c.id DESC LIMIT ?", (count,))

    def get(self, id: int) -> LoggedCall | None:
        """The call with this ``id`` (the number ``recent`` and ``search`` show)."""
        found = self._query(f"{SELECT} WHERE c.id = ?", (id,))
        return found[0] if found else None

    def search(self, text: str, count: int = 10) -> list[LoggedCall]:
        """The calls whose prompt or answer has every word of ``text``, best match first."""
        query = match_query(text)
        if not query:
            return []
        return self._query(
            f"{SELECT} JOIN calls_fts ON calls_fts.rowid = c.id WHERE calls_fts MATCH ? "
            "ORDER BY calls_fts.rank, c.id DESC LIMIT ?",
            (query, count),
        )

    def count(self) -> int:
        if not self.path.exists():
            return 0
        with self._reader() as db:
            return int(db.execute("SELECT count(*) FROM calls").fetchone()[0])

    def _query(self, sql: str, parameters: tuple[object, ...]) -> list[LoggedCall]:
        if not self.path.exists():
            return []
        with self._reader() as db:
            return [from_row(row) for row in db.execute(sql, parameters)]

    def _reader(self) -> _Reader:
        return _Reader(self.path)


class _Reader:
    """A read-only connection, closed on leaving the ``with`` block."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            self.db.execute("SELECT 1 FROM calls LIMIT 0")
        except sqlite3.Error as exc:
            self.db.close()
            raise ConfigurationError(
                f"{path} is not a fluent-ai call log ({exc}); pass the path of one, or "
                "leave it out for the default"
            ) from exc

    def __enter__(self) -> sqlite3.Connection:
        return self.db

    def __exit__(self, *exc: object) -> None:
        self.db.close()


__all__ = ["CallLog", "LoggedCall", "default_path"]
