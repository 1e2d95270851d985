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
from datetime import UTC
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

MAX_RETRY_AFTER = 86_400.0
"""The longest wait a server hint is taken at, in seconds (a day). A longer one (a
header of ``1e300`` seconds, a date in the year 9999) says "not soon", which a day
says as well, and it keeps every ``retry_after`` a finite number a caller can sleep."""


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

    This is the one reading of the header: the retry policy and every provider's error
    mapping use it, so a ``RateLimitError.retry_after`` and the wait actually taken
    cannot disagree. Whatever the header holds, the answer is ``None`` or a finite
    number from 0 to :data:`MAX_RETRY_AFTER`; it never raises.

    ``retry-after-ms`` is read first because it is the more precise; ``Retry-After`` may
    hold seconds or an HTTP date (compared with ``now``, a Unix time, default the clock).
    Header names are matched in any case, for plain dicts as for ``httpx.Headers``.
    Negative waits and dates in the past count as zero, longer waits than a day as a
    day; ``nan``, ``inf`` and text that is neither a number nor a date give ``None``. A
    date's zone may be ``GMT``, ``+0000`` or ``-0000`` (which RFC 5322 reads as "zone
    unknown", and which HTTP, whose dates are always UTC, means as UTC).
    """
    millis = _number(_header(headers, "retry-after-ms"))
    if millis is not None:
        return retry_after_seconds(millis / 1000.0)
    value = _header(headers, "retry-after")
    if value is None:
        return None
    seconds = _number(value)
    if seconds is not None:
        return retry_after_seconds(seconds)
    return _date_wait(value, time.time() if now is None else now)


def retry_after_seconds(seconds: float) -> float | None:
    """A server's wait in seconds, from wherever it came, held to the header's rules.

    For hints outside the headers (Gemini's ``RetryInfo.retryDelay`` in an error body):
    ``None`` unless finite, and held between 0 and :data:`MAX_RETRY_AFTER`.
    """
    if not math.isfinite(seconds):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None and not isinstance(headers, httpx.Headers):
        value = next((v for k, v in headers.items() if k.lower() == name), None)
    return value if isinstance(value, str) else None


def _date_wait(value: str, now: float) -> float | None:
    try:
        when = parsedate_to_datetime(value)
        if when.tzinfo is None:  # "-0000": HTTP dates are UTC
            when = when.replace(tzinfo=UTC)
        wait = when.timestamp() - now
    except (TypeError, ValueError, OverflowError, IndexError):  # not a date, or out of range
        return None
    return retry_after_seconds(wait)


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    # float() accepts "nan" and "inf", which are not waits anyone can honour.
    return number if math.isfinite(number) else None
