"""Writing, reading and retiring memories on every embedded engine."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from fluent_ai.memory import (
    InvalidMemoryError,
    Memory,
    MemoryNotFoundError,
    Scope,
    StoreQueryError,
)
from tests.unit.memory.conftest import DIMENSIONS, axis


async def test_a_memory_round_trips_with_every_field(memory: Memory) -> None:
    when = datetime(2023, 5, 8, 13, 56, tzinfo=UTC)
    added = await memory.add(
        "  Ada prefers metric units  ",
        kind="semantic",
        scope=Scope(user="ada", agent="tutor"),
        importance=0.9,
        tags=["units", "preference", "units"],
        source="chat",
        metadata={"turn": 3},
        created_at=when,
        vector=axis(0),
    )

    found = await memory.get(added.id)

    assert found == added
    assert found.content == "Ada prefers metric units"
    assert (found.kind, found.scope, found.importance) == ("semantic", Scope("ada", "tutor"), 0.9)
    assert (found.tags, found.source, found.metadata) == (
        ("preference", "units"),
        "chat",
        {"turn": 3},
    )
    assert found.created_at == when
    assert found.current
    assert await memory.count() == 1


@pytest.mark.parametrize(
    ("content", "vector", "options", "message"),
    [
        ("   ", axis(0), {}, "content is empty"),
        ("text", [1.0, 0.0], {}, "has 2 dimensions; this store holds 4"),
        ("text", [1.0, math.nan, 0.0, 0.0], {}, "at 1 is nan: not finite"),
        ("text", [0.0] * DIMENSIONS, {}, "all zeros"),
        ("text", axis(0), {"kind": "dream"}, "unknown memory kind 'dream'"),
        ("text", axis(0), {"importance": 1.5}, "importance must be a number from 0 to 1"),
        ("caf\udce9", axis(0), {}, "lone surrogate at character 3"),
    ],
)
async def test_bad_input_is_a_clear_error_and_nothing_is_written(
    memory: Memory, content: str, vector: list[float], options: dict[str, object], message: str
) -> None:
    await memory.add("kept", vector=axis(1))

    with pytest.raises(InvalidMemoryError, match=message):
        await memory.add(content, vector=vector, **options)  # type: ignore[arg-type]

    assert await memory.count() == 1


async def test_a_write_the_database_refuses_leaves_the_store_as_it_was(
    memory: Memory, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await memory.add("first", vector=axis(0))
    monkeypatch.setattr("fluent_ai.memory.session.secrets.randbits", lambda bits: int(first.id))

    with pytest.raises(StoreQueryError, match="already exists"):
        await memory.add("second", vector=axis(1))

    assert await memory.count() == 1
    hits = await memory.search(vector=axis(1), mode="vector", k=5)
    assert [hit.memory.content for hit in hits] == ["first"]


async def test_scope_keeps_users_apart(memory: Memory) -> None:
    await memory.add("Ada's note", vector=axis(0), scope=Scope(user="ada"))
    await memory.add("Bob's note", vector=axis(0, 0.1), scope=Scope(user="bob"))

    hits = await memory.search(vector=axis(0), mode="vector", scope=Scope(user="bob"))

    assert [hit.memory.content for hit in hits] == ["Bob's note"]
    assert await memory.count(scope=Scope(user="ada")) == 1


async def test_invalidated_facts_leave_search_but_stay_for_the_past(memory: Memory) -> None:
    old = await memory.add(
        "Ada lives in Paris",
        kind="semantic",
        vector=axis(0),
        created_at=datetime(2020, 1, 1, tzinfo=UTC),
    )
    new = await memory.add(
        "Ada lives in Lyon",
        kind="semantic",
        vector=axis(0, 0.2),
        created_at=datetime(2024, 1, 1, tzinfo=UTC),
    )

    retired = await memory.invalidate(old.id, by=new.id, at=datetime(2024, 1, 1, tzinfo=UTC))

    assert (retired.current, retired.invalidated_by) == (False, new.id)
    now = await memory.search(vector=axis(0), mode="vector")
    then = await memory.search(
        vector=axis(0), mode="vector", as_of=datetime(2022, 1, 1, tzinfo=UTC)
    )
    assert [hit.memory.content for hit in now] == ["Ada lives in Lyon"]
    assert [hit.memory.content for hit in then] == ["Ada lives in Paris"]
    [contradiction] = [e for e in await memory.edges(old.id) if e.relation == "contradicts"]
    assert (contradiction.source, contradiction.target) == (new.id, old.id)


async def test_delete_erases_the_memory_its_edges_and_its_vector(memory: Memory) -> None:
    gone = await memory.add("gone", vector=axis(0))
    kept = await memory.add("kept", vector=axis(1))
    await memory.relate(kept.id, gone.id, strength=0.5)

    await memory.delete(gone.id)

    with pytest.raises(MemoryNotFoundError):
        await memory.get(gone.id)
    assert await memory.edges(kept.id) == []
    hits = await memory.search(vector=axis(0), mode="vector")
    assert [hit.memory.content for hit in hits] == ["kept"]


async def test_edges_are_expired_not_deleted(memory: Memory) -> None:
    a = await memory.add("a", vector=axis(0))
    b = await memory.add("b", vector=axis(1))
    link = await memory.relate(a.id, b.id, "caused_by", strength=0.7)

    expired = await memory.expire(link)

    assert expired.expired_at is not None
    assert expired.valid_to is not None
    assert await memory.edges(a.id) == []
    assert [e.relation for e in await memory.edges(a.id, include_expired=True)] == ["caused_by"]


async def test_relating_a_missing_memory_is_a_clear_error(memory: Memory) -> None:
    a = await memory.add("a", vector=axis(0))

    with pytest.raises(MemoryNotFoundError, match="no memory 12345"):
        await memory.relate(a.id, "12345")
    with pytest.raises(InvalidMemoryError, match="unknown relation 'likes'"):
        await memory.relate(a.id, a.id, "likes")  # type: ignore[arg-type]


def test_the_sync_twins(tmp_path: object) -> None:
    with Memory.open("mem://", embedder=None, dimensions=DIMENSIONS) as memory:
        added = memory.add_sync("synchronous", vector=axis(2))
        [hit] = memory.search_sync(vector=axis(2), mode="vector")
        assert hit.memory == added
        assert memory.get_sync(added.id).access_count == 1  # the search counted as a retrieval
        assert memory.count_sync() == 1


def test_an_address_that_is_no_store_is_refused_at_once() -> None:
    with pytest.raises(InvalidMemoryError, match="not a memory store address"):
        Memory.open("postgres://localhost/db")


def test_a_server_over_http_is_pointed_to_its_websocket() -> None:
    with pytest.raises(InvalidMemoryError, match=r"use wss://db\.example:8000"):
        Memory.open("https://db.example:8000")
