"""Ollama error bodies (``{"error": "..."}``) -> typed errors; keys never reach an error."""

from __future__ import annotations

import json

import pytest

from fluent_ai.providers.ollama import OLLAMA_NATIVE, OllamaProtocol
from fluent_ai.providers.remote import HttpChatModel
from fluent_ai.types import (
    AuthenticationError,
    ChatRequest,
    ContextLengthExceededError,
    InvalidRequestError,
    Message,
    NotFoundError,
    PermissionDeniedError,
    ProviderError,
    ProviderUnavailableError,
    RateLimitError,
    TimeoutError,
)

PROTOCOL = OllamaProtocol()
KEY = "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7d"


def body(message: str) -> bytes:
    return json.dumps({"error": message}).encode()


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, InvalidRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (429, RateLimitError),
        (500, ProviderUnavailableError),
        (502, ProviderUnavailableError),
        (504, TimeoutError),
    ],
)
def test_status_picks_the_error(status: int, cls: type[ProviderError]) -> None:
    error = PROTOCOL.decode_error(status, {}, body("something failed"))
    assert type(error) is cls
    assert (error.status, error.provider) == (status, "ollama-native")
    assert "something failed" in error.message
    assert error.body == {"error": "something failed"}


def test_a_missing_model_says_how_to_pull_it() -> None:
    error = PROTOCOL.decode_error(404, {}, body('model "llama3.2" not found, try pulling it first'))
    assert isinstance(error, NotFoundError)
    assert 'run "ollama pull llama3.2"' in error.message
    quoted = PROTOCOL.decode_error(404, {}, body("model 'qwen3:8b' not found"))
    assert 'ollama pull qwen3:8b"' in quoted.message


def test_a_404_without_a_model_points_at_the_base_url() -> None:
    error = PROTOCOL.decode_error(404, {"content-type": "text/plain"}, b"404 page not found")
    assert isinstance(error, NotFoundError)
    assert "404 page not found" in error.message
    assert "http://localhost:11434" in error.message
    assert error.body == "404 page not found"


def test_a_model_without_tool_support_is_an_invalid_request() -> None:
    message = "registry.ollama.ai/library/gemma:2b does not support tools"
    error = PROTOCOL.decode_error(400, {}, body(message))
    assert isinstance(error, InvalidRequestError)
    assert error.message == message


def test_a_prompt_longer_than_the_context_is_a_context_length_error() -> None:
    error = PROTOCOL.decode_error(400, {}, body("the input length exceeds the context length"))
    assert isinstance(error, ContextLengthExceededError)


def test_retry_after_is_read_and_empty_or_odd_bodies_still_say_something() -> None:
    limited = PROTOCOL.decode_error(429, {"Retry-After": "7"}, body("too many requests"))
    assert isinstance(limited, RateLimitError)
    assert limited.retry_after == 7
    assert PROTOCOL.decode_error(500, {}, b"").message == "HTTP 500 with an empty body"
    assert PROTOCOL.decode_error(502, {}, b"<html>Bad Gateway</html>").message == (
        "<html>Bad Gateway</html>"
    )


def test_the_key_never_reaches_the_error() -> None:
    error = PROTOCOL.decode_error(401, {}, body(f"unauthorized: Bearer {KEY}"))
    assert KEY not in str(error)
    assert KEY not in json.dumps(error.body)


def test_no_key_is_needed_and_one_given_goes_as_a_bearer_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OLLAMA_NATIVE_BASE_URL", raising=False)
    model = HttpChatModel(OLLAMA_NATIVE, PROTOCOL)
    assert model.base_url == "http://localhost:11434"
    keyed = HttpChatModel(OLLAMA_NATIVE, PROTOCOL, api_key=KEY, base_url="https://ollama.com")
    assert KEY not in repr(keyed)
    assert OLLAMA_NATIVE.auth_headers(KEY) == {"authorization": f"Bearer {KEY}"}
    assert OLLAMA_NATIVE.auth_headers(None) == {}
    request = ChatRequest(model="llama3.2", messages=[Message.user("hi")])
    url = OLLAMA_NATIVE.base_url + PROTOCOL.path(request, stream=True)
    assert url == "http://localhost:11434/api/chat"
    assert OLLAMA_NATIVE.base_url_env == "OLLAMA_NATIVE_BASE_URL"
