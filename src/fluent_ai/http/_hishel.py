"""hishel behind :class:`~fluent_ai.http.cache.HttpCache`: the only module that imports it.

hishel does the caching itself (RFC 9111: freshness, conditional requests, 304s). Two
pieces adapt it to fluent-ai:

* :class:`ThreadedSqliteStorage` drives hishel's standard-library SQLite storage from
  worker threads. hishel's async storage needs the ``anysqlite`` package; the sync one
  is safe to share between threads (it holds one lock around its connection), so the
  event loop hands each call to a thread and never waits on the disk itself.
* :class:`GetCacheTransport` sends only GET and HEAD through the cache, so a chat POST
  pays nothing for it, and keys entries by URL *and* credentials, so two API keys on
  one machine never see each other's responses.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path
from typing import cast

import httpx
from hishel import AsyncBaseStorage, CacheOptions, Entry, Headers, Request, Response, SqliteStorage
from hishel.httpx import AsyncCacheTransport

_CACHED_METHODS = frozenset({"GET", "HEAD"})
_CREDENTIAL_HEADERS = ("authorization", "x-api-key", "api-key", "x-goog-api-key")
_Body = Iterator[bytes] | AsyncIterator[bytes] | None


class ThreadedSqliteStorage(AsyncBaseStorage):
    """hishel's :class:`SqliteStorage` behind the async storage interface.

    A body is read in full before it is stored. Cached bodies here are API metadata
    (model lists and the like) and :meth:`HttpClient.request` reads them whole anyway.
    Stored bodies are read back lazily, chunk by chunk.
    """

    def __init__(self, path: Path, *, max_size: int | None) -> None:
        super().__init__()
        self._sync = SqliteStorage(database_path=path, max_size=max_size)

    async def create_entry(
        self,
        request: Request,
        response: Response,
        key: str,
        *,
        ttl: float | None = None,
        tti: float | None = None,
    ) -> Entry:
        body = await _read_all(response.stream)
        whole = replace(response, stream=iter([body]))
        entry = await asyncio.to_thread(self._store, request, whole, key, ttl, tti)
        return replace(entry, response=replace(entry.response, stream=_once(body)))

    def _store(
        self, request: Request, response: Response, key: str, ttl: float | None, tti: float | None
    ) -> Entry:
        entry = self._sync.create_entry(request, response, key, ttl=ttl, tti=tti)
        # hishel saves a body as its stream is read, and makes the entry visible at the end.
        for _ in cast(Iterator[bytes], entry.response.stream):
            pass
        return entry

    async def get_entries(self, key: str) -> list[Entry]:
        entries = await asyncio.to_thread(self._sync.get_entries, key)
        return [
            replace(entry, response=replace(entry.response, stream=_pull(entry.response.stream)))
            for entry in entries
        ]

    async def update_headers(self, id: uuid.UUID, headers: Headers) -> None:
        await asyncio.to_thread(self._sync.update_headers, id, headers)

    async def remove_entry(self, id: uuid.UUID) -> None:
        await asyncio.to_thread(self._sync.remove_entry, id)

    async def close(self) -> None:
        await asyncio.to_thread(self._sync.close)


class GetCacheTransport(httpx.AsyncBaseTransport):
    """GET and HEAD go through hishel's transport; every other method goes straight on."""

    def __init__(self, inner: httpx.AsyncBaseTransport, storage: AsyncBaseStorage) -> None:
        self._inner = inner
        # A private cache: it may keep responses to requests that carry an API key.
        options = CacheOptions(shared=False)
        self._cached = AsyncCacheTransport(next_transport=inner, storage=storage, rfc=options)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method not in _CACHED_METHODS:
            return await self._inner.handle_async_request(request)
        request.extensions = {**request.extensions, "caching": {"key": _cache_key(request)}}
        return await self._cached.handle_async_request(request)

    async def aclose(self) -> None:
        # hishel's transport closes the inner transport and the storage.
        await self._cached.aclose()


def caching_transport(
    inner: httpx.AsyncBaseTransport, path: Path, *, max_size: int | None
) -> httpx.AsyncBaseTransport:
    """``inner`` with a persistent cache for GETs in the SQLite file ``path``."""
    return GetCacheTransport(inner, ThreadedSqliteStorage(path, max_size=max_size))


def _cache_key(request: httpx.Request) -> str:
    identity = hashlib.sha256(str(request.url).encode())
    for name in _CREDENTIAL_HEADERS:
        for value in request.headers.get_list(name):
            identity.update(b"\0" + name.encode() + b"\0" + value.encode())
    return identity.hexdigest()


async def _read_all(stream: _Body) -> bytes:
    if stream is None:
        return b""
    if isinstance(stream, AsyncIterator):
        return b"".join([chunk async for chunk in stream])
    return b"".join(stream)


async def _once(body: bytes) -> AsyncIterator[bytes]:
    yield body


async def _pull(stream: _Body) -> AsyncIterator[bytes]:
    """A stored body read in a worker thread, one chunk per hop."""
    # hishel's SqliteStorage only makes synchronous streams.
    chunks = cast(Iterator[bytes], stream)
    while (chunk := await asyncio.to_thread(next, chunks, None)) is not None:
        yield chunk
