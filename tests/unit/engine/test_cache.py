"""The response cache over real HTTP on loopback: what is kept, replayed and refused."""

from __future__ import annotations

import asyncio
from contextlib import aclosing

import pytest

from fluent_ai.engine.cache import Cached, CacheHit
from fluent_ai.engine.cache_memory import MemoryStore
from fluent_ai.engine.dedup import Deduplicated
from fluent_ai.providers.base import ChatModel
from fluent_ai.types import (
    ChatRequest,
    ConfigurationError,
    Finish,
    InvalidRequestError,
    StreamEvent,
    StreamInterruptedError,
    TextDelta,
    collect_events,
)
from tests.support.held_replay import held_replay_server
from tests.support.replay import replay_server
from tests.unit.engine.recorded import (
    cut_short,
    failing,
    gemini,
    gemini_request,
    gemini_stream,
    openai,
    openai_answer,
    openai_request,
)


async def _read(model: ChatModel, request: ChatRequest | None = None) -> list[StreamEvent]:
    async with aclosing(model.stream(request or gemini_request())) as events:
        return [event async for event in events]


async def test_a_cached_stream_replays_the_same_events() -> None:
    hits: list[CacheHit] = []
    with replay_server([gemini_stream()]) as server:
        async with Cached(gemini(server.base_url), on_hit=hits.append) as model:
            live = await _read(model)
            replayed = await _read(model)
            whole = await model.complete(gemini_request())
    assert len(server.received) == 1
    assert replayed == live
    assert whole == collect_events(live)
    assert [h.kind for h in hits] == ["exact", "exact"]
    assert model.stats.hits == 2
    assert model.stats.misses == 1
    assert model.stats.stored == 1


async def test_a_cached_completion_streams_as_the_events_it_is_made_of() -> None:
    with replay_server([openai_answer()]) as server:
        async with Cached(openai(server.base_url)) as model:
            answer = await model.complete(openai_request())
            again = await model.complete(openai_request())
            events = await _read(model, openai_request())
    assert len(server.received) == 1
    assert again == answer
    assert collect_events(events) == answer
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == answer.text


async def test_sampled_answers_are_not_cached_unless_asked() -> None:
    sampled = openai_request(temperature=None)
    with replay_server([openai_answer()] * 4) as server:
        async with Cached(openai(server.base_url)) as model:
            await model.complete(sampled)
            await model.complete(sampled)
            assert len(server.received) == 2
            always = sampled.model_copy(update={"metadata": {"fluent_ai.cache": "always"}})
            await model.complete(always)
            await model.complete(always)
            assert len(server.received) == 3
        async with Cached(openai(server.base_url), nondeterministic=True) as anything:
            await anything.complete(sampled)
            await anything.complete(sampled)
    assert len(server.received) == 4
    assert all("metadata" not in str(r.body) for r in server.received)


async def test_a_seed_makes_a_request_cacheable() -> None:
    seeded = openai_request(temperature=0.8, seed=42)
    with replay_server([openai_answer()]) as server:
        async with Cached(openai(server.base_url)) as model:
            await model.complete(seeded)
            await model.complete(seeded)
    assert len(server.received) == 1


async def test_off_skips_the_cache_and_refresh_replaces_the_answer() -> None:
    off = openai_request(metadata={"fluent_ai.cache": "off"})
    refresh = openai_request(metadata={"fluent_ai.cache": "refresh"})
    with replay_server([openai_answer()] * 3) as server:
        async with Cached(openai(server.base_url)) as model:
            await model.complete(off)  # neither read nor written
            await model.complete(refresh)  # not read, but written
            await model.complete(refresh)
            await model.complete(openai_request())  # the refreshed answer
    assert len(server.received) == 3
    assert model.stats.stored == 2
    assert model.stats.hits == 1
    assert model.stats.bypassed == 1


async def test_errors_are_never_cached() -> None:
    with replay_server([failing(gemini_stream()), gemini_stream()]) as server:
        async with Cached(gemini(server.base_url)) as model:
            with pytest.raises(InvalidRequestError):
                await _read(model)
            events = await _read(model)
    assert len(server.received) == 2
    assert any(isinstance(e, TextDelta) for e in events)
    assert model.stats.stored == 1


async def test_a_stream_broken_midway_is_not_kept() -> None:
    with replay_server([cut_short(gemini_stream()), gemini_stream()]) as server:
        async with Cached(gemini(server.base_url)) as model:
            with pytest.raises(StreamInterruptedError):
                await _read(model)
            events = await _read(model)
    assert len(server.received) == 2
    assert isinstance(events[-1], Finish)
    assert model.stats.stored == 1


async def test_a_stream_read_only_in_part_is_not_kept() -> None:
    with replay_server([gemini_stream()] * 2) as server:
        async with Cached(gemini(server.base_url)) as model:
            async with aclosing(model.stream(gemini_request())) as events:
                async for event in events:
                    if isinstance(event, TextDelta):
                        break
            await _read(model)
    assert len(server.received) == 2
    assert model.stats.stored == 1


async def test_a_reader_that_stops_at_the_finish_still_fills_the_cache() -> None:
    with replay_server([gemini_stream()]) as server:
        async with Cached(gemini(server.base_url)) as model:
            async with aclosing(model.stream(gemini_request())) as events:
                async for event in events:
                    if isinstance(event, Finish):
                        break
            replayed = await _read(model)
    assert len(server.received) == 1
    assert isinstance(replayed[-1], Finish)


async def test_answers_expire_after_their_time_to_live() -> None:
    now = [1000.0]
    store = MemoryStore(clock=lambda: now[0])
    with replay_server([openai_answer()] * 2) as server:
        async with Cached(openai(server.base_url), store=store, ttl=60) as model:
            await model.complete(openai_request())
            now[0] += 59
            await model.complete(openai_request())
            assert len(server.received) == 1
            now[0] += 1
            await model.complete(openai_request())
    assert len(server.received) == 2


async def test_the_size_bound_evicts_the_least_recently_used() -> None:
    questions = ["a?", "b?", "c?"]
    with replay_server([openai_answer()] * 4) as server:
        async with Cached(openai(server.base_url), store=MemoryStore(max_entries=2)) as model:
            for text in questions[:2]:
                await model.complete(openai_request(text))
            await model.complete(openai_request("a?"))  # a is now the most recent
            await model.complete(openai_request("c?"))  # evicts b
            assert len(server.received) == 3
            await model.complete(openai_request("a?"))
            assert len(server.received) == 3
            await model.complete(openai_request("b?"))
    assert len(server.received) == 4


async def test_dedup_over_the_cache_answers_a_burst_with_one_call_then_from_the_cache() -> None:
    with held_replay_server([gemini_stream()], hold_after=0) as (server, hold):
        cached = Cached(gemini(server.base_url))
        async with Deduplicated(cached) as model:
            tasks = [asyncio.create_task(_read(model)) for _ in range(100)]
            assert await asyncio.to_thread(hold.wait_reached)
            hold.release.set()
            burst = await asyncio.gather(*tasks)
            later = await _read(model)
    assert len(server.received) == 1
    assert all(events == later for events in burst)
    assert cached.stats.misses == 1
    assert cached.stats.stored == 1
    assert cached.stats.hits == 1


async def test_a_refresh_never_joins_a_call_the_cache_answers() -> None:
    refresh = gemini_request(metadata={"fluent_ai.cache": "refresh"})
    with held_replay_server([gemini_stream()] * 2, hold_after=1) as (server, hold):
        hold.release.set()  # nothing to hold for the first call
        cached = Cached(gemini(server.base_url))
        async with Deduplicated(cached) as model:
            await _read(model)  # fills the cache
            hold.release.clear()
            hold.reached.clear()
            fresh = asyncio.create_task(_read(model, refresh))
            assert await asyncio.to_thread(hold.wait_reached)
            replayed = await _read(model)  # answered by the cache, not the refresh call
            assert not fresh.done()  # the refresh call is still held upstream
            assert model.upstream_calls == 3
            hold.release.set()
            renewed = await fresh
    assert len(server.received) == 2
    assert replayed == renewed
    assert cached.stats.stored == 2


def test_settings_that_cache_nothing_are_refused() -> None:
    with replay_server([]) as server, pytest.raises(ConfigurationError, match="ttl"):
        Cached(openai(server.base_url), ttl=0)
    with pytest.raises(ConfigurationError, match="max_entries"):
        MemoryStore(max_entries=0)
