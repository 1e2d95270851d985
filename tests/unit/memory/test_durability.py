"""A store on disk: reopened, crashed, shared by mistake, opened by another model."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fluent_ai.memory import Memory, SchemaMismatchError, StoreLockedError
from tests.unit.memory.conftest import DIMENSIONS, axis

WRITER = textwrap.dedent(
    """
    import asyncio, sys
    from fluent_ai.memory import Memory

    async def main() -> None:
        memory = Memory.open(sys.argv[1], embedder=None, dimensions=4)
        await memory.connect()
        print("open", flush=True)
        number = 0
        while True:
            vector = [1.0, number / 1000, (number % 7) / 7, 0.5]
            added = await memory.add(f"note {number}", vector=vector)
            print(added.id, number, flush=True)
            number += 1

    asyncio.run(main())
    """
)


def start_writer(url: str) -> subprocess.Popen[str]:
    """A process that opens the store and adds memories until killed, printing each
    acknowledged id and number (after a first line, ``open``)."""
    child = subprocess.Popen([sys.executable, "-c", WRITER, url], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "open"
    return child


def store_url(tmp_path: Path) -> str:
    return f"surrealkv://{tmp_path / 'store'}"


async def test_a_reopened_store_keeps_its_memories_and_loads_its_index(tmp_path: Path) -> None:
    url = store_url(tmp_path)
    async with Memory.open(url, embedder=None, dimensions=DIMENSIONS) as memory:
        added = [
            await memory.add(f"note {i}", vector=axis(i % DIMENSIONS, i / 10)) for i in range(8)
        ]
    rebuilds: list[tuple[int, int]] = []

    reopened = Memory.open(
        url, embedder=None, on_progress=lambda done, total: rebuilds.append((done, total))
    )
    async with reopened:
        hits = await reopened.search(vector=axis(1, 0.5), mode="vector", k=1)
        assert await reopened.count() == 8

    assert rebuilds == []  # the saved index matched the store
    assert hits[0].memory == added[5]


async def test_a_writer_killed_mid_stream_loses_nothing_it_acknowledged(tmp_path: Path) -> None:
    url = store_url(tmp_path)
    child = start_writer(url)
    assert child.stdout is not None
    acknowledged = [child.stdout.readline().split() for _ in range(40)]
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    rebuilds: list[tuple[int, int]] = []

    memory = Memory.open(
        url, embedder=None, on_progress=lambda done, total: rebuilds.append((done, total))
    )
    async with memory:
        total = await memory.count()
        for key, number in acknowledged:
            found = await memory.get(key)
            assert found.content == f"note {number}"
        n = int(acknowledged[-1][1])
        vector = [1.0, n / 1000, (n % 7) / 7, 0.5]
        [hit] = await memory.search(vector=vector, mode="vector", k=1)
        [by_words] = await memory.search(f"note {n}", mode="text", k=1)

    assert total >= len(acknowledged)  # a write in flight may have committed unacknowledged
    assert rebuilds  # the index was rebuilt from the store
    assert rebuilds[-1] == (total, total)
    assert hit.memory.id == acknowledged[-1][0] or hit.scores["vector"] == pytest.approx(1.0)
    assert by_words.memory.id == acknowledged[-1][0]  # the word index was rebuilt too


async def test_a_second_owner_is_refused_in_this_process(tmp_path: Path) -> None:
    url = store_url(tmp_path)
    async with Memory.open(url, embedder=None, dimensions=DIMENSIONS):
        with pytest.raises(StoreLockedError, match="already open \\(by this process\\)"):
            await Memory.open(url, embedder=None).connect()


async def test_a_second_owner_is_refused_in_another_process(tmp_path: Path) -> None:
    url = store_url(tmp_path)
    child = start_writer(url)
    try:
        with pytest.raises(StoreLockedError, match=f"by process {child.pid}.*ws://"):
            await Memory.open(url, embedder=None).connect()
    finally:
        child.kill()
        child.wait()

    async with Memory.open(url, embedder=None) as memory:  # the lock died with its owner
        assert await memory.count() >= 0


async def test_a_store_keeps_its_vector_length(tmp_path: Path) -> None:
    url = store_url(tmp_path)
    async with Memory.open(url, embedder=None, dimensions=DIMENSIONS) as memory:
        await memory.add("four numbers", vector=axis(0))

    with pytest.raises(SchemaMismatchError, match="holds 4-dimension vectors, not 384"):
        await Memory.open(url, embedder=None, dimensions=384).connect()


async def test_a_store_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    url = store_url(tmp_path)
    async with Memory.open(url, embedder=None, dimensions=DIMENSIONS) as memory:
        state = await memory._session.ready()
        await state.connection.query("UPDATE fluent_meta:store SET version = 99")

    with pytest.raises(SchemaMismatchError, match="made by a newer fluent-ai"):
        await Memory.open(url, embedder=None).connect()
