"""The OpenAI Responses wire protocol, as one :class:`~fluent_ai.providers.base.ChatProtocol`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.base import ProviderProfile
from fluent_ai.providers.openai.errors import decode_error
from fluent_ai.providers.responses import count
from fluent_ai.providers.responses.encode import encode_request
from fluent_ai.providers.responses.quirks import OPENAI_QUIRKS, STATELESS, Quirks
from fluent_ai.providers.responses.request import decode_request
from fluent_ai.providers.responses.response import decode_response
from fluent_ai.providers.responses.stream import ResponsesStreamDecoder
from fluent_ai.types import (
    BadResponseError,
    ChatRequest,
    InvalidRequestError,
    ProviderError,
    StreamEvent,
)

PATH = "/responses"

QUIRKS: dict[str, Quirks] = {
    "openai": OPENAI_QUIRKS,
    # Both document their Responses API as stateless (no stored responses to continue).
    "openrouter": STATELESS,
    "deepseek": STATELESS,
}
"""The vendors known to serve the Responses API, and how each differs from OpenAI."""


class ResponsesProtocol:
    """Requests to ``POST /responses`` and their answers, streamed or whole.

    ``provider`` names the vendor in errors; ``quirks`` are its differences from OpenAI
    (:data:`QUIRKS`). A pure translator: no I/O, no state between calls (each stream
    gets its own decoder), so one instance serves every request.
    """

    name = "openai-responses"

    def __init__(self, provider: str = "openai", quirks: Quirks = OPENAI_QUIRKS) -> None:
        self.provider = provider
        self.quirks = quirks

    @classmethod
    def for_profile(cls, profile: ProviderProfile) -> ResponsesProtocol:
        """The protocol for a vendor profile: its name, and its quirks where it has any
        (OpenAI's also counts prompts)."""
        if profile.name == "openai":
            return OpenAIResponsesProtocol()
        return cls(profile.name, QUIRKS.get(profile.name, OPENAI_QUIRKS))

    def __repr__(self) -> str:
        return f"ResponsesProtocol(provider={self.provider!r}, quirks={self.quirks!r})"

    def path(self, request: ChatRequest, *, stream: bool) -> str:
        return PATH

    def encode_request(self, request: ChatRequest, *, stream: bool) -> dict[str, Any]:
        return encode_request(request, self.quirks, provider=self.provider, stream=stream)

    def decode_request(self, body: Mapping[str, Any]) -> ChatRequest:
        try:
            return decode_request(body, provider=self.provider)
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidRequestError(
                f"not a Responses request: {exc!r}", provider=self.provider, status=400
            ) from exc

    def decode_response(self, body: Mapping[str, Any]) -> list[StreamEvent]:
        try:
            return decode_response(body, provider=self.provider)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadResponseError(
                f"not a Responses response: {exc!r}", provider=self.provider
            ) from exc

    def stream_decoder(self) -> ResponsesStreamDecoder:
        return ResponsesStreamDecoder(provider=self.provider)

    def decode_error(self, status: int, headers: Mapping[str, str], body: bytes) -> ProviderError:
        return decode_error(status, headers, body, provider=self.provider)


class OpenAIResponsesProtocol(ResponsesProtocol):
    """OpenAI's Responses API, which also counts prompts at ``/responses/input_tokens``
    (:mod:`~fluent_ai.providers.counting`); the other vendors of the API do not."""

    def __init__(self) -> None:
        super().__init__("openai", OPENAI_QUIRKS)

    def count_path(self, request: ChatRequest) -> str:
        return count.COUNT_PATH

    def encode_count_request(self, request: ChatRequest) -> dict[str, Any]:
        return count.counted(self.encode_request(request, stream=False))

    def decode_count_response(self, body: Mapping[str, Any]) -> int:
        return count.decode_count_response(body)
