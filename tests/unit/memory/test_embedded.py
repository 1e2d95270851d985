"""Reopening a ``surrealkv`` store reuses its engine: ``surrealdb`` 2.0.0 leaks a pool of
OS threads per embedded engine made (see ``fluent_ai.memory.embedded``)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from fluent_ai.memory import Memory, embedded
from fluent_ai.memory.connection import Connection, locate
from tests.unit.memory.conftest import DIMENSIONS, axis

pytestmark = pytest.mark.skipif(
    not os.path.isdir("/proc/self/task"), reason="counts threads through /proc"
)

POOL = "surrealdb-threa"
"""The kernel's 15-character name of the engine's ``surrealdb-threadpool`` threads."""

CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from fluent_ai.memory import Memory, embedded

    async def main() -> None:
        async with Memory.open(sys.argv[1], embedder=None, dimensions=4) as memory:
            await memory.add("from the child", vector=[0.0, 0.0, 1.0, 0.0])
            print(await memory.count(), flush=True)

    asyncio.run(main())
    """
)


def pool_threads() -> int:
    """This process's engine pool threads (Rust threads: ``threading`` cannot see them)."""
    count = 0
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/comm") as comm:
                count += comm.read().strip() == POOL
        except OSError:
            continue
    return count


def store_url(tmp_path: Path) -> str:
    return f"surrealkv://{tmp_path / 'store'}"


async def test_reopening_a_store_adds_no_threads_and_reads_what_was_written(
    tmp_path: Path,
) -> None:
    url = store_url(tmp_path)
    async with Memory.open(url, embedder=None, dimensions=DIMENSIONS) as memory:
        await memory.add("note 0", vector=axis(0))
    after_first = pool_threads()

    for number in range(1, 8):
        async with Memory.open(url, embedder=None, dimensions=DIMENSIONS) as memory:
            assert await memory.count() == number
            await memory.add(f"note {number}", vector=axis(number % DIMENSIONS, 0.1))

    assert pool_threads() == after_first
    async with Memory.open(url, embedder=None, dimensions=DIMENSIONS) as memory:
        assert await memory.count() == 8
        hits = await memory.search(vector=axis(0), mode="vector", k=1)
        assert hits[0].memory.content == "note 0"


async def test_a_closed_store_can_be_opened_by_another_process_and_its_writes_are_seen(
    tmp_path: Path,
) -> None:
    url = store_url(tmp_path)
    async with Memory.open(url, embedder=None, dimensions=DIMENSIONS) as memory:
        await memory.add("from the parent", vector=axis(0))
    assert await run_child(url) == 2

    # The engine kept from the parent's close has not seen the child's write: a fresh
    # one must be made, or the reopened store would miss it (and write over it).
    async with Memory.open(url, embedder=None, dimensions=DIMENSIONS) as memory:
        assert await memory.count() == 2
        hits = await memory.search(vector=axis(2), mode="vector", k=1)
        assert hits[0].memory.content == "from the child"
        await memory.add("from the parent again", vector=axis(1))
    assert await run_child(url) == 4  # what is on disk holds every write


async def run_child(url: str) -> int:
    """Open ``url`` in another process, add one memory there; the count it then saw."""
    child = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", CHILD, url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    return int(child.stdout.strip())


async def test_a_store_deleted_between_opens_reopens_empty(tmp_path: Path) -> None:
    url = store_url(tmp_path)
    async with Memory.open(url, embedder=None, dimensions=DIMENSIONS) as memory:
        await memory.add("gone soon", vector=axis(0))
    shutil.rmtree(tmp_path / "store")

    async with Memory.open(url, embedder=None, dimensions=DIMENSIONS) as memory:
        assert await memory.count() == 0


def test_a_store_reopened_from_other_event_loops_and_threads_shares_one_engine(
    tmp_path: Path,
) -> None:
    url = store_url(tmp_path)

    async def add(text: str) -> int:
        async with Memory.open(url, embedder=None, dimensions=DIMENSIONS) as memory:
            await memory.add(text, vector=axis(1))
            return await memory.count()

    assert asyncio.run(add("first loop")) == 1
    after_first = pool_threads()
    counts: list[int] = []
    worker = threading.Thread(target=lambda: counts.append(asyncio.run(add("other thread"))))
    worker.start()
    worker.join()
    assert counts == [2]
    assert asyncio.run(add("third loop")) == 3
    assert pool_threads() == after_first


async def test_closing_a_connection_twice_leaves_the_next_openers_engine_alone(
    tmp_path: Path,
) -> None:
    location = locate(store_url(tmp_path))
    first = await Connection.open(location, namespace="n", database="d")
    await first.query("CREATE note SET text = 'kept'")
    await first.close()
    assert embedded.is_kept(location.url)
    second = await Connection.open(location, namespace="n", database="d")
    try:
        assert not embedded.is_kept(location.url)  # ``second`` has it now
        await first.close()  # must neither close it nor offer it to a third opener
        assert not embedded.is_kept(location.url)
        [rows] = await second.query("SELECT text FROM note")
        assert rows == [{"text": "kept"}]
    finally:
        await second.close()
    assert embedded.is_kept(location.url)
