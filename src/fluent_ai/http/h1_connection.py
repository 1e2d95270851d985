"""One HTTP/1.1 connection: a request written, its response read as the bytes arrive.

The connection is an asyncio protocol; the response is parsed by httptools (llhttp,
Node's parser, in C), which handles the framing: ``Content-Length``, chunked transfer
coding, and a body that ends when the server closes. What this module adds is the
little that a client needs on top: one request at a time, its response head and body
handed to a waiting task, flow control both ways, and the facts the pool needs to
decide whether the connection can carry another request. The request's own bytes are
written by :func:`fluent_ai.http.h1_request.request_head`.

Failures are reported as :class:`ConnectionFailure` with what happened; the transport
(:mod:`fluent_ai.http.h1_transport`) turns them into httpx's exceptions.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Literal, cast

import httptools

HIGH_WATER = 1024 * 1024
"""Body bytes held unread before the connection stops reading from the socket."""

Stage = Literal["connect", "pool", "write", "head", "body"]


class ConnectionFailure(Exception):
    """The connection broke or timed out at ``stage``; ``timeout`` tells which."""

    def __init__(self, message: str, stage: Stage, *, timeout: bool = False) -> None:
        super().__init__(message)
        self.stage = stage
        self.timeout = timeout


class Connection(asyncio.Protocol):
    """A kept-alive HTTP/1.1 connection that carries one request at a time.

    ``on_lost`` is called once, when the socket is gone (the pool stops counting it).
    """

    # The current exchange's state, set anew by _reset for each request.
    status: int
    reason: bytes
    http_version: str
    headers: list[tuple[bytes, bytes]]
    complete: bool
    reusable: bool
    received: bool
    """Whether any byte of the current response arrived (a request on a reused
    connection that broke before one did can be sent again on a fresh one)."""
    _head_only: bool
    _ends_at_close: bool
    _unsolicited: bool
    _failure: ConnectionFailure | None
    _chunks: list[bytes]
    _buffered: int

    def __init__(self, on_lost: Callable[[Connection], None]) -> None:
        self._on_lost = on_lost
        self._transport: asyncio.Transport | None = None
        self._parser: httptools.HttpResponseParser | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._drained: asyncio.Future[None] | None = None
        self._paused = False
        self._writing_paused = False
        self.lost = False
        self.idle_since = 0.0
        self._reset(head_only=False)

    # The asyncio protocol.

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # A stream transport: asyncio's, or uvloop's, which does not subclass asyncio's.
        self._transport = cast("asyncio.Transport", transport)

    def data_received(self, data: bytes) -> None:
        if self._parser is None:  # bytes nobody asked for: the connection is not to be trusted
            self.close()
            return
        self.received = True
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade:  # after a 101, the bytes are not HTTP/1.1
            self._fail(ConnectionFailure("the server switched protocols (101)", "head"))
            self.close()
            self._wake()
            return
        except httptools.HttpParserError as error:
            self._fail(ConnectionFailure(f"the server sent a malformed response: {error}", "body"))
            self.close()
            return
        if self._buffered > HIGH_WATER and not self._paused and self._transport is not None:
            self._paused = True
            self._transport.pause_reading()
        self._wake()

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        if self._parser is not None and not self.complete:
            if self.status and self._ends_at_close:
                self.complete = True  # a body framed by the close itself
            else:
                self._fail(self._lost_failure())
        self._wake()
        if self._drained is not None and not self._drained.done():
            self._drained.set_result(None)
        self._on_lost(self)

    def pause_writing(self) -> None:
        self._writing_paused = True

    def resume_writing(self) -> None:
        self._writing_paused = False
        if self._drained is not None and not self._drained.done():
            self._drained.set_result(None)

    # httptools' callbacks. A second answer to one request (after the first ended) is
    # not this request's: it is dropped, and so is the connection once this one ends.

    def on_message_begin(self) -> None:
        self._unsolicited = self.complete
        if self._unsolicited:
            self.reusable = False

    def on_status(self, status: bytes) -> None:
        if not self._unsolicited:
            self.reason += status

    def on_header(self, name: bytes, value: bytes) -> None:
        if not self._unsolicited:
            self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        assert self._parser is not None
        if self._unsolicited:
            return
        status = self._parser.get_status_code()
        if status == 101:  # never asked for: this client sends no Upgrade
            self._fail(ConnectionFailure("the server switched protocols (101)", "head"))
            self.reusable = False
            return
        if 100 <= status < 200:
            self.headers, self.reason = [], b""  # informational: the real answer follows
            return
        self.status = status
        self.http_version = self._parser.get_http_version()
        if self._head_only:
            self.complete = True
            self.reusable = False
        framed = any(
            name.lower() in (b"content-length", b"transfer-encoding") for name, _ in self.headers
        )
        self._ends_at_close = not framed and status not in (204, 304)

    def on_body(self, body: bytes) -> None:
        if self.status and not self._head_only and not self._unsolicited:
            self._chunks.append(body)
            self._buffered += len(body)

    def on_message_complete(self) -> None:
        if not self.status or self._unsolicited:
            return  # the end of an informational answer, or of one nobody asked for
        assert self._parser is not None
        self.complete = True
        self.reusable = self.reusable and self._parser.should_keep_alive()

    # What the transport uses.

    async def send(
        self, head: bytes, body: bytes | None, *, head_only: bool, write_timeout: float | None
    ) -> None:
        """Write one request; its response is then read with :meth:`wait_head` and :meth:`read`."""
        assert self._transport is not None
        self._reset(head_only=head_only)
        self._parser = httptools.HttpResponseParser(self)
        self._transport.write(head + body if body and len(body) < 65536 else head)
        if body and len(body) >= 65536:
            self._transport.write(body)
        if self._writing_paused and not self.lost:
            self._drained = asyncio.get_running_loop().create_future()
            await self._wait(self._drained, write_timeout, "write")
        if self.lost and not self.received:
            raise self._lost_failure()

    async def wait_head(self, read_timeout: float | None) -> None:
        """Return once the response's status and headers are in."""
        while not self.status:
            self._check()
            await self._wait(self._new_waiter(), read_timeout, "head")

    async def read(self, read_timeout: float | None) -> bytes | None:
        """The body bytes that arrived since the last call (after waiting for some),
        or ``None`` at the body's end."""
        while True:
            if self._chunks:
                chunks, self._chunks, self._buffered = self._chunks, [], 0
                if self._paused and self._transport is not None:
                    self._paused = False
                    self._transport.resume_reading()
                return chunks[0] if len(chunks) == 1 else b"".join(chunks)
            if self.complete:
                return None
            self._check()
            await self._wait(self._new_waiter(), read_timeout, "body")

    def finish(self) -> bool:
        """End the current exchange; whether the connection can carry another request."""
        keep = self.complete and self.reusable and not self.lost and not self._chunks
        self._parser = None
        if not keep:
            self.close()
        return keep

    def close(self) -> None:
        if self._transport is not None and not self._transport.is_closing():
            self._transport.close()

    def abort(self) -> None:
        if self._transport is not None:
            self._transport.abort()

    # Inside.

    def _reset(self, *, head_only: bool) -> None:
        self.status = 0
        self.reason = b""
        self.http_version = "1.1"
        self.headers = []
        self.complete = False
        self.reusable = True
        self.received = False
        self._head_only = head_only
        self._ends_at_close = False
        self._unsolicited = False
        self._failure = None
        self._chunks, self._buffered = [], 0

    def _new_waiter(self) -> asyncio.Future[None]:
        self._waiter = asyncio.get_running_loop().create_future()
        return self._waiter

    async def _wait(self, waiter: asyncio.Future[None], limit: float | None, stage: Stage) -> None:
        if limit is None:
            await waiter
            return
        timer = asyncio.get_running_loop().call_later(limit, _expire, waiter, stage)
        try:
            await waiter
        finally:
            timer.cancel()

    def _check(self) -> None:
        if self._failure is not None:
            raise self._failure
        if self.lost:
            raise self._lost_failure()

    def _fail(self, failure: ConnectionFailure) -> None:
        if self._failure is None:
            self._failure = failure

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def _lost_failure(self) -> ConnectionFailure:
        if not self.received:
            return ConnectionFailure("Server disconnected without sending a response.", "head")
        if not self.status:
            return ConnectionFailure(
                "the server closed the connection inside the response head", "head"
            )
        return ConnectionFailure(
            "peer closed connection without sending complete message body", "body"
        )


def _expire(waiter: asyncio.Future[None], stage: Stage) -> None:
    if not waiter.done():
        waiter.set_exception(
            ConnectionFailure(f"timed out waiting to {_DOING[stage]}", stage, timeout=True)
        )


_DOING = {
    "connect": "connect",
    "pool": "get a connection from the pool",
    "write": "write the request",
    "head": "read the response",
    "body": "read the response body",
}
