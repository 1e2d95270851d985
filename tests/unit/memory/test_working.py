"""Working memory: attention spreads along edges, fades each turn, stays bounded, and
lifts what is in mind in a search."""

from __future__ import annotations

import pytest

from fluent_ai.memory import InvalidMemoryError, Memory, WorkingMemory
from tests.unit.memory.conftest import axis


async def test_attention_spreads_along_edges_by_their_strength(memory: Memory) -> None:
    trip = await memory.add("Ada is in Lyon this week", vector=axis(1))
    meeting = await memory.add("The Lyon office meeting is on Thursday", vector=axis(2))
    unrelated = await memory.add("Bob likes chess", vector=axis(3))
    await memory.relate(trip.id, meeting.id, strength=0.8)
    mind = WorkingMemory(memory, spread=0.5)

    await mind.attend([trip.id])

    assert mind.activation(trip.id) == pytest.approx(1.0)
    assert mind.activation(meeting.id) == pytest.approx(0.4)
    assert mind.activation(unrelated.id) == 0.0


async def test_activation_fades_each_turn_until_forgotten(memory: Memory) -> None:
    note = await memory.add("a passing thought", vector=axis(0))
    mind = WorkingMemory(memory, fade=0.5)
    await mind.attend([note.id])

    mind.step()
    assert mind.activation(note.id) == pytest.approx(0.5)
    for _ in range(6):
        mind.step()
    assert mind.focus == []


async def test_only_capacity_memories_stay_in_mind(memory: Memory) -> None:
    mind = WorkingMemory(memory, capacity=3)
    added = [await memory.add(f"thought {n}", vector=axis(n % 4, n / 10)) for n in range(6)]

    for record in added:
        await mind.attend([record.id])
        mind.step()

    assert [key for key, _ in mind.focus] == [r.id for r in reversed(added[-3:])]


async def test_what_is_in_mind_comes_first_among_like_matches(memory: Memory) -> None:
    trip = await memory.add("Ada is in Lyon this week", vector=axis(1))
    paris = await memory.add("meeting at the Paris office", vector=axis(0, 0.20))
    lyon = await memory.add("meeting at the Lyon office", vector=axis(0, 0.25))
    await memory.relate(trip.id, lyon.id)
    mind = WorkingMemory(memory)

    before = await mind.search(vector=axis(0), mode="vector", k=2)
    await mind.attend([trip.id])
    after = await mind.search(vector=axis(0), mode="vector", k=2)

    assert [hit.memory.id for hit in before] == [paris.id, lyon.id]
    assert [hit.memory.id for hit in after] == [lyon.id, paris.id]


def test_settings_out_of_range_are_refused() -> None:
    memory = Memory.open("mem://", embedder=None, dimensions=4)
    with pytest.raises(InvalidMemoryError, match="capacity must be at least 1"):
        WorkingMemory(memory, capacity=0)
    with pytest.raises(InvalidMemoryError, match="fade must be from 0 to 1"):
        WorkingMemory(memory, fade=1.5)
