"""The wire formats the gateway speaks to its callers: OpenAI's (Chat Completions and
Responses) and Anthropic's.

A wire reads the caller's request with the protocol's own ``decode_request`` and writes
the answer, whichever model gave it, with the protocol's response encoders
(:mod:`fluent_ai.providers.openai.encode_response`,
:mod:`fluent_ai.providers.anthropic.encode_response`), framed as that vendor frames
its streams. Errors go out in the caller's format too: an OpenAI client reads
``{"error": {"message", "type", "code"}}``, an Anthropic one
``{"type": "error", "error": {"type", "message"}}``, at the HTTP status of
:mod:`fluent_ai.server.errors`, or as the format's error event once a stream started.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any, Protocol

import orjson

from fluent_ai.providers.anthropic import AnthropicProtocol
from fluent_ai.providers.anthropic.encode_response import EventEncoder, message_body
from fluent_ai.providers.openai import OpenAIChatProtocol
from fluent_ai.providers.openai.encode_response import ChunkEncoder, completion_body
from fluent_ai.providers.responses.encode_response import EventEncoder as ResponsesEncoder
from fluent_ai.providers.responses.encode_response import answer_body
from fluent_ai.providers.responses.protocol import ResponsesProtocol
from fluent_ai.server.errors import Failure, Kind
from fluent_ai.types import ChatRequest, ChatResponse, InvalidRequestError, StreamEvent


class StreamWriter(Protocol):
    """One answer's stream in a caller's format, as the bytes to send."""

    def write(self, event: StreamEvent) -> bytes:
        """The bytes for ``event`` (empty when the format sends nothing for it)."""
        ...

    def end(self) -> bytes:
        """The bytes that close a stream that finished."""
        ...

    def error(self, failure: Failure) -> bytes:
        """The bytes that end a stream broken by ``failure`` (never a clean finish)."""
        ...


class Wire(Protocol):
    """A caller's wire format."""

    name: str

    def decode(self, body: Mapping[str, Any]) -> ChatRequest: ...

    def answer(self, response: ChatResponse, *, model: str) -> dict[str, Any]: ...

    def writer(self, body: Mapping[str, Any], *, model: str) -> StreamWriter: ...

    def error(self, failure: Failure) -> dict[str, Any]: ...


OPENAI_ERRORS: dict[Kind, tuple[str, str | None]] = {
    "invalid_request": ("invalid_request_error", None),
    "authentication": ("authentication_error", "invalid_api_key"),
    "permission": ("permission_error", None),
    "budget": ("insufficient_quota", "budget_exceeded"),
    "not_found": ("invalid_request_error", "not_found"),
    "rate_limit": ("rate_limit_error", "rate_limit_exceeded"),
    "content_filter": ("invalid_request_error", "content_filter"),
    "overloaded": ("server_error", "overloaded"),
    "timeout": ("server_error", "timeout"),
    "upstream": ("server_error", "upstream_error"),
    "internal": ("server_error", None),
}
"""OpenAI's ``type`` and ``code`` for each kind (its SDKs pick the exception by status)."""

ANTHROPIC_ERRORS: dict[Kind, str] = {
    "invalid_request": "invalid_request_error",
    "authentication": "authentication_error",
    "permission": "permission_error",
    "budget": "billing_error",
    "not_found": "not_found_error",
    "rate_limit": "rate_limit_error",
    "content_filter": "invalid_request_error",
    "overloaded": "overloaded_error",
    "timeout": "timeout_error",
    "upstream": "api_error",
    "internal": "api_error",
}
"""Anthropic's error ``type`` for each kind, from its documented list."""


class OpenAIWire:
    """``POST /v1/chat/completions``."""

    name = "openai"

    def __init__(self) -> None:
        self._protocol = OpenAIChatProtocol("openai")

    def decode(self, body: Mapping[str, Any]) -> ChatRequest:
        if "max_tokens" in body and "max_completion_tokens" not in body:
            # Clients still send OpenAI's older name; both mean the answer's length,
            # whichever model serves it.
            body = {**body, "max_completion_tokens": body["max_tokens"]}
            del body["max_tokens"]
        return self._protocol.decode_request(body)

    def answer(self, response: ChatResponse, *, model: str) -> dict[str, Any]:
        return completion_body(response, model=model, created=int(time.time()))

    def writer(self, body: Mapping[str, Any], *, model: str) -> StreamWriter:
        options = body.get("stream_options")
        usage = isinstance(options, Mapping) and options.get("include_usage") is True
        return OpenAIStream(
            ChunkEncoder(model=model, created=int(time.time()), include_usage=usage)
        )

    def error(self, failure: Failure) -> dict[str, Any]:
        kind, code = OPENAI_ERRORS[failure.kind]
        return {"error": {"message": failure.message, "type": kind, "param": None, "code": code}}


class OpenAIStream:
    """``data: {chunk}`` messages, then ``data: [DONE]``; an error is one ``data:``
    message with an ``error`` object and no ``[DONE]``, as OpenAI ends a failed stream."""

    def __init__(self, encoder: ChunkEncoder) -> None:
        self._encoder = encoder

    def write(self, event: StreamEvent) -> bytes:
        chunks = self._encoder.encode(event)
        if len(chunks) == 1:  # nearly every event: no generator to join
            return b"data: " + orjson.dumps(chunks[0]) + b"\n\n"
        return b"".join(b"data: " + orjson.dumps(c) + b"\n\n" for c in chunks)

    def end(self) -> bytes:
        return b"data: [DONE]\n\n"

    def error(self, failure: Failure) -> bytes:
        return b"data: " + orjson.dumps(OpenAIWire().error(failure)) + b"\n\n"


class AnthropicWire:
    """``POST /v1/messages``."""

    name = "anthropic"

    def __init__(self) -> None:
        self._protocol = AnthropicProtocol()

    def decode(self, body: Mapping[str, Any]) -> ChatRequest:
        return self._protocol.decode_request(body)

    def answer(self, response: ChatResponse, *, model: str) -> dict[str, Any]:
        return message_body(response, model=model)

    def writer(self, body: Mapping[str, Any], *, model: str) -> StreamWriter:
        return AnthropicStream(EventEncoder(model=model))

    def error(self, failure: Failure) -> dict[str, Any]:
        kind = ANTHROPIC_ERRORS[failure.kind]
        return {"type": "error", "error": {"type": kind, "message": failure.message}}


class AnthropicStream:
    """Named SSE events; an error is Anthropic's ``error`` event, with no
    ``message_stop`` after it."""

    def __init__(self, encoder: EventEncoder) -> None:
        self._encoder = encoder

    def write(self, event: StreamEvent) -> bytes:
        return b"".join(_named(name, data) for name, data in self._encoder.encode(event))

    def end(self) -> bytes:
        return b""

    def error(self, failure: Failure) -> bytes:
        return _named("error", AnthropicWire().error(failure))


class ResponsesWire:
    """``POST /v1/responses``, answered at once: a gateway keeps no responses, so a
    request for a stored or background response is refused, saying so."""

    name = "responses"

    def __init__(self) -> None:
        self._protocol = ResponsesProtocol()

    def decode(self, body: Mapping[str, Any]) -> ChatRequest:
        for field in ("previous_response_id", "background", "conversation"):
            if body.get(field):
                raise InvalidRequestError(
                    f"{field!r} is not served: the gateway keeps no responses; send the "
                    "whole conversation in 'input'"
                )
        return self._protocol.decode_request(body)

    def answer(self, response: ChatResponse, *, model: str) -> dict[str, Any]:
        return answer_body(response, model=model, created=int(time.time()))

    def writer(self, body: Mapping[str, Any], *, model: str) -> StreamWriter:
        return ResponsesStream(ResponsesEncoder(model=model, created=int(time.time())))

    def error(self, failure: Failure) -> dict[str, Any]:
        return OpenAIWire().error(failure)


class ResponsesStream:
    """Named SSE events; an error is the format's ``error`` event, with no
    ``response.completed`` after it."""

    def __init__(self, encoder: ResponsesEncoder) -> None:
        self._encoder = encoder

    def write(self, event: StreamEvent) -> bytes:
        return b"".join(_named(name, data) for name, data in self._encoder.encode(event))

    def end(self) -> bytes:
        return b""

    def error(self, failure: Failure) -> bytes:
        kind, code = OPENAI_ERRORS[failure.kind]
        data = {"type": "error", "code": code or kind, "message": failure.message, "param": None}
        return _named("error", data)


def _named(name: str, data: dict[str, Any]) -> bytes:
    return b"event: " + name.encode() + b"\ndata: " + orjson.dumps(data) + b"\n\n"
