"""uvicorn's HTTP/1.1 protocol, sending what a response writes in one turn of the loop in
one write.

uvicorn writes the status line and headers the moment the app sends
``http.response.start``, the body when it comes, and each event of a stream as it is
sent, and uvloop sends each write at once. A whole answer cost two ``send`` calls, and
the caller two wake-ups, the first for a head it cannot use without the body: about
0.1 ms a call on loopback (``benchmarks/bench_gateway.py``), more than the gateway's
routing and metrics together. A stream whose events arrive together (a fast model, or
the last events of any answer: the finish, the usage, ``[DONE]``) cost a ``send`` an
event, the largest part of the gateway's cost per event.

:class:`CoalescingTransport` (``fluent-ai serve`` runs it through :class:`HttpProtocol`:
``uvicorn.Config(http=...)``) holds the writes made in one turn of the event loop and
sends them together at the end of that turn, so nothing waits longer than the code that
is already running, and a response's last bytes at once, when uvicorn marks it
complete. It sends early what passes ``FLUSH_AT`` bytes, so that the socket's own
buffer, and with it uvicorn's flow control, sees a large body as it is written.
Closing or aborting sends what is held first; the order of the bytes never changes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

FLUSH_AT = 65536
"""Bytes held at most before they are sent, whatever the turn."""


class CoalescingTransport(asyncio.Transport):
    """A transport that sends the writes of one loop turn in one (module docstring)."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self._transport = transport
        self._loop = loop
        self._held: list[bytes] = []
        self._size = 0

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._held:
            self._loop.call_soon(self.flush)
        self._held.append(bytes(data))
        self._size += len(data)
        if self._size >= FLUSH_AT:
            self.flush()

    def writelines(self, list_of_data: Iterable[bytes | bytearray | memoryview]) -> None:
        self.write(b"".join(list_of_data))

    def flush(self) -> None:
        """Send what is held, if anything (the end of the loop's turn, or sooner)."""
        held = self._held
        if not held:
            return
        self._held, self._size = [], 0
        if not self._transport.is_closing():
            self._transport.write(held[0] if len(held) == 1 else b"".join(held))

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self.flush()
        self._transport.abort()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def can_write_eof(self) -> bool:
        return self._transport.can_write_eof()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default)

    def pause_reading(self) -> None:
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        self._transport.resume_reading()

    def is_reading(self) -> bool:
        return self._transport.is_reading()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self.flush()  # a protocol taking over (a websocket upgrade) writes on its own
        self._transport.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self._transport.get_protocol()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._transport.set_write_buffer_limits(high, low)

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + self._size

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return self._transport.get_write_buffer_limits()


class HttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol over :class:`CoalescingTransport`."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._writes = CoalescingTransport(transport, self.loop)
        super().connection_made(self._writes)

    def on_response_complete(self) -> None:
        # A response's last bytes go now, not at the end of the turn: the work that
        # follows a call (the access line, the metrics) need not delay its answer.
        self._writes.flush()
        super().on_response_complete()
