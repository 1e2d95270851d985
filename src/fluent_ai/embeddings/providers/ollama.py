"""Ollama's native ``POST /api/embed``.

Request ``{"model", "input": [texts], "dimensions"?}``; response ``{"embeddings":
[[…]], "prompt_eval_count"}`` in input order. Ollama has no per-request cap, but it
embeds a request as one unit on one machine, so batches of 128 keep progress visible
and let a second batch start while the first is in flight. No key; the base URL is the
server's root, not its OpenAI-compatible ``/v1``, so it is moved by the variables that
move Ollama's native chat API: ``OLLAMA_NATIVE_BASE_URL``, then ``OLLAMA_HOST``
(``OLLAMA_BASE_URL`` names the ``/v1`` URL, where this API is not).
"""

from __future__ import annotations

from typing import Any

from fluent_ai.embeddings.batching import EmbedBatch
from fluent_ai.embeddings.wire import EmbeddingWire, EmbedRequest
from fluent_ai.providers.base import ProviderProfile

OLLAMA = ProviderProfile(
    "ollama",
    "http://localhost:11434",
    None,
    default_model="nomic-embed-text",
    url_env="OLLAMA_NATIVE_BASE_URL",
    host_env="OLLAMA_HOST",
)


class OllamaWire(EmbeddingWire):
    max_batch_size = None
    batch_size = 128

    def path(self, model: str) -> str:
        return "/api/embed"

    def encode(self, request: EmbedRequest) -> dict[str, Any]:
        body: dict[str, Any] = {"model": request.model, "input": list(request.texts)}
        if request.dimensions is not None:
            body["dimensions"] = request.dimensions
        return body

    def decode(self, body: Any) -> EmbedBatch:
        data = self.object(body)
        vectors = self.vectors(data.get("embeddings"), "embeddings")
        return EmbedBatch(vectors, self.tokens(data.get("prompt_eval_count")))
