"""Cohere's ``POST /v2/embed``.

Request ``{"model", "texts", "input_type", "embedding_types": ["float"],
"output_dimension"?}``; response ``{"embeddings": {"float": [[…]]}, "meta":
{"billed_units": {"input_tokens"}}}``, vectors in the order of ``texts``. At most 96
texts per request. Embed v3 and later require an input type: without one, texts are
embedded as ``search_document``, the side that gets stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from fluent_ai.embeddings.batching import EmbedBatch
from fluent_ai.embeddings.types import InputType
from fluent_ai.embeddings.wire import EmbeddingWire, EmbedRequest
from fluent_ai.providers.base import ProviderProfile

COHERE = ProviderProfile(
    "cohere", "https://api.cohere.com/v2", "COHERE_API_KEY", default_model="embed-v4.0"
)


class CohereWire(EmbeddingWire):
    max_batch_size = batch_size = 96
    input_types: ClassVar[Mapping[InputType, str] | None] = {
        "query": "search_query",
        "document": "search_document",
        "classification": "classification",
        "clustering": "clustering",
    }

    def path(self, model: str) -> str:
        return "/embed"

    def encode(self, request: EmbedRequest) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": request.model,
            "texts": list(request.texts),
            "input_type": self.vendor_input_type(request.input_type) or "search_document",
            "embedding_types": ["float"],
        }
        if request.dimensions is not None:
            body["output_dimension"] = request.dimensions
        return body

    def decode(self, body: Any) -> EmbedBatch:
        embeddings = self.object(self.object(body).get("embeddings"), "'embeddings'")
        vectors = self.vectors(embeddings.get("float"), "embeddings.float")
        meta = body.get("meta")
        billed = meta.get("billed_units") if isinstance(meta, dict) else None
        tokens = self.tokens(billed.get("input_tokens")) if isinstance(billed, dict) else None
        return EmbedBatch(vectors, tokens)
