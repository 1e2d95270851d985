"""Gemini's ``generateContent`` wire protocol, as one ``ChatProtocol``.

The same protocol serves the Gemini API and Vertex AI: only the base URL and the
credentials differ (:mod:`~fluent_ai.providers.google.profile`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.google import count
from fluent_ai.providers.google.encode import encode_request
from fluent_ai.providers.google.errors import decode_error
from fluent_ai.providers.google.request import decode_request
from fluent_ai.providers.google.response import decode_response
from fluent_ai.providers.google.stream import GeminiStreamDecoder
from fluent_ai.types import (
    BadResponseError,
    ChatRequest,
    FluentAIError,
    InvalidRequestError,
    ProviderError,
    StreamEvent,
)


class GeminiProtocol:
    """Requests to ``POST …/models/{model}:generateContent`` and its answers, streamed or whole.

    ``provider`` names the vendor in every error this protocol builds (``"google"`` for
    the Gemini API, ``"google-vertex"`` for Vertex AI). A pure translator: no I/O, no
    state between calls (each stream gets its own decoder).
    """

    name = "gemini"

    def __init__(self, provider: str = "google") -> None:
        self.provider = provider

    def __repr__(self) -> str:
        return f"GeminiProtocol(provider={self.provider!r})"

    def path(self, request: ChatRequest, *, stream: bool) -> str:
        """``/models/{model}:generateContent``, or the streaming method with ``alt=sse``.

        A model name with a slash is already a resource path (``tunedModels/…``) and is
        used as it is. An empty model means the base URL itself names the model (a URL
        taken from a Gemini request, or one ending in a Vertex ``endpoints/{id}``), and
        the method is added to it directly.
        """
        return _at(request, ":streamGenerateContent?alt=sse" if stream else ":generateContent")

    def encode_request(self, request: ChatRequest, *, stream: bool) -> dict[str, Any]:
        """The body; the same for both methods, since Gemini streams by URL."""
        try:
            return encode_request(request)
        except FluentAIError as exc:
            exc.provider = self.provider  # the modules name Gemini; say which endpoint
            raise

    def decode_request(self, body: Mapping[str, Any]) -> ChatRequest:
        try:
            return decode_request(body)
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidRequestError(
                f"not a Gemini generateContent request: {exc!r}", provider=self.provider, status=400
            ) from exc

    def decode_response(self, body: Mapping[str, Any]) -> list[StreamEvent]:
        try:
            return decode_response(body, provider=self.provider)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadResponseError(
                f"not a Gemini generateContent response: {exc!r}", provider=self.provider
            ) from exc

    def stream_decoder(self) -> GeminiStreamDecoder:
        return GeminiStreamDecoder(provider=self.provider)

    def decode_error(self, status: int, headers: Mapping[str, str], body: bytes) -> ProviderError:
        return decode_error(status, headers, body, provider=self.provider)

    def count_path(self, request: ChatRequest) -> str:
        """``/models/{model}:countTokens`` (:mod:`~fluent_ai.providers.counting`)."""
        return _at(request, ":countTokens")

    def encode_count_request(self, request: ChatRequest) -> dict[str, Any]:
        return count.encode_count_request(
            self.encode_request(request, stream=False), request, self.provider
        )

    def decode_count_response(self, body: Mapping[str, Any]) -> int:
        return count.decode_count_response(body, self.provider)


def _at(request: ChatRequest, method: str) -> str:
    """``method`` of the model the request names (see :meth:`GeminiProtocol.path`)."""
    if not request.model:
        return method
    resource = request.model if "/" in request.model else f"models/{request.model}"
    return f"/{resource}{method}"
