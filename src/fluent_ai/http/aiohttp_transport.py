"""An httpx transport that sends over aiohttp: the HTTP/1.1 network under :class:`HttpClient`.

Why a second network library: httpx's own transport (httpcore on anyio, h11 parsing in
Python) costs about a millisecond of CPU per request, where aiohttp's pooled
connections and C HTTP parser cost a fraction of that (``benchmarks/run.py`` shows both).
A gateway pays that on every request. httpx stays the API: the client, its requests
and responses, the cache and the typed-error layer are httpx's, and only the bytes on
the wire go through aiohttp, behind httpx's public ``AsyncBaseTransport`` interface.

The transport behaves as httpx's does, so nothing above it can tell them apart:

* aiohttp's exceptions come out as the httpx exceptions httpx's transport raises for the
  same failure (refused → ``ConnectError``, connect timeout → ``ConnectTimeout``, silence
  → ``ReadTimeout``, a body cut off → ``RemoteProtocolError``), so retries and the typed
  errors of :mod:`fluent_ai.http._errors` work unchanged;
* the ``connect``, ``read`` and ``pool`` limits of each request are applied (aiohttp has
  no write limit: request bodies here are small JSON, and ``Timeouts.total`` still
  bounds the call);
* bodies reach httpx as received (no decompression here: httpx decodes by the headers),
  cookies and redirects are left to httpx, TLS uses httpx's certificate store
  (``httpx.create_ssl_context``, which honours ``SSL_CERT_FILE``), and proxies are not
  read here: proxied routes keep httpx's transport (:mod:`fluent_ai.http.transports`).

aiohttp speaks HTTP/1.1 only; ``HttpClient(http2=True)`` keeps httpx's transport.
:mod:`fluent_ai.http.direct` sends the common request through :meth:`AiohttpTransport.send`
without going through httpx's client at all.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import httpx
from multidict import CIMultiDict
from yarl import URL

from fluent_ai.http._errors import interrupted_error

_KEEP_OFF = ("Content-Type",)
"""Headers aiohttp would add on its own; httpx already sent the ones the request needs."""


class AiohttpTransport(httpx.AsyncBaseTransport):
    """Pooled HTTP/1.1 keep-alive connections through one ``aiohttp.ClientSession``.

    The session is opened by the first request, on the loop that sends it: an aiohttp
    session, like an httpx connection, belongs to one event loop, and a client may be
    built before its loop runs (:class:`~fluent_ai.http.SyncHttpClient`).
    """

    def __init__(self, limits: httpx.Limits) -> None:
        self._limits = limits
        self._session: aiohttp.ClientSession | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        headers = CIMultiDict(request.headers.multi_items())
        return await self.send(request, URL(str(request.url), encoded=True), headers, body)

    async def send(
        self,
        request: httpx.Request,
        url: URL,
        headers: CIMultiDict[str],
        body: bytes | None,
        *,
        provider: str | None = None,
        typed: bool = False,
    ) -> httpx.Response:
        """Send ``request``'s method to ``url`` with these headers and body.

        ``request`` gives the limits (its ``timeout`` extension) and is what errors and
        the response refer to. ``typed``: the body of a 2xx response raises
        :class:`~fluent_ai.types.errors.StreamInterruptedError` (labelled ``provider``)
        instead of httpx errors, as :class:`~fluent_ai.http._errors.TypedErrorTransport`
        makes it do on httpx's path.
        """
        session = self._session or self._open()
        try:
            response = await session.request(
                request.method,
                url,
                headers=headers,
                data=body or None,
                skip_auto_headers=_KEEP_OFF,
                allow_redirects=False,
                timeout=_timeout(request),
            )
        except aiohttp.ClientError as error:
            raise _httpx_error(error, request, reading=False) from error
        version = response.version or aiohttp.HttpVersion11
        typed = typed and 200 <= response.status < 300
        return httpx.Response(
            response.status,
            headers=list(response.raw_headers),
            stream=_Body(response, request, typed=typed, provider=provider),
            request=request,
            extensions={
                "http_version": b"HTTP/%d.%d" % (version.major, version.minor),
                "reason_phrase": (response.reason or "").encode("latin-1", "replace"),
            },
        )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()

    def _open(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=self._limits.max_connections or 0,
            keepalive_timeout=self._limits.keepalive_expiry,
            ssl=httpx.create_ssl_context(),
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            auto_decompress=False,
            cookie_jar=aiohttp.DummyCookieJar(),
            timeout=aiohttp.ClientTimeout(total=None),
        )
        return self._session


class _Body(httpx.AsyncByteStream):
    """An aiohttp response body, chunk by chunk as it arrives, with httpx's exceptions
    (``typed``: with :class:`~fluent_ai.types.errors.StreamInterruptedError`)."""

    def __init__(
        self,
        response: aiohttp.ClientResponse,
        request: httpx.Request,
        *,
        typed: bool = False,
        provider: str | None = None,
    ) -> None:
        self._response = response
        self._request = request
        self._typed = typed
        self._provider = provider

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_any():
                yield chunk
        except (TimeoutError, aiohttp.ClientError) as error:
            failure = _httpx_error(error, self._request, reading=True)
            if not self._typed:
                raise failure from error
            raise interrupted_error(failure, self._request, self._provider) from error

    async def aclose(self) -> None:
        # A body read to its end leaves the connection reusable; any other is closed.
        if self._response.content.is_eof():
            self._response.release()
        else:
            self._response.close()


def _timeout(request: httpx.Request) -> aiohttp.ClientTimeout:
    """The request's httpx limits as aiohttp's: ``connect`` in aiohttp includes the pool wait."""
    limits: dict[str, Any] = request.extensions.get("timeout", {})
    connect, pool = limits.get("connect"), limits.get("pool")
    return aiohttp.ClientTimeout(
        total=None,
        connect=None if connect is None or pool is None else connect + pool,
        sock_connect=connect,
        sock_read=limits.get("read"),
    )


def _httpx_error(error: BaseException, request: httpx.Request, *, reading: bool) -> httpx.HTTPError:
    """The httpx exception httpx's own transport raises for the same failure.

    ``reading``: the failure came while the body was read, where a dropped connection
    is a body cut short rather than a failure to connect.
    """
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    exception: type[httpx.HTTPError]
    if isinstance(error, aiohttp.ConnectionTimeoutError):
        exception = httpx.ConnectTimeout
    elif isinstance(error, TimeoutError):  # aiohttp's SocketTimeoutError among them
        exception = httpx.ReadTimeout
    elif isinstance(error, aiohttp.ClientProxyConnectionError | aiohttp.ClientHttpProxyError):
        exception = httpx.ProxyError
    elif isinstance(error, aiohttp.ClientConnectorError):
        exception = httpx.ConnectError
    elif isinstance(
        error,
        aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError | aiohttp.ClientResponseError,
    ):
        exception = httpx.RemoteProtocolError
    elif isinstance(error, aiohttp.InvalidUrlClientError):
        exception = httpx.UnsupportedProtocol
    elif isinstance(error, aiohttp.ClientConnectionError):
        exception = httpx.ReadError if reading else httpx.ConnectError
    else:
        exception = httpx.TransportError
    return exception(text, request=request)
