"""Gemini error bodies -> typed errors; the key never shows."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from fluent_ai.http import HttpClient
from fluent_ai.providers.google import GOOGLE, GeminiProtocol, vertex_profile
from fluent_ai.providers.remote import HttpChatModel
from fluent_ai.types import (
    AuthenticationError,
    ChatRequest,
    ContextLengthExceededError,
    InvalidRequestError,
    Message,
    MissingAPIKeyError,
    NotFoundError,
    PermissionDeniedError,
    ProviderError,
    ProviderUnavailableError,
    RateLimitError,
    TimeoutError,
)

PROTOCOL = GeminiProtocol()
KEY = "AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW"


def body(code: int, status: str, message: str = "something went wrong", **extra: Any) -> bytes:
    return json.dumps(
        {"error": {"code": code, "message": message, "status": status, **extra}}
    ).encode()


@pytest.mark.parametrize(
    ("code", "status", "cls"),
    [
        (400, "INVALID_ARGUMENT", InvalidRequestError),
        (400, "FAILED_PRECONDITION", InvalidRequestError),
        (401, "UNAUTHENTICATED", AuthenticationError),
        (403, "PERMISSION_DENIED", PermissionDeniedError),
        (404, "NOT_FOUND", NotFoundError),
        (429, "RESOURCE_EXHAUSTED", RateLimitError),
        (500, "INTERNAL", ProviderUnavailableError),
        (503, "UNAVAILABLE", ProviderUnavailableError),
        (504, "DEADLINE_EXCEEDED", TimeoutError),
    ],
)
def test_the_status_picks_the_class(code: int, status: str, cls: type[ProviderError]) -> None:
    error = PROTOCOL.decode_error(code, {}, body(code, status))
    assert type(error) is cls
    assert (error.provider, error.status, error.code) == ("google", code, status)
    assert "something went wrong" in str(error)


def test_an_unknown_status_falls_back_to_the_http_code() -> None:
    assert type(PROTOCOL.decode_error(409, {}, body(409, "ABORTED"))) is InvalidRequestError
    assert type(PROTOCOL.decode_error(502, {}, body(502, ""))) is ProviderUnavailableError


def test_a_bad_api_key_is_an_authentication_error() -> None:
    details = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID"}]
    error = PROTOCOL.decode_error(
        400, {}, body(400, "INVALID_ARGUMENT", "API key not valid.", details=details)
    )
    assert isinstance(error, AuthenticationError)


def test_a_prompt_over_the_window_is_a_context_error() -> None:
    message = (
        "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576)."
    )
    error = PROTOCOL.decode_error(400, {}, body(400, "INVALID_ARGUMENT", message))
    assert isinstance(error, ContextLengthExceededError)


def test_rate_limits_are_retryable_with_the_wait_from_header_or_retry_info() -> None:
    details = [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "37s"}]
    quota = body(429, "RESOURCE_EXHAUSTED", "Quota exceeded", details=details)
    from_detail = PROTOCOL.decode_error(429, {}, quota)
    assert isinstance(from_detail, RateLimitError)
    assert from_detail.retryable
    assert from_detail.retry_after == 37.0
    from_header = PROTOCOL.decode_error(429, {"Retry-After": "5"}, quota)
    assert isinstance(from_header, RateLimitError)
    assert from_header.retry_after == 5.0
    assert PROTOCOL.decode_error(503, {}, body(503, "UNAVAILABLE")).retryable


def test_bodies_that_are_not_google_errors() -> None:
    listed = json.dumps([json.loads(body(404, "NOT_FOUND"))]).encode()
    assert isinstance(PROTOCOL.decode_error(404, {}, listed), NotFoundError)
    html = PROTOCOL.decode_error(502, {}, b"<html>Bad Gateway</html>")
    assert isinstance(html, ProviderUnavailableError)
    assert "Bad Gateway" in str(html)
    assert "empty body" in str(PROTOCOL.decode_error(500, {}, b""))


def test_errors_name_the_endpoint_they_came_from() -> None:
    vertex = GeminiProtocol("google-vertex")
    assert vertex.decode_error(403, {}, body(403, "PERMISSION_DENIED")).provider == "google-vertex"


def test_the_key_never_shows_in_errors() -> None:
    error = PROTOCOL.decode_error(400, {}, body(400, "INVALID_ARGUMENT", f"bad key {KEY}"))
    assert KEY not in str(error)
    assert KEY not in repr(error)


async def test_the_key_never_shows_in_an_error_from_the_wire() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, content=body(400, "INVALID_ARGUMENT", f"key {KEY} is bad"))

    async with HttpClient(retry=None, transport=httpx.MockTransport(handler)) as client:
        model = HttpChatModel(GOOGLE, PROTOCOL, api_key=KEY, client=client)
        request = ChatRequest(model="gemini-2.5-flash", messages=[Message.user("hi")])
        with pytest.raises(InvalidRequestError) as info:
            await model.complete(request)
    assert KEY not in str(info.value)
    assert KEY not in repr(model)


def test_missing_credentials_name_their_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    with pytest.raises(MissingAPIKeyError, match="GEMINI_API_KEY"):
        HttpChatModel(GOOGLE, PROTOCOL)
    monkeypatch.delenv("GOOGLE_VERTEX_TOKEN", raising=False)
    with pytest.raises(MissingAPIKeyError, match="GOOGLE_VERTEX_TOKEN"):
        HttpChatModel(vertex_profile("p"), GeminiProtocol("google-vertex"))
