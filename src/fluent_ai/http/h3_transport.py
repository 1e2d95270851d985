"""An httpx transport that sends over HTTP/3 (QUIC, through aioquic).

It behaves as httpx's own transport does, so nothing above it can tell them apart: the
response is an ``httpx.Response`` (``http_version`` ``"HTTP/3"``) whose body arrives
chunk by chunk as QUIC delivers it; the request's ``read`` limit bounds the wait for the
headers and for each chunk (``httpx.ReadTimeout``); a connection or stream that breaks
is an ``httpx.RemoteProtocolError``, which the client's retry policy retries. Failing to
connect at all raises :class:`~fluent_ai.http.h3_route.QuicUnavailable` before anything
is sent, so :class:`~fluent_ai.http.h3_route.Http3Route` can send the request over TCP.

One QUIC connection per endpoint carries every request to it, multiplexed (the server
bounds how many streams run at once; aioquic queues the rest). TLS checks the server's
certificate against the same store httpx uses: ``SSL_CERT_FILE`` or ``SSL_CERT_DIR``
when set, certifi's bundle otherwise.

Install with ``pip install 'fluent-ai[http3]'``; import it only through the route, which
loads it on the first HTTP/3 request.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
from aioquic.h3.connection import H3_ALPN
from aioquic.quic.configuration import QuicConfiguration
from aioquic.quic.connection import QuicConnection

from fluent_ai.http._h3_protocol import Broken, Exchange, H3Protocol, Headers
from fluent_ai.http.h3_route import QuicUnavailable

Endpoint = tuple[str, int, str]
"""``(host, port, server name)``: where the UDP datagrams go, and the name TLS checks."""
Held = tuple[H3Protocol, asyncio.DatagramTransport]

_NOT_SENT = frozenset(
    (b"host", b"connection", b"keep-alive", b"proxy-connection", b"transfer-encoding", b"upgrade")
)
"""Connection-specific headers, which HTTP/3 forbids (RFC 9114 §4.2); Host is ``:authority``."""


class H3Transport(httpx.AsyncBaseTransport):
    """HTTP/3 to the request's own host and port, or to an ``Alt-Svc`` endpoint (:meth:`send`).

    ``handshake_limit`` caps the time a QUIC handshake may take, below the request's
    ``connect`` limit; a connection idle for ``keepalive_expiry`` seconds (or less, if
    the server says so) is closed, as httpx closes its idle connections.
    """

    def __init__(
        self, *, handshake_limit: float | None = None, keepalive_expiry: float | None = None
    ) -> None:
        self._handshake_limit = handshake_limit
        self._keepalive_expiry = keepalive_expiry
        self._connections: dict[Endpoint, Held] = {}
        self._pending: dict[Endpoint, asyncio.Future[Held]] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.send(request, request.url.host, request.url.port or 443)

    async def send(self, request: httpx.Request, host: str, port: int) -> httpx.Response:
        """Send ``request`` (an ``https://`` URL) over QUIC to ``host``:``port``."""
        if request.url.scheme != "https":
            raise httpx.UnsupportedProtocol("HTTP/3 needs an https:// URL", request=request)
        limits: dict[str, Any] = request.extensions.get("timeout", {})
        read = limits.get("read")
        body = await request.aread()
        protocol = await self._connection(request, (host, port, request.url.host))
        stream_id, exchange = protocol.request(_request_headers(request), body)
        try:
            async with asyncio.timeout(read):
                headers = await exchange.headers
        except TimeoutError:
            protocol.forget(stream_id)
            raise httpx.ReadTimeout("no response headers over HTTP/3", request=request) from None
        except Broken as error:
            raise httpx.RemoteProtocolError(str(error), request=request) from error
        except BaseException:
            protocol.forget(stream_id)
            raise
        status, fields = _response_headers(headers, request)
        return httpx.Response(
            status,
            headers=fields,
            stream=_Body(protocol, stream_id, exchange, request, read),
            extensions={"http_version": b"HTTP/3"},
        )

    async def aclose(self) -> None:
        for attempt in self._pending.values():
            attempt.cancel()
        connections, self._connections = self._connections, {}
        for protocol, transport in connections.values():
            _shut(protocol, transport, "the client was closed")

    async def _connection(self, request: httpx.Request, endpoint: Endpoint) -> H3Protocol:
        """The endpoint's open connection, or the one being opened, once its handshake ends.

        Requests that arrive during a handshake wait for that one (a single attempt, which
        none of them cancels by giving up): when it fails they all fail at once, instead
        of each trying in turn on a path that drops UDP.
        """
        held = self._connections.get(endpoint)
        if held is not None and held[0].ended is None:
            return held[0]
        attempt = self._pending.get(endpoint)
        if attempt is None:
            if held is not None:
                del self._connections[endpoint]
                _shut(*held)
            attempt = asyncio.ensure_future(self._connect(request, endpoint))
            self._pending[endpoint] = attempt
            attempt.add_done_callback(lambda done: self._settle(endpoint, done))
        try:
            return (await asyncio.shield(attempt))[0]
        except QuicUnavailable as error:
            raise QuicUnavailable(str(error), request=request) from error
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if not attempt.cancelled() or (task is not None and task.cancelling()):
                raise  # this request was cancelled, not the handshake
            message = "the client was closed during the QUIC handshake"
            raise httpx.ConnectError(message, request=request) from None

    def _settle(self, endpoint: Endpoint, attempt: asyncio.Future[Held]) -> None:
        if self._pending.get(endpoint) is attempt:
            del self._pending[endpoint]
        if not attempt.cancelled() and attempt.exception() is None:
            self._connections[endpoint] = attempt.result()

    async def _connect(self, request: httpx.Request, endpoint: Endpoint) -> Held:
        host, port, server_name = endpoint
        loop = asyncio.get_running_loop()
        configuration = QuicConfiguration(
            is_client=True, alpn_protocols=list(H3_ALPN), server_name=server_name
        )
        if self._keepalive_expiry is not None:
            configuration.idle_timeout = self._keepalive_expiry
        configuration.cafile = os.environ.get("SSL_CERT_FILE") or None
        configuration.capath = os.environ.get("SSL_CERT_DIR") or None
        held: Held | None = None
        try:
            async with asyncio.timeout(self._limit(request)):
                family, _, _, _, address = (
                    await loop.getaddrinfo(host, port, type=socket.SOCK_DGRAM)
                )[0]
                sock = socket.socket(family, socket.SOCK_DGRAM)
                try:
                    # Connected, so that an ICMP "port unreachable" reaches the protocol.
                    sock.setblocking(False)
                    sock.connect(address)
                    transport, protocol = await loop.create_datagram_endpoint(
                        lambda: H3Protocol(QuicConnection(configuration=configuration)), sock=sock
                    )
                except BaseException:
                    sock.close()
                    raise
                held = protocol, transport
                protocol.connect(sock.getpeername())
                await protocol.ready
        except (OSError, TimeoutError, Broken) as error:
            if held is not None:
                _shut(*held)
            reason = "the QUIC handshake timed out" if isinstance(error, TimeoutError) else error
            raise QuicUnavailable(
                f"no HTTP/3 connection to {host}:{port}: {reason}", request=request
            ) from error
        except BaseException:
            if held is not None:
                _shut(*held)
            raise
        return held

    def _limit(self, request: httpx.Request) -> float | None:
        connect = request.extensions.get("timeout", {}).get("connect")
        limits = [x for x in (connect, self._handshake_limit) if x is not None]
        return min(limits) if limits else None


class _Body(httpx.AsyncByteStream):
    """A response body read from its exchange as chunks arrive, with httpx's exceptions."""

    def __init__(
        self,
        protocol: H3Protocol,
        stream_id: int,
        exchange: Exchange,
        request: httpx.Request,
        read: float | None,
    ) -> None:
        self._protocol = protocol
        self._stream_id = stream_id
        self._exchange = exchange
        self._request = request
        self._read = read

    async def __aiter__(self) -> AsyncIterator[bytes]:
        chunks = self._exchange.chunks
        while True:
            if chunks.empty():
                try:
                    async with asyncio.timeout(self._read):
                        chunk = await chunks.get()
                except TimeoutError:
                    raise httpx.ReadTimeout("no data over HTTP/3", request=self._request) from None
            else:
                chunk = chunks.get_nowait()
            if chunk is None:
                if self._exchange.error is not None:
                    raise httpx.RemoteProtocolError(self._exchange.error, request=self._request)
                return
            yield chunk

    async def aclose(self) -> None:
        self._protocol.forget(self._stream_id)


def _request_headers(request: httpx.Request) -> Headers:
    url = request.url
    authority = request.headers.get("host") or url.netloc.decode("ascii")
    headers: Headers = [
        (b":method", request.method.encode("ascii")),
        (b":scheme", b"https"),
        (b":authority", authority.encode("ascii")),
        (b":path", url.raw_path),
    ]
    for name, value in request.headers.raw:
        lowered = name.lower()
        if lowered not in _NOT_SENT and not (lowered == b"te" and value.lower() != b"trailers"):
            headers.append((lowered, value))
    return headers


def _response_headers(headers: Headers, request: httpx.Request) -> tuple[int, Headers]:
    status = b""
    fields: Headers = []
    for name, value in headers:
        if name == b":status":
            status = value
        elif not name.startswith(b":"):
            fields.append((name, value))
    if not status.isdigit():
        raise httpx.RemoteProtocolError("an HTTP/3 response without a status", request=request)
    return int(status), fields


def _shut(
    protocol: H3Protocol,
    transport: asyncio.DatagramTransport,
    reason: str = "the connection was closed",
) -> None:
    """Close a connection (telling the peer, if it still listens), its exchanges, its socket."""
    protocol.shut(reason)
    transport.close()
