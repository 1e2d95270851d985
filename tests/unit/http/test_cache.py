"""The GET cache against a real server: conditional requests, 304s, persistence."""

from __future__ import annotations

from pathlib import Path

import pytest

from fluent_ai.http import CacheInfo, HttpCache, HttpClient, cache_info, default_cache_dir
from tests.unit.http.loopback import Loopback, Received, Reply

MODELS = b'{"data": [{"id": "gpt-4o-mini"}]}'


def etag_reply(request: Received) -> Reply:
    if request.headers.get("if-none-match") == '"v1"':
        return Reply(304, {"etag": '"v1"'})
    return Reply(200, {"etag": '"v1"', "content-type": "application/json"}, MODELS)


async def test_etag_revalidation_serves_the_body_from_the_cache(
    server: Loopback, tmp_path: Path
) -> None:
    server.reply(etag_reply, etag_reply)
    async with HttpClient(cache=HttpCache(tmp_path)) as client:
        first = await client.request("GET", server.url("/v1/models"))
        second = await client.request("GET", server.url("/v1/models"))
    assert "if-none-match" not in server.received[0].headers
    assert server.received[1].headers["if-none-match"] == '"v1"'
    assert first.status_code == second.status_code == 200
    assert first.content == second.content == MODELS
    assert cache_info(first) == CacheInfo(from_cache=False, revalidated=False, stored=True)
    assert cache_info(second) == CacheInfo(from_cache=True, revalidated=True, stored=False)


async def test_last_modified_revalidation(server: Loopback, tmp_path: Path) -> None:
    stamp = "Mon, 06 Jan 2025 10:00:00 GMT"

    def reply(request: Received) -> Reply:
        if request.headers.get("if-modified-since") == stamp:
            return Reply(304, {"last-modified": stamp, "cache-control": "no-cache"})
        return Reply(200, {"last-modified": stamp, "cache-control": "no-cache"}, b"list")

    server.reply(reply, reply)
    async with HttpClient(cache=HttpCache(tmp_path)) as client:
        await client.request("GET", server.url())
        second = await client.request("GET", server.url())
    assert server.received[1].headers["if-modified-since"] == stamp
    assert second.content == b"list"
    assert cache_info(second) == CacheInfo(from_cache=True, revalidated=True, stored=False)


async def test_a_fresh_response_is_served_without_asking_the_server(
    server: Loopback, tmp_path: Path
) -> None:
    server.reply(Reply(200, {"cache-control": "max-age=600"}, b"fresh"))
    async with HttpClient(cache=HttpCache(tmp_path)) as client:
        await client.request("GET", server.url())
        again = await client.request("GET", server.url())
    assert again.content == b"fresh"
    assert len(server.received) == 1
    assert cache_info(again) == CacheInfo(from_cache=True, revalidated=False, stored=False)


async def test_the_cache_outlives_the_client(server: Loopback, tmp_path: Path) -> None:
    server.reply(etag_reply, etag_reply)
    async with HttpClient(cache=HttpCache(tmp_path)) as client:
        await client.request("GET", server.url())
    async with HttpClient(cache=HttpCache(tmp_path)) as client:
        later = await client.request("GET", server.url())
    assert server.received[1].headers["if-none-match"] == '"v1"'
    assert later.content == MODELS


async def test_different_api_keys_do_not_share_entries(server: Loopback, tmp_path: Path) -> None:
    server.reply(*[Reply(200, {"cache-control": "max-age=600"}, b"mine") for _ in range(2)])
    async with HttpClient(cache=HttpCache(tmp_path)) as client:
        await client.request("GET", server.url(), headers={"authorization": "Bearer one"})
        other = await client.request("GET", server.url(), headers={"authorization": "Bearer two"})
    assert len(server.received) == 2
    assert cache_info(other) == CacheInfo(from_cache=False, revalidated=False, stored=True)


async def test_posts_bypass_the_cache(server: Loopback, tmp_path: Path) -> None:
    server.reply(*[Reply(200, {"cache-control": "max-age=600"}, b"answer") for _ in range(2)])
    async with HttpClient(cache=HttpCache(tmp_path)) as client:
        await client.request("POST", server.url(), json={"q": 1})
        second = await client.request("POST", server.url(), json={"q": 1})
    assert len(server.received) == 2
    assert cache_info(second) is None


def test_default_directory_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("FLUENT_AI_CACHE_DIR", str(tmp_path))
    assert default_cache_dir() == tmp_path / "http"
    assert HttpCache().path.parent == tmp_path / "http"
    monkeypatch.delenv("FLUENT_AI_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "fluent-ai" / "http"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path.home() / ".cache" / "fluent-ai" / "http"


async def test_gets_through_a_proxy_from_the_environment_are_cached_too(
    server: Loopback, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY", "HTTP_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", server.base_url)
    server.reply(etag_reply, etag_reply)
    async with HttpClient(cache=HttpCache(tmp_path)) as client:
        await client.request("GET", "http://models.example.test/v1/models")
        second = await client.request("GET", "http://models.example.test/v1/models")
    assert server.received[0].path == "http://models.example.test/v1/models"
    assert server.received[1].headers["if-none-match"] == '"v1"'
    assert second.content == MODELS
