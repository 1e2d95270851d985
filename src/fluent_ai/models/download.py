"""Download the model catalogue with a conditional GET, keeping the last good copy.

The body and its ETag are cached together in one JSON file per URL, written atomically,
so they can never disagree. The next download sends ``If-None-Match``: an unchanged
catalogue costs one empty 304 response. When the network or the server fails, the
cached copy is served and the failure is reported alongside it.

This is a blocking function on purpose: it runs from ``fluent-ai models sync`` and
maintenance scripts, never on an event loop serving requests.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import httpx

from fluent_ai.models.atomic import atomic_write
from fluent_ai.models.errors import CatalogueDownloadError, CatalogueError

DEFAULT_URL = "https://raw.githubusercontent.com/sigoden/aichat/refs/heads/main/models.yaml"

Source = Literal["downloaded", "not-modified", "cache-fallback"]
"""How the text was obtained: a fresh 200, a 304 served from the cache, or the cache
served because the download failed."""


@dataclass(frozen=True, slots=True)
class Download:
    """The catalogue text, where it came from, and why the cache was used if it was."""

    text: str
    etag: str | None
    source: Source
    error: str | None = None


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/fluent-ai/models``, or ``~/.cache/fluent-ai/models``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "fluent-ai" / "models"


def fetch_catalogue(
    url: str = DEFAULT_URL,
    *,
    cache_dir: Path | None = None,
    timeout: float = 30.0,
    transport: httpx.BaseTransport | None = None,
) -> Download:
    """Fetch ``url``, revalidating the cached copy; raises :class:`CatalogueDownloadError`
    only when the download fails and there is no cached copy to serve."""
    cache_file = (cache_dir or default_cache_dir()) / _cache_name(url)
    cached = _read_cache(cache_file, url)
    headers = {"If-None-Match": cached.etag} if cached and cached.etag else {}
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True, transport=transport) as client:
            response = client.get(url, headers=headers)
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        return _fall_back(cached, url, f"{type(exc).__name__}: {exc}")
    if response.status_code == 304 and cached is not None:
        return Download(cached.text, cached.etag, "not-modified")
    if response.status_code != 200:
        return _fall_back(cached, url, f"HTTP {response.status_code}")
    try:
        text = response.content.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _fall_back(cached, url, f"the response is not UTF-8: {exc}")
    etag = response.headers.get("ETag")
    _write_cache(cache_file, url, text, etag)
    return Download(text, etag, "downloaded")


def _fall_back(cached: Download | None, url: str, error: str) -> Download:
    if cached is None:
        raise CatalogueDownloadError(f"could not download {url} ({error}) and nothing is cached")
    return Download(cached.text, cached.etag, "cache-fallback", error)


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
    return Download(text, etag, "not-modified")


def _write_cache(path: Path, url: str, text: str, etag: str | None) -> None:
    record = {"url": url, "etag": etag, "text": text}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(record, ensure_ascii=False).encode("utf-8"))
    except OSError as exc:
        raise CatalogueError(f"could not cache the catalogue in {path}: {exc}") from exc
