"""reembed(): every vector made again by another embedding model, swapped in at once.

The two "models" are the word-hash test double at two vector lengths (64 and 32), so
what a query finds is known exactly and the store's length visibly changes. Every test
runs on mem://, surrealkv:// and the ws:// server double (SurrealDB's own HNSW index,
which must be defined again at the new length).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from fluent_ai.memory import InvalidMemoryError, Memory, Scope
from tests.support.word_hash import WordHashEmbedder

ADA = Scope(user="ada")
TEXTS = [
    "Ada keeps bees on the roof",
    "Ada plays the cello on Sundays",
    "Ada's cat Pixel sleeps on the radiator",
    "Ada moved to Lisbon in spring",
    "Ada takes the train to work",
]


@pytest.fixture
async def memory(url: str) -> AsyncIterator[Memory]:
    async with Memory.open(url, embedder=WordHashEmbedder()) as store:
        for text in TEXTS:
            await store.add(text, scope=ADA)
        yield store


async def dimensions(memory: Memory) -> int:
    store = await memory._session.ready()
    return store.dimensions


async def top(memory: Memory, query: str) -> str:
    hits = await memory.search(query, scope=ADA, mode="vector", track_access=False)
    return hits[0].memory.content


async def test_every_memory_moves_to_the_new_model(memory: Memory, url: str) -> None:
    replaced = await memory.add("Ada lives in Paris", kind="semantic", scope=ADA)
    await memory.invalidate(replaced.id)
    progress: list[tuple[int, int]] = []

    count = await memory.reembed(
        WordHashEmbedder(dimensions=32), batch=2, on_progress=lambda *p: progress.append(p)
    )

    assert count == 6
    assert progress == [(2, 6), (4, 6), (6, 6)]
    assert await dimensions(memory) == 32
    assert await top(memory, "who plays the cello") == "Ada plays the cello on Sundays"
    new = await memory.add("Ada learns Portuguese", scope=ADA)  # written at the new length
    assert await top(memory, "learns Portuguese") == new.content
    assert (await memory.stats()).memories == 7
    old = await memory.search("Paris", scope=ADA, as_of=replaced.created_at, mode="vector")
    assert old[0].memory.id == replaced.id  # the past is re-embedded too
    if url != "mem://":  # reopened, the store is at the new length
        await memory.aclose()
        async with Memory.open(url, embedder=WordHashEmbedder(dimensions=32)) as again:
            assert await dimensions(again) == 32
            assert await top(again, "bees on the roof") == "Ada keeps bees on the roof"


async def test_a_failure_half_way_leaves_the_store_as_it_was(memory: Memory) -> None:
    failing = WordHashEmbedder(dimensions=32, documents_before_failing=1)
    with pytest.raises(RuntimeError, match="embedding service down"):
        await memory.reembed(failing, batch=2)

    assert await dimensions(memory) == 64
    assert await top(memory, "the cat Pixel") == "Ada's cat Pixel sleeps on the radiator"
    assert await memory.reembed(WordHashEmbedder(dimensions=32), batch=2) == 5
    assert await top(memory, "the cat Pixel") == "Ada's cat Pixel sleeps on the radiator"


async def test_a_bad_batch_is_refused(memory: Memory) -> None:
    with pytest.raises(InvalidMemoryError, match="batch=0"):
        await memory.reembed(WordHashEmbedder(dimensions=32), batch=0)
    assert await dimensions(memory) == 64
