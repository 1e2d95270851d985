"""Error bodies -> typed errors; the API key never shows."""

from __future__ import annotations

import json

import pytest

from fluent_ai.providers.anthropic import ANTHROPIC, AnthropicProtocol
from fluent_ai.providers.remote import HttpChatModel
from fluent_ai.types import (
    AuthenticationError,
    ContextLengthExceededError,
    FluentAIError,
    InvalidRequestError,
    MissingAPIKeyError,
    NotFoundError,
    PermissionDeniedError,
    ProviderError,
    ProviderUnavailableError,
    RateLimitError,
    TimeoutError,
)

PROTOCOL = AnthropicProtocol()
KEY = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789"


def body(kind: str, message: str = "something went wrong") -> bytes:
    payload = {"type": "error", "error": {"type": kind, "message": message}, "request_id": "r"}
    return json.dumps(payload).encode()


@pytest.mark.parametrize(
    ("status", "kind", "cls"),
    [
        (400, "invalid_request_error", InvalidRequestError),
        (413, "request_too_large", InvalidRequestError),
        (401, "authentication_error", AuthenticationError),
        (403, "permission_error", PermissionDeniedError),
        (402, "billing_error", PermissionDeniedError),
        (404, "not_found_error", NotFoundError),
        (429, "rate_limit_error", RateLimitError),
        (504, "timeout_error", TimeoutError),
        (500, "api_error", ProviderUnavailableError),
        (529, "overloaded_error", ProviderUnavailableError),
    ],
)
def test_error_type_picks_the_class(status: int, kind: str, cls: type[ProviderError]) -> None:
    error = PROTOCOL.decode_error(status, {}, body(kind))
    assert type(error) is cls
    assert (error.provider, error.status, error.code) == ("anthropic", status, kind)
    assert "something went wrong" in str(error)


def test_overloaded_and_rate_limits_are_retryable() -> None:
    assert PROTOCOL.decode_error(529, {}, body("overloaded_error")).retryable
    limited = PROTOCOL.decode_error(429, {"Retry-After": "19"}, body("rate_limit_error"))
    assert isinstance(limited, RateLimitError)
    assert limited.retryable
    assert limited.retry_after == 19.0
    assert not PROTOCOL.decode_error(400, {}, body("invalid_request_error")).retryable


@pytest.mark.parametrize(
    "message",
    [
        "prompt is too long: 208310 tokens > 200000 maximum",
        "input length and `max_tokens` exceed context limit: 188240 + 21333 > 200000",
    ],
)
def test_a_prompt_that_does_not_fit_is_context_length(message: str) -> None:
    error = PROTOCOL.decode_error(400, {}, body("invalid_request_error", message))
    assert isinstance(error, ContextLengthExceededError)


def test_unknown_types_and_non_json_bodies_fall_back_to_the_status() -> None:
    assert isinstance(PROTOCOL.decode_error(409, {}, body("conflict_error")), InvalidRequestError)
    error = PROTOCOL.decode_error(502, {}, b"<html>Bad Gateway</html>")
    assert isinstance(error, ProviderUnavailableError)
    assert "Bad Gateway" in str(error)
    assert "empty body" in str(PROTOCOL.decode_error(503, {}, b""))


def test_the_key_never_shows_in_errors() -> None:
    message = f"invalid x-api-key: {KEY}"
    error = PROTOCOL.decode_error(401, {}, body("authentication_error", message))
    assert KEY not in str(error)
    assert KEY not in repr(error)


def test_the_key_never_shows_in_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    model = HttpChatModel(ANTHROPIC, PROTOCOL)
    assert KEY not in repr(model)
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    with pytest.raises(MissingAPIKeyError, match="ANTHROPIC_API_KEY") as info:
        HttpChatModel(ANTHROPIC, PROTOCOL)
    assert isinstance(info.value, FluentAIError)


def test_profile_sends_the_key_as_x_api_key_with_the_version() -> None:
    assert ANTHROPIC.name == "anthropic"
    assert ANTHROPIC.base_url == "https://api.anthropic.com"
    assert ANTHROPIC.auth_headers(KEY) == {"anthropic-version": "2023-06-01", "x-api-key": KEY}
