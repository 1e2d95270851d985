"""OpenAI's ``POST /v1/embeddings``, which most OpenAI-compatible servers also speak.

Request ``{"model", "input": [texts], "encoding_format": "float", "dimensions"?}``;
response ``{"data": [{"index", "embedding"}], "usage": {"prompt_tokens"}}``. At most
2048 inputs and 300,000 tokens per request. OpenAI's models embed queries and documents
alike, so input types are ignored; ``dimensions`` shortens text-embedding-3 vectors.
"""

from __future__ import annotations

from typing import Any

from fluent_ai.embeddings.batching import EmbedBatch
from fluent_ai.embeddings.wire import EmbeddingWire, EmbedRequest
from fluent_ai.providers.base import ProviderProfile

OPENAI = ProviderProfile(
    "openai", "https://api.openai.com/v1", "OPENAI_API_KEY", default_model="text-embedding-3-small"
)


def compatible_profile(base_url: str) -> ProviderProfile:
    """Any server with an OpenAI-style ``/embeddings`` (vLLM, LM Studio, llama.cpp, TEI)."""
    return ProviderProfile("openai-compatible", base_url.rstrip("/"), None)


class OpenAIWire(EmbeddingWire):
    max_batch_size = batch_size = 2048
    max_batch_tokens = 300_000

    def path(self, model: str) -> str:
        return "/embeddings"

    def encode(self, request: EmbedRequest) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": request.model,
            "input": list(request.texts),
            "encoding_format": "float",
        }
        if request.dimensions is not None:
            body["dimensions"] = request.dimensions
        return body

    def decode(self, body: Any) -> EmbedBatch:
        usage = self.object(body).get("usage")
        tokens = self.tokens(usage.get("prompt_tokens")) if isinstance(usage, dict) else None
        return EmbedBatch(self.data_list(body), tokens)
