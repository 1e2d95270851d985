"""Turn ``"provider/model"`` into a ready :class:`~fluent_ai.embeddings.types.EmbeddingModel`.

The provider part picks a vendor (or ``local``); the model part is passed to it as it
is, and may be left out for the vendor's default. Vendors are imported on first use,
and the local model never imports the HTTP stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fluent_ai.embeddings.types import EmbeddingModel
from fluent_ai.types.errors import ConfigurationError

if TYPE_CHECKING:
    from fluent_ai.http import HttpClient

DEFAULT_EMBEDDING_MODEL = "local/all-minilm-l6-v2"

_ALIASES = {"google": "gemini", "voyageai": "voyage", "jinaai": "jina", "mistralai": "mistral"}


def embedding_provider_names() -> list[str]:
    """Every provider name :func:`get_embedding_model` accepts."""
    from fluent_ai.embeddings.providers import REMOTE

    return sorted({"local", "openai-compatible", *REMOTE})


def split_spec(spec: str) -> tuple[str, str | None]:
    """``"cohere/embed-v4.0"`` → ``("cohere", "embed-v4.0")``; ``"cohere"`` alone → no model."""
    provider, _, model = spec.partition("/")
    provider = provider.strip().lower()
    if not provider:
        raise ConfigurationError(
            f"embedding model {spec!r} should be written provider/model, "
            f"e.g. 'openai/text-embedding-3-small' or '{DEFAULT_EMBEDDING_MODEL}'"
        )
    return _ALIASES.get(provider, provider), model.strip() or None


def get_embedding_model(
    spec: str = DEFAULT_EMBEDDING_MODEL,
    *,
    api_key: str | None = None,
    base_url: str | None = None,
    client: HttpClient | None = None,
    dimensions: int | None = None,
    batch_size: int | None = None,
    concurrency: int | None = None,
    device: str | None = None,
) -> EmbeddingModel:
    """A model for ``spec``; raises a clear error for unknown providers or missing keys.

    ``dimensions`` asks for shortened vectors where the model supports it; ``batch_size``
    (texts per request, at most the vendor's limit) and ``concurrency`` (requests in
    flight) tune throughput. ``device`` applies to the local model only, and
    ``api_key``, ``base_url`` and ``client`` to remote ones only.
    """
    provider, model = split_spec(spec)
    if provider == "local":
        return _local(model, api_key, base_url, dimensions, batch_size, device)
    from fluent_ai.embeddings.providers import REMOTE, OpenAIWire, compatible_profile
    from fluent_ai.embeddings.remote import DEFAULT_CONCURRENCY, HttpEmbeddingModel
    from fluent_ai.embeddings.wire import EmbeddingWire

    wire: EmbeddingWire
    if provider == "openai-compatible":
        if not base_url:
            raise ConfigurationError("openai-compatible/… needs a base URL: pass base_url=")
        profile, wire = compatible_profile(base_url), OpenAIWire("openai-compatible")
    elif provider in REMOTE:
        profile, wire_class = REMOTE[provider]
        wire = wire_class(provider)
    else:
        raise ConfigurationError(
            f"unknown embedding provider {provider!r}; known providers: "
            f"{', '.join(embedding_provider_names())}"
        )
    model = model or profile.default_model
    if model is None:
        raise ConfigurationError(f"{provider} has no default embedding model: name one")
    return HttpEmbeddingModel(
        profile,
        wire,
        model,
        api_key=api_key,
        base_url=base_url,
        client=client,
        dimensions=dimensions,
        batch_size=batch_size,
        concurrency=DEFAULT_CONCURRENCY if concurrency is None else concurrency,
    )


def _local(
    model: str | None,
    api_key: str | None,
    base_url: str | None,
    dimensions: int | None,
    batch_size: int | None,
    device: str | None,
) -> EmbeddingModel:
    from fluent_ai.embeddings.local import (
        DEFAULT_LOCAL_BATCH_SIZE,
        DEFAULT_LOCAL_MODEL,
        LocalEmbeddingModel,
    )

    if api_key is not None or base_url is not None:
        raise ConfigurationError("local embedding models take no api_key or base_url")
    local = LocalEmbeddingModel(
        model or DEFAULT_LOCAL_MODEL,
        device=device,
        batch_size=DEFAULT_LOCAL_BATCH_SIZE if batch_size is None else batch_size,
    )
    if dimensions is not None and dimensions != local.dimensions:
        raise ConfigurationError(
            f"{local.model} makes {local.dimensions}-dimension vectors, not {dimensions}",
            provider="local",
        )
    return local
