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
    With ``fail_documents`` it refuses to embed what is stored, to make writes fail;
    with ``documents_before_failing=n`` it embeds ``n`` batches of them first."""

    provider = "test"
    model = "word-hash"

    def __init__(
        self,
        *,
        fail_documents: bool = False,
        dimensions: int = DIMENSIONS,
        documents_before_failing: int | None = None,
    ) -> None:
        self.fail_documents = fail_documents
        self.dimensions: int | None = dimensions
        self.documents_left = documents_before_failing

    def vector(self, text: str) -> list[float]:
        size = self.dimensions or DIMENSIONS
        values = [0.0] * size
        values[0] = 0.1
        for word in re.findall(r"\w+", text.lower()):
            digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
            values[1 + int.from_bytes(digest) % (size - 1)] += 1.0
        norm = math.sqrt(sum(v * v for v in values))
        return [v / norm for v in values]

    async def embed(
        self,
        texts: Sequence[str],
        *,
        input_type: InputType | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Embeddings:
        if input_type == "document" and self.documents_left is not None:
            if self.documents_left == 0:
                raise RuntimeError("embedding service down")
            self.documents_left -= 1
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
