""":class:`HttpClient` for synchronous code: the same client, run on the background loop.

Nothing is implemented twice: each call is the async one, handed to
:func:`fluent_ai._sync.run_sync`. A streamed response is handed over as a normal
``httpx.Response`` whose ``iter_bytes``, ``iter_lines`` and ``read`` work from sync
code, each chunk fetched on the loop, so the sync parsers
(:func:`~fluent_ai.http.sse.iter_sse`, :func:`~fluent_ai.http.jsonlines.iter_json_lines`)
read it directly.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
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
        stream = response.stream
        if isinstance(stream, httpx.AsyncByteStream):
            response.stream = _BridgedStream(stream)
        try:
            yield response
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


class _BridgedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body readable from both sides: sync code, and the loop that owns it.

    Sync reads are forwarded to the loop; the async side stays intact so that
    :meth:`HttpClient.stream` can still close the response there.
    """

    def __init__(self, inner: httpx.AsyncByteStream) -> None:
        self._inner = inner

    def __iter__(self) -> Iterator[bytes]:
        return iter_sync(self._inner)

    def close(self) -> None:
        run_sync(self._inner.aclose())

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._inner.__aiter__()

    async def aclose(self) -> None:
        await self._inner.aclose()
