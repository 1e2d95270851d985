"""The order in which a call tries the deployments that can take it.

A strategy only orders; the router then tries each in turn, passing over those that
are cooling down, whose circuit is open or that are full, and failing over on errors.
Every sort is stable, so ties keep the order the deployments were given in:

* ``fallbacks``: the order given: the first is the primary, the rest its fallbacks;
* ``weighted``: a random order drawn by weight (weighted sampling without
  replacement: a deployment of weight 2 comes first twice as often as one of weight 1,
  and the others still follow as fallbacks);
* ``latency``: lowest moving average first: time to the first event for a stream,
  total time for a whole answer. A deployment with no measurement of the figure that
  counts goes first, so every one gets measured;
* ``cost``: lowest estimated price of this call first (registry prices, or the
  deployment's own, times the estimated prompt tokens and ``max_tokens``, else 500);
  unpriced deployments last;
* ``least-busy``: fewest calls in flight first.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Literal, get_args

from fluent_ai.engine.member import Member
from fluent_ai.engine.shape import Needs
from fluent_ai.types import ConfigurationError

Strategy = Literal["fallbacks", "weighted", "latency", "cost", "least-busy"]
STRATEGIES: tuple[str, ...] = get_args(Strategy)

Order = Callable[[Sequence[Member], Needs, bool, random.Random], list[Member]]


def _fallbacks(
    members: Sequence[Member], needs: Needs, stream: bool, rng: random.Random
) -> list[Member]:
    return list(members)


def _weighted(
    members: Sequence[Member], needs: Needs, stream: bool, rng: random.Random
) -> list[Member]:
    # Efraimidis–Spirakis: sorting by u ** (1 / w) draws without replacement by weight.
    def key(member: Member) -> float:
        weight = member.deployment.weight
        return rng.random() ** (1.0 / weight) if weight > 0 else -1.0

    return sorted(members, key=key, reverse=True)


def _latency(
    members: Sequence[Member], needs: Needs, stream: bool, rng: random.Random
) -> list[Member]:
    def key(member: Member) -> float:
        traffic = member.traffic
        value = traffic.first_event_avg if stream else traffic.total_avg
        return -math.inf if value is None else value

    return sorted(members, key=key)


def _cost(
    members: Sequence[Member], needs: Needs, stream: bool, rng: random.Random
) -> list[Member]:
    def key(member: Member) -> float:
        cost = member.cost(needs)
        return math.inf if cost is None else cost

    return sorted(members, key=key)


def _least_busy(
    members: Sequence[Member], needs: Needs, stream: bool, rng: random.Random
) -> list[Member]:
    return sorted(members, key=lambda member: member.in_flight)


ORDERS: dict[str, Order] = {
    "fallbacks": _fallbacks,
    "weighted": _weighted,
    "latency": _latency,
    "cost": _cost,
    "least-busy": _least_busy,
}


def order_for(strategy: str) -> Order:
    """The ordering function of a strategy name, or a clear error naming the valid ones."""
    found = ORDERS.get(strategy)
    if found is None:
        raise ConfigurationError(
            f"unknown routing strategy {strategy!r}; use one of {', '.join(STRATEGIES)}"
        )
    return found
