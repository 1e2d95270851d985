"""The Bedrock Converse wire protocol, as one :class:`~fluent_ai.providers.base.ChatProtocol`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fluent_ai.providers.base import StreamDecoder
from fluent_ai.providers.bedrock.encode import encode_request
from fluent_ai.providers.bedrock.errors import decode_error
from fluent_ai.providers.bedrock.request import decode_request
from fluent_ai.providers.bedrock.response import decode_response
from fluent_ai.types import (
    BadResponseError,
    ChatRequest,
    InvalidRequestError,
    ProviderError,
    StreamEvent,
    UnsupportedFeatureError,
)

NO_STREAMING = (
    "Bedrock streams (converse-stream) arrive in AWS's binary event-stream framing, "
    "which fluent-ai does not decode: streams are served from converse, whole"
)


class BedrockConverseProtocol:
    """Requests to ``POST /model/{modelId}/converse`` and their whole answers.

    A pure translator: no I/O, no state between calls, so one instance serves every
    request. Bedrock's own stream cannot be decoded (see :data:`NO_STREAMING`), so
    ``stream_format = "whole"`` tells the runner to answer a stream with one plain
    request, delivered as the same events; the streaming path itself is refused.
    """

    name = "bedrock"
    stream_format = "whole"

    def path(self, request: ChatRequest, *, stream: bool) -> str:
        """The model id percent-encoded whole, as AWS signs it: ``:`` in
        ``…-v1:0`` and the ``/`` of an inference-profile ARN included."""
        if stream:
            raise UnsupportedFeatureError(NO_STREAMING, provider=self.name)
        return f"/model/{quote(request.model, safe='')}/converse"

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
        raise UnsupportedFeatureError(NO_STREAMING, provider=self.name)

    def decode_error(self, status: int, headers: Mapping[str, str], body: bytes) -> ProviderError:
        return decode_error(status, headers, body)
