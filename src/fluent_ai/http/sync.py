""":class:`HttpClient` for synchronous code: the same client, run on the background loop.

Nothing is implemented twice: each call is the async one, handed to
:func:`fluent_ai._sync.run_sync`. A streamed response is handed over as a normal
``httpx.Response`` whose ``iter_bytes``, ``iter_lines``, ``read`` and ``close`` work from
sync code, each chunk fetched on the loop, so the sync parsers
(:func:`~fluent_ai.http.sse.iter_sse`, :func:`~fluent_ai.http.jsonlines.iter_json_lines`)
read it directly. It is a second ``httpx.Response``, made with httpx's public
constructor around the first one's raw body: httpx's own response is never altered.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Self

import httpx

from fluent_ai._sync import iter_sync, run_sync
from fluent_ai.http.client import HttpClient, Params
from fluent_ai.http.timeouts import Timeouts


class SyncHttpClient:
    """A blocking facade over ``client`` (by default a new :class:`HttpClient`)."""

    def __init__(self, client: HttpClient | None = None) -> None:
        self.client = client if client is not None else HttpClient()

    def request(
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
        """See :meth:`HttpClient.request`."""
        return run_sync(
            self.client.request(
                method,
                url,
                headers=headers,
                json=json,
                content=content,
                params=params,
                provider=provider,
                timeouts=timeouts,
            )
        )

    @contextmanager
    def stream(
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
    ) -> Iterator[httpx.Response]:
        """See :meth:`HttpClient.stream`."""
        context = self.client.stream(
            method,
            url,
            headers=headers,
            json=json,
            content=content,
            params=params,
            provider=provider,
            timeouts=timeouts,
        )
        response = run_sync(context.__aenter__())
        try:
            yield _for_sync_code(response)
        except BaseException as exc:
            if not run_sync(context.__aexit__(type(exc), exc, exc.__traceback__)):
                raise
        else:
            run_sync(context.__aexit__(None, None, None))

    def close(self) -> None:
        """Close every pooled connection."""
        run_sync(self.client.aclose())

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _for_sync_code(response: httpx.Response) -> httpx.Response:
    """``response``, readable from sync code.

    A body already read (an error response's) is in memory, where every sync accessor
    finds it. An unread one is wrapped: a response with the same status, headers and
    extensions whose body is the original's raw bytes, fetched on the loop (httpx
    decodes them again by the same headers).
    """
    if response.is_stream_consumed:
        return response
    return httpx.Response(
        response.status_code,
        headers=response.headers,
        stream=_BridgedBody(response),
        request=response.request,
        extensions=response.extensions,
        history=response.history,
        default_encoding=response.default_encoding,
    )


class _BridgedBody(httpx.SyncByteStream):
    """The raw body of an async response, read from sync code through the loop."""

    def __init__(self, response: httpx.Response) -> None:
        self._response = response

    def __iter__(self) -> Iterator[bytes]:
        return iter_sync(self._response.aiter_raw())

    def close(self) -> None:
        run_sync(self._response.aclose())
