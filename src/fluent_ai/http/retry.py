"""When to send a request again, and how long to wait first.

Waits grow exponentially with "full jitter" (a random wait between zero and the
exponential cap), which spreads out clients that failed together instead of having
them retry in lockstep. A server's own hint (``retry-after-ms``, then ``Retry-After``
in seconds or as an HTTP date) wins over the computed wait, as long as it is no longer
than ``max_retry_after``: beyond that the response is handed back at once, so the
caller sees the rate-limit error instead of a call that hangs for minutes.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

import httpx

from fluent_ai.types.errors import ConfigurationError

RETRYABLE_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504, 529})
"""Timeouts, conflicts, rate limits, server failures and Anthropic's "overloaded" (529)."""

RETRYABLE_EXCEPTIONS: tuple[type[httpx.HTTPError], ...] = (
    httpx.ConnectTimeout,
    httpx.ReadTimeout,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)
"""Failures to connect or to get an answer; ``RemoteProtocolError`` covers a kept-alive
connection that the server closed just as the request went out."""

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How many times to try one request and how long to wait in between.

    ``max_attempts`` counts the first try, so 3 means at most two retries. ``sleep`` is
    how a wait is done; tests pass one that returns at once.
    """

    max_attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 60.0
    jitter: bool = True
    sleep: Sleep = field(default=asyncio.sleep, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ConfigurationError(f"max_attempts must be at least 1, not {self.max_attempts}")
        if min(self.base_delay, self.max_delay, self.max_retry_after) < 0:
            raise ConfigurationError("retry delays must not be negative")

    def backoff(self, attempt: int) -> float:
        """The wait after failed attempt number ``attempt`` (1-based), without a server hint."""
        cap = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return random.uniform(0.0, cap) if self.jitter else cap

    def delay_after_response(self, response: httpx.Response, attempt: int) -> float | None:
        """Seconds to wait before retrying, or ``None`` to hand ``response`` back as it is."""
        if attempt >= self.max_attempts or not should_retry(response):
            return None
        hint = parse_retry_after(response.headers)
        if hint is None:
            return self.backoff(attempt)
        return hint if hint <= self.max_retry_after else None

    def delay_after_error(self, error: httpx.HTTPError, attempt: int) -> float | None:
        """Seconds to wait before retrying, or ``None`` when ``error`` should be raised."""
        if attempt >= self.max_attempts or not isinstance(error, RETRYABLE_EXCEPTIONS):
            return None
        return self.backoff(attempt)


DEFAULT_RETRY = RetryPolicy()
"""Three tries, waits of up to 0.5 s then 1 s, and server hints of up to a minute."""


def should_retry(response: httpx.Response) -> bool:
    """Whether the status says a later try may succeed.

    An ``x-should-retry`` header (sent by OpenAI and Anthropic) overrides the status
    either way, as the vendors' own SDKs let it.
    """
    verdict: str = response.headers.get("x-should-retry", "").strip().lower()
    if verdict in ("true", "false"):
        return verdict == "true"
    return response.status_code in RETRYABLE_STATUSES


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """The wait in seconds a server asked for, or ``None`` when it gave no usable hint.

    ``retry-after-ms`` is read first because it is the more precise; ``Retry-After`` may
    hold seconds or an HTTP date (compared with ``now``, a Unix time, default the clock).
    Negative waits and dates in the past count as zero.
    """
    millis = _number(headers.get("retry-after-ms"))
    if millis is not None:
        return max(millis / 1000.0, 0.0)
    value = headers.get("retry-after")
    if value is None:
        return None
    seconds = _number(value)
    if seconds is not None:
        return max(seconds, 0.0)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    # float() accepts "nan" and "inf", which are not waits anyone can honour.
    return number if math.isfinite(number) else None
