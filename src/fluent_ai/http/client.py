"""The one HTTP client every provider talks through.

Providers only translate; this is where requests are retried, timed out and cached,
over one ``httpx.AsyncClient`` whose connection pool is reused across calls. Opening a
client per request (a TLS handshake every time) is the largest avoidable cost in many
AI libraries, so a model keeps one client (per event loop) for all of its calls
(:mod:`fluent_ai.http.owned`).

Any status comes back as a response: mapping an error body to a typed error is the
provider's job, since only it knows the body's format. Failures to get a response at
all come back as :class:`~fluent_ai.types.errors.TimeoutError` or
:class:`~fluent_ai.types.errors.ConnectionError`, never as httpx exceptions.

Only httpx's public API is used: the layers (cache, typed errors) are transports given
to httpx through ``transport=`` and ``mounts=`` (:mod:`fluent_ai.http.transports`), so
an httpx upgrade cannot break them. The bytes of a plain HTTP/1.1 request travel over
asyncio's own connections, parsed by httptools (:mod:`fluent_ai.http.h1_transport`),
which cost a fraction of httpx's own per request; HTTP/2 and proxied routes keep
httpx's. The common request (no proxy, cache, HTTP/3 or ``params``) skips httpx's
client layer too, and goes to that transport directly (:mod:`fluent_ai.http.direct`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import httpx

from fluent_ai.http import json_codec
from fluent_ai.http._errors import HANDED_OVER, typed_error
from fluent_ai.http.cache import HttpCache
from fluent_ai.http.deadline import Deadline
from fluent_ai.http.h3_route import http3_wanted
from fluent_ai.http.retry import DEFAULT_RETRY, RetryPolicy
from fluent_ai.http.timeouts import AI_TIMEOUTS, POOL_LIMITS, STREAM_TIMEOUTS, Timeouts
from fluent_ai.http.transports import routes
from fluent_ai.types import errors

if TYPE_CHECKING:
    from fluent_ai.http.direct import DirectRoute

Params = Mapping[str, str | int | float | bool | None]
Attempt = Callable[[bool], Awaitable[httpx.Response]]
"""One try at a request: ``stream`` in, the response out (or an httpx error)."""

_SEND_ONCE = RetryPolicy(max_attempts=1)


class HttpClient:
    """Retries, timeouts and an optional cache over one pooled ``httpx.AsyncClient``.

    ``timeouts`` applies to :meth:`request` and ``stream_timeouts`` to :meth:`stream`;
    either can be overridden per call. ``retry=None`` sends every request once.
    ``http2=True`` lets HTTPS connections use HTTP/2 when the server offers it.
    ``http3=True`` (or ``FLUENT_AI_HTTP3=1`` when ``http3`` is left ``None``) sends over
    HTTP/3 to hosts that advertised it with ``Alt-Svc``, falling back to TCP when QUIC
    fails (:mod:`fluent_ai.http.h3_route`; needs ``pip install 'fluent-ai[http3]'``).
    ``transport`` replaces the network (tests use it; ``http2``, ``http3`` and ``limits``
    then belong to it, and the environment's proxies are not used); ``cache`` serves GETs
    from disk. Proxies set in the environment (``HTTPS_PROXY``, ``NO_PROXY``) are used,
    as httpx does (:mod:`fluent_ai.http.proxies`).

    Whoever makes an ``HttpClient`` closes it (:meth:`aclose`, or ``async with``): a
    model closes the clients it made itself, never one it was given.
    """

    def __init__(
        self,
        *,
        timeouts: Timeouts = AI_TIMEOUTS,
        stream_timeouts: Timeouts = STREAM_TIMEOUTS,
        retry: RetryPolicy | None = DEFAULT_RETRY,
        http2: bool = False,
        http3: bool | None = None,
        limits: httpx.Limits = POOL_LIMITS,
        transport: httpx.AsyncBaseTransport | None = None,
        cache: HttpCache | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.timeouts = timeouts
        self.stream_timeouts = stream_timeouts
        self.retry = retry
        self.cache = cache
        route = routes(
            transport=transport,
            cache=cache,
            http2=http2,
            limits=limits,
            http3=http3_wanted(http3),
        )
        self._client = httpx.AsyncClient(
            transport=route.direct,
            mounts=route.mounts,
            headers=headers,
            timeout=timeouts.to_httpx(),
        )
        self._direct: DirectRoute | None = None
        if route.bare is not None:
            from fluent_ai.http.direct import DirectRoute

            self._direct = DirectRoute(route.bare, self._client.headers)

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
        request, attempt = self._prepare(method, url, headers, json, content, params, limits, None)
        async with Deadline(limits.total, request, provider) as deadline:
            return await self._send(
                request, attempt, stream=False, provider=provider, deadline=deadline
            )

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
        handover = {HANDED_OVER: {"provider": provider}}
        request, attempt = self._prepare(
            method, url, headers, json, content, params, limits, handover
        )
        async with Deadline(limits.total, request, provider) as deadline:
            response = await self._send(
                request, attempt, stream=True, provider=provider, deadline=deadline
            )
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

    def _prepare(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        json: Any,
        content: bytes | str | None,
        params: Params | None,
        timeouts: Timeouts,
        extensions: dict[str, Any] | None,
    ) -> tuple[httpx.Request, Attempt]:
        """The request, and how to try it: on the HTTP/1.1 transport, or through httpx's client."""
        if self._direct is not None and params is None:
            if self._client.is_closed:  # what httpx's client says in this case
                raise RuntimeError("Cannot send a request, as the client has been closed.")
            call = self._direct.call(method, url, headers, json, content, timeouts, extensions)
            if call is not None:
                return call.request, call.send
        written = json_codec.dumps(json) if json is not None and content is None else None
        try:
            request = self._client.build_request(
                method,
                url,
                headers=headers,
                content=content if written is None else written,
                params=params,
                timeout=timeouts.to_httpx(),
                extensions=extensions,
            )
        except httpx.InvalidURL as exc:
            raise errors.ConfigurationError(f"invalid URL for {method}: {exc}") from exc
        if written is not None:  # labelled, after its length, as httpx labels its own JSON
            request.headers.setdefault("Content-Type", "application/json")

        async def attempt(stream: bool) -> httpx.Response:
            return await self._client.send(request, stream=stream)

        return request, attempt

    async def _send(
        self,
        request: httpx.Request,
        send: Attempt,
        *,
        stream: bool,
        provider: str | None,
        deadline: float | None,
    ) -> httpx.Response:
        """One call: attempts, and waits between them, until a response is final."""
        policy = self.retry or _SEND_ONCE
        attempt = 1
        while True:
            try:
                response = await send(stream)
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
