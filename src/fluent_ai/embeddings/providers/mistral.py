"""Mistral's ``POST /v1/embeddings``: OpenAI's shape under other limits.

Request ``{"model", "input": [texts], "output_dimension"?}``; response as OpenAI's,
``data[i].embedding`` with ``usage.prompt_tokens``. At most 512 inputs per request
(error 3210 beyond that) and, the tighter limit in practice, 16,384 tokens per request.
Mistral's models embed queries and documents alike.
"""

from __future__ import annotations

from typing import Any

from fluent_ai.embeddings.batching import EmbedBatch
from fluent_ai.embeddings.wire import EmbeddingWire, EmbedRequest
from fluent_ai.providers.base import ProviderProfile

MISTRAL = ProviderProfile(
    "mistral", "https://api.mistral.ai/v1", "MISTRAL_API_KEY", default_model="mistral-embed"
)


class MistralWire(EmbeddingWire):
    max_batch_size = batch_size = 512
    max_batch_tokens = 16_384

    def path(self, model: str) -> str:
        return "/embeddings"

    def encode(self, request: EmbedRequest) -> dict[str, Any]:
        body: dict[str, Any] = {"model": request.model, "input": list(request.texts)}
        if request.dimensions is not None:
            body["output_dimension"] = request.dimensions
        return body

    def decode(self, body: Any) -> EmbedBatch:
        usage = self.object(body).get("usage")
        tokens = self.tokens(usage.get("prompt_tokens")) if isinstance(usage, dict) else None
        return EmbedBatch(self.data_list(body), tokens)
