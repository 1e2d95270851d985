"""Download a model catalogue with a conditional GET, keeping the last good copy.

The request goes through fluent-ai's own :class:`~fluent_ai.http.HttpClient`, so it is
retried with backoff (honouring ``Retry-After``), timed out and proxied like every
other call. The body and its ETag are kept together in one JSON file per URL, written
atomically, so they can never disagree; the next download sends ``If-None-Match`` and
an unchanged catalogue costs one empty 304. The HTTP cache (``HttpCache``) is not used
for this on purpose: when the network or the server fails, the last good copy must
still be served, and the failure reported alongside it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import httpx

from fluent_ai.http import DEFAULT_RETRY, HttpClient, RetryPolicy, Timeouts
from fluent_ai.models.atomic import atomic_write
from fluent_ai.models.errors import CatalogueDownloadError, CatalogueError
from fluent_ai.types.errors import FluentAIError

Source = Literal["downloaded", "not-modified", "cache-fallback", "file"]
"""How the text was obtained: a fresh 200, a 304 served from the cache, the cache
served because the download failed, or a local file."""


@dataclass(frozen=True, slots=True)
class Download:
    """The catalogue text, where it came from, and why the cache was used if it was."""

    text: str
    etag: str | None
    source: Source
    error: str | None = None
    location: str = ""


async def fetch_catalogue(
    url: str,
    *,
    cache_dir: Path,
    timeouts: Timeouts | None = None,
    retry: RetryPolicy | None = DEFAULT_RETRY,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Download:
    """Fetch ``url``, revalidating the copy cached in ``cache_dir``; raises
    :class:`CatalogueDownloadError` only when the download fails and nothing is cached."""
    if not url.lower().startswith(("http://", "https://")):
        raise CatalogueError(
            f"{url!r} is not an http(s) URL; to sync from a file on disk, use --from FILE"
        )
    cache_file = cache_dir / _cache_name(url)
    cached = _read_cache(cache_file, url)
    headers = {"If-None-Match": cached.etag} if cached and cached.etag else {}
    timeouts = timeouts or catalogue_timeouts(30.0)
    try:
        async with HttpClient(timeouts=timeouts, retry=retry, transport=transport) as client:
            response = await client.request("GET", url, headers=headers, provider="catalogue")
    except FluentAIError as exc:
        return _fall_back(cached, url, str(exc))
    if response.status_code == 304 and cached is not None:
        return Download(cached.text, cached.etag, "not-modified", location=url)
    if response.status_code != 200:
        return _fall_back(cached, url, f"HTTP {response.status_code}")
    try:
        text = response.content.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _fall_back(cached, url, f"the response is not UTF-8: {exc}")
    etag = response.headers.get("ETag")
    _write_cache(cache_file, url, text, etag)
    return Download(text, etag, "downloaded", location=url)


def catalogue_timeouts(seconds: float) -> Timeouts:
    """Each wait bounded by ``seconds``, and the whole download, retries included, by
    three times that."""
    return Timeouts(connect=min(seconds, 10.0), read=seconds, total=seconds * 3)


def read_file(path: Path) -> Download:
    """A catalogue from a local file (``fluent-ai models sync --from FILE``)."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise CatalogueError(f"could not read the catalogue file {path}: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise CatalogueError(f"the catalogue file {path} is not UTF-8: {exc}") from exc
    return Download(text, None, "file", location=str(path))


def _fall_back(cached: Download | None, url: str, error: str) -> Download:
    if cached is None:
        raise CatalogueDownloadError(f"could not download {url} ({error}) and nothing is cached")
    return Download(cached.text, cached.etag, "cache-fallback", error, location=url)


def _cache_name(url: str) -> str:
    return f"catalogue-{hashlib.sha256(url.encode()).hexdigest()[:16]}.json"


def _read_cache(path: Path, url: str) -> Download | None:
    """The cached copy for ``url``; an unreadable or foreign cache file counts as none."""
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("url") != url:
        return None
    text, etag = stored.get("text"), stored.get("etag")
    if not isinstance(text, str) or not (etag is None or isinstance(etag, str)):
        return None
    return Download(text, etag, "not-modified", location=url)


def _write_cache(path: Path, url: str, text: str, etag: str | None) -> None:
    record = {"url": url, "etag": etag, "text": text}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(record, ensure_ascii=False).encode("utf-8"))
    except OSError as exc:
        raise CatalogueError(f"could not cache the catalogue in {path}: {exc}") from exc
