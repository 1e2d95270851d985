"""The one HTTP client every provider talks through.

Providers only translate; this is where requests are retried, timed out and cached,
over one ``httpx.AsyncClient`` whose connection pool is reused across calls. Opening a
client per request (a TLS handshake every time) is the largest avoidable cost in many
AI libraries, so :func:`default_client` hands out one shared client per event loop.

Any status comes back as a response: mapping an error body to a typed error is the
provider's job, since only it knows the body's format. Failures to get a response at
all come back as :class:`~fluent_ai.types.errors.TimeoutError` or
:class:`~fluent_ai.types.errors.ConnectionError`, never as httpx exceptions.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Any, Self

import httpx

from fluent_ai.http._errors import TypedErrorStream, target, typed_error
from fluent_ai.http.cache import HttpCache
from fluent_ai.http.retry import DEFAULT_RETRY, RetryPolicy
from fluent_ai.http.timeouts import AI_TIMEOUTS, POOL_LIMITS, STREAM_TIMEOUTS, Timeouts
from fluent_ai.types import errors

Params = Mapping[str, str | int | float | bool | None]

_SEND_ONCE = RetryPolicy(max_attempts=1)


class HttpClient:
    """Retries, timeouts and an optional cache over one pooled ``httpx.AsyncClient``.

    ``timeouts`` applies to :meth:`request` and ``stream_timeouts`` to :meth:`stream`;
    either can be overridden per call. ``retry=None`` sends every request once.
    ``http2=True`` lets HTTPS connections use HTTP/2 when the server offers it.
    ``transport`` replaces the network (tests use it; ``http2`` and ``limits`` then
    belong to it); ``cache`` serves GETs from disk. Proxies set in the environment
    (``HTTPS_PROXY``, ``NO_PROXY``) are used, as httpx does.
    """

    def __init__(
        self,
        *,
        timeouts: Timeouts = AI_TIMEOUTS,
        stream_timeouts: Timeouts = STREAM_TIMEOUTS,
        retry: RetryPolicy | None = DEFAULT_RETRY,
        http2: bool = False,
        limits: httpx.Limits = POOL_LIMITS,
        transport: httpx.AsyncBaseTransport | None = None,
        cache: HttpCache | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.timeouts = timeouts
        self.stream_timeouts = stream_timeouts
        self.retry = retry
        self.cache = cache
        self._client = _PoolClient(
            cache=cache,
            transport=transport,
            http2=http2,
            limits=limits,
            headers=headers,
            timeout=timeouts.to_httpx(),
        )

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        json: Any = None,
        content: bytes | str | None = None,
        params: Params | None = None,
        provider: str | None = None,
        timeouts: Timeouts | None = None,
    ) -> httpx.Response:
        """Send a request, retrying what may succeed later; the final response, body read.

        The response may have any status. ``provider`` labels the typed errors raised
        when no response arrives at all.
        """
        limits = timeouts or self.timeouts
        request = self._build(method, url, headers, json, content, params, limits)
        async with _deadline(limits.total, request, provider) as deadline:
            return await self._send(request, stream=False, provider=provider, deadline=deadline)

    @asynccontextmanager
    async def stream(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        json: Any = None,
        content: bytes | str | None = None,
        params: Params | None = None,
        provider: str | None = None,
        timeouts: Timeouts | None = None,
    ) -> AsyncIterator[httpx.Response]:
        """Send a request and yield the response as soon as its headers arrive.

        Retries happen only until then: once the body is in the caller's hands, a retry
        would repeat what it has already seen. A non-2xx response is yielded with its
        body read, ready to map to an error. A failure while the caller reads the body
        raises :class:`~fluent_ai.types.errors.StreamInterruptedError`.
        """
        limits = timeouts or self.stream_timeouts
        request = self._build(method, url, headers, json, content, params, limits)
        async with _deadline(limits.total, request, provider) as deadline:
            response = await self._send(request, stream=True, provider=provider, deadline=deadline)
        if response.is_success:
            stream = response.stream
            if isinstance(stream, httpx.AsyncByteStream):
                response.stream = TypedErrorStream(stream, request, provider)
        try:
            yield response
        finally:
            await response.aclose()

    async def aclose(self) -> None:
        """Close every pooled connection (and the cache's database)."""
        await self._client.aclose()

    @property
    def is_closed(self) -> bool:
        return self._client.is_closed

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def _build(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        json: Any,
        content: bytes | str | None,
        params: Params | None,
        timeouts: Timeouts,
    ) -> httpx.Request:
        try:
            return self._client.build_request(
                method,
                url,
                headers=headers,
                json=json,
                content=content,
                params=params,
                timeout=timeouts.to_httpx(),
            )
        except httpx.InvalidURL as exc:
            raise errors.ConfigurationError(f"invalid URL for {method}: {exc}") from exc

    async def _send(
        self, request: httpx.Request, *, stream: bool, provider: str | None, deadline: float | None
    ) -> httpx.Response:
        """One call: attempts, and waits between them, until a response is final."""
        policy = self.retry or _SEND_ONCE
        attempt = 1
        while True:
            try:
                response = await self._client.send(request, stream=stream)
            except httpx.HTTPError as error:
                delay = policy.delay_after_error(error, attempt)
                if delay is None or _overruns(deadline, delay):
                    raise typed_error(error, request, provider) from error
            else:
                delay = policy.delay_after_response(response, attempt)
                if delay is None or _overruns(deadline, delay):
                    if stream and not response.is_success:
                        await _read_error_body(response, request, provider)
                    return response
                await response.aclose()
            await policy.sleep(delay)
            attempt += 1


class _PoolClient(httpx.AsyncClient):
    """httpx's client with ``cache`` in front of every transport it builds.

    httpx builds one transport for direct connections and one per proxy configured in
    the environment (``HTTPS_PROXY`` and friends); these two hooks are where it does,
    so wrapping there caches GETs whichever route they take. Passing a ready-made
    transport instead would make httpx ignore the environment's proxies.
    """

    def __init__(self, *, cache: HttpCache | None, **options: Any) -> None:
        self._cache = cache
        super().__init__(**options)

    def _init_transport(self, *args: Any, **kwargs: Any) -> httpx.AsyncBaseTransport:
        return self._with_cache(super()._init_transport(*args, **kwargs))

    def _init_proxy_transport(self, *args: Any, **kwargs: Any) -> httpx.AsyncBaseTransport:
        return self._with_cache(super()._init_proxy_transport(*args, **kwargs))

    def _with_cache(self, transport: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        return self._cache.wrap(transport) if self._cache is not None else transport


_shared: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, HttpClient] = (
    weakref.WeakKeyDictionary()
)


def default_client() -> HttpClient:
    """The shared client of the running event loop, created on first use.

    One per loop, because an httpx connection belongs to the loop that opened it: the
    loop of ``asyncio.run`` in a script, and the background loop of the sync API, each
    get their own pool. Call it from async code.
    """
    loop = asyncio.get_running_loop()
    client = _shared.get(loop)
    if client is None or client.is_closed:
        client = _shared[loop] = HttpClient()
    return client


@asynccontextmanager
async def _deadline(
    seconds: float | None, request: httpx.Request, provider: str | None
) -> AsyncIterator[float | None]:
    """Enforce ``Timeouts.total``; yields the deadline on the loop's clock, for retry waits."""
    if seconds is None:
        yield None
        return
    try:
        async with asyncio.timeout(seconds) as scope:
            yield scope.when()
    except TimeoutError as exc:
        if not scope.expired():
            raise
        raise errors.TimeoutError(
            f"no complete answer within the total limit of {seconds:g} s: {target(request)}",
            provider=provider,
        ) from exc


def _overruns(deadline: float | None, delay: float) -> bool:
    """A wait that would end after the deadline is not worth starting."""
    return deadline is not None and asyncio.get_running_loop().time() + delay >= deadline


async def _read_error_body(
    response: httpx.Response, request: httpx.Request, provider: str | None
) -> None:
    try:
        await response.aread()
    except httpx.HTTPError as error:
        await response.aclose()
        raise typed_error(error, request, provider) from error
