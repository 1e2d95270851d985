"""Embedding models close the connections they opened, and only those."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fluent_ai._sync import run_sync
from fluent_ai.embeddings import EmbeddingModel, HttpEmbeddingModel, LocalEmbeddingModel
from fluent_ai.http import HttpClient
from tests.support.complaints import Complaints, complaints
from tests.unit.embeddings.conftest import model_for
from tests.unit.embeddings.vendor_server import VendorServer, vector_for, vendor_server

__all__ = ["complaints"]  # the fixture, used by name


@pytest.fixture
def server() -> Iterator[VendorServer]:
    with vendor_server("openai") as vendor:
        yield vendor


async def own_client(model: HttpEmbeddingModel) -> HttpClient:
    """The client the model uses on the running loop (its own: none was given)."""
    return model._own_clients.get()


async def test_async_with_closes_the_models_own_connections(
    server: VendorServer, complaints: Complaints
) -> None:
    async with model_for(server, None) as model:
        assert isinstance(model, EmbeddingModel)
        result = await model.embed(["a", "b"])
        client = await own_client(model)
        assert not client.is_closed
    assert result.vectors == [vector_for("a"), vector_for("b")]
    assert client.is_closed
    assert complaints.after_gc() == []


def test_with_closes_the_sync_apis_connections(server: VendorServer) -> None:
    with model_for(server, None) as model:
        assert model.embed_sync(["a"]).vectors == [vector_for("a")]
        client = run_sync(own_client(model))
        assert not client.is_closed
    assert client.is_closed


async def test_a_client_passed_in_is_left_open_for_its_owner(server: VendorServer) -> None:
    async with HttpClient() as client:
        async with model_for(server, client) as model:
            await model.embed(["a"])
        assert not client.is_closed
        assert (await model.embed(["b"])).vectors == [vector_for("b")]
    assert client.is_closed


async def test_the_local_model_closes_the_same_ways_without_loading() -> None:
    model = LocalEmbeddingModel()
    assert isinstance(model, EmbeddingModel)
    async with model:
        pass
    with model:
        pass
