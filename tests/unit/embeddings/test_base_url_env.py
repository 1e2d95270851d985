"""Embeddings go where the vendor's base-URL variables say, as chat does, end to end.

``OPENAI_BASE_URL`` once moved chat but not ``get_embedding_model("openai/…")`` or
``fluent-ai embed``, which still went to the vendor's host. Both now resolve the base
URL with :func:`fluent_ai.providers.endpoints.base_url_for`; these tests point the
variables at a wire-shape loopback server and pass no ``base_url`` at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from fluent_ai.cli.embed import app
from fluent_ai.embeddings import HttpEmbeddingModel, get_embedding_model
from fluent_ai.http import HttpClient
from tests.unit.embeddings.vendor_server import VendorServer, vector_for, vendor_server

VARIABLES = {
    "openai": "OPENAI_BASE_URL",
    "mistral": "MISTRAL_BASE_URL",
    "cohere": "COHERE_BASE_URL",
    "voyage": "VOYAGE_BASE_URL",
    "jina": "JINA_BASE_URL",
    "gemini": "GOOGLE_BASE_URL",  # the google chat provider's variable: the same API
    "ollama": "OLLAMA_NATIVE_BASE_URL",  # the native API's root, as for ollama-native chat
}


@pytest.fixture(params=sorted(VARIABLES))
def server(request: pytest.FixtureRequest) -> Iterator[VendorServer]:
    with vendor_server(request.param) as vendor:
        yield vendor


async def test_the_vendors_base_url_variable_is_honoured(
    server: VendorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(VARIABLES[server.provider], server.base_url)
    async with HttpClient(retry=None) as client:
        model = get_embedding_model(
            f"{server.provider}/{server.model}", api_key=server.key, client=client
        )
        assert isinstance(model, HttpEmbeddingModel)
        assert model.base_url == server.base_url
        result = await model.embed(["a", "b"])
    assert [list(vector) for vector in result.vectors] == [vector_for("a"), vector_for("b")]
    assert len(server.received) == 1


@pytest.mark.parametrize("server", ["ollama"], indirect=True)
async def test_ollama_embeddings_follow_ollama_host(
    server: VendorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OLLAMA_NATIVE_BASE_URL", raising=False)
    monkeypatch.setenv("OLLAMA_HOST", server.base_url.removeprefix("http://"))
    async with HttpClient(retry=None) as client:
        result = await get_embedding_model(f"ollama/{server.model}", client=client).embed(["x"])
    assert [list(vector) for vector in result.vectors] == [vector_for("x")]


@pytest.mark.parametrize("server", ["openai"], indirect=True)
def test_fluent_ai_embed_honours_openai_base_url(server: VendorServer) -> None:
    env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": server.key}
    result = CliRunner().invoke(app, ["-", "-m", "openai/test-model"], input="one\n", env=env)
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["embedding"] for line in result.stdout.splitlines()] == [
        vector_for("one")
    ]
    assert len(server.received) == 1


@pytest.mark.parametrize("server", ["openai"], indirect=True)
def test_an_explicit_base_url_wins_over_the_variable(
    server: VendorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    model = get_embedding_model("openai/test-model", api_key=server.key, base_url=server.base_url)
    assert isinstance(model, HttpEmbeddingModel)
    assert model.base_url == server.base_url
