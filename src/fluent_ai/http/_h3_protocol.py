"""One QUIC connection speaking HTTP/3: aioquic's protocol, with a queue per request.

aioquic is sans-I/O at its core: :class:`~aioquic.quic.connection.QuicConnection` turns
datagrams into events, :class:`~aioquic.h3.connection.H3Connection` turns stream
events into HTTP/3 events (headers, data), and the asyncio protocol moves datagrams.
This subclass routes the HTTP/3 events of each request stream to its
:class:`Exchange`, where the transport awaits the headers and reads the body chunk by
chunk as it arrives. A connection that ends (closed by the peer, idle, or refused by
the network) ends every exchange on it with the reason.

The UDP socket is connected to the peer (see :mod:`fluent_ai.http.h3_transport`), so
the ICMP "port unreachable" a closed port answers with arrives here as
:meth:`error_received`, and the handshake fails at once instead of timing out.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aioquic.asyncio.protocol import QuicConnectionProtocol
from aioquic.h3.connection import ErrorCode, H3Connection
from aioquic.h3.events import DataReceived, H3Event, HeadersReceived
from aioquic.quic import events

Headers = list[tuple[bytes, bytes]]


class Broken(Exception):
    """The connection or the stream ended before the exchange did; the text says why."""


class Exchange:
    """One request's response as it arrives: its headers, then its body's chunks.

    ``chunks`` holds ``bytes``, then ``None`` at the end of the body, or at a failure,
    whose reason is then in ``error``.
    """

    __slots__ = ("chunks", "error", "headers")

    def __init__(self) -> None:
        self.headers: asyncio.Future[Headers] = asyncio.get_running_loop().create_future()
        self.chunks: asyncio.Queue[bytes | None] = asyncio.Queue()
        self.error: str | None = None

    def fail(self, reason: str) -> None:
        if self.error is not None:
            return
        self.error = reason
        if not self.headers.done():
            self.headers.set_exception(Broken(reason))
            self.headers.exception()  # retrieved: the caller may have stopped waiting
        self.chunks.put_nowait(None)


class H3Protocol(QuicConnectionProtocol):
    """A client QUIC connection carrying HTTP/3 requests, one :class:`Exchange` each."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._h3 = H3Connection(self._quic)
        self._exchanges: dict[int, Exchange] = {}
        self.ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        """Done when the handshake completes; failed with :class:`Broken` if it cannot."""
        self.ended: str | None = None
        """Why the connection can carry no more requests; ``None`` while it can."""

    def request(self, headers: Headers, body: bytes) -> tuple[int, Exchange]:
        """Send a request on a new stream; its response arrives in the exchange returned."""
        stream_id = self._quic.get_next_available_stream_id()
        exchange = self._exchanges[stream_id] = Exchange()
        self._h3.send_headers(stream_id, headers, end_stream=not body)
        if body:
            self._h3.send_data(stream_id, body, end_stream=True)
        self.transmit()
        return stream_id, exchange

    def forget(self, stream_id: int) -> None:
        """The caller is done with a stream; one still receiving is stopped (and reset)."""
        exchange = self._exchanges.pop(stream_id, None)
        if exchange is None or self.ended is not None:
            return
        code = ErrorCode.H3_REQUEST_CANCELLED
        self._quic.stop_stream(stream_id, code)
        self._quic.reset_stream(stream_id, code)
        self.transmit()

    def shut(self, reason: str) -> None:
        """Close the connection (telling the peer) and end every exchange still on it."""
        if self.ended is None:
            self.close()
        self._end(reason)

    def quic_event_received(self, event: events.QuicEvent) -> None:
        if isinstance(event, events.HandshakeCompleted):
            if not self.ready.done():
                self.ready.set_result(None)
        elif isinstance(event, events.ConnectionTerminated):
            reason = event.reason_phrase or f"error 0x{event.error_code:x}"
            self._end(f"the QUIC connection was closed ({reason})")
        elif isinstance(event, events.StreamReset):
            exchange = self._exchanges.pop(event.stream_id, None)
            if exchange is not None:
                exchange.fail(f"the server reset the stream (error 0x{event.error_code:x})")
        for h3_event in self._h3.handle_event(event):
            self._deliver(h3_event)

    def error_received(self, exc: Exception) -> None:
        """The network refused a datagram (ICMP): the peer is not reachable over UDP."""
        self._end(f"the network refused the UDP datagrams ({exc})")
        self._quic.close(reason_phrase="unreachable")
        if self._transport is not None:
            self._transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._end("the UDP socket was closed")

    def _deliver(self, event: H3Event) -> None:
        if isinstance(event, HeadersReceived):
            exchange = self._exchanges.get(event.stream_id)
            if exchange is None:
                return
            if not exchange.headers.done():
                status = dict(event.headers).get(b":status", b"")
                if status.startswith(b"1"):
                    return  # an interim response (100 Continue, 103 Early Hints)
                exchange.headers.set_result(event.headers)
            if event.stream_ended:
                self._finish(event.stream_id, exchange)
        elif isinstance(event, DataReceived):
            exchange = self._exchanges.get(event.stream_id)
            if exchange is None:
                return
            if event.data:
                exchange.chunks.put_nowait(event.data)
            if event.stream_ended:
                self._finish(event.stream_id, exchange)

    def _finish(self, stream_id: int, exchange: Exchange) -> None:
        self._exchanges.pop(stream_id, None)
        if not exchange.headers.done():
            exchange.fail("the server ended the stream without a response")
        else:
            exchange.chunks.put_nowait(None)

    def _end(self, reason: str) -> None:
        if self.ended is None:
            self.ended = reason
        if not self.ready.done():
            self.ready.set_exception(Broken(reason))
            self.ready.exception()  # retrieved: a handshake nobody awaits any more is no error
        exchanges, self._exchanges = self._exchanges, {}
        for exchange in exchanges.values():
            exchange.fail(reason)
