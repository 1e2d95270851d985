"""The semantic side of the response cache: a new prompt close enough to a cached one.

"What's the capital of France?" and "what is the capital of france" deserve the same
answer; an exact key cannot see that, an embedding can. Only the last message is
compared, and only when it is a user message of plain text: everything before it (the
model, system prompt, history, tools, settings) must be identical, by the same
normalized key as the exact cache, so a near-match never crosses models, settings or
conversations. A cached prompt matches when the cosine similarity of the embeddings is
at least ``threshold``; the caller learns the similarity and the threshold with every
hit (see :class:`~fluent_ai.engine.cache.CacheHit`).

The index of embeddings lives in this process, beside whatever store holds the
answers; an index entry whose answer has left the store is dropped when met. The
embedder is the local MiniLM by default (:data:`~fluent_ai.embeddings.DEFAULT_EMBEDDING_MODEL`),
opened on first use and closed by :meth:`SemanticIndex.aclose`; one passed in belongs to
its owner.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from fluent_ai.embeddings import EmbeddingModel
from fluent_ai.engine.request_key import request_key
from fluent_ai.types import ChatRequest, ConfigurationError, TextPart

Vector = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Prompt:
    """The text that is compared, and the key of everything else in the request."""

    text: str
    context: str


@dataclass(frozen=True, slots=True)
class SemanticMatch:
    """The cached request whose prompt is nearest, and how near."""

    key: str
    similarity: float


def prompt_of(request: ChatRequest, namespace: str) -> Prompt | None:
    """The request's last message as a :class:`Prompt`; ``None`` unless it is user text."""
    if not request.messages:
        return None
    last = request.messages[-1]
    if last.role != "user" or not all(isinstance(p, TextPart) for p in last.parts):
        return None
    rest = request.model_copy(update={"messages": request.messages[:-1]})
    return Prompt(last.text, request_key(rest, namespace=namespace + "#semantic"))


class SemanticIndex:
    """Embeddings of cached prompts, grouped by context, at most ``max_entries`` of them."""

    def __init__(
        self,
        embedder: EmbeddingModel | None = None,
        *,
        threshold: float = 0.9,
        max_entries: int = 4096,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ConfigurationError(
                f"semantic cache threshold {threshold} is not a cosine similarity in (0, 1]; "
                "0.9 to 0.95 suits MiniLM (1.0 only matches the same text)"
            )
        if max_entries < 1:
            raise ConfigurationError(
                f"SemanticIndex(max_entries={max_entries}) keeps nothing; pass 1 or more"
            )
        self.threshold = threshold
        self.max_entries = max_entries
        self._embedder = embedder
        self._owns_embedder = embedder is None
        self._entries: OrderedDict[str, tuple[str, Vector]] = OrderedDict()
        self._contexts: dict[str, dict[str, Vector]] = {}

    def __repr__(self) -> str:
        return f"SemanticIndex(threshold={self.threshold}, entries={len(self._entries)})"

    def prompt(self, request: ChatRequest, namespace: str) -> Prompt | None:
        """What of ``request`` is compared (:func:`prompt_of`)."""
        return prompt_of(request, namespace)

    @property
    def embedder(self) -> EmbeddingModel:
        if self._embedder is None:
            from fluent_ai.embeddings import get_embedding_model

            self._embedder = get_embedding_model()
        return self._embedder

    async def vector(self, prompt: Prompt) -> Vector:
        """The prompt's embedding, unit length so that a dot product is the cosine."""
        result = await self.embedder.embed([prompt.text], input_type="similarity")
        vector = np.asarray(result.vectors[0], dtype=np.float32)
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def nearest(self, prompt: Prompt, vector: Vector) -> SemanticMatch | None:
        """The closest cached prompt of the same context, if at least ``threshold`` near."""
        best: SemanticMatch | None = None
        for key, cached in self._contexts.get(prompt.context, {}).items():
            similarity = float(np.dot(vector, cached))
            if similarity >= self.threshold and (best is None or similarity > best.similarity):
                best = SemanticMatch(key, similarity)
        return best

    def add(self, prompt: Prompt, key: str, vector: Vector) -> None:
        self.forget(key)
        self._entries[key] = (prompt.context, vector)
        self._contexts.setdefault(prompt.context, {})[key] = vector
        while len(self._entries) > self.max_entries:
            oldest = next(iter(self._entries))
            self.forget(oldest)

    def forget(self, key: str) -> None:
        """Drop ``key`` (its answer expired or was evicted from the store)."""
        found = self._entries.pop(key, None)
        if found is None:
            return
        group = self._contexts[found[0]]
        del group[key]
        if not group:
            del self._contexts[found[0]]

    def __len__(self) -> int:
        return len(self._entries)

    async def aclose(self) -> None:
        """Close the embedder this index opened itself."""
        if self._owns_embedder and self._embedder is not None:
            await self._embedder.aclose()
            self._embedder = None


__all__ = ["Prompt", "SemanticIndex", "SemanticMatch", "prompt_of"]
