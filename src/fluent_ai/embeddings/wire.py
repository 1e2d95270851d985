"""The contract between an embedding model and one vendor's wire format.

A wire is a pure translator, like the chat protocols in :mod:`fluent_ai.providers`: it
turns one batch of texts into a JSON body, a JSON response body back into vectors, and
an error response into a typed error. It never does I/O, retries or batching; those
belong to :class:`~fluent_ai.embeddings.remote.HttpEmbeddingModel`, the HTTP client and
:mod:`~fluent_ai.embeddings.batching`. Decoding is strict: a body that is not the
documented shape raises :class:`~fluent_ai.types.errors.BadResponseError` instead of
yielding vectors in a wrong order or of a wrong kind.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from fluent_ai.embeddings.batching import EmbedBatch
from fluent_ai.embeddings.errors import http_error
from fluent_ai.embeddings.types import InputType
from fluent_ai.types.errors import BadResponseError, ProviderError, UnsupportedFeatureError


@dataclass(frozen=True, slots=True)
class EmbedRequest:
    """One batch to embed; ``dimensions`` asks for shortened vectors where supported."""

    model: str
    texts: Sequence[str]
    input_type: InputType | None = None
    dimensions: int | None = None


class EmbeddingWire(ABC):
    """One vendor's embeddings endpoint.

    ``max_batch_size`` is the most texts the vendor accepts in one request (``None``
    when it sets no limit), ``batch_size`` how many are sent by default, and
    ``max_batch_tokens`` the vendor's cap on tokens per request, where it has one.
    ``input_types`` maps each :data:`~fluent_ai.embeddings.types.InputType` the vendor
    supports to its own name; ``None`` means the vendor embeds every text the same way
    and the hint is ignored. ``provider`` names the vendor in errors.
    """

    max_batch_size: ClassVar[int | None]
    batch_size: ClassVar[int]
    max_batch_tokens: ClassVar[int | None] = None
    input_types: ClassVar[Mapping[InputType, str] | None] = None

    def __init__(self, provider: str) -> None:
        self.provider = provider

    @abstractmethod
    def path(self, model: str) -> str:
        """The endpoint, relative to the provider's base URL."""

    @abstractmethod
    def encode(self, request: EmbedRequest) -> dict[str, Any]:
        """The JSON body for one batch."""

    @abstractmethod
    def decode(self, body: Any) -> EmbedBatch:
        """The vectors of a successful response, in the order of the request's texts."""

    def decode_error(self, status: int, headers: Mapping[str, str], body: bytes) -> ProviderError:
        """The typed error for an error response."""
        return http_error(self.provider, status, headers, body)

    def vendor_input_type(self, input_type: InputType | None) -> str | None:
        """The vendor's name for ``input_type``; ``None`` when there is nothing to send."""
        if input_type is None or self.input_types is None:
            return None
        name = self.input_types.get(input_type)
        if name is None:
            raise UnsupportedFeatureError(
                f"{self.provider} has no input type for {input_type!r}; "
                f"it supports {', '.join(sorted(self.input_types))}",
                provider=self.provider,
            )
        return name

    # Helpers for decoders: each checks one level of the body and names what is wrong.

    def object(self, value: Any, where: str = "the response body") -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.bad(f"{where} should be a JSON object, got {type(value).__name__}")
        return value

    def vector(self, value: Any, where: str) -> list[float]:
        if isinstance(value, list) and all(type(x) is float or type(x) is int for x in value):
            return value
        raise self.bad(f"{where} should be a list of numbers")

    def vectors(self, value: Any, where: str) -> list[list[float]]:
        if not isinstance(value, list):
            raise self.bad(f"{where} should be a list of vectors")
        return [self.vector(item, f"{where}[{i}]") for i, item in enumerate(value)]

    def data_list(self, body: Any) -> list[list[float]]:
        """OpenAI's shape, shared by Mistral, Voyage and Jina: ``data[i].embedding``.

        Items carry an ``index`` into the request's texts; the vectors are returned in
        that order, and a missing or repeated index is an error, not a guess.
        """
        data = self.object(body).get("data")
        if not isinstance(data, list):
            raise self.bad("the response has no 'data' list")
        items = [self.object(item, f"data[{i}]") for i, item in enumerate(data)]
        if all("index" not in item for item in items):
            return [
                self.vector(item.get("embedding"), f"data[{i}]") for i, item in enumerate(items)
            ]
        ordered: list[list[float] | None] = [None] * len(items)
        for i, item in enumerate(items):
            index = item.get("index")
            if type(index) is not int or not 0 <= index < len(items) or ordered[index] is not None:
                raise self.bad(f"data[{i}] has a missing, repeated or out-of-range index")
            ordered[index] = self.vector(item.get("embedding"), f"data[{i}].embedding")
        return [vector for vector in ordered if vector is not None]

    def tokens(self, value: Any) -> int | None:
        """A token count, when the vendor sent a usable one."""
        return value if type(value) is int else None

    def bad(self, problem: str) -> BadResponseError:
        return BadResponseError(problem, provider=self.provider)
