"""Search by meaning, words, time and edges, fused, each hit saying why it ranked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fluent_ai.memory import InvalidMemoryError, Memory
from fluent_ai.memory.search import RRF_K, query_words
from tests.unit.memory.conftest import axis

FILLER = [
    "The weather report mentioned rain for the weekend",
    "Bob bought a new bicycle with a red frame",
    "The library closes early on public holidays",
    "A recipe for lentil soup needs cumin and lemon",
    "The train to Lyon leaves from platform nine",
    "Chess openings are easier with a study plan",
]


async def fill(memory: Memory) -> None:
    for number, text in enumerate(FILLER):
        await memory.add(text, vector=axis(3, 0.1 * number))


async def test_vector_search_ranks_the_nearest_first(memory: Memory) -> None:
    await memory.add("north", vector=axis(0))
    await memory.add("north by east", vector=axis(0, 0.5))
    await memory.add("east", vector=axis(1))

    hits = await memory.search(vector=axis(0), mode="vector", k=2)

    assert [hit.memory.content for hit in hits] == ["north", "north by east"]
    assert hits[0].scores["vector"] == pytest.approx(1.0)
    assert hits[0].ranks == {"vector": 1}


async def test_text_search_finds_the_words(memory: Memory) -> None:
    await fill(memory)
    await memory.add("Ada's cat sleeps on the windowsill", vector=axis(0))

    hits = await memory.search("cats sleeping", mode="text", k=3)

    assert hits[0].memory.content == "Ada's cat sleeps on the windowsill"  # stemmed: cat, sleep
    assert set(hits[0].scores) == {"text"}


async def test_hybrid_puts_a_memory_found_both_ways_first(memory: Memory) -> None:
    await fill(memory)
    meaning = await memory.add("a feline naps by the window", vector=axis(0))
    words = await memory.add("the cat food order is late", vector=axis(2))
    both = await memory.add("the cat naps", vector=axis(0, 0.1))  # shorter: first by words

    hits = await memory.search("cat", vector=axis(0), k=3)

    assert hits[0].memory.id == both.id
    assert set(hits[0].scores) == {"vector", "text"}
    # Second by meaning (the feline is nearer), first by words: first overall.
    assert hits[0].ranks == {"vector": 2, "text": 1}
    assert hits[0].score == pytest.approx(1 / (RRF_K + 2) + 1 / (RRF_K + 1))
    assert {hit.memory.id for hit in hits[1:]} == {meaning.id, words.id}
    assert all(hit.score <= hits[0].score for hit in hits)


async def test_time_ranges_and_kinds_filter_every_signal(memory: Memory) -> None:
    for year in (2021, 2022, 2023):
        await memory.add(
            f"cat notes from {year}",
            vector=axis(0),
            kind="episodic" if year != 2022 else "semantic",
            created_at=datetime(year, 6, 1, tzinfo=UTC),
        )

    window = await memory.search(
        "cat",
        vector=axis(0),
        since=datetime(2022, 1, 1, tzinfo=UTC),
        until=datetime(2023, 1, 1, tzinfo=UTC),
    )
    episodic = await memory.search("cat", vector=axis(0), kinds=["episodic"])

    assert [hit.memory.content for hit in window] == ["cat notes from 2022"]
    assert {hit.memory.content for hit in episodic} == {
        "cat notes from 2021",
        "cat notes from 2023",
    }


async def test_graph_expansion_follows_strong_current_edges(memory: Memory) -> None:
    seed = await memory.add("Ada started a new job", vector=axis(0))
    near = await memory.add("Ada moved to Lyon", vector=axis(2))
    far = await memory.add("Ada joined a climbing club in Lyon", vector=axis(2, 0.3))
    stale = await memory.add("Ada's old commute", vector=axis(1))
    await memory.relate(near.id, seed.id, "caused_by", strength=0.8)
    await memory.relate(near.id, far.id, "relates_to", strength=0.5)
    await memory.expire(await memory.relate(seed.id, stale.id, strength=1.0))

    one = await memory.search(vector=axis(0), mode="vector", k=1, expand=1)
    two = await memory.search(vector=axis(0), mode="vector", k=1, expand=2)

    assert [hit.memory.id for hit in one] == [seed.id, near.id]
    assert one[1].scores == {"graph": pytest.approx(0.8)}
    assert [hit.memory.id for hit in two] == [seed.id, near.id, far.id]
    assert two[2].scores["graph"] == pytest.approx(0.8 * 0.5)


async def test_search_needs_something_to_search_by(memory: Memory) -> None:
    with pytest.raises(InvalidMemoryError, match="a text search needs a query text"):
        await memory.search(mode="text")
    with pytest.raises(InvalidMemoryError, match="no embedder"):
        await memory.search("words only", mode="vector")
    with pytest.raises(InvalidMemoryError, match="k must be at least 1"):
        await memory.search("x", k=0)


async def test_a_question_finds_memories_holding_any_of_its_words(memory: Memory) -> None:
    await fill(memory)
    breakfast = await memory.add("Ada eats porridge every morning", vector=axis(0))

    hits = await memory.search("What does Ada eat for breakfast?", mode="text", k=2)

    # SurrealDB's own @@ needs every word in the memory and would find nothing here.
    assert hits[0].memory.id == breakfast.id
    assert query_words("What does Ada eat for breakfast?") == ["ada", "eat", "breakfast"]
    assert query_words("Who is it?") == ["who", "is", "it"]  # only stop words: keep them
