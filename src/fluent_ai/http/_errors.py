"""Turning httpx's exceptions into fluent-ai's typed errors.

Callers never see an httpx exception: they see a :class:`~fluent_ai.types.errors.TimeoutError`,
:class:`~fluent_ai.types.errors.ConnectionError`, or, once a stream has been handed over,
a :class:`~fluent_ai.types.errors.StreamInterruptedError`. Messages name the method and
the URL without its query string, because some vendors (Gemini) take the key there.

Failures before the response is handed over are converted where
:class:`~fluent_ai.http.client.HttpClient` sends (it decides about retries first);
failures while the caller reads a streamed body are converted by
:class:`TypedErrorTransport`, a transport layer in front of every transport the client
routes through, so no httpx object is ever modified after httpx made it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx

from fluent_ai.http.retry import RETRYABLE_EXCEPTIONS
from fluent_ai.types import errors

HANDED_OVER = "fluent_ai.handed_over"
"""The request extension that marks a streamed call: ``{"provider": name or None}``.

Only such calls get typed errors from the body: a plain request reads its body before
it returns, where a read failure is still a failed attempt that may be retried.
"""

_TIMEOUT_PHASES: dict[type[httpx.TimeoutException], tuple[str, str]] = {
    httpx.ConnectTimeout: ("connect", "connecting"),
    httpx.ReadTimeout: ("read", "waiting for data"),
    httpx.WriteTimeout: ("write", "sending the request"),
    httpx.PoolTimeout: ("pool", "waiting for a free connection"),
}


def target(request: httpx.Request) -> str:
    """``METHOD scheme://host/path``: enough to say which call failed, never a secret."""
    return f"{request.method} {request.url.copy_with(query=None, fragment=None)}"


def typed_error(
    error: httpx.HTTPError, request: httpx.Request, provider: str | None
) -> errors.ProviderError:
    """The typed error for a failure before the response was handed to the caller."""
    where = target(request)
    if isinstance(error, httpx.TimeoutException):
        return errors.TimeoutError(f"{_timeout_text(error, request)}: {where}", provider=provider)
    if isinstance(error, httpx.DecodingError):
        return errors.BadResponseError(
            f"could not decode the body of {where}: {_reason(error)}", provider=provider
        )
    if isinstance(error, httpx.TransportError):
        return errors.ConnectionError(
            f"connection failed: {where}: {_reason(error)}",
            provider=provider,
            retryable=isinstance(error, RETRYABLE_EXCEPTIONS),
        )
    return errors.BadResponseError(f"{where}: {_reason(error)}", provider=provider)


def interrupted_error(
    error: httpx.HTTPError, request: httpx.Request, provider: str | None
) -> errors.StreamInterruptedError:
    """The typed error for a failure after the caller started reading a stream."""
    if isinstance(error, httpx.TimeoutException):
        reason = _timeout_text(error, request)
    else:
        reason = _reason(error)
    return errors.StreamInterruptedError(
        f"the response stream of {target(request)} broke off: {reason}", provider=provider
    )


class TypedErrorTransport(httpx.AsyncBaseTransport):
    """``inner``, with the body of each successful streamed response read through
    :class:`TypedErrorStream`.

    A transport is httpx's public extension point: the response it returns is built
    with httpx's own constructor, around the inner response's body, so every way of
    reading the body (``aiter_bytes``, ``aiter_lines``, ``aread``) gets typed errors.
    An error response is passed on as it is: the client reads its body before handing
    it over, and a failure there is a failed attempt, typed by :func:`typed_error`.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        marked: Any = request.extensions.get(HANDED_OVER)
        if not isinstance(marked, dict) or not 200 <= response.status_code < 300:
            return response
        body = response.stream
        if not isinstance(body, httpx.AsyncByteStream):
            return response
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=TypedErrorStream(body, request, marked.get("provider")),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._inner.aclose()


class TypedErrorStream(httpx.AsyncByteStream):
    """A response body that raises :class:`StreamInterruptedError` instead of httpx errors."""

    def __init__(
        self, inner: httpx.AsyncByteStream, request: httpx.Request, provider: str | None
    ) -> None:
        self._inner = inner
        self._request = request
        self._provider = provider

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._inner:
                yield chunk
        except httpx.HTTPError as error:
            raise interrupted_error(error, self._request, self._provider) from error

    async def aclose(self) -> None:
        await self._inner.aclose()


def _timeout_text(error: httpx.TimeoutException, request: httpx.Request) -> str:
    key, phase = _TIMEOUT_PHASES.get(type(error), ("", "waiting"))
    seconds = request.extensions.get("timeout", {}).get(key)
    limit = f" (limit {seconds:g} s)" if isinstance(seconds, int | float) else ""
    return f"timed out {phase}{limit}"


def _reason(error: Exception) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
