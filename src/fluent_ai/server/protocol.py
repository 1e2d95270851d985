"""uvicorn's HTTP/1.1 protocol, writing a response's head together with its body.

uvicorn writes the status line and headers the moment the app sends
``http.response.start``, and the body when it comes, and uvloop sends each write at
once: every whole answer costs two ``send`` calls, and the caller two wake-ups, the
first for a head it cannot use without the body. On loopback, measured with
``benchmarks/bench_gateway.py``'s client, that second round costs about 0.1 ms a call,
more than the gateway's routing and metrics together.

:class:`HttpProtocol` (``fluent-ai serve`` runs it: ``uvicorn.Config(http=...)``) hands
uvicorn a transport, :class:`HeadWithBody`, that holds a response head (a write that
starts with ``HTTP/``) until the next write, the body's, and sends both in one. A head
with nothing after it in the same turn of the event loop (a 100 Continue, a response
with no body, a stream whose first part is not ready) is sent at the end of that turn,
so nothing waits longer than the code that is already running; closing or aborting
sends what is held first. The order of the bytes is never changed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

HEAD = b"HTTP/"


class HeadWithBody(asyncio.Transport):
    """A transport that sends a response head with the write after it (module docstring)."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None

    def write(self, data: bytes | bytearray | memoryview) -> None:
        held = self._held
        if held is not None:
            self._held = None
            self._transport.write(held + bytes(data))
        elif data[:5] == HEAD:
            self._held = bytes(data)
            self._loop.call_soon(self.flush)
        else:
            self._transport.write(data)

    def writelines(self, list_of_data: Iterable[bytes | bytearray | memoryview]) -> None:
        self.write(b"".join(list_of_data))

    def flush(self) -> None:
        """Send what is held, if anything (the end of the loop's turn, or a close)."""
        held, self._held = self._held, None
        if held is not None and not self._transport.is_closing():
            self._transport.write(held)

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
        return self._transport.get_write_buffer_size() + len(self._held or b"")

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return self._transport.get_write_buffer_limits()


class HttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol over :class:`HeadWithBody`."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(HeadWithBody(transport, self.loop))
