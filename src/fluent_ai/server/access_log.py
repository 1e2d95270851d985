"""The handler ``fluent-ai serve`` writes its access lines with: buffered, flushed each second.

``logging.StreamHandler`` writes and flushes every record, a system call per request
(on the gateway's benchmark the access log cost a worker a sixth of its requests/s).
An access log need not be that prompt: like nginx's ``access_log ... buffer= flush=``,
:class:`BufferedLines` keeps the formatted lines and writes them together once a second,
or sooner when :data:`LIMIT` characters are waiting, and when flushed or closed: the
gateway flushes its access log as a worker stops
(:func:`~fluent_ai.server.observe.flush_access_log`). A worker killed outright loses at
most its last second of lines.
"""

from __future__ import annotations

import logging
import sys
import threading
from typing import TextIO

LIMIT = 64 * 1024
"""Characters held before they are written without waiting for the second to end."""


class BufferedLines(logging.Handler):
    """Each record's formatted line, written to ``stream`` every ``interval`` seconds."""

    def __init__(self, stream: TextIO | None = None, interval: float = 1.0) -> None:
        super().__init__()
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval
        self._lines: list[str] = []
        self._held = 0
        self._timer: threading.Thread | None = None
        self._stopped = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:
            self.handleError(record)
            return
        self._lines.append(line)  # emit holds the handler's lock: one writer at a time
        self._held += len(line) + 1
        if self._held >= LIMIT or self._stopped.is_set():  # closed: no timer will come
            self._write()
        elif self._timer is None:  # started by the first line, in the process that logs
            self._timer = threading.Thread(
                target=self._every_interval, name="fluent-ai access log", daemon=True
            )
            self._timer.start()

    def flush(self) -> None:
        self.acquire()
        try:
            self._write()
        finally:
            self.release()

    def close(self) -> None:
        self._stopped.set()
        self.flush()
        super().close()

    def _write(self) -> None:
        if not self._lines:
            return
        lines, self._lines, self._held = self._lines, [], 0
        try:
            self.stream.write("\n".join(lines) + "\n")
            self.stream.flush()
        except (OSError, ValueError) as exc:  # a full disk, a closed pipe or stream
            if logging.raiseExceptions and sys.__stderr__ is not None:
                sys.__stderr__.write(f"fluent-ai: {len(lines)} access line(s) lost: {exc}\n")

    def _every_interval(self) -> None:
        while not self._stopped.wait(self.interval):
            self.flush()
