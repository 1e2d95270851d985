"""Ollama's native chat, as one :class:`~fluent_ai.providers.base.ChatProtocol`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.base import StreamFormat
from fluent_ai.providers.ollama.content import PROVIDER
from fluent_ai.providers.ollama.encode import encode_request
from fluent_ai.providers.ollama.errors import decode_error
from fluent_ai.providers.ollama.request import decode_request
from fluent_ai.providers.ollama.response import decode_response
from fluent_ai.providers.ollama.stream import OllamaStreamDecoder
from fluent_ai.types import (
    BadResponseError,
    ChatRequest,
    InvalidRequestError,
    ProviderError,
    StreamEvent,
)

PATH = "/api/chat"


class OllamaProtocol:
    """Requests to ``POST /api/chat`` and its answers, whole or streamed as JSON lines.

    A pure translator: no I/O, no state between calls (each stream gets its own
    decoder), so one instance serves every request.
    """

    name = PROVIDER
    stream_format: StreamFormat = "jsonl"

    def path(self, request: ChatRequest, *, stream: bool) -> str:
        return PATH

    def encode_request(self, request: ChatRequest, *, stream: bool) -> dict[str, Any]:
        return encode_request(request, stream=stream)

    def decode_request(self, body: Mapping[str, Any]) -> ChatRequest:
        try:
            return decode_request(body)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InvalidRequestError(
                f"not an Ollama chat request: {exc!r}", provider=self.name, status=400
            ) from exc

    def decode_response(self, body: Mapping[str, Any]) -> list[StreamEvent]:
        try:
            return decode_response(body)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadResponseError(
                f"not an Ollama chat response: {exc!r}", provider=self.name
            ) from exc

    def stream_decoder(self) -> OllamaStreamDecoder:
        return OllamaStreamDecoder()

    def decode_error(self, status: int, headers: Mapping[str, str], body: bytes) -> ProviderError:
        return decode_error(status, headers, body)
