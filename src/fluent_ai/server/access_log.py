"""The handler ``fluent-ai serve`` writes its access lines with: buffered, flushed each second.

``logging.StreamHandler`` writes and flushes every record, a system call per request
(on the gateway's benchmark the access log cost a worker a sixth of its requests/s).
An access log need not be that prompt: like nginx's ``access_log ... buffer= flush=``,
:class:`BufferedLines` keeps the formatted lines and writes them together once a second,
or sooner when :data:`LIMIT` characters are waiting, and when flushed or closed: the
gateway flushes its access log as a worker stops
(:func:`~fluent_ai.server.observe.flush_access_log`). A worker killed outright loses at
most its last second of lines.

When such a handler is all that would see the access records (:func:`sole_writer`), the
gateway hands it each line as it is, without the record: making a ``LogRecord`` and
formatting it back into the same line cost a worker about 9% of its requests/s. A
filter, another handler or a formatter that adds to the message brings the records back.
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
        self._judged: logging.Formatter | None = None
        self._plain = True  # no formatter: the message alone

    @property
    def plain(self) -> bool:
        """Whether this handler writes a record's message and nothing else (decided
        once for each formatter it is given)."""
        formatter = self.formatter
        if formatter is not self._judged:
            self._judged = formatter
            self._plain = formatter is None or (
                type(formatter) is logging.Formatter and formatter.format(_PROBE) == _PROBE.msg
            )
        return self._plain

    def add(self, line: str) -> None:
        """Hold ``line``, as :meth:`emit` holds a record's (see :func:`sole_writer`)."""
        self.acquire()
        try:
            self._hold(line)
        finally:
            self.release()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:
            self.handleError(record)
            return
        self._hold(line)  # emit holds the handler's lock: one writer at a time

    def _hold(self, line: str) -> None:
        self._lines.append(line)
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


_PROBE = logging.LogRecord("fluent_ai.server.access", logging.INFO, "", 0, "{probe}", (), None)
"""A record whose formatted line is its message alone under a plain formatter."""


def sole_writer(logger: logging.Logger, level: int) -> BufferedLines | None:
    """The :class:`BufferedLines` that alone would write ``logger``'s records of
    ``level``, and writes their message only; ``None`` if anything else would see them
    (a filter, another handler, a parent's) or a formatter would add to the line."""
    handlers = logger.handlers
    if len(handlers) != 1 or logger.filters or logger.propagate:
        return None
    handler = handlers[0]
    if type(handler) is not BufferedLines or handler.filters or handler.level > level:
        return None
    return handler if handler.plain else None
