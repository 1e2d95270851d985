"""Mistral error bodies -> typed errors, and API keys never reach an error."""

from __future__ import annotations

import json

import pytest

from fluent_ai.providers.mistral import MISTRAL, MistralProtocol
from fluent_ai.providers.remote import HttpChatModel
from fluent_ai.types import (
    AuthenticationError,
    ChatRequest,
    ContextLengthExceededError,
    InvalidRequestError,
    Message,
    MissingAPIKeyError,
    NotFoundError,
    ProviderError,
    ProviderUnavailableError,
    RateLimitError,
)

PROTOCOL = MistralProtocol()
KEY = "Xy7Qm2LpR4tV9wZ1aB3cD5eF6gH8iJ0k"


def error_body(
    message: object, kind: str = "invalid_request_error", code: str | None = None
) -> bytes:
    return json.dumps(
        {"object": "error", "message": message, "type": kind, "param": None, "code": code}
    ).encode()


def test_the_common_error_object() -> None:
    body = error_body(
        "Unexpected role 'user' after role 'tool'", "invalid_request_message_order", "3230"
    )
    error = PROTOCOL.decode_error(400, {}, body)
    assert isinstance(error, InvalidRequestError)
    assert error.message == "Unexpected role 'user' after role 'tool'"
    assert error.code == "invalid_request_message_order"
    assert error.provider == "mistral"
    assert error.status == 400


def test_a_validation_detail_list_says_where() -> None:
    detail = [
        {
            "type": "extra_forbidden",
            "loc": ["body", "stream_options"],
            "msg": "Extra inputs are not permitted",
        },
        {
            "type": "string_type",
            "loc": ["body", "messages", 0, "content"],
            "msg": "Input should be a valid string",
        },
    ]
    error = PROTOCOL.decode_error(422, {}, json.dumps({"detail": detail}).encode())
    assert isinstance(error, InvalidRequestError)
    assert error.message == (
        "body.stream_options: Extra inputs are not permitted; "
        "body.messages.0.content: Input should be a valid string"
    )


def test_a_validation_detail_inside_the_error_object() -> None:
    nested = {
        "detail": [
            {"loc": ["body", "max_completion_tokens"], "msg": "Extra inputs are not permitted"}
        ]
    }
    error = PROTOCOL.decode_error(422, {}, error_body(nested))
    assert error.message == "body.max_completion_tokens: Extra inputs are not permitted"


@pytest.mark.parametrize(
    ("status", "payload", "cls"),
    [
        (401, {"detail": "Unauthorized"}, AuthenticationError),
        (401, {"message": "Unauthorized", "request_id": "933f"}, AuthenticationError),
        (404, {"detail": "Not Found"}, NotFoundError),
        (429, {"message": "Requests rate limit exceeded"}, RateLimitError),
        (500, {"message": "Internal server error"}, ProviderUnavailableError),
        (
            503,
            {"object": "error", "message": "Service unavailable", "type": "unavailable"},
            ProviderUnavailableError,
        ),
    ],
)
def test_the_status_picks_the_class(
    status: int, payload: dict[str, object], cls: type[ProviderError]
) -> None:
    error = PROTOCOL.decode_error(status, {}, json.dumps(payload).encode())
    assert type(error) is cls
    assert error.message


def test_a_rate_limit_says_when_to_retry() -> None:
    error = PROTOCOL.decode_error(
        429, {"Retry-After": "7"}, json.dumps({"message": "slow down"}).encode()
    )
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 7.0
    assert error.retryable


def test_a_prompt_too_long_for_the_model() -> None:
    message = (
        "Prompt contains 40000 tokens and 0 draft tokens, "
        "too large for model with 32768 maximum context length"
    )
    error = PROTOCOL.decode_error(400, {}, error_body(message, code="3051"))
    assert isinstance(error, ContextLengthExceededError)


def test_plain_text_and_empty_bodies() -> None:
    assert (
        PROTOCOL.decode_error(502, {}, b"<html>Bad gateway</html>").message
        == "<html>Bad gateway</html>"
    )
    assert PROTOCOL.decode_error(500, {}, b"").message == "HTTP 500 with an empty body"


def test_the_key_never_reaches_the_error() -> None:
    error = PROTOCOL.decode_error(
        401, {}, json.dumps({"message": f"Bearer {KEY} is not valid"}).encode()
    )
    assert KEY not in str(error)
    assert KEY not in json.dumps(error.body)


def test_the_key_never_shows_in_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MISTRAL_API_KEY", KEY)
    model = HttpChatModel(MISTRAL, PROTOCOL)
    assert KEY not in repr(model)
    monkeypatch.delenv("MISTRAL_API_KEY")
    with pytest.raises(MissingAPIKeyError) as info:
        HttpChatModel(MISTRAL, PROTOCOL)
    assert "MISTRAL_API_KEY" in str(info.value)


def test_profile_sends_the_key_as_a_bearer_token() -> None:
    assert MISTRAL.auth_headers(KEY) == {"authorization": f"Bearer {KEY}"}
    request = ChatRequest(model="mistral-large-latest", messages=[Message.user("hi")])
    url = MISTRAL.base_url + PROTOCOL.path(request, stream=False)
    assert url == "https://api.mistral.ai/v1/chat/completions"
