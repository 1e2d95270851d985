"""Gemini's ``POST /v1beta/models/{model}:batchEmbedContents``.

Request ``{"requests": [{"model": "models/{model}", "content": {"parts": [{"text"}]},
"taskType"?, "outputDimensionality"?}]}``, one entry per text; response
``{"embeddings": [{"values": […]}]}`` in request order, with no token count. At most
100 entries per request. The key travels in the ``x-goog-api-key`` header rather than
the ``?key=`` query parameter, so it never appears in a URL that might be logged.
The base URL follows ``GOOGLE_BASE_URL``, the variable of the ``google`` chat provider,
which speaks to the same API.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar

from fluent_ai.embeddings.batching import EmbedBatch
from fluent_ai.embeddings.types import InputType
from fluent_ai.embeddings.wire import EmbeddingWire, EmbedRequest
from fluent_ai.providers.base import ProviderProfile
from fluent_ai.types.errors import AuthenticationError, ProviderError

GEMINI = ProviderProfile(
    "gemini",
    "https://generativelanguage.googleapis.com/v1beta",
    "GEMINI_API_KEY",
    auth_header="x-goog-api-key",
    auth_scheme="",
    default_model="gemini-embedding-001",
    url_env="GOOGLE_BASE_URL",
)


class GeminiWire(EmbeddingWire):
    max_batch_size = batch_size = 100
    input_types: ClassVar[Mapping[InputType, str] | None] = {
        "query": "RETRIEVAL_QUERY",
        "document": "RETRIEVAL_DOCUMENT",
        "similarity": "SEMANTIC_SIMILARITY",
        "classification": "CLASSIFICATION",
        "clustering": "CLUSTERING",
    }

    def path(self, model: str) -> str:
        return f"/{_resource(model)}:batchEmbedContents"

    def encode(self, request: EmbedRequest) -> dict[str, Any]:
        shared: dict[str, Any] = {"model": _resource(request.model)}
        task = self.vendor_input_type(request.input_type)
        if task is not None:
            shared["taskType"] = task
        if request.dimensions is not None:
            shared["outputDimensionality"] = request.dimensions
        return {
            "requests": [
                {**shared, "content": {"parts": [{"text": text}]}} for text in request.texts
            ]
        }

    def decode_error(self, status: int, headers: Mapping[str, str], body: bytes) -> ProviderError:
        """Gemini answers a wrong key with 400 ``INVALID_ARGUMENT``, reason ``API_KEY_INVALID``."""
        error = super().decode_error(status, headers, body)
        if status == 400 and _rejects_key(body):
            return AuthenticationError(
                error.message,
                provider=error.provider,
                status=status,
                code="API_KEY_INVALID",
                body=error.body,
            )
        return error

    def decode(self, body: Any) -> EmbedBatch:
        embeddings = self.object(body).get("embeddings")
        if not isinstance(embeddings, list):
            raise self.bad("the response has no 'embeddings' list")
        vectors = [
            self.vector(self.object(item, f"embeddings[{i}]").get("values"), f"embeddings[{i}]")
            for i, item in enumerate(embeddings)
        ]
        return EmbedBatch(vectors)


def _rejects_key(body: bytes) -> bool:
    try:
        error = json.loads(body).get("error", {})
        details = error.get("details", [])
        return any(detail.get("reason") == "API_KEY_INVALID" for detail in details)
    except (ValueError, AttributeError, TypeError):
        return False


def _resource(model: str) -> str:
    """``models/{model}``, whether or not the caller already wrote the prefix."""
    return model if model.startswith("models/") else f"models/{model}"
