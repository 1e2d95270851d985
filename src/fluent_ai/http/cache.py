"""A persistent HTTP cache for GET requests: ``HttpClient(cache=HttpCache())``.

The rules are RFC 9111 as hishel implements them: a fresh response (``Cache-Control:
max-age``, ``Expires``) is served from disk without asking the server; a stale one with
a validator is revalidated with ``If-None-Match`` (its ``ETag``) or
``If-Modified-Since`` (its ``Last-Modified``), and a ``304 Not Modified`` answer is
served from disk. Model lists and other metadata that change rarely then cost a small
request and no body.

Only GET and HEAD use the cache. Other methods go straight to the server and do not
invalidate stored entries; that is safe for the metadata this cache is for, which the
servers send without long freshness lifetimes, so it is revalidated on every use.

hishel is imported when the first cached client is built, not when this module is,
so ``import fluent_ai.http`` stays cheap for programs that never cache.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from fluent_ai._dirs import cache_dir

DATABASE_NAME = "http-cache.sqlite"


def default_cache_dir() -> Path:
    """Where cached responses live unless a directory is given.

    ``$FLUENT_AI_CACHE_DIR/http`` when that variable is set (it is the root of all of
    fluent-ai's caches), else ``$XDG_CACHE_HOME/fluent-ai/http``, else
    ``~/.cache/fluent-ai/http``.
    """
    return cache_dir("http")


class HttpCache:
    """Where and how much to cache; one SQLite file in ``directory``.

    Several clients, and several processes, may share one directory: SQLite serialises
    their writes. ``max_size`` is in bytes; the least recently used entries go first.
    """

    def __init__(
        self, directory: str | os.PathLike[str] | None = None, *, max_size: int | None = 256 << 20
    ) -> None:
        self.directory = Path(directory).expanduser() if directory is not None else None
        self.max_size = max_size

    @property
    def path(self) -> Path:
        """The SQLite file (the directory is read from the environment when none was given)."""
        return (self.directory or default_cache_dir()) / DATABASE_NAME

    def wrap(self, transport: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        """``transport`` with this cache in front of it, for the GET requests it sends."""
        from fluent_ai.http._hishel import caching_transport

        return caching_transport(transport, self.path, max_size=self.max_size)

    def __repr__(self) -> str:
        return f"HttpCache({str(self.path.parent)!r}, max_size={self.max_size!r})"


@dataclass(frozen=True, slots=True)
class CacheInfo:
    """What the cache did for one response.

    ``from_cache``: the body came from disk (a fresh hit, or a ``304`` answer).
    ``revalidated``: the server was asked with a conditional request first.
    ``stored``: the response was saved for next time.
    """

    from_cache: bool
    revalidated: bool
    stored: bool


def cache_info(response: httpx.Response) -> CacheInfo | None:
    """What the cache did for ``response``, or ``None`` if it did not go through one."""
    status = response.extensions.get("caching")
    if not isinstance(status, Mapping):
        return None
    return CacheInfo(
        from_cache=bool(status.get("from_cache")),
        revalidated=bool(status.get("revalidated")),
        stored=bool(status.get("stored")),
    )
