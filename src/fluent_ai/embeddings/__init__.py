"""Embeddings (layer 2): one ``embed(texts) -> vectors`` API over every vendor and offline.

>>> model = get_embedding_model("openai/text-embedding-3-small")   # or "local/all-minilm-l6-v2"
>>> result = await model.embed(["first text", "second text"], input_type="document")
>>> result.vectors[0][:3], result.dimensions

Batching to each vendor's limits, concurrency, order, dimension checks and retries are
handled for every model alike. ``import fluent_ai.embeddings`` loads only the value
types; the HTTP stack, the vendors and ONNX Runtime are imported when a model is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from fluent_ai.embeddings.types import EmbeddingModel, Embeddings, InputType, ProgressCallback

_LAZY = {
    "DEFAULT_EMBEDDING_MODEL": "fluent_ai.embeddings.catalog",
    "embedding_provider_names": "fluent_ai.embeddings.catalog",
    "get_embedding_model": "fluent_ai.embeddings.catalog",
    "HttpEmbeddingModel": "fluent_ai.embeddings.remote",
    "LocalEmbeddingModel": "fluent_ai.embeddings.local",
    "EmbeddingWire": "fluent_ai.embeddings.wire",
    "EmbedRequest": "fluent_ai.embeddings.wire",
}

__all__ = [
    "DEFAULT_EMBEDDING_MODEL",
    "EmbedRequest",
    "EmbeddingModel",
    "EmbeddingWire",
    "Embeddings",
    "HttpEmbeddingModel",
    "InputType",
    "LocalEmbeddingModel",
    "ProgressCallback",
    "embedding_provider_names",
    "get_embedding_model",
]

if TYPE_CHECKING:
    from fluent_ai.embeddings.catalog import (
        DEFAULT_EMBEDDING_MODEL,
        embedding_provider_names,
        get_embedding_model,
    )
    from fluent_ai.embeddings.local import LocalEmbeddingModel
    from fluent_ai.embeddings.remote import HttpEmbeddingModel
    from fluent_ai.embeddings.wire import EmbeddingWire, EmbedRequest


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
