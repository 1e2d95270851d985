"""OpenAI Chat Completions as a :class:`~fluent_ai.providers.base.ChatProtocol`.

One class serves OpenAI and every compatible vendor: what differs between them is data,
a :class:`~.quirks.Quirks` value, and the provider name that errors carry. The class
only routes to the single-purpose modules beside it; it does no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.base import ProviderProfile
from fluent_ai.providers.openai.decode_request import decode_request
from fluent_ai.providers.openai.decode_response import decode_response
from fluent_ai.providers.openai.encode import encode_request
from fluent_ai.providers.openai.errors import decode_error
from fluent_ai.providers.openai.quirks import OPENAI_QUIRKS, Quirks
from fluent_ai.providers.openai.stream import OpenAIStreamDecoder
from fluent_ai.types import BadResponseError, ChatRequest, ProviderError, StreamEvent


class OpenAIChatProtocol:
    """Translate between fluent-ai's neutral types and ``POST /chat/completions``.

    ``provider`` names the vendor in every error this protocol builds; ``quirks`` are
    that vendor's differences from OpenAI (:data:`~.profiles.QUIRKS` has them all).
    """

    name = "openai-chat"

    def __init__(self, provider: str = "openai", quirks: Quirks = OPENAI_QUIRKS) -> None:
        self.provider = provider
        self.quirks = quirks

    @classmethod
    def for_profile(cls, profile: ProviderProfile) -> OpenAIChatProtocol:
        """The protocol for a vendor profile: its name, and its quirks where it has any."""
        from fluent_ai.providers.openai.profiles import quirks_for

        return cls(profile.name, quirks_for(profile.name))

    def __repr__(self) -> str:
        return f"OpenAIChatProtocol(provider={self.provider!r}, quirks={self.quirks!r})"

    def path(self, request: ChatRequest, *, stream: bool) -> str:
        return "/chat/completions"

    def encode_request(self, request: ChatRequest, *, stream: bool) -> dict[str, Any]:
        return encode_request(request, self.quirks, provider=self.provider, stream=stream)

    def decode_request(self, body: Mapping[str, Any]) -> ChatRequest:
        return decode_request(body, self.quirks, provider=self.provider)

    def decode_response(self, body: Mapping[str, Any]) -> list[StreamEvent]:
        try:
            return decode_response(body, self.quirks, provider=self.provider)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadResponseError(
                f"not a chat completion: {exc!r}", provider=self.provider
            ) from exc

    def stream_decoder(self) -> OpenAIStreamDecoder:
        return OpenAIStreamDecoder(self.quirks, provider=self.provider)

    def decode_error(self, status: int, headers: Mapping[str, str], body: bytes) -> ProviderError:
        return decode_error(status, headers, body, provider=self.provider)
