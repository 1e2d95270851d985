"""The cognitive layer changes rankings the way memory should: each factor on data where
it matters, against plain relevance on the same data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from fluent_ai.memory import Memory
from fluent_ai.memory.schema import META, SCHEMA_VERSION
from tests.unit.memory.conftest import axis

LONG_AGO = datetime.now(UTC) - timedelta(days=365)


async def ranked(memory: Memory, rank: Literal["relevance", "cognitive"]) -> list[str]:
    hits = await memory.search(
        vector=axis(0),
        mode="vector",
        k=2,
        rank=rank,
        track_access=False,
    )
    return [hit.memory.content for hit in hits]


async def test_recency_lifts_a_recent_memory_over_a_slightly_closer_old_one(
    memory: Memory,
) -> None:
    await memory.add("old", vector=axis(0, 0.1), created_at=LONG_AGO)
    await memory.add("recent", vector=axis(0, 0.3))

    assert await ranked(memory, "relevance") == ["old", "recent"]
    assert await ranked(memory, "cognitive") == ["recent", "old"]


async def test_importance_lifts_what_was_marked_important(memory: Memory) -> None:
    await memory.add("trivia", vector=axis(0, 0.1), importance=0.1)
    await memory.add("allergy", vector=axis(0, 0.3), importance=0.9)

    assert await ranked(memory, "relevance") == ["trivia", "allergy"]
    assert await ranked(memory, "cognitive") == ["allergy", "trivia"]


async def test_frequent_retrieval_strengthens_a_memory(memory: Memory) -> None:
    await memory.add("seldom", vector=axis(0, 0.1))
    often = await memory.add("often", vector=axis(0, 0.3))
    for _ in range(30):  # each search that returns it counts one retrieval
        await memory.search(vector=axis(0, 0.3), mode="vector", k=1)

    assert (await memory.get(often.id)).access_count == 30
    assert await ranked(memory, "relevance") == ["seldom", "often"]
    assert await ranked(memory, "cognitive") == ["often", "seldom"]


async def test_relevance_still_decides_between_a_close_old_match_and_a_loose_new_one(
    memory: Memory,
) -> None:
    await memory.add("close but old", vector=axis(0), created_at=LONG_AGO, importance=0.5)
    await memory.add("loose but new", vector=axis(0, 2.0), importance=0.5)

    assert await ranked(memory, "cognitive") == ["close but old", "loose but new"]
    [best, _] = await memory.search(vector=axis(0), mode="vector", k=2, rank="cognitive")
    assert set(best.scores) == {"vector", "relevance", "strength"}
    assert best.scores["relevance"] == 1.0


async def test_decay_archives_what_faded_and_restore_brings_it_back(memory: Memory) -> None:
    faded = await memory.add("an old aside", vector=axis(0), created_at=LONG_AGO, importance=0.1)
    kept = await memory.add("an old vow", vector=axis(0, 0.1), created_at=LONG_AGO, importance=0.9)
    fresh = await memory.add("a new aside", vector=axis(0, 0.2), importance=0.1)

    archived = await memory.decay()

    assert archived == [faded.id]
    assert (await memory.get(faded.id)).archived
    hits = await memory.search(vector=axis(0), mode="vector", k=5, track_access=False)
    assert [hit.memory.id for hit in hits] == [kept.id, fresh.id]
    everything = await memory.search(
        vector=axis(0), mode="vector", k=5, include_archived=True, track_access=False
    )
    assert faded.id in {hit.memory.id for hit in everything}
    assert await memory.count() == 3  # archived, not deleted
    await memory.restore(faded.id)
    assert not (await memory.get(faded.id)).archived


async def test_a_store_of_the_first_schema_is_migrated(tmp_path: Path) -> None:
    url = f"surrealkv://{tmp_path / 'store'}"
    async with Memory.open(url, embedder=None, dimensions=4) as memory:
        old = await memory.add("from schema 1", vector=axis(0))
        state = await memory._session.ready()
        await state.connection.query(f"UPDATE {META} SET version = 1")

    async with Memory.open(url, embedder=None) as reopened:
        state = await reopened._session.ready()
        [[version]] = await state.connection.query(f"SELECT VALUE version FROM {META}")
        assert version == SCHEMA_VERSION
        assert not (await reopened.get(old.id)).archived
        assert await reopened.decay(threshold=2.0) == [old.id]  # the new field works
