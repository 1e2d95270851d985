"""What only a server store does: sign in, and share one store (and its HNSW index)
between connections. Against the loopback server double (tests/support/surreal_ws.py),
since no SurrealDB server can be installed here."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from fluent_ai.memory import Memory, SchemaMismatchError, StoreQueryError
from tests.support.surreal_ws import SurrealServerDouble
from tests.unit.memory.conftest import DIMENSIONS, axis


@pytest.fixture
def double(monkeypatch: pytest.MonkeyPatch) -> Iterator[SurrealServerDouble]:
    monkeypatch.delenv("SURREAL_USER", raising=False)
    monkeypatch.delenv("SURREAL_PASS", raising=False)
    server = SurrealServerDouble(username="admin", password="s3cret'")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def server(double: SurrealServerDouble) -> str:
    return double.url


def open_store(url: str, password: str = "s3cret'", dimensions: int = DIMENSIONS) -> Memory:
    return Memory.open(
        url, embedder=None, dimensions=dimensions, username="admin", password=password
    )


async def test_two_connections_share_one_store_and_its_vector_index(server: str) -> None:
    async with open_store(server) as writer, open_store(server) as reader:
        added = await writer.add("north", vector=axis(0))
        await writer.add("east", vector=axis(1))

        hits = await reader.search(vector=axis(0, 0.1), mode="vector", k=1)

        assert [hit.memory.id for hit in hits] == [added.id]
        await reader.delete(added.id)
        assert [hit.memory.content for hit in await writer.search(vector=axis(0), k=1)] == ["east"]


async def test_a_server_store_outlives_its_connection(server: str) -> None:
    async with open_store(server) as memory:
        added = await memory.add("kept on the server", vector=axis(2))

    async with open_store(server) as memory:
        assert (await memory.get(added.id)).content == "kept on the server"
    with pytest.raises(SchemaMismatchError, match="holds 4-dimension vectors, not 8"):
        await open_store(server, dimensions=8).connect()


async def test_a_wrong_password_is_refused_and_the_socket_closed(
    double: SurrealServerDouble,
) -> None:
    with pytest.raises(StoreQueryError, match="could not open the memory store"):
        await open_store(double.url, password="wrong").connect()

    assert await asyncio.to_thread(double.idle.wait, 30)
    assert double.connections == 0


async def test_without_credentials_the_server_refuses_queries(server: str) -> None:
    memory = Memory.open(server, embedder=None, dimensions=DIMENSIONS)
    with pytest.raises(StoreQueryError, match="Not enough permissions"):
        await memory.connect()
