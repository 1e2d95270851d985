"""The conditional download against a real loopback server: 200, 304, failures, cache."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from fluent_ai.http import RetryPolicy
from fluent_ai.models.download import Download, catalogue_timeouts, fetch_catalogue
from fluent_ai.models.errors import CatalogueDownloadError, CatalogueError
from tests.unit.models.conftest import CatalogueServer


async def _no_wait(delay: float) -> None:
    pass


def fetch(url: str, *, cache_dir: Path, timeout: float = 30.0) -> Download:
    """The download as ``sync`` does it, with retries that do not wait."""
    retry = RetryPolicy(max_attempts=3, sleep=_no_wait)
    return asyncio.run(
        fetch_catalogue(url, cache_dir=cache_dir, timeouts=catalogue_timeouts(timeout), retry=retry)
    )


def test_first_download_stores_body_and_etag(server: CatalogueServer, tmp_path: Path) -> None:
    server.serve("- provider: openai\n  models: []\n")

    download = fetch(server.url, cache_dir=tmp_path)

    assert download.source == "downloaded"
    assert download.text == "- provider: openai\n  models: []\n"
    assert download.etag == server.etag
    assert "if-none-match" not in server.requests[0]
    [cache_file] = tmp_path.glob("*.json")
    stored = json.loads(cache_file.read_text())
    assert stored == {"url": server.url, "etag": server.etag, "text": download.text}


def test_unchanged_catalogue_costs_a_304(server: CatalogueServer, tmp_path: Path) -> None:
    server.serve("- provider: openai\n  models: []\n")
    first = fetch(server.url, cache_dir=tmp_path)

    second = fetch(server.url, cache_dir=tmp_path)

    assert server.statuses == ["200", "304"]
    assert server.requests[1]["if-none-match"] == first.etag
    assert second.source == "not-modified"
    assert second.text == first.text
    assert second.etag == first.etag


def test_changed_catalogue_is_downloaded_again(server: CatalogueServer, tmp_path: Path) -> None:
    server.serve("- provider: openai\n  models: []\n")
    fetch(server.url, cache_dir=tmp_path)
    server.serve("- provider: mistral\n  models: []\n")

    download = fetch(server.url, cache_dir=tmp_path)

    assert server.statuses == ["200", "200"]
    assert download.source == "downloaded"
    assert download.text.startswith("- provider: mistral")
    assert (fetch(server.url, cache_dir=tmp_path)).source == "not-modified"


def test_network_failure_serves_the_cache(server: CatalogueServer, tmp_path: Path) -> None:
    server.serve("- provider: openai\n  models: []\n")
    first = fetch(server.url, cache_dir=tmp_path)
    server.stop()

    download = fetch(server.url, cache_dir=tmp_path, timeout=5)

    assert download.source == "cache-fallback"
    assert download.text == first.text
    assert download.etag == first.etag
    assert download.error is not None
    assert "connect" in download.error.lower()


def test_server_error_serves_the_cache(server: CatalogueServer, tmp_path: Path) -> None:
    server.serve("- provider: openai\n  models: []\n")
    fetch(server.url, cache_dir=tmp_path)
    server.serve("", status=503)

    download = fetch(server.url, cache_dir=tmp_path)

    assert download.source == "cache-fallback"
    assert download.error == "HTTP 503"
    assert server.statuses == ["200", "503", "503", "503"]  # retried, as every call is
    assert download.text == "- provider: openai\n  models: []\n"


def test_failure_without_cache_is_a_clear_error(dead_url: str, tmp_path: Path) -> None:
    with pytest.raises(CatalogueDownloadError, match="nothing is cached") as caught:
        fetch(dead_url, cache_dir=tmp_path, timeout=5)
    assert caught.value.retryable


def test_corrupt_cache_counts_as_none(server: CatalogueServer, tmp_path: Path) -> None:
    server.serve("- provider: openai\n  models: []\n")
    fetch(server.url, cache_dir=tmp_path)
    [cache_file] = tmp_path.glob("*.json")
    cache_file.write_text('{"url": "')

    download = fetch(server.url, cache_dir=tmp_path)

    assert download.source == "downloaded"
    assert "if-none-match" not in server.requests[1]
    assert json.loads(cache_file.read_text())["etag"] == server.etag


def test_each_url_has_its_own_cache(server: CatalogueServer, tmp_path: Path) -> None:
    server.serve("- provider: openai\n  models: []\n")
    fetch(server.url, cache_dir=tmp_path)

    fetch(server.url + "?other", cache_dir=tmp_path)

    assert "if-none-match" not in server.requests[1]
    assert len(list(tmp_path.glob("*.json"))) == 2


def test_a_passing_failure_is_retried(server: CatalogueServer, tmp_path: Path) -> None:
    server.serve("- provider: openai\n  models: []\n")
    server.fail_next(503, 429)

    download = fetch(server.url, cache_dir=tmp_path)

    assert server.statuses == ["503", "429", "200"]
    assert download.source == "downloaded"


def test_a_local_file_url_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="not an http"):
        fetch("not a url at all://", cache_dir=tmp_path)
