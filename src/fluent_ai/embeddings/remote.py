"""An embedding model reached over HTTP: a provider profile plus a wire format.

This is the only place where an embedding wire meets the network. The wire stays pure;
this class adds the URL, the key and the HTTP client, which retries 429 and 5xx
answers (honouring ``Retry-After``) and times calls out, and hands batching to
:func:`~fluent_ai.embeddings.batching.embed_in_batches`. A model given no client opens
its own (one per event loop) and closes it in ``aclose()``; one passed in is the
caller's to close.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence

from fluent_ai._closing import Closeable
from fluent_ai._sync import run_sync
from fluent_ai.embeddings.batching import (
    ConcurrencyLimit,
    EmbedBatch,
    check_batch_size,
    embed_in_batches,
)
from fluent_ai.embeddings.types import Embeddings, InputType, ProgressCallback
from fluent_ai.embeddings.wire import EmbeddingWire, EmbedRequest
from fluent_ai.http import HttpClient, LoopClients
from fluent_ai.providers.base import ProviderProfile
from fluent_ai.providers.endpoints import base_url_for
from fluent_ai.types.errors import ConfigurationError, MissingAPIKeyError, redact_key

DEFAULT_CONCURRENCY = 4
"""Batches in flight per model: enough to hide latency, few enough not to trip rate limits."""


class HttpEmbeddingModel(Closeable):
    """Embed texts with one vendor's model over HTTP.

    The API key comes from ``api_key`` or the profile's environment variable; it is kept
    out of ``repr`` and removed from every error message. ``dimensions`` asks the
    vendor for vectors of that length (where the model supports it) and makes any other
    length an error. ``batch_size`` defaults to the vendor's limit, ``concurrency`` is
    the number of batches in flight, shared by every call on this model. Close it
    (``aclose()``, ``async with``, ``close()``, ``with``) to close the connections it
    opened; a ``client`` passed in is left open for its owner.
    """

    def __init__(
        self,
        profile: ProviderProfile,
        wire: EmbeddingWire,
        model: str,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        client: HttpClient | None = None,
        dimensions: int | None = None,
        batch_size: int | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
    ) -> None:
        key = api_key or (os.environ.get(profile.api_key_env) if profile.api_key_env else None)
        if profile.api_key_env and not key:
            raise MissingAPIKeyError(profile.name, profile.api_key_env)
        if dimensions is not None and dimensions < 1:
            raise ConfigurationError(f"dimensions must be at least 1, not {dimensions}")
        self.provider = profile.name
        self.model = model
        self.dimensions = dimensions
        self.wire = wire
        self.base_url = base_url_for(profile, base_url)
        self.batch_size = check_batch_size(
            wire.batch_size if batch_size is None else batch_size, wire.max_batch_size, profile.name
        )
        self._limit = ConcurrencyLimit(concurrency)
        self._key = key
        self._headers = profile.auth_headers(key)
        self._client = client
        self._own_clients = LoopClients()

    def __repr__(self) -> str:
        return (
            f"HttpEmbeddingModel(provider={self.provider!r}, model={self.model!r}, "
            f"base_url={self.base_url!r})"
        )

    async def aclose(self) -> None:
        """Close the connections this model opened; a client passed in stays open."""
        await self._own_clients.aclose()

    async def embed(
        self,
        texts: Sequence[str],
        *,
        input_type: InputType | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Embeddings:
        """One vector per text, in order; no request at all for an empty list."""
        # Checked once up front, so an unsupported input type fails before any request.
        self.wire.vendor_input_type(input_type)

        async def embed_batch(batch: Sequence[str]) -> EmbedBatch:
            return await self._send(
                EmbedRequest(self.model, batch, input_type=input_type, dimensions=self.dimensions)
            )

        result = await embed_in_batches(
            texts,
            embed_batch,
            batch_size=self.batch_size,
            max_batch_tokens=self.wire.max_batch_tokens,
            limit=self._limit,
            provider=self.provider,
            dimensions=self.dimensions,
            on_progress=on_progress,
        )
        return Embeddings(result.vectors, self.model, self.provider, result.input_tokens)

    def embed_sync(
        self,
        texts: Sequence[str],
        *,
        input_type: InputType | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Embeddings:
        """:meth:`embed` for code without an event loop."""
        return run_sync(self.embed(texts, input_type=input_type, on_progress=on_progress))

    async def _send(self, request: EmbedRequest) -> EmbedBatch:
        client = self._client if self._client is not None else self._own_clients.get()
        response = await client.request(
            "POST",
            self.base_url + self.wire.path(request.model),
            headers=self._headers,
            json=self.wire.encode(request),
            provider=self.provider,
        )
        if response.status_code >= 400:
            raise self.wire.decode_error(
                response.status_code, response.headers, self._scrubbed(response.content)
            )
        try:
            body = json.loads(response.content)
        except ValueError as exc:
            raise self.wire.bad(
                f"expected a JSON body, got {self._scrubbed(response.content[:200])!r}"
            ) from exc
        return self.wire.decode(body)

    def _scrubbed(self, body: bytes) -> bytes:
        """``body`` without the key, in case a vendor or proxy echoes it back.

        The same rule as for chat (:func:`~fluent_ai.types.errors.redact_key`).
        """
        return redact_key(body, self._key)
