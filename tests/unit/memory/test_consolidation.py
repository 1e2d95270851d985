"""Consolidation folds near-duplicates into one memory, and only near-duplicates."""

from __future__ import annotations

import pytest

from fluent_ai.memory import InvalidMemoryError, Memory, Scope
from tests.unit.memory.conftest import axis


async def test_near_duplicates_are_folded_into_the_more_important(memory: Memory) -> None:
    ada = Scope(user="ada")
    first = await memory.add(
        "Ada has a cat", vector=axis(0, 0.01), scope=ada, importance=0.4, tags=["pets"]
    )
    second = await memory.add(
        "Ada's cat is called Pixel", vector=axis(0, 0.02), scope=ada, importance=0.8, tags=["names"]
    )
    other = await memory.add("Bob plays the cello", vector=axis(2), scope=ada)
    await memory.search(vector=axis(0, 0.01), mode="vector", k=1)  # one retrieval of `first`

    [merge] = await memory.consolidate(threshold=0.95)

    assert (merge.survivor, merge.merged) == (second.id, first.id)
    assert merge.similarity > 0.99
    kept = await memory.get(second.id)
    assert (kept.importance, kept.access_count, kept.tags) == (0.8, 1, ("names", "pets"))
    assert (await memory.get(first.id)).archived  # kept, out of the way
    hits = await memory.search(vector=axis(0), mode="vector", k=5, track_access=False)
    assert [hit.memory.id for hit in hits] == [second.id, other.id]
    [edge] = [e for e in await memory.edges(second.id) if e.relation == "derived_from"]
    assert (edge.source, edge.target) == (second.id, first.id)
    assert await memory.count() == 3


async def test_different_scopes_kinds_and_loose_matches_are_left_alone(memory: Memory) -> None:
    await memory.add("Ada has a cat", vector=axis(0), scope=Scope(user="ada"))
    await memory.add("Ada has a cat", vector=axis(0), scope=Scope(user="bob"))
    await memory.add(
        "Ada has a cat", vector=axis(0, 0.01), scope=Scope(user="ada"), kind="semantic"
    )
    await memory.add("Ada has a dog", vector=axis(0, 0.5), scope=Scope(user="ada"))

    assert await memory.consolidate(threshold=0.95) == []


async def test_three_copies_become_one(memory: Memory) -> None:
    copies = [await memory.add(f"copy {n}", vector=axis(1, n / 100)) for n in range(3)]

    merges = await memory.consolidate()

    assert len(merges) == 2
    assert {m.merged for m in merges} == {copies[1].id, copies[2].id}  # equal weight: oldest stays
    hits = await memory.search(vector=axis(1), mode="vector", k=5, track_access=False)
    assert [hit.memory.id for hit in hits] == [copies[0].id]


async def test_a_threshold_outside_zero_to_one_is_refused(memory: Memory) -> None:
    with pytest.raises(InvalidMemoryError, match="threshold must be a number from 0 to 1"):
        await memory.consolidate(threshold=1.5)
