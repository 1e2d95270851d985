"""Voyage AI's ``POST /v1/embeddings``.

Request ``{"model", "input": [texts], "input_type"?: "query" | "document",
"output_dimension"?}``; response in OpenAI's shape, ``data[i].embedding`` with
``usage.total_tokens``. At most 1,000 inputs per request, and a per-model cap on tokens
per request from 120K to 1M: batches are planned for the smallest. Without an input
type the texts are embedded as they are, which Voyage documents as compatible with
both sides.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from fluent_ai.embeddings.batching import EmbedBatch
from fluent_ai.embeddings.types import InputType
from fluent_ai.embeddings.wire import EmbeddingWire, EmbedRequest
from fluent_ai.providers.base import ProviderProfile

VOYAGE = ProviderProfile(
    "voyage", "https://api.voyageai.com/v1", "VOYAGE_API_KEY", default_model="voyage-3.5"
)


class VoyageWire(EmbeddingWire):
    max_batch_size = batch_size = 1000
    max_batch_tokens = 120_000
    input_types: ClassVar[Mapping[InputType, str] | None] = {
        "query": "query",
        "document": "document",
    }

    def path(self, model: str) -> str:
        return "/embeddings"

    def encode(self, request: EmbedRequest) -> dict[str, Any]:
        body: dict[str, Any] = {"model": request.model, "input": list(request.texts)}
        input_type = self.vendor_input_type(request.input_type)
        if input_type is not None:
            body["input_type"] = input_type
        if request.dimensions is not None:
            body["output_dimension"] = request.dimensions
        return body

    def decode(self, body: Any) -> EmbedBatch:
        usage = self.object(body).get("usage")
        tokens = self.tokens(usage.get("total_tokens")) if isinstance(usage, dict) else None
        return EmbedBatch(self.data_list(body), tokens)
