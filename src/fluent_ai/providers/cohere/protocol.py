"""Cohere's v2 chat, as one :class:`~fluent_ai.providers.base.ChatProtocol`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.cohere.encode import encode_request
from fluent_ai.providers.cohere.errors import decode_error
from fluent_ai.providers.cohere.request import decode_request
from fluent_ai.providers.cohere.response import decode_response
from fluent_ai.providers.cohere.stream import CohereStreamDecoder
from fluent_ai.types import (
    BadResponseError,
    ChatRequest,
    InvalidRequestError,
    ProviderError,
    StreamEvent,
)

PATH = "/chat"


class CohereProtocol:
    """Requests to ``POST /v2/chat`` and its answers, streamed or whole.

    A pure translator: no I/O, no state between calls (each stream gets its own
    decoder), so one instance serves every request.
    """

    name = "cohere"

    def path(self, request: ChatRequest, *, stream: bool) -> str:
        return PATH

    def encode_request(self, request: ChatRequest, *, stream: bool) -> dict[str, Any]:
        return encode_request(request, stream=stream)

    def decode_request(self, body: Mapping[str, Any]) -> ChatRequest:
        try:
            return decode_request(body)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InvalidRequestError(
                f"not a Cohere chat request: {exc!r}", provider=self.name, status=400
            ) from exc

    def decode_response(self, body: Mapping[str, Any]) -> list[StreamEvent]:
        try:
            return decode_response(body)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadResponseError(
                f"not a Cohere chat response: {exc!r}", provider=self.name
            ) from exc

    def stream_decoder(self) -> CohereStreamDecoder:
        return CohereStreamDecoder()

    def decode_error(self, status: int, headers: Mapping[str, str], body: bytes) -> ProviderError:
        return decode_error(status, headers, body)
