"""Error responses -> typed errors; the profile, the key, and the whole HTTP path."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from fluent_ai.http import HttpClient
from fluent_ai.http.eventstream import EventStreamError
from fluent_ai.providers.bedrock import BEDROCK, BedrockConverseProtocol, bedrock_profile
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

PROTOCOL = BedrockConverseProtocol()
KEY = "ABSKQmVkcm9ja0FQSUtleS1zZWNyZXQtMTIzNDU2Nzg5MA=="


def message(text: str = "something went wrong") -> bytes:
    return json.dumps({"message": text}).encode()


@pytest.mark.parametrize(
    ("status", "kind", "cls"),
    [
        (400, "ValidationException", InvalidRequestError),
        (400, "ConflictException", InvalidRequestError),
        (429, "ThrottlingException", RateLimitError),
        (400, "ServiceQuotaExceededException", RateLimitError),
        (403, "AccessDeniedException", PermissionDeniedError),
        (403, "UnrecognizedClientException", AuthenticationError),
        (403, "ExpiredTokenException", AuthenticationError),
        (404, "ResourceNotFoundException", NotFoundError),
        (429, "ModelNotReadyException", ProviderUnavailableError),
        (503, "ServiceUnavailableException", ProviderUnavailableError),
        (500, "InternalServerException", ProviderUnavailableError),
        (408, "ModelTimeoutException", TimeoutError),
    ],
)
def test_the_error_type_header_picks_the_class(
    status: int, kind: str, cls: type[ProviderError]
) -> None:
    header = f"{kind}:http://internal.amazon.com/coral/com.amazon.bedrock/"
    error = PROTOCOL.decode_error(status, {"X-Amzn-ErrorType": header}, message())
    assert type(error) is cls
    assert (error.provider, error.status, error.code) == ("bedrock", status, kind)
    assert str(error).startswith(f"[bedrock, HTTP {status}] {kind}: something went wrong")


def test_the_type_may_come_in_the_body() -> None:
    body = json.dumps({"__type": "com.amazon.coral#ThrottlingException", "message": "slow"})
    error = PROTOCOL.decode_error(400, {}, body.encode())
    assert isinstance(error, RateLimitError)
    assert error.code == "ThrottlingException"


def test_throttling_is_retryable_and_reads_retry_after() -> None:
    headers = {"x-amzn-errortype": "ThrottlingException", "Retry-After": "7"}
    error = PROTOCOL.decode_error(429, headers, message("Too many requests"))
    assert isinstance(error, RateLimitError)
    assert (error.retryable, error.retry_after) == (True, 7.0)
    assert PROTOCOL.decode_error(
        503, {"x-amzn-errortype": "ServiceUnavailableException"}, b""
    ).retryable
    assert not PROTOCOL.decode_error(
        400, {"x-amzn-errortype": "ValidationException"}, b""
    ).retryable


@pytest.mark.parametrize(
    "text",
    [
        "Input is too long for requested model.",
        "The model returned the following errors: prompt is too long: 210000 tokens > 200000",
        "The input exceeds the context window of this model",
    ],
)
def test_a_prompt_that_does_not_fit_is_context_length(text: str) -> None:
    error = PROTOCOL.decode_error(400, {"x-amzn-errortype": "ValidationException"}, message(text))
    assert isinstance(error, ContextLengthExceededError)
    assert isinstance(PROTOCOL.decode_error(400, {}, message(text)), ContextLengthExceededError)


def test_other_validation_errors_stay_invalid_requests() -> None:
    error = PROTOCOL.decode_error(400, {}, message("The provided model identifier is invalid."))
    assert type(error) is InvalidRequestError
    assert error.code is None


def test_a_model_error_takes_the_class_of_the_models_own_status() -> None:
    headers = {"x-amzn-errortype": "ModelErrorException"}
    body = {"message": "overloaded", "originalStatusCode": 529, "resourceName": "claude"}
    error = PROTOCOL.decode_error(424, headers, json.dumps(body).encode())
    assert type(error) is ProviderUnavailableError
    assert (error.status, error.code) == (424, "ModelErrorException")
    bare = PROTOCOL.decode_error(424, headers, message("the model failed"))
    assert type(bare) is ProviderError


def test_unknown_types_and_non_json_bodies_fall_back_to_the_status() -> None:
    error = PROTOCOL.decode_error(502, {"x-amzn-errortype": "NewException"}, b"<html>Bad</html>")
    assert type(error) is ProviderUnavailableError
    assert "NewException: <html>Bad</html>" in str(error)
    assert "empty body" in str(PROTOCOL.decode_error(500, {}, b""))


def test_the_key_never_shows_in_errors() -> None:
    error = PROTOCOL.decode_error(403, {}, message(f"bad header Authorization: Bearer {KEY}"))
    assert KEY not in str(error)
    assert KEY not in repr(error)


def test_profile_reads_the_region_and_sends_the_key_as_a_bearer_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert BEDROCK.name == "bedrock"
    assert BEDROCK.api_key_env == "AWS_BEARER_TOKEN_BEDROCK"
    assert BEDROCK.auth_headers(KEY) == {"authorization": f"Bearer {KEY}"}
    assert (
        bedrock_profile("eu-west-1").base_url == "https://bedrock-runtime.eu-west-1.amazonaws.com"
    )
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    assert bedrock_profile().base_url == "https://bedrock-runtime.us-east-1.amazonaws.com"
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    assert "ap-south-1" in bedrock_profile().base_url
    monkeypatch.setenv("AWS_REGION", "eu-central-1")
    assert "eu-central-1" in bedrock_profile().base_url


def test_a_missing_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_BEARER_TOKEN_BEDROCK", raising=False)
    with pytest.raises(MissingAPIKeyError, match="AWS_BEARER_TOKEN_BEDROCK"):
        HttpChatModel(BEDROCK, PROTOCOL)


class Recorder:
    """An httpx transport that answers every request with one canned response."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
        self.response = (status, body, headers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        status, body, headers = self.response
        return httpx.Response(status, json=body, headers=headers)


def model(recorder: Recorder) -> HttpChatModel:
    client = HttpClient(retry=None, transport=httpx.MockTransport(recorder))
    return HttpChatModel(bedrock_profile("us-west-2"), PROTOCOL, api_key=KEY, client=client)


REQUEST = ChatRequest(model="us.amazon.nova-micro-v1:0", messages=[Message.user("Hello!")])


async def test_a_call_goes_to_the_regional_endpoint_with_the_bearer_key() -> None:
    answer = {
        "output": {"message": {"role": "assistant", "content": [{"text": "Hi!"}]}},
        "stopReason": "end_turn",
        "usage": {"inputTokens": 7, "outputTokens": 3, "totalTokens": 10},
        "metrics": {"latencyMs": 268},
    }
    recorder = Recorder(200, answer, {})
    result = await model(recorder).complete(REQUEST)
    assert (result.text, result.provider, result.usage.input_tokens) == ("Hi!", "bedrock", 7)
    sent = recorder.requests[0]
    assert sent.url.raw_path == b"/model/us.amazon.nova-micro-v1%3A0/converse"
    assert sent.url.host == "bedrock-runtime.us-west-2.amazonaws.com"
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert json.loads(sent.content) == {
        "messages": [{"role": "user", "content": [{"text": "Hello!"}]}]
    }


async def test_an_error_response_raises_without_the_key() -> None:
    body = {"message": "The security token included in the request is invalid."}
    recorder = Recorder(403, body, {"x-amzn-errortype": "UnrecognizedClientException"})
    with pytest.raises(AuthenticationError, match="security token") as info:
        await model(recorder).complete(REQUEST)
    assert KEY not in str(info.value)
    assert KEY not in repr(info.value)


async def test_a_json_body_where_a_stream_belongs_is_a_typed_error() -> None:
    """A proxy that answers a stream with JSON: the framing check names the byte."""
    answer = {"output": {"message": {"role": "assistant", "content": [{"text": "Hi!"}]}}}
    recorder = Recorder(200, answer, {})
    with pytest.raises(EventStreamError, match="corrupt at byte 8") as info:
        [event async for event in model(recorder).stream(REQUEST)]
    assert (info.value.offset, info.value.provider) == (8, "bedrock")
    [sent] = recorder.requests
    assert sent.url.raw_path == b"/model/us.amazon.nova-micro-v1%3A0/converse-stream"
