"""What embedding looks like from the outside: the model contract and its result.

Vectors are plain ``list[list[float]]``, not a numpy array. Every remote vendor sends
JSON arrays, so lists are what decoding produces anyway; they go straight into JSON
lines, SurrealDB records and pydantic models; and numpy stays out of the core install
(it comes with the local extra). :meth:`Embeddings.to_numpy` converts when a caller
wants matrix maths.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Literal, Protocol, Self, runtime_checkable

from fluent_ai.types.errors import ConfigurationError

if TYPE_CHECKING:
    import numpy
    import numpy.typing

InputType = Literal["query", "document", "similarity", "classification", "clustering"]
"""What the texts will be used for. Vendors with task-tuned embeddings (Cohere, Gemini,
Voyage, Jina) turn it into their own setting; models that embed every text the same way
(OpenAI, Mistral, Ollama, the local model) ignore it. ``query`` and ``document`` are the
two sides of retrieval: embed what you store as ``document``, what you search with as
``query``."""

ProgressCallback = Callable[[int, int], None]
"""``on_progress(done, total)``: called after each batch with the number of texts embedded
so far and the number asked for. It runs on the event loop, so it must not block."""


@dataclass(frozen=True, slots=True)
class Embeddings:
    """The vectors for a list of texts, in the order of the texts.

    A dataclass rather than a pydantic model: a thousand 1536-float vectors are 1.5
    million numbers, already checked once by the decoder, and validating them again
    would cost more than the HTTP call. ``input_tokens`` is the vendor's count summed
    over every batch, or ``None`` when the vendor (or the local model) reports none.
    """

    vectors: list[list[float]]
    model: str
    provider: str
    input_tokens: int | None = None

    @property
    def dimensions(self) -> int:
        """The length of every vector; 0 when there are none."""
        return len(self.vectors[0]) if self.vectors else 0

    def __len__(self) -> int:
        return len(self.vectors)

    def __iter__(self) -> Iterator[list[float]]:
        return iter(self.vectors)

    def __getitem__(self, index: int) -> list[float]:
        return self.vectors[index]

    def to_numpy(self) -> numpy.typing.NDArray[numpy.float32]:
        """The vectors as a ``(len(self), dimensions)`` float32 matrix."""
        try:
            import numpy
        except ImportError as exc:
            raise ConfigurationError(
                "Embeddings.to_numpy needs numpy: pip install numpy "
                "(it comes with the 'embeddings' extra)"
            ) from exc
        return numpy.asarray(self.vectors, dtype=numpy.float32).reshape(
            len(self.vectors), self.dimensions
        )


@runtime_checkable
class EmbeddingModel(Protocol):
    """Anything that turns texts into vectors: a remote vendor or the local model.

    ``dimensions`` is the vector length the caller asked for or the model is known to
    produce, ``None`` when only the first answer will tell.
    """

    provider: str
    model: str
    dimensions: int | None

    async def embed(
        self,
        texts: Sequence[str],
        *,
        input_type: InputType | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Embeddings:
        """One vector per text, in order; no request at all for an empty list."""
        ...

    def embed_sync(
        self,
        texts: Sequence[str],
        *,
        input_type: InputType | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Embeddings:
        """:meth:`embed` for code without an event loop."""
        ...

    async def aclose(self) -> None:
        """Release what the model opened itself (a remote model's connections)."""
        ...

    def close(self) -> None:
        """:meth:`aclose` for code without an event loop."""
        ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
