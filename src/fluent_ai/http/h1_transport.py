"""An httpx transport on asyncio's own connections: the HTTP/1.1 network under :class:`HttpClient`.

Why not httpx's transport, nor aiohttp's: on a request to a loopback server answering
in about 0.1 ms, httpx's transport (httpcore on anyio, h11 parsing in Python) adds
about 0.6 ms and aiohttp's client about 0.12 ms, while an asyncio protocol handing
the bytes to httptools' C parser adds about 0.01 ms (``benchmarks/run.py`` measures
all three in one run). A gateway pays that on every request. So the parsing stays in
a library (httptools: llhttp, Node's parser, also under uvicorn), and the small rest
is here: writing the request (:func:`~fluent_ai.http.h1_request.request_head`),
the connection (:mod:`fluent_ai.http.h1_connection`) and the pool
(:mod:`fluent_ai.http.h1_pool`).

httpx stays the API: the client, its requests and responses, the cache and the
typed-error layer are httpx's, behind its public ``AsyncBaseTransport`` interface, and
the transport behaves as httpx's does, so nothing above it can tell them apart:

* failures come out as the httpx exceptions httpx's transport raises for the same
  failure (refused → ``ConnectError``, connect timeout → ``ConnectTimeout``, silence →
  ``ReadTimeout``, a body cut off → ``RemoteProtocolError``), so retries and the typed
  errors of :mod:`fluent_ai.http._errors` work unchanged;
* each request's ``connect``, ``read``, ``write`` and ``pool`` limits are applied;
* bodies reach httpx as received (httpx decodes ``Content-Encoding``), cookies and
  redirects are left to httpx, TLS uses httpx's certificate store
  (``httpx.create_ssl_context``, which honours ``SSL_CERT_FILE``), and proxies are not
  read here: proxied routes keep httpx's transport (:mod:`fluent_ai.http.transports`);
* an idempotent request (``GET``, ``HEAD``, ``PUT``, ``DELETE``, ``OPTIONS``) on a
  kept-alive connection that the server had closed meanwhile (the race every
  keep-alive client meets) is sent again once on a new connection, when not one byte
  of an answer came back, as aiohttp does; any other is left to the retry policy
  (:mod:`fluent_ai.http.retry`), which knows whether a ``POST`` may be repeated.

HTTP/1.1 only: ``HttpClient(http2=True)`` keeps httpx's transport.
:mod:`fluent_ai.http.direct` sends the common request through :meth:`Http1Transport.send`
without going through httpx's client at all.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx

from fluent_ai.http._errors import interrupted_error
from fluent_ai.http.h1_connection import Connection, ConnectionFailure
from fluent_ai.http.h1_pool import ConnectionPool, Origin
from fluent_ai.http.h1_request import InvalidHeader, request_head

_DEFAULT_PORTS = {"http": 80, "https": 443}
_IDEMPOTENT = frozenset({b"GET", b"HEAD", b"PUT", b"DELETE", b"OPTIONS"})


class Http1Transport(httpx.AsyncBaseTransport):
    """Pooled HTTP/1.1 keep-alive connections, opened on the loop that sends the first request."""

    def __init__(self, limits: httpx.Limits) -> None:
        self._pool = ConnectionPool(limits)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        return await self.send(request, request.headers.raw, body)

    async def send(
        self,
        request: httpx.Request,
        headers: list[tuple[bytes, bytes]],
        body: bytes | None,
        *,
        provider: str | None = None,
        typed: bool = False,
    ) -> httpx.Response:
        """Send ``request``'s method to its URL with these headers (``Host`` included) and body.

        ``request`` gives the limits (its ``timeout`` extension) and is what errors and
        the response refer to. ``typed``: the body of a 2xx response raises
        :class:`~fluent_ai.types.errors.StreamInterruptedError` (labelled ``provider``)
        instead of httpx errors, as :class:`~fluent_ai.http._errors.TypedErrorTransport`
        makes it do on httpx's path.
        """
        url = request.url
        if url.scheme not in _DEFAULT_PORTS:
            raise httpx.UnsupportedProtocol(
                f"Request URL has an unsupported protocol '{url.scheme}://'.", request=request
            )
        # The host as sent on the wire: IDNA-encoded, an IPv6 address without brackets.
        host = url.raw_host.decode("ascii")
        origin: Origin = (url.scheme, host, url.port or _DEFAULT_PORTS[url.scheme])
        limits: dict[str, Any] = request.extensions.get("timeout", {})
        method = request.method.encode("ascii")
        try:
            head = request_head(method, url.raw_path, headers)
        except InvalidHeader as error:
            raise httpx.LocalProtocolError(str(error), request=request) from None
        connection = await self._exchange(origin, head, body, method, limits, request)
        typed = typed and 200 <= connection.status < 300
        return httpx.Response(
            connection.status,
            headers=connection.headers,
            stream=_Body(
                self._pool, connection, origin, request, limits.get("read"), typed, provider
            ),
            request=request,
            extensions={
                "http_version": b"HTTP/" + connection.http_version.encode("ascii"),
                "reason_phrase": connection.reason,
            },
        )

    async def aclose(self) -> None:
        await self._pool.aclose()

    async def _exchange(
        self,
        origin: Origin,
        head: bytes,
        body: bytes | None,
        method: bytes,
        limits: dict[str, Any],
        request: httpx.Request,
    ) -> Connection:
        """The connection once the response's head is in (an idempotent request is sent
        again once on a new connection when a kept-alive one turns out to be closed)."""
        head_only = method == b"HEAD"
        for _ in range(2):
            try:
                connection, reused = await self._pool.acquire(
                    origin, limits.get("connect"), limits.get("pool")
                )
            except ConnectionFailure as failure:
                raise _httpx_error(failure, request) from None
            try:
                await connection.send(
                    head, body, head_only=head_only, write_timeout=limits.get("write")
                )
                await connection.wait_head(limits.get("read"))
                return connection
            except ConnectionFailure as failure:
                self._pool.release(connection, origin)
                stale = reused and not connection.received and not failure.timeout
                if stale and method in _IDEMPOTENT:
                    continue
                raise _httpx_error(failure, request) from None
            except BaseException:
                connection.abort()
                self._pool.release(connection, origin)
                raise
        raise AssertionError("unreachable: the second try returns or raises")


class _Body(httpx.AsyncByteStream):
    """A response body, chunk by chunk as it arrives, with httpx's exceptions
    (``typed``: with :class:`~fluent_ai.types.errors.StreamInterruptedError`)."""

    def __init__(
        self,
        pool: ConnectionPool,
        connection: Connection,
        origin: Origin,
        request: httpx.Request,
        read_timeout: float | None,
        typed: bool,
        provider: str | None,
    ) -> None:
        self._pool = pool
        self._connection: Connection | None = connection
        self._origin = origin
        self._request = request
        self._read_timeout = read_timeout
        self._typed = typed
        self._provider = provider

    async def __aiter__(self) -> AsyncIterator[bytes]:
        connection = self._connection
        if connection is None:
            raise httpx.StreamClosed()
        try:
            while (chunk := await connection.read(self._read_timeout)) is not None:
                yield chunk
        except ConnectionFailure as failure:
            error = _httpx_error(failure, self._request)
            if not self._typed:
                raise error from None
            raise interrupted_error(error, self._request, self._provider) from None

    async def aclose(self) -> None:
        # A body read to its end leaves the connection reusable; any other is closed.
        if self._connection is not None:
            self._pool.release(self._connection, self._origin)
            self._connection = None


_FAILURES: dict[str, type[httpx.TransportError]] = {
    "connect": httpx.ConnectError,
    "pool": httpx.PoolTimeout,
    "write": httpx.WriteError,
    "head": httpx.RemoteProtocolError,
    "body": httpx.RemoteProtocolError,
}
_TIMEOUTS: dict[str, type[httpx.TimeoutException]] = {
    "connect": httpx.ConnectTimeout,
    "pool": httpx.PoolTimeout,
    "write": httpx.WriteTimeout,
    "head": httpx.ReadTimeout,
    "body": httpx.ReadTimeout,
}


def _httpx_error(failure: ConnectionFailure, request: httpx.Request) -> httpx.TransportError:
    """The httpx exception httpx's own transport raises for the same failure."""
    exception = (_TIMEOUTS if failure.timeout else _FAILURES)[failure.stage]
    return exception(str(failure), request=request)
