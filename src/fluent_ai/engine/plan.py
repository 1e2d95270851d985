"""Which deployments one call may try, in which order, and when to go round again.

The router's part that decides, apart from the part that sends: the tags select a
group (worked out once per set of tags), the request rules out the deployments it
cannot fit, the strategy orders the rest, and each is handed out in turn unless it is
cooling down, has its circuit open or is full. When a round ends without an answer and
waiting may help, the next round starts after the soonest cooldown (or a backoff). A
deployment at its limits is waited for within the round (:mod:`fluent_ai.engine.capacity`)
when no other answered. With an intent router, a call that names no tags goes to the
group its intent decides (:mod:`fluent_ai.engine.intent_pick`).
"""

from __future__ import annotations

import random
from collections.abc import AsyncGenerator, Callable, Sequence
from typing import TYPE_CHECKING

from fluent_ai.engine.capacity import Capacity
from fluent_ai.engine.intent_pick import by_intent
from fluent_ai.engine.limits import Busy
from fluent_ai.engine.member import Member
from fluent_ai.engine.shape import without_tags
from fluent_ai.engine.strategies import Order
from fluent_ai.engine.trip import Trip
from fluent_ai.http import RetryPolicy
from fluent_ai.types import ChatRequest, ConfigurationError, FluentAIError

if TYPE_CHECKING:
    from fluent_ai.engine.intent import IntentRouter
    from fluent_ai.engine.route import Intent


class Plan:
    """The deployments of one router, and how a call goes through them."""

    def __init__(
        self,
        members: tuple[Member, ...],
        order: Order,
        retry: RetryPolicy | None,
        clock: Callable[[], float],
        rng: random.Random,
        intents: IntentRouter | None = None,
        *,
        capacity: Capacity,
    ) -> None:
        self.members = members
        self.intents = intents
        self.capacity = capacity
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

    async def choose(
        self, request: ChatRequest, tags: Sequence[str] | None
    ) -> tuple[ChatRequest, tuple[Member, ...], Intent | None]:
        """:meth:`select`, with the intent router choosing the group of a call that
        names no tags; the third value is its decision (``None`` when it made none)."""
        if self.intents is None or tags is not None:
            return (*self.select(request, tags), None)
        return await by_intent(self, self.intents, request)

    async def aclose(self) -> None:
        """Close the intent router, which releases only an embedder it loaded itself
        (and loads it again if used again)."""
        if self.intents is not None:
            await self.intents.aclose()

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
        retry, needs, capacity = self._retry, trip.needs, self.capacity
        rounds = retry.max_attempts if retry is not None else 1
        since: float | None = None  # when this call began to wait for capacity
        for round_ in range(1, rounds + 1):
            waiting = False
            walk = self._order(fit, needs, stream, self._rng)
            while walk:
                seen, limited = capacity.freed.fired, []
                for member in walk:
                    now = clock()
                    reason = trip.too_small(member)
                    if reason is None:
                        if member.shared is None:
                            reason = member.refusal(now, needs)
                            if reason is None:
                                yield member, member.begin(now, needs)
                                continue
                        else:
                            reason, probe = await member.shared.admit(member, now, needs)
                            if reason is None:
                                yield member, probe
                                continue
                        waiting = True
                        if isinstance(reason, Busy):
                            limited.append(member)
                    trip.skip(member, reason)
                if not limited or not capacity.wait:
                    break
                since = clock() if since is None else since
                walk = await capacity.waited(limited, needs, seen, since)
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

    def exhausted(self, group: tuple[Member, ...], trip: Trip) -> FluentAIError:
        """The error to raise when no deployment answered the call."""
        return self.capacity.error(group, trip) or trip.exhausted(self.ready_in(group, trip))

    def ready_in(self, group: tuple[Member, ...], trip: Trip) -> float | None:
        """Seconds until the first of ``group`` may take the call (0: now), if any may."""
        now = self._clock()
        waits = [
            m.ready_in(now) for m in group if m.unfit(trip.needs) is None and not trip.too_small(m)
        ]
        return min(waits) if waits else None
