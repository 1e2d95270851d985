"""Responses errors -> typed errors, over HTTP and inside an answer; keys never leak."""

from __future__ import annotations

import json
from typing import Any

import pytest

from fluent_ai.providers.responses import ResponsesProtocol, protocol_for
from fluent_ai.types import (
    AuthenticationError,
    ContentFilteredError,
    ContextLengthExceededError,
    FluentAIError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    ProviderError,
    ProviderUnavailableError,
    RateLimitError,
    StreamError,
    TimeoutError,
)

PROTOCOL = ResponsesProtocol()
KEY = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789"


def http_error(
    status: int, code: str | None = None, kind: str = "invalid_request_error", message: str = "no"
) -> ProviderError:
    body = {"error": {"message": message, "type": kind, "code": code, "param": None}}
    return PROTOCOL.decode_error(status, {}, json.dumps(body).encode())


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, InvalidRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (429, RateLimitError),
        (500, ProviderUnavailableError),
        (503, ProviderUnavailableError),
    ],
)
def test_http_status(status: int, error: type[ProviderError]) -> None:
    decoded = http_error(status)
    assert type(decoded) is error
    assert (decoded.status, decoded.provider) == (status, "openai")


def test_http_codes_refine_the_status() -> None:
    assert isinstance(http_error(400, "context_length_exceeded"), ContextLengthExceededError)
    assert http_error(429, "insufficient_quota").retryable is False


def test_retry_after_is_read() -> None:
    body = json.dumps({"error": {"message": "slow down", "code": "rate_limit_exceeded"}}).encode()
    error = PROTOCOL.decode_error(429, {"retry-after-ms": "1500"}, body)
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 1.5


def test_deepseek_error_served_as_bytes_of_any_type() -> None:
    detail = {"message": "No tool output found", "type": "invalid_request_error", "code": None}
    body = json.dumps({"error": detail}).encode()
    error = protocol_for("deepseek").decode_error(
        400, {"content-type": "application/octet-stream"}, body
    )
    assert isinstance(error, InvalidRequestError)
    assert error.provider == "deepseek"


def test_a_body_that_is_not_json() -> None:
    error = PROTOCOL.decode_error(502, {}, b"<html>Bad gateway</html>")
    assert isinstance(error, ProviderUnavailableError)
    assert "Bad gateway" in error.message


def failed(error: dict[str, Any]) -> FluentAIError:
    body = {"id": "resp_1", "status": "failed", "output": [], "error": error}
    events = PROTOCOL.decode_response(body)
    (stream_error,) = [event for event in events if isinstance(event, StreamError)]
    return stream_error.error


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("server_error", ProviderUnavailableError),
        ("rate_limit_exceeded", RateLimitError),
        ("vector_store_timeout", TimeoutError),
        ("invalid_prompt", InvalidRequestError),
        ("invalid_image_url", InvalidRequestError),
        ("image_too_large", InvalidRequestError),
        ("image_content_policy_violation", ContentFilteredError),
        ("context_length_exceeded", ContextLengthExceededError),
        ("something_new", ProviderError),
    ],
)
def test_failure_codes(code: str, error: type[FluentAIError]) -> None:
    decoded = failed({"code": code, "message": "it failed"})
    assert type(decoded) is error
    assert (decoded.provider, decoded.code, decoded.status) == ("openai", code, None)


def test_an_exhausted_quota_is_not_worth_retrying() -> None:
    decoded = failed({"code": "insufficient_quota", "message": "pay up"})
    assert isinstance(decoded, RateLimitError)
    assert decoded.retryable is False


def test_keys_never_reach_an_error() -> None:
    message = f"Incorrect API key provided: {KEY}"
    errors = [
        http_error(401, "invalid_api_key", message=message),
        failed({"code": "invalid_prompt", "message": message}),
    ]
    for error in errors:
        assert KEY not in str(error)
        assert KEY not in repr(error)
        assert KEY not in json.dumps(error.body)
