"""The Bedrock Converse wire protocol, as one :class:`~fluent_ai.providers.base.ChatProtocol`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fluent_ai.providers.base import StreamDecoder, StreamFormat
from fluent_ai.providers.bedrock import count
from fluent_ai.providers.bedrock.encode import encode_request
from fluent_ai.providers.bedrock.errors import decode_error
from fluent_ai.providers.bedrock.request import decode_request
from fluent_ai.providers.bedrock.response import decode_response
from fluent_ai.providers.bedrock.stream import BedrockStreamDecoder
from fluent_ai.types import (
    BadResponseError,
    ChatRequest,
    InvalidRequestError,
    ProviderError,
    StreamEvent,
)


class BedrockConverseProtocol:
    """Requests to ``POST /model/{modelId}/converse`` (``/converse-stream`` to stream)
    and their answers.

    A pure translator: no I/O, no state between calls, so one instance serves every
    request. Streams come in AWS's binary event-stream framing (``stream_format =
    "eventstream"``, read by :mod:`fluent_ai.http.eventstream`); their messages are
    decoded by :class:`~fluent_ai.providers.bedrock.stream.BedrockStreamDecoder`.
    Prompts are counted at ``/model/{modelId}/count-tokens``
    (:mod:`~fluent_ai.providers.counting`).
    """

    name = "bedrock"
    stream_format: StreamFormat = "eventstream"

    def path(self, request: ChatRequest, *, stream: bool) -> str:
        """The model id percent-encoded whole, as AWS signs it: ``:`` in
        ``…-v1:0`` and the ``/`` of an inference-profile ARN included."""
        action = "converse-stream" if stream else "converse"
        return f"/model/{quote(request.model, safe='')}/{action}"

    def encode_request(self, request: ChatRequest, *, stream: bool) -> dict[str, Any]:
        """The body; ``stream`` changes nothing in it (Converse streams by endpoint)."""
        return encode_request(request)

    def decode_request(self, body: Mapping[str, Any]) -> ChatRequest:
        try:
            return decode_request(body)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InvalidRequestError(
                f"not a Bedrock Converse request: {exc!r}", provider=self.name, status=400
            ) from exc

    def decode_response(self, body: Mapping[str, Any]) -> list[StreamEvent]:
        try:
            return decode_response(body)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadResponseError(
                f"not a Bedrock Converse response: {exc!r}", provider=self.name
            ) from exc

    def stream_decoder(self) -> StreamDecoder:
        return BedrockStreamDecoder()

    def decode_error(self, status: int, headers: Mapping[str, str], body: bytes) -> ProviderError:
        return decode_error(status, headers, body)

    def count_path(self, request: ChatRequest) -> str:
        return count.count_path(request)

    def encode_count_request(self, request: ChatRequest) -> dict[str, Any]:
        return count.encode_count_request(request)

    def decode_count_response(self, body: Mapping[str, Any]) -> int:
        return count.decode_count_response(body)
