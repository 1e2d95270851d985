"""RetryPolicy and the Retry-After parsing it relies on, without a network."""

from __future__ import annotations

from email.utils import formatdate

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fluent_ai.http import RetryPolicy, parse_retry_after, should_retry
from fluent_ai.types.errors import ConfigurationError

NOW = 1_700_000_000.0


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"retry-after": "7"}, 7.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after": "-3"}, 0.0),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "20", "retry-after": "9"}, 0.02),
        ({"retry-after-ms": "soon", "retry-after": "9"}, 9.0),
        ({"retry-after": formatdate(NOW + 42, usegmt=True)}, 42.0),
        ({"retry-after": formatdate(NOW - 42, usegmt=True)}, 0.0),
        ({"retry-after": "nan"}, None),
        ({"retry-after": "inf"}, None),
        ({"retry-after": "whenever you like"}, None),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    assert parse_retry_after(httpx.Headers(headers), now=NOW) == expected


@given(attempt=st.integers(1, 40))
def test_backoff_with_jitter_stays_between_zero_and_the_capped_exponential(attempt: int) -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=30.0)
    cap = min(30.0, 0.5 * 2 ** (attempt - 1))
    assert 0.0 <= policy.backoff(attempt) <= cap


def test_backoff_without_jitter_doubles_up_to_max_delay() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=3.0, jitter=False)
    assert [policy.backoff(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]


@pytest.mark.parametrize(
    ("status", "headers", "retry"),
    [
        (408, {}, True),
        (409, {}, True),
        (429, {}, True),
        (500, {}, True),
        (529, {}, True),
        (200, {}, False),
        (400, {}, False),
        (501, {}, False),
        (400, {"x-should-retry": "true"}, True),
        (503, {"x-should-retry": "false"}, False),
    ],
)
def test_should_retry(status: int, headers: dict[str, str], retry: bool) -> None:
    assert should_retry(httpx.Response(status, headers=headers)) is retry


def test_delay_after_response_gives_up_on_the_last_attempt() -> None:
    policy = RetryPolicy(max_attempts=2, jitter=False)
    response = httpx.Response(500)
    assert policy.delay_after_response(response, 1) == 0.5
    assert policy.delay_after_response(response, 2) is None


def test_delay_after_error_only_for_transport_failures() -> None:
    policy = RetryPolicy(jitter=False)
    request = httpx.Request("GET", "http://example.test/")
    assert policy.delay_after_error(httpx.ConnectError("refused", request=request), 1) == 0.5
    assert policy.delay_after_error(httpx.ReadTimeout("slow", request=request), 1) == 0.5
    assert policy.delay_after_error(httpx.UnsupportedProtocol("ftp", request=request), 1) is None


@pytest.mark.parametrize(
    "options", [{"max_attempts": 0}, {"base_delay": -1.0}, {"max_retry_after": -0.1}]
)
def test_nonsense_settings_are_refused(options: dict[str, float]) -> None:
    with pytest.raises(ConfigurationError):
        RetryPolicy(**options)  # type: ignore[arg-type]
