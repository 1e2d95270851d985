"""A test double for an embedding model: a bag-of-words hash, not a model.

Tests of memory need to know exactly which stored text a query finds; a real model
makes that a matter of its weights. Each word is hashed to one of 64 axes (plus a
constant axis, so no vector is all zeros): texts sharing words are close by cosine
similarity, texts sharing none are not.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from types import TracebackType
from typing import Self

from fluent_ai.embeddings import Embeddings, InputType, ProgressCallback

DIMENSIONS = 64


class WordHashEmbedder:
    """Test double, not a model: each word is hashed to one of 64 axes, plus a constant
    axis so no vector is all zeros; texts sharing words are close by cosine similarity.
    With ``fail_documents`` it refuses to embed what is stored, to make writes fail."""

    provider = "test"
    model = "word-hash"
    dimensions: int | None = DIMENSIONS

    def __init__(self, *, fail_documents: bool = False) -> None:
        self.fail_documents = fail_documents

    def vector(self, text: str) -> list[float]:
        values = [0.0] * DIMENSIONS
        values[0] = 0.1
        for word in re.findall(r"\w+", text.lower()):
            digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
            values[1 + int.from_bytes(digest) % (DIMENSIONS - 1)] += 1.0
        norm = math.sqrt(sum(v * v for v in values))
        return [v / norm for v in values]

    async def embed(
        self,
        texts: Sequence[str],
        *,
        input_type: InputType | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Embeddings:
        if self.fail_documents and input_type == "document":
            raise RuntimeError("embedding service down")
        return Embeddings([self.vector(t) for t in texts], self.model, self.provider)

    def embed_sync(
        self,
        texts: Sequence[str],
        *,
        input_type: InputType | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Embeddings:
        return Embeddings([self.vector(t) for t in texts], self.model, self.provider)

    async def aclose(self) -> None:
        return None

    def close(self) -> None:
        return None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None
