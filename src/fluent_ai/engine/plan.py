"""Which deployments one call may try, in which order, and when to go round again.

The router's part that decides, apart from the part that sends: the tags select a
group (worked out once per set of tags), the request rules out the deployments it
cannot fit, the strategy orders the rest, and each is handed out in turn unless it is
cooling down, has its circuit open or is full. When a round ends without an answer and
waiting may help, the next round starts after the soonest cooldown (or a backoff).
"""

from __future__ import annotations

import random
from collections.abc import AsyncGenerator, Callable, Sequence

from fluent_ai.engine.member import Member
from fluent_ai.engine.shape import without_tags
from fluent_ai.engine.strategies import Order
from fluent_ai.engine.trip import Trip
from fluent_ai.http import RetryPolicy
from fluent_ai.types import ChatRequest, ConfigurationError


class Plan:
    """The deployments of one router, and how a call goes through them."""

    def __init__(
        self,
        members: tuple[Member, ...],
        order: Order,
        retry: RetryPolicy | None,
        clock: Callable[[], float],
        rng: random.Random,
    ) -> None:
        self.members = members
        self._order = order
        self._retry = retry
        self._clock = clock
        self._rng = rng
        self._groups: dict[frozenset[str], tuple[Member, ...]] = {frozenset(): members}

    def select(
        self, request: ChatRequest, tags: Sequence[str] | None
    ) -> tuple[ChatRequest, tuple[Member, ...]]:
        """The request without routing metadata, and the deployments its tags select."""
        request, named = without_tags(request)
        key = frozenset(tags if tags is not None else named)
        group = self._groups.get(key)
        if group is None:
            group = tuple(m for m in self.members if key <= m.tags)
            if not group:
                known = sorted({t for m in self.members for t in m.tags})
                raise ConfigurationError(
                    f"no deployment has every tag of {sorted(key)}; "
                    f"the tags in use are {', '.join(known) or 'none'}"
                )
            self._groups[key] = group
        return request, group

    async def admitted(
        self, group: tuple[Member, ...], trip: Trip, *, stream: bool
    ) -> AsyncGenerator[tuple[Member, bool], None]:
        """Each deployment to try in turn, counted in flight (``True``: a circuit's probe)."""
        clock = self._clock
        fit: list[Member] = []
        for member in group:
            reason = member.unfit(trip.needs)
            if reason is None:
                fit.append(member)
            else:
                trip.skip(member, reason)
        retry = self._retry
        rounds = retry.max_attempts if retry is not None else 1
        for round_ in range(1, rounds + 1):
            waiting = False
            for member in self._order(fit, trip.needs, stream, self._rng):
                now = clock()
                small = trip.too_small(member)
                reason = small or member.refusal(now)
                if reason is not None:
                    waiting = waiting or small is None
                    trip.skip(member, reason)
                    continue
                yield member, member.begin(now)
            if retry is None or round_ == rounds or not (waiting or trip.retryable):
                return
            delay = self._delay(retry, fit, trip, round_)
            if delay is None:
                return
            await retry.sleep(delay)

    def _delay(
        self, retry: RetryPolicy, fit: list[Member], trip: Trip, round_: int
    ) -> float | None:
        """How long to wait before the next round, or ``None`` if it is not worth it."""
        ready = self.ready_in(tuple(fit), trip)
        if ready is None:
            return None
        if ready > 0:
            return ready if ready <= retry.max_retry_after else None
        return retry.backoff(round_)

    def ready_in(self, group: tuple[Member, ...], trip: Trip) -> float | None:
        """Seconds until the first of ``group`` may take the call (0: now), if any may."""
        now = self._clock()
        waits = [
            m.ready_in(now) for m in group if m.unfit(trip.needs) is None and not trip.too_small(m)
        ]
        return min(waits) if waits else None
