"""The Redis store against a real redis-server on loopback: shared, expiring, bounded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fluent_ai.engine.cache import Cached
from fluent_ai.engine.cache_redis import RedisStore
from fluent_ai.engine.cache_store import CacheStoreError
from fluent_ai.types import StreamEvent, TextDelta
from tests.support.redis_server import free_port, redis_server
from tests.support.replay import replay_server
from tests.unit.engine.recorded import gemini, gemini_request, gemini_stream

pytest.importorskip("redis", reason="the redis extra is not installed: uv sync --extra redis")

EVENTS: tuple[StreamEvent, ...] = (TextDelta("Paris."),)


@pytest.fixture
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


async def test_two_processes_worth_of_stores_share_answers(redis_url: str) -> None:
    with replay_server([gemini_stream()]) as server:
        async with Cached(gemini(server.base_url), store=RedisStore(redis_url)) as first:
            live = [e async for e in first.stream(gemini_request())]
        async with Cached(gemini(server.base_url), store=RedisStore(redis_url)) as second:
            replayed = [e async for e in second.stream(gemini_request())]
    assert len(server.received) == 1
    assert replayed == live


async def test_redis_expires_entries_and_the_least_recently_used_go_first(redis_url: str) -> None:
    now = [100.0]
    store = RedisStore(redis_url, max_entries=2, clock=lambda: now[0])
    from redis.asyncio import Redis  # after importorskip: the extra is optional

    async with Redis.from_url(redis_url) as raw:
        await store.set("short", EVENTS, ttl=30)
        ttl_ms = await raw.pttl("fluent-ai:cache:short")
        assert 0 < ttl_ms <= 30_000
        await store.set("a", EVENTS, ttl=None)
        assert await raw.pttl("fluent-ai:cache:a") == -1  # no expiry
    await store.delete("short")
    now[0] += 1
    await store.set("b", EVENTS, ttl=None)
    now[0] += 1
    assert await store.get("a") is not None  # a is now the most recently used
    now[0] += 1
    await store.set("c", EVENTS, ttl=None)
    assert await store.get("b") is None
    entry = await store.get("a")
    assert entry is not None
    assert entry.events == EVENTS
    assert await store.size() == 2
    await store.clear()
    assert await store.size() == 0
    assert await store.get("c") is None
    await store.aclose()


async def test_an_unreachable_server_says_where_without_the_password() -> None:
    port = free_port()  # nothing listens there
    store = RedisStore(f"redis://user:s3cret-pass@127.0.0.1:{port}/0")
    with pytest.raises(CacheStoreError) as info:
        await store.get("k")
    assert "s3cret-pass" not in str(info.value)
    assert f"127.0.0.1:{port}" in str(info.value)
    assert info.value.retryable
    await store.aclose()


async def test_a_store_outage_fails_the_request_unless_told_to_go_on() -> None:
    dead = f"redis://127.0.0.1:{free_port()}/0"
    failures: list[CacheStoreError] = []
    with replay_server([gemini_stream()] * 2) as server:
        async with Cached(gemini(server.base_url), store=RedisStore(dead)) as strict:
            with pytest.raises(CacheStoreError):
                await strict.complete(gemini_request())
        store = RedisStore(dead)
        async with Cached(
            gemini(server.base_url), store=store, on_store_error=failures.append
        ) as lenient:
            events = [e async for e in lenient.stream(gemini_request())]
            again = [e async for e in lenient.stream(gemini_request())]
    assert len(server.received) == 2  # the strict one failed before sending anything
    assert events == again
    assert len(failures) == 4  # two lookups and two writes
    assert lenient.stats.store_errors == 4
