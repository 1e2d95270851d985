"""Jina AI's ``POST /v1/embeddings``.

Request ``{"model", "input": [texts], "embedding_type": "float", "task"?,
"dimensions"?}``; response in OpenAI's shape, ``data[i].embedding`` with
``usage.total_tokens``. At most 512 inputs per request (jina-embeddings-v4; v3 allowed
2,048). Tasks select the model's task adapter.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from fluent_ai.embeddings.batching import EmbedBatch
from fluent_ai.embeddings.types import InputType
from fluent_ai.embeddings.wire import EmbeddingWire, EmbedRequest
from fluent_ai.providers.base import ProviderProfile

JINA = ProviderProfile(
    "jina", "https://api.jina.ai/v1", "JINA_API_KEY", default_model="jina-embeddings-v3"
)


class JinaWire(EmbeddingWire):
    max_batch_size = batch_size = 512
    input_types: ClassVar[Mapping[InputType, str] | None] = {
        "query": "retrieval.query",
        "document": "retrieval.passage",
        "similarity": "text-matching",
        "classification": "classification",
        "clustering": "separation",
    }

    def path(self, model: str) -> str:
        return "/embeddings"

    def encode(self, request: EmbedRequest) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": request.model,
            "input": list(request.texts),
            "embedding_type": "float",
        }
        task = self.vendor_input_type(request.input_type)
        if task is not None:
            body["task"] = task
        if request.dimensions is not None:
            body["dimensions"] = request.dimensions
        return body

    def decode(self, body: Any) -> EmbedBatch:
        usage = self.object(body).get("usage")
        tokens = self.tokens(usage.get("total_tokens")) if isinstance(usage, dict) else None
        return EmbedBatch(self.data_list(body), tokens)
