"""reembed(): every vector made again by another embedding model, swapped in at once.

The two "models" are the word-hash test double at two vector lengths (64 and 32), so
what a query finds is known exactly and the store's length visibly changes. Every test
runs on mem://, surrealkv:// and the ws:// server double (SurrealDB's own HNSW index,
which must be defined again at the new length).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from fluent_ai.memory import InvalidMemoryError, Memory, SchemaMismatchError, Scope
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


class RenamedWordHash(WordHashEmbedder):
    """The same vectors under another model name: what a same-length swap looks like."""

    model = "word-hash-v2"


async def test_a_store_refuses_another_model_of_the_same_length_until_reembedded(
    url: str,
) -> None:
    if url == "mem://":
        pytest.skip("a mem:// store cannot be reopened")
    async with Memory.open(url, embedder=WordHashEmbedder()) as first:
        await first.add(TEXTS[0], scope=ADA)

    with pytest.raises(SchemaMismatchError) as raised:
        async with Memory.open(url, embedder=RenamedWordHash()):
            pass
    message = str(raised.value)
    assert "holds vectors from test/word-hash," in message
    assert "not test/word-hash-v2" in message
    assert "reembed('test/word-hash-v2')" in message

    async with Memory.open(url, embedder=WordHashEmbedder()) as same:
        assert await same.reembed(RenamedWordHash()) == 1
    async with Memory.open(url, embedder=RenamedWordHash()) as moved:
        assert await top(moved, "bees on the roof") == TEXTS[0]
    old = Memory.open(url, embedder=WordHashEmbedder())
    with pytest.raises(SchemaMismatchError, match="holds vectors from test/word-hash-v2"):
        await old.add("Ada bakes bread", scope=ADA)
    await old.aclose()
    async with Memory.open(url, embedder=RenamedWordHash()) as kept:
        assert await kept.count() == 1  # the refused write left nothing behind


async def test_a_model_named_by_spec_is_checked_before_its_first_call(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if url == "mem://":
        pytest.skip("a mem:// store cannot be reopened")
    async with Memory.open(url, embedder=WordHashEmbedder()) as first:
        await first.add(TEXTS[0], scope=ADA)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-never-sent")
    async with Memory.open(url, embedder="openai/text-embedding-3-small") as other:
        assert await other.count() == 1  # reading needs no embedder
        with pytest.raises(SchemaMismatchError, match="not openai/text-embedding-3-small"):
            await other.search("bees", scope=ADA)
