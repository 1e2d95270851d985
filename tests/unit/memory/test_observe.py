"""Events and figures: every write and search reports what it did, failures included,
and a broken callback never undoes or fails the operation it reports."""

from __future__ import annotations

import logging

import pytest

from fluent_ai.memory import InvalidMemoryError, Memory, MemoryEvent, Scope
from tests.unit.memory.conftest import DIMENSIONS, axis

ADA = Scope(user="ada")


def opened(url: str, events: list[MemoryEvent]) -> Memory:
    return Memory.open(url, embedder=None, dimensions=DIMENSIONS, on_event=events.append)


async def test_each_operation_reports_what_it_wrote_or_found(url: str) -> None:
    events: list[MemoryEvent] = []
    async with opened(url, events) as memory:
        cat = await memory.add("Ada has a cat", scope=ADA, vector=axis(0))
        vet = await memory.add("The cat saw the vet", scope=ADA, vector=axis(0, 0.2))
        edge = await memory.relate(vet.id, cat.id, "follows")
        hits = await memory.search(vector=axis(0), scope=ADA, k=2)
        await memory.invalidate(cat.id, by=vet.id)
        await memory.delete(vet.id)

    assert [(e.operation, e.ids) for e in events] == [
        ("add", (cat.id,)),
        ("add", (vet.id,)),
        ("relate", (edge.id,)),
        ("search", tuple(hit.memory.id for hit in hits)),
        ("invalidate", (cat.id,)),
        ("delete", (vet.id,)),
    ]
    assert all(e.error is None and e.seconds > 0 for e in events)
    figures = memory.metrics()
    assert (figures["add"].count, figures["add"].errors) == (2, 0)
    assert 0 < figures["add"].p50_ms <= figures["add"].p95_ms <= figures["add"].max_ms
    assert set(figures) == {"add", "relate", "search", "invalidate", "delete"}


async def test_a_failed_write_is_an_event_with_its_error(url: str) -> None:
    events: list[MemoryEvent] = []
    async with opened(url, events) as memory:
        with pytest.raises(InvalidMemoryError):
            await memory.add("   ", vector=axis(1))
        with pytest.raises(InvalidMemoryError):
            await memory.delete("not-an-id")

    add, delete = events
    assert (add.operation, add.ids) == ("add", ())
    assert isinstance(add.error, InvalidMemoryError)
    assert (delete.operation, delete.ids) == ("delete", ("not-an-id",))
    assert memory.metrics()["add"].errors == 1


async def test_upkeep_reports_what_it_merged_and_archived(url: str) -> None:
    events: list[MemoryEvent] = []
    async with opened(url, events) as memory:
        first = await memory.add("Ada has a cat", scope=ADA, vector=axis(2))
        twin = await memory.add("Ada has a cat!", scope=ADA, vector=axis(2, 0.01))
        merges = await memory.consolidate(threshold=0.99)
        archived = await memory.decay(threshold=1.0)

    by_operation = {e.operation: e.ids for e in events}
    [merge] = merges
    assert by_operation["consolidate"] == (merge.merged,)
    assert {merge.survivor, merge.merged} == {first.id, twin.id}
    assert by_operation["decay"] == tuple(archived)


async def test_a_callback_that_raises_is_logged_and_the_write_stands(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(event: MemoryEvent) -> None:
        raise RuntimeError("the audit log is full")

    seen: list[MemoryEvent] = []

    async def watching(event: MemoryEvent) -> None:  # async callbacks are awaited
        seen.append(event)

    caplog.set_level(logging.WARNING, logger="fluent_ai.memory")
    async with Memory.open(url, embedder=None, dimensions=DIMENSIONS, on_event=broken) as memory:
        record = await memory.add("Ada has a cat", vector=axis(3))
        assert (await memory.get(record.id)).content == "Ada has a cat"
    assert "on_event callback failed" in caplog.text
    async with Memory.open(url, embedder=None, dimensions=DIMENSIONS, on_event=watching) as other:
        await other.add("Ada has a dog", vector=axis(1))
    assert [e.operation for e in seen] == ["add"]
