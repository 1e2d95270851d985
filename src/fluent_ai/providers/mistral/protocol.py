"""Mistral's chat completions, as one :class:`~fluent_ai.providers.base.ChatProtocol`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.mistral.encode import encode_request
from fluent_ai.providers.mistral.errors import decode_error
from fluent_ai.providers.mistral.request import decode_request
from fluent_ai.providers.mistral.response import decode_response
from fluent_ai.providers.mistral.stream import MistralStreamDecoder
from fluent_ai.types import (
    BadResponseError,
    ChatRequest,
    InvalidRequestError,
    ProviderError,
    StreamEvent,
)

PATH = "/chat/completions"


class MistralProtocol:
    """Requests to ``POST /v1/chat/completions`` and its answers, streamed or whole.

    A pure translator: no I/O, no state between calls (each stream gets its own
    decoder), so one instance serves every request.
    """

    name = "mistral"

    def path(self, request: ChatRequest, *, stream: bool) -> str:
        return PATH

    def encode_request(self, request: ChatRequest, *, stream: bool) -> dict[str, Any]:
        return encode_request(request, stream=stream)

    def decode_request(self, body: Mapping[str, Any]) -> ChatRequest:
        try:
            return decode_request(body)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InvalidRequestError(
                f"not a Mistral chat request: {exc!r}", provider=self.name, status=400
            ) from exc

    def decode_response(self, body: Mapping[str, Any]) -> list[StreamEvent]:
        try:
            return decode_response(body)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            raise BadResponseError(
                f"not a Mistral chat response: {exc!r}", provider=self.name
            ) from exc

    def stream_decoder(self) -> MistralStreamDecoder:
        return MistralStreamDecoder()

    def decode_error(self, status: int, headers: Mapping[str, str], body: bytes) -> ProviderError:
        return decode_error(status, headers, body)
