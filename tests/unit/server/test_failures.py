"""Each typed error a model raises, as the status and kind the gateway answers with."""

from __future__ import annotations

import pytest

from fluent_ai.engine.failover import NoDeploymentAvailableError
from fluent_ai.server.errors import failure_for
from fluent_ai.types import (
    AuthenticationError,
    BadResponseError,
    ConfigurationError,
    ConnectionError,
    ContentFilteredError,
    ContextLengthExceededError,
    FluentAIError,
    InvalidRequestError,
    MissingAPIKeyError,
    ModelNotFoundError,
    PermissionDeniedError,
    ProviderUnavailableError,
    RateLimitError,
    StreamInterruptedError,
    TimeoutError,
)


@pytest.mark.parametrize(
    ("error", "status", "kind"),
    [
        (InvalidRequestError("bad"), 400, "invalid_request"),
        (ContextLengthExceededError("long"), 400, "invalid_request"),
        (ContentFilteredError("no"), 400, "content_filter"),
        (ModelNotFoundError("gone", suggestions=["openai/gpt-4o"]), 404, "not_found"),
        (AuthenticationError("key"), 502, "upstream"),
        (PermissionDeniedError("key"), 502, "upstream"),
        (TimeoutError("slow"), 504, "timeout"),
        (ProviderUnavailableError("down"), 503, "overloaded"),
        (ConnectionError("reset"), 502, "upstream"),
        (BadResponseError("garbled"), 502, "upstream"),
        (StreamInterruptedError("cut"), 502, "upstream"),
        (MissingAPIKeyError("openai", "OPENAI_API_KEY"), 500, "internal"),
        (ConfigurationError("takes no top_k"), 400, "invalid_request"),
        (FluentAIError("other", status=418), 502, "upstream"),
    ],
)
def test_each_error_has_its_status(error: FluentAIError, status: int, kind: str) -> None:
    failure = failure_for(error)
    assert (failure.status, failure.kind) == (status, kind)
    assert failure.headers == {}


def test_an_upstream_key_refusal_is_not_the_caller_s_401() -> None:
    failure = failure_for(AuthenticationError("invalid x-api-key", provider="anthropic"))
    assert failure.message.startswith("the upstream refused the gateway's key")


def test_waits_become_whole_seconds_of_retry_after() -> None:
    assert failure_for(RateLimitError("slow down", retry_after=0.2)).headers == {"retry-after": "1"}
    busy = NoDeploymentAvailableError("every deployment is cooling down", retry_after=12.5)
    assert (failure_for(busy).status, failure_for(busy).headers) == (503, {"retry-after": "13"})
    assert failure_for(RateLimitError("slow down")).headers == {}


def test_a_bug_says_nothing_of_itself() -> None:
    failure = failure_for(KeyError("sk-secret-in-a-dict"))
    assert (failure.status, failure.kind) == (500, "internal")
    assert "sk-secret" not in failure.message
