"""Error bodies -> typed errors, and API keys never reach an error."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest

from fluent_ai.providers.openai import OpenAIChatProtocol, protocol_for
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
    TimeoutError,
)

OPENAI = OpenAIChatProtocol()


def openai_error(
    message: str, code: str | None = None, kind: str = "invalid_request_error"
) -> bytes:
    return json.dumps(
        {"error": {"message": message, "type": kind, "code": code, "param": None}}
    ).encode()


def decode(status: int, body: bytes, headers: dict[str, str] | None = None) -> ProviderError:
    return OPENAI.decode_error(status, headers or {}, body)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, InvalidRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (408, TimeoutError),
        (429, RateLimitError),
        (500, ProviderUnavailableError),
        (503, ProviderUnavailableError),
        (529, ProviderUnavailableError),
    ],
)
def test_status_picks_the_class(status: int, cls: type[FluentAIError]) -> None:
    error = decode(status, openai_error("nope", "some_code"))
    assert type(error) is cls
    assert (error.status, error.code, error.provider, error.message) == (
        status,
        "some_code",
        "openai",
        "nope",
    )


def test_context_length_by_code_and_by_message() -> None:
    by_code = decode(400, openai_error("too long", "context_length_exceeded"))
    assert isinstance(by_code, ContextLengthExceededError)
    deepseek = protocol_for("deepseek").decode_error(
        400,
        {},
        openai_error("This model's maximum context length is 65536 tokens. However, you requested"),
    )
    assert isinstance(deepseek, ContextLengthExceededError)
    assert deepseek.provider == "deepseek"


def test_content_policy() -> None:
    assert isinstance(decode(400, openai_error("x", "content_filter")), ContentFilteredError)
    flagged = openai_error(
        "Invalid prompt: your prompt was flagged as potentially violating our usage policy.",
        "invalid_prompt",
    )
    assert isinstance(decode(400, flagged), ContentFilteredError)


def test_rate_limit_retry_after_in_seconds_milliseconds_or_a_date() -> None:
    limited = openai_error("slow down", "rate_limit_exceeded", "requests")
    error = decode(429, limited, {"Retry-After": "7"})
    assert isinstance(error, RateLimitError)
    assert (error.retry_after, error.retryable) == (7.0, True)
    assert decode(429, limited, {"retry-after-ms": "1500"}).retry_after == 1.5  # type: ignore[attr-defined]
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    later = decode(429, limited, {"retry-after": when}).retry_after  # type: ignore[attr-defined]
    assert 25 < later <= 30
    assert decode(429, limited, {"retry-after": "soon"}).retry_after is None  # type: ignore[attr-defined]


def test_an_exhausted_quota_is_not_worth_retrying() -> None:
    error = decode(429, openai_error("You exceeded your current quota", "insufficient_quota"))
    assert isinstance(error, RateLimitError)
    assert error.retryable is False


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"error": {"code": 429, "message": "Provider returned error"}}, "Provider returned error"),
        ([{"error": {"code": 400, "message": "bad", "status": "INVALID_ARGUMENT"}}], "bad"),
        ({"error": "plain string"}, "plain string"),
        ({"detail": "Not authenticated"}, "Not authenticated"),
    ],
)
def test_vendor_envelopes(body: Any, message: str) -> None:
    assert decode(400, json.dumps(body).encode()).message == message


def test_a_body_that_is_not_json_is_quoted() -> None:
    error = decode(502, b"<html>Bad Gateway</html>")
    assert isinstance(error, ProviderUnavailableError)
    assert "Bad Gateway" in error.message
    assert decode(500, b"").message == "HTTP 500 with an empty body"


def test_the_key_never_reaches_the_error() -> None:
    key = "sk-proj-abcdefghijklmnopqrstuvwxyz012345"
    body = openai_error(f"Incorrect API key provided: {key}.", "invalid_api_key")
    error = decode(401, body)
    assert isinstance(error, AuthenticationError)
    for text in (str(error), repr(error), error.message, json.dumps(error.body)):
        assert key not in text
