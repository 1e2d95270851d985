"""The SQLite store: answers on disk, shared across instances, expiring and bounded."""

from __future__ import annotations

from pathlib import Path

import pytest

from fluent_ai.engine.cache import Cached
from fluent_ai.engine.cache_sqlite import SQLiteStore
from fluent_ai.engine.event_codec import (
    UncacheableError,
    decode_events,
    encode_events,
    response_events,
)
from fluent_ai.providers.catalog import chat_model
from fluent_ai.types import (
    ChatRequest,
    ConfigurationError,
    InvalidRequestError,
    Message,
    ProviderData,
    StreamError,
    StreamEvent,
    TextDelta,
    collect_events,
)
from tests.support.cassettes import load, recordings_dir
from tests.support.replay import replay_server
from tests.unit.engine.recorded import gemini, gemini_request, gemini_stream

EVENTS: tuple[StreamEvent, ...] = (TextDelta("Paris."),)


async def test_answers_survive_a_new_store_on_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "answers.sqlite3"
    with replay_server([gemini_stream()]) as server:
        async with Cached(gemini(server.base_url), store=SQLiteStore(path)) as first:
            live = [e async for e in first.stream(gemini_request())]
        async with Cached(gemini(server.base_url), store=SQLiteStore(path)) as second:
            replayed = [e async for e in second.stream(gemini_request())]
    assert len(server.received) == 1
    assert replayed == live


async def test_entries_expire_and_the_least_recently_used_go_first(tmp_path: Path) -> None:
    now = [5000.0]
    store = SQLiteStore(tmp_path / "a.sqlite3", max_entries=2, clock=lambda: now[0])
    await store.set("short", EVENTS, ttl=10)
    now[0] += 10
    assert await store.get("short") is None
    await store.set("a", EVENTS, ttl=None)
    now[0] += 1
    await store.set("b", EVENTS, ttl=None)
    now[0] += 1
    assert await store.get("a") is not None  # a is now the most recently used
    now[0] += 1
    await store.set("c", EVENTS, ttl=None)
    assert await store.get("b") is None
    assert await store.get("a") is not None
    assert await store.get("c") is not None
    assert await store.size() == 2
    await store.delete("a")
    assert await store.size() == 1
    await store.clear()
    assert await store.size() == 0
    await store.aclose()


async def test_an_unwritable_path_says_how_to_fix_it(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    store = SQLiteStore(blocker / "answers.sqlite3")
    with pytest.raises(ConfigurationError, match="FLUENT_AI_CACHE_DIR"):
        await store.get("k")


def test_settings_that_keep_nothing_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="max_entries"):
        SQLiteStore(tmp_path / "x.sqlite3", max_entries=0)


@pytest.mark.parametrize(
    "cassette",
    [
        "openai/test_openai__test_openai_tool_output.yaml",
        "anthropic/test_anthropic__test_anthropic_model_thinking_part_stream.yaml",
        "google/test_google__test_google_model_stream.yaml",
    ],
)
async def test_recorded_answers_round_trip_through_the_codec(cassette: str) -> None:
    item = load(recordings_dir() / cassette)[-1]
    provider = cassette.split("/")[0]
    spec = {
        "openai": "openai/gpt-4o",
        "anthropic": "anthropic/claude-sonnet-4-0",
        "google": "google/gemini-2.0-flash-exp",
    }[provider]
    base = {"openai": "/v1", "anthropic": "", "google": "/v1beta"}[provider]
    request = ChatRequest(model=spec.split("/")[1], messages=[Message.user("hi")], max_tokens=50)
    with replay_server([item, item]) as server:
        async with chat_model(spec, api_key="k", base_url=server.base_url + base) as model:
            if item.is_stream:
                events = [e async for e in model.stream(request)]
            else:
                events = response_events(await model.complete(request))
    assert decode_events(encode_events(events)) == events
    assert collect_events(response_events(collect_events(events))) == collect_events(events)


async def test_what_json_cannot_hold_is_answered_but_not_stored(tmp_path: Path) -> None:
    with pytest.raises(UncacheableError, match="JSON"):
        encode_events([ProviderData({"blob": b"\x00"})])
    with pytest.raises(UncacheableError, match="never cached"):
        encode_events([StreamError(InvalidRequestError("bad"))])
    store = SQLiteStore(tmp_path / "x.sqlite3")
    with pytest.raises(UncacheableError):
        await store.set("k", (ProviderData({"blob": b"\x00"}),), ttl=None)
    assert await store.size() == 0
    await store.aclose()
