"""A deployment's rate limits (requests and tokens a minute) and the wake-up for waiters.

Providers meter each key by requests per minute (rpm) and tokens per minute (tpm); a
deployment that knows its quota stays under it instead of provoking 429s. Each limit
is a token bucket: full at the start, refilled continuously at ``limit / 60`` a
second, never above ``limit``. A call takes one request and its estimated tokens
before it is sent (the prompt's estimate, :func:`~fluent_ai.engine.shape.needs`, plus
``max_tokens`` or :data:`DEFAULT_OUTPUT_TOKENS`); when it answers, the bucket is
corrected by the difference between the usage the provider reported and the estimate,
so a long answer leaves the bucket in debt and a short one gives tokens back. A call
estimated above the whole tpm limit takes the whole bucket, so it can still go when
the bucket is full. A failed or cancelled call keeps its estimate: the provider may
have counted it.

Everything reads the router's clock, passed in, so tests move time by hand. The
bucket's ``wait`` is the exact time until it can pay, which is how long a call waiting
for capacity sleeps (:mod:`fluent_ai.engine.plan`); a call freed by another call
ending is woken through :class:`Signal` instead, not by polling.
"""

from __future__ import annotations

import asyncio

from fluent_ai.engine.shape import Needs
from fluent_ai.types import ConfigurationError, Usage

DEFAULT_OUTPUT_TOKENS = 500
"""The answer length assumed for a request that sets no ``max_tokens`` (cost, tpm)."""


class Busy(str):
    """A reason that passes a deployment over for lack of capacity (calls in flight,
    rpm or tpm): a call passed over for these alone may wait for capacity, where a
    health reason (a cooldown, an open circuit) sends it elsewhere. A type, not a
    wording, so that no rephrased message can change which is which."""

    __slots__ = ()


SLACK = 1e-9
"""Float slack: a bucket refilled for exactly its computed wait can pay."""


def estimate(needs: Needs) -> int:
    """The tokens a call is expected to use: the prompt and the longest answer it allows."""
    return needs.input_tokens + (needs.output_tokens or DEFAULT_OUTPUT_TOKENS)


class TokenBucket:
    """``limit`` units a minute, refilled continuously; the level may go below zero (debt).

    Written for the hot path (every routed call of a limited deployment): plain
    comparisons instead of ``min``, one refill per instant.
    """

    __slots__ = ("level", "limit", "rate", "stamp")

    def __init__(self, limit: int) -> None:
        self.limit = float(limit)
        self.rate = limit / 60.0
        self.level = self.limit
        self.stamp = float("-inf")

    def refill(self, now: float) -> float:
        if now > self.stamp:
            level = self.level + (now - self.stamp) * self.rate
            self.level = level if level < self.limit else self.limit
            self.stamp = now
        return self.level

    def short(self, now: float, amount: float) -> float:
        """How much ``amount`` (at most the limit) exceeds the level; <= 0 when it can pay."""
        limit = self.limit
        return (amount if amount < limit else limit) - self.refill(now)

    def wait(self, now: float, amount: float) -> float:
        """Seconds until ``amount`` (at most the limit) can be paid; 0 when it can now."""
        short = self.short(now, amount)
        return 0.0 if short <= SLACK else short / self.rate

    def take(self, now: float, amount: float) -> None:
        limit = self.limit
        self.refill(now)
        self.level -= amount if amount < limit else limit

    def give(self, now: float, amount: float) -> None:
        """Add ``amount`` back (negative: charge more), never above the limit."""
        level = self.refill(now) + amount
        self.level = level if level < self.limit else self.limit


class Limits:
    """One deployment's rpm and tpm buckets (either may be absent)."""

    __slots__ = ("rpm", "tpm")

    def __init__(self, rpm: int | None, tpm: int | None) -> None:
        self.rpm = TokenBucket(rpm) if rpm is not None else None
        self.tpm = TokenBucket(tpm) if tpm is not None else None

    @classmethod
    def of(cls, rpm: int | None, tpm: int | None) -> Limits | None:
        return cls(rpm, tpm) if rpm is not None or tpm is not None else None

    def refusal(self, now: float, needs: Needs | None) -> str | None:
        """Why the call must wait for its limits, or ``None`` when it may go now."""
        rpm, tpm = self.rpm, self.tpm
        if rpm is not None and rpm.short(now, 1.0) > SLACK:
            return Busy(f"rpm limit: {rpm.limit:g} requests a minute reached")
        if tpm is not None and needs is not None:
            tokens = needs.input_tokens + (needs.output_tokens or DEFAULT_OUTPUT_TOKENS)
            if tpm.short(now, tokens) > SLACK:
                return Busy(
                    f"tpm limit: {tpm.limit:g} tokens a minute reached "
                    f"(this call needs about {tokens})"
                )
        return None

    def wait(self, now: float, needs: Needs) -> float:
        """Seconds until both buckets can pay for the call."""
        wait = self.rpm.wait(now, 1.0) if self.rpm is not None else 0.0
        if self.tpm is not None:
            wait = max(wait, self.tpm.wait(now, estimate(needs)))
        return wait

    def take(self, now: float, needs: Needs | None) -> None:
        if self.rpm is not None:
            self.rpm.take(now, 1.0)
        if self.tpm is not None and needs is not None:
            self.tpm.take(now, needs.input_tokens + (needs.output_tokens or DEFAULT_OUTPUT_TOKENS))

    def settle(self, now: float, needs: Needs | None, usage: Usage | None) -> bool:
        """Correct the tpm bucket by the tokens used; ``True`` when tokens came back."""
        tpm = self.tpm
        if tpm is None or needs is None or usage is None:
            return False
        used = usage.input_tokens + usage.output_tokens
        if not used:
            return False  # the provider reported no usage: the estimate stands
        taken = needs.input_tokens + (needs.output_tokens or DEFAULT_OUTPUT_TOKENS)
        back = (taken if taken < tpm.limit else tpm.limit) - used
        tpm.give(now, back)
        return back > 0


def check_limit(name: str, field: str, value: int | None) -> None:
    """A limit is a whole number of at least one, or ``None``."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ConfigurationError(
            f"deployment {name!r}: {field} must be a whole number of at least 1, not {value!r}"
        )


class Signal:
    """Wakes every call waiting for capacity when some comes free (a call ended, tokens
    came back), like a condition's ``notify_all`` without its lock.

    ``fired`` counts the wake-ups, so a waiter that looked at the deployments before one
    came free sees it did and looks again instead of sleeping. Firing with no waiter
    costs an increment and a test.
    """

    __slots__ = ("_event", "fired")

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None
        self.fired = 0

    def fire(self) -> None:
        self.fired += 1
        event = self._event
        if event is not None:
            self._event = None
            event.set()

    def event(self) -> asyncio.Event:
        """The event the next :meth:`fire` sets."""
        if self._event is None:
            self._event = asyncio.Event()
        return self._event
