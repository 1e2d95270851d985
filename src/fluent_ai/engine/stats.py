"""Live traffic per deployment: moving averages for routing, samples for health reports.

Recording a call is O(1): two exponentially weighted moving averages (time to first
event and total time, what the latency strategy reads) and one sample appended to a
bounded ring. Error rates and percentiles are computed from the ring only when
``router.health()`` asks, so reporting costs nothing per request.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import NamedTuple

from fluent_ai.engine.health import CircuitState, Transition

ALPHA = 0.3
"""Weight of the newest latency in the moving averages: recent calls count most, and
one slow call moves the average by less than a third of the gap."""


class Sample(NamedTuple):
    at: float
    ok: bool
    first_event: float | None
    total: float | None


@dataclass(frozen=True, slots=True)
class Percentiles:
    """Latency percentiles in seconds over the successful calls counted."""

    p50: float
    p90: float
    p99: float


@dataclass(frozen=True, slots=True)
class DeploymentHealth:
    """One deployment's health, from its live traffic.

    ``status`` is what routing does with it now: ``"healthy"``, ``"cooling_down"``,
    ``"open"`` or ``"half_open"`` (its circuit). ``requests`` and ``errors`` count the
    calls in the stats window (errors are the failures that fail over: connection,
    timeout, 429, 5xx…; a client error is the request's fault, not the deployment's).
    """

    name: str
    model: str
    tags: tuple[str, ...]
    status: str
    circuit: CircuitState
    cooldown_left: float
    consecutive_failures: int
    in_flight: int
    requests: int
    errors: int
    error_rate: float
    first_event_avg: float | None
    total_avg: float | None
    first_event: Percentiles | None
    total: Percentiles | None
    last_error: str | None
    transitions: tuple[Transition, ...]


@dataclass(frozen=True, slots=True)
class RouterHealth:
    """Every deployment's health, in the router's order, and how many take traffic now."""

    strategy: str
    available: int
    deployments: tuple[DeploymentHealth, ...]

    def __getitem__(self, name: str) -> DeploymentHealth:
        for deployment in self.deployments:
            if deployment.name == name:
                return deployment
        raise KeyError(name)


class Traffic:
    """What one deployment's calls took and how they ended."""

    __slots__ = ("first_event_avg", "last_error", "samples", "total_avg")

    def __init__(self, size: int) -> None:
        self.samples: deque[Sample] = deque(maxlen=size)
        self.first_event_avg: float | None = None
        self.total_avg: float | None = None
        self.last_error: str | None = None

    def success(self, now: float, first_event: float | None, total: float) -> None:
        if first_event is not None:
            avg = self.first_event_avg
            self.first_event_avg = first_event if avg is None else avg + ALPHA * (first_event - avg)
        avg = self.total_avg
        self.total_avg = total if avg is None else avg + ALPHA * (total - avg)
        self.samples.append(Sample(now, True, first_event, total))

    def failure(self, now: float, error: str) -> None:
        self.last_error = error
        self.samples.append(Sample(now, False, None, None))

    def counted(self, now: float, window: float) -> list[Sample]:
        return [s for s in self.samples if s.at > now - window]


def percentiles(values: list[float]) -> Percentiles | None:
    """Nearest-rank percentiles, or ``None`` with no values."""
    if not values:
        return None
    ordered = sorted(values)
    last = len(ordered) - 1

    def rank(p: float) -> float:
        return ordered[min(last, max(0, math.ceil(p * len(ordered)) - 1))]

    return Percentiles(p50=rank(0.50), p90=rank(0.90), p99=rank(0.99))
