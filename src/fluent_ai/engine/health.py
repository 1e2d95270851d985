"""Keeping traffic away from a deployment that is failing: cooldowns and a circuit breaker.

Two mechanisms with two jobs, both fed by live traffic and both read on an injectable
clock, so their tests advance time by hand instead of sleeping:

* a **cooldown** answers bursts: ``allowed_failures`` failures within ``window``
  seconds take the deployment out for ``cooldown`` seconds, after which traffic returns
  in full. A 429 whose ``Retry-After`` the provider sent takes it out for that long at
  once: the vendor said when to come back.
* a **circuit breaker** answers lasting faults: ``breaker_failures`` failures in a row
  open it (no traffic); after ``open_for`` seconds it is half-open and lets through at
  most ``half_open_probes`` requests at a time; ``close_after`` successful probes close
  it, one failed probe opens it again. Rate limits (429) do not count here: a
  rate-limited deployment is busy, not broken, and the cooldown already spaces it out.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Literal

from fluent_ai.types import ConfigurationError

CircuitState = Literal["closed", "open", "half_open"]


@dataclass(frozen=True, slots=True)
class HealthPolicy:
    """When a deployment is taken out of traffic and how it comes back; seconds throughout.

    ``samples`` bounds the live-traffic record kept per deployment (for error rates and
    latency percentiles), ``stats_window`` the age of the samples counted.
    """

    allowed_failures: int = 3
    window: float = 60.0
    cooldown: float = 5.0
    breaker_failures: int = 5
    open_for: float = 30.0
    half_open_probes: int = 1
    close_after: int = 1
    samples: int = 256
    stats_window: float = 300.0

    def __post_init__(self) -> None:
        counts = ("allowed_failures", "breaker_failures", "half_open_probes", "close_after")
        for name in counts:
            if getattr(self, name) < 1:
                raise ConfigurationError(f"HealthPolicy.{name} must be at least 1")
        if self.samples < 1:
            raise ConfigurationError("HealthPolicy.samples must be at least 1")
        for name in ("window", "cooldown", "open_for", "stats_window"):
            if getattr(self, name) < 0:
                raise ConfigurationError(f"HealthPolicy.{name} must not be negative")


@dataclass(frozen=True, slots=True)
class Transition:
    """One change of a circuit's state, at ``at`` on the router's clock."""

    at: float
    before: CircuitState
    after: CircuitState
    reason: str


class Cooldown:
    """Out of traffic until ``until`` after too many failures in a window, or a Retry-After."""

    __slots__ = ("_failures", "_policy", "until")

    def __init__(self, policy: HealthPolicy) -> None:
        self._policy = policy
        self._failures: deque[float] = deque()
        self.until = 0.0

    def active(self, now: float) -> bool:
        return now < self.until

    def failure(self, now: float) -> None:
        failures = self._failures
        failures.append(now)
        while failures and failures[0] <= now - self._policy.window:
            failures.popleft()
        if len(failures) >= self._policy.allowed_failures:
            failures.clear()
            self.until = max(self.until, now + self._policy.cooldown)

    def retry_after(self, now: float, seconds: float) -> None:
        """The provider asked for ``seconds`` of quiet (a 429 with ``Retry-After``)."""
        self.until = max(self.until, now + seconds)


class CircuitBreaker:
    """closed → open → half-open (a few probes at a time) → closed, with every transition kept."""

    __slots__ = ("_policy", "failures", "opened_at", "probes", "state", "successes", "transitions")

    def __init__(self, policy: HealthPolicy) -> None:
        self._policy = policy
        self.state: CircuitState = "closed"
        self.failures = 0  # in a row, while closed
        self.opened_at = 0.0
        self.probes = 0  # in flight, while half-open
        self.successes = 0  # probes that answered, while half-open
        self.transitions: deque[Transition] = deque(maxlen=64)

    def refusal(self, now: float) -> str | None:
        """Why no request may go through now, or ``None`` when one may."""
        if self.state == "open":
            if now - self.opened_at < self._policy.open_for:
                return "circuit open"
            self._move(now, "half_open", f"open for {self._policy.open_for:g} s")
        if self.state == "half_open" and self.probes >= self._policy.half_open_probes:
            return "circuit half-open, probes in flight"
        return None

    def admit(self, now: float) -> bool:
        """Let one request through (call after :meth:`refusal` said yes); ``True`` for a probe."""
        if self.state == "half_open":
            self.probes += 1
            return True
        return False

    def success(self, now: float, probe: bool) -> None:
        if probe:
            self.probes -= 1
            if self.state == "half_open":
                self.successes += 1
                if self.successes >= self._policy.close_after:
                    self._move(now, "closed", f"{self.successes} probe(s) answered")
            return
        if self.state == "closed":
            self.failures = 0

    def failure(self, now: float, probe: bool, reason: str) -> None:
        if probe:
            self.probes -= 1
            if self.state == "half_open":
                self._move(now, "open", f"probe failed: {reason}")
            return
        if self.state == "closed":
            self.failures += 1
            if self.failures >= self._policy.breaker_failures:
                self._move(now, "open", f"{self.failures} failures in a row, last: {reason}")

    def release(self, probe: bool) -> None:
        """A request ended with no verdict (the caller stopped it, or a client error)."""
        if probe:
            self.probes -= 1

    def _move(self, now: float, state: CircuitState, reason: str) -> None:
        self.transitions.append(Transition(now, self.state, state, reason))
        self.state = state
        self.failures = 0
        self.successes = 0
        if state == "open":
            self.opened_at = now
