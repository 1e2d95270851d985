"""The Anthropic Messages wire protocol, as one :class:`~fluent_ai.providers.base.ChatProtocol`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.anthropic import count
from fluent_ai.providers.anthropic.encode import encode_request
from fluent_ai.providers.anthropic.errors import decode_error
from fluent_ai.providers.anthropic.request import decode_request
from fluent_ai.providers.anthropic.response import decode_response
from fluent_ai.providers.anthropic.stream import AnthropicStreamDecoder
from fluent_ai.types import (
    BadResponseError,
    ChatRequest,
    InvalidRequestError,
    ProviderError,
    StreamEvent,
)

PATH = "/v1/messages"


class AnthropicProtocol:
    """Requests to ``POST /v1/messages`` and its answers, streamed or whole; prompts
    counted at ``/v1/messages/count_tokens`` (:mod:`~fluent_ai.providers.counting`).

    A pure translator: no I/O, no state between calls (each stream gets its own
    decoder), so one instance serves every request.
    """

    name = "anthropic"

    def path(self, request: ChatRequest, *, stream: bool) -> str:
        return PATH

    def encode_request(self, request: ChatRequest, *, stream: bool) -> dict[str, Any]:
        return encode_request(request, stream=stream)

    def decode_request(self, body: Mapping[str, Any]) -> ChatRequest:
        try:
            return decode_request(body)
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidRequestError(
                f"not an Anthropic Messages request: {exc!r}", provider=self.name, status=400
            ) from exc

    def decode_response(self, body: Mapping[str, Any]) -> list[StreamEvent]:
        try:
            return decode_response(body)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadResponseError(
                f"not an Anthropic Messages response: {exc!r}", provider=self.name
            ) from exc

    def stream_decoder(self) -> AnthropicStreamDecoder:
        return AnthropicStreamDecoder()

    def decode_error(self, status: int, headers: Mapping[str, str], body: bytes) -> ProviderError:
        return decode_error(status, headers, body)

    def count_path(self, request: ChatRequest) -> str:
        return count.COUNT_PATH

    def encode_count_request(self, request: ChatRequest) -> dict[str, Any]:
        return count.encode_count_request(request)

    def decode_count_response(self, body: Mapping[str, Any]) -> int:
        return count.decode_count_response(body)
