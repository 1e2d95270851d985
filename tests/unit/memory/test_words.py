"""The word index: FTS5 beside an embedded store, SurrealDB's BM25 on a server."""

from __future__ import annotations

from pathlib import Path

from fluent_ai.memory import Memory, Scope
from fluent_ai.memory.schema import text_index
from tests.unit.memory.conftest import DIMENSIONS, axis


async def fill_and_close(url: str) -> None:
    async with Memory.open(url, embedder=None, dimensions=DIMENSIONS) as memory:
        await memory.add("the kettle whistles at dawn", vector=axis(0))
        await memory.add("a quiet library in winter", vector=axis(1))


async def found_by_words(url: str, text: str) -> list[str]:
    async with Memory.open(url, embedder=None) as memory:
        hits = await memory.search(text, mode="text", k=3)
    return [hit.memory.content for hit in hits]


def replace_word_file(folder: Path, content: bytes) -> None:
    """Put ``content`` in the word index's place (its write-ahead log gone with it)."""
    for suffix in ("-wal", "-shm"):
        (folder / f"store.words{suffix}").unlink(missing_ok=True)
    (folder / "store.words").write_bytes(content)


async def test_a_missing_word_index_is_rebuilt_from_the_store(tmp_path: Path) -> None:
    url = f"surrealkv://{tmp_path / 'store'}"
    await fill_and_close(url)
    (tmp_path / "store.words").unlink()

    assert await found_by_words(url, "kettles") == ["the kettle whistles at dawn"]


async def test_a_damaged_word_index_is_rebuilt_from_the_store(tmp_path: Path) -> None:
    url = f"surrealkv://{tmp_path / 'store'}"
    await fill_and_close(url)
    replace_word_file(tmp_path, b"not a database" * 100)

    assert await found_by_words(url, "winter library") == ["a quiet library in winter"]


async def test_a_word_index_behind_the_store_is_rebuilt(tmp_path: Path) -> None:
    url = f"surrealkv://{tmp_path / 'store'}"
    await fill_and_close(url)
    saved = (tmp_path / "store.words").read_bytes()
    async with Memory.open(url, embedder=None) as memory:
        await memory.add("the kettle is new", vector=axis(2))
    # As after a crash: the word file from before the last write, the store after it.
    replace_word_file(tmp_path, saved)

    assert await found_by_words(url, "kettle new") == [
        "the kettle is new",
        "the kettle whistles at dawn",
    ]


async def test_an_embedded_store_drops_surrealdbs_own_word_index(tmp_path: Path) -> None:
    """Stores made before the FTS5 table had SurrealDB's BM25 index, which made every
    write several milliseconds slower."""
    url = f"surrealkv://{tmp_path / 'store'}"
    async with Memory.open(url, embedder=None, dimensions=DIMENSIONS) as memory:
        state = await memory._session.ready()
        await state.connection.query(text_index())
        [info] = await state.connection.query("INFO FOR TABLE memory")
        assert "memory_words" in info["indexes"]

    async with Memory.open(url, embedder=None) as memory:
        state = await memory._session.ready()
        [info] = await state.connection.query("INFO FOR TABLE memory")

    assert "memory_words" not in info["indexes"]


async def test_words_search_keeps_to_the_scope(memory: Memory) -> None:
    for number in range(30):
        await memory.add(f"cat {number}", scope=Scope(user="b"), vector=axis(0))
    mine = await memory.add("my cat sleeps all afternoon", scope=Scope(user="a"), vector=axis(1))

    hits = await memory.search("cat", mode="text", k=1, scope=Scope(user="a"))

    assert [hit.memory.id for hit in hits] == [mine.id]


async def test_words_search_widens_past_memories_the_filters_drop(memory: Memory) -> None:
    """Validity is not in the word index (it changes after a memory is written): the
    search reads further down the list until enough memories pass."""
    for number in range(30):
        old = await memory.add(f"cat {number}", vector=axis(0))
        await memory.invalidate(old.id)
    current = await memory.add("the cat that lives here now", vector=axis(1))

    hits = await memory.search("cat", mode="text", k=1)

    assert [hit.memory.id for hit in hits] == [current.id]
