"""Cohere error bodies -> typed errors, and API keys never reach an error."""

from __future__ import annotations

import json

import pytest

from fluent_ai.providers.cohere import COHERE, CohereProtocol
from fluent_ai.providers.remote import HttpChatModel
from fluent_ai.types import (
    AuthenticationError,
    ChatRequest,
    ConnectionError,
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

PROTOCOL = CohereProtocol()
KEY = "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7d"


def body(message: str) -> bytes:
    return json.dumps({"id": "9a6f", "message": message}).encode()


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, InvalidRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (422, InvalidRequestError),
        (429, RateLimitError),
        (498, AuthenticationError),
        (499, ConnectionError),
        (500, ProviderUnavailableError),
        (503, ProviderUnavailableError),
        (504, TimeoutError),
    ],
)
def test_the_status_picks_the_class(status: int, cls: type[ProviderError]) -> None:
    error = PROTOCOL.decode_error(status, {}, body("something went wrong"))
    assert type(error) is cls
    assert error.message == "something went wrong"
    assert error.provider == "cohere"
    assert error.status == status


def test_a_rate_limit_says_when_to_retry() -> None:
    message = "You are using a Trial key, which is limited to 10 API calls / minute."
    error = PROTOCOL.decode_error(429, {"retry-after": "30"}, body(message))
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 30.0


def test_a_prompt_too_long_for_the_model() -> None:
    message = "too many tokens: size limit exceeded by 1234 tokens. Try using shorter inputs."
    assert isinstance(PROTOCOL.decode_error(400, {}, body(message)), ContextLengthExceededError)


def test_plain_text_and_empty_bodies() -> None:
    assert PROTOCOL.decode_error(502, {}, b"Bad gateway").message == "Bad gateway"
    assert PROTOCOL.decode_error(500, {}, b"").message == "HTTP 500 with an empty body"


def test_the_key_never_reaches_the_error() -> None:
    error = PROTOCOL.decode_error(498, {}, body(f"invalid api token: Bearer {KEY}"))
    assert KEY not in str(error)
    assert KEY not in json.dumps(error.body)


def test_the_key_never_shows_in_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COHERE_API_KEY", KEY)
    assert KEY not in repr(HttpChatModel(COHERE, PROTOCOL))
    monkeypatch.delenv("COHERE_API_KEY")
    with pytest.raises(MissingAPIKeyError) as info:
        HttpChatModel(COHERE, PROTOCOL)
    assert "COHERE_API_KEY" in str(info.value)


def test_profile_sends_the_key_as_a_bearer_token_to_v2_chat() -> None:
    assert COHERE.auth_headers(KEY) == {"authorization": f"Bearer {KEY}"}
    request = ChatRequest(model="command-a-03-2025", messages=[Message.user("hi")])
    assert COHERE.base_url + PROTOCOL.path(request, stream=True) == "https://api.cohere.com/v2/chat"
