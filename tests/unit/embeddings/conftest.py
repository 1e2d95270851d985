from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from fluent_ai.embeddings import HttpEmbeddingModel, get_embedding_model
from fluent_ai.http import HttpClient, RetryPolicy
from tests.unit.embeddings.vendor_server import VendorServer

PROVIDERS = ["openai", "cohere", "mistral", "gemini", "voyage", "jina", "ollama"]

LIMITS = {
    "openai": 2048,
    "cohere": 96,
    "mistral": 512,
    "gemini": 100,
    "voyage": 1000,
    "jina": 512,
    "ollama": 128,
}
"""Texts per request each vendor gets by default: its documented cap (Ollama has none)."""


class Sleeps(list[float]):
    """Records each wait the retry policy asks for instead of waiting."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def client(sleeps: Sleeps) -> AsyncIterator[HttpClient]:
    async with HttpClient(retry=RetryPolicy(max_attempts=3, sleep=sleeps)) as http:
        yield http


def model_for(
    server: VendorServer, client: HttpClient | None, **options: Any
) -> HttpEmbeddingModel:
    """The real model for the server's vendor, pointed at the server."""
    options.setdefault("api_key", server.key)
    model = get_embedding_model(
        f"{server.provider}/{server.model}", base_url=server.base_url, client=client, **options
    )
    assert isinstance(model, HttpEmbeddingModel)
    return model
