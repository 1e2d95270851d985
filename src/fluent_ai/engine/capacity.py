"""Waiting for a deployment at its limits, and the error when the wait runs out.

A deployment at a limit (``max_in_flight`` calls in flight, its rpm or tpm bucket
empty) is passed over in favour of one with room. When a walk over the deployments
ends with no answer and some were passed over for lack of capacity alone, the call
waits for them, at most ``wait`` seconds in all (``Router(wait_for_capacity=...)``):

* until a call ends or gives tokens back (a :class:`~fluent_ai.engine.limits.Signal`,
  fired by the deployment in process or by a message from Redis when the state is
  shared), which frees a full deployment;
* or until the exact time the first bucket can pay for the call (``sleep``: the
  router's, ``asyncio.sleep`` unless a test moves a clock);

and then walks those deployments again. When the wait runs out the call goes on as if
they had been skipped: to the next round over every deployment, if the router's
``retry`` allows one, and in the end to :class:`~fluent_ai.engine.failover.
LimitsReachedError`, which names each limit that was full and how to raise it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from fluent_ai.engine.failover import LimitsReachedError
from fluent_ai.engine.health import HealthPolicy
from fluent_ai.engine.limits import Busy, Signal
from fluent_ai.engine.member import Member
from fluent_ai.engine.route import attach
from fluent_ai.engine.shape import Needs
from fluent_ai.engine.state_redis import RedisState
from fluent_ai.engine.trip import Trip
from fluent_ai.types import ConfigurationError

WAIT_FOR_CAPACITY = 5.0
"""Seconds a call waits in all for a deployment at its limits (``Router`` default)."""

Sleep = Callable[[float], Awaitable[None]]


class Capacity:
    """How calls of one router wait for capacity, and the state they share (if any)."""

    def __init__(
        self,
        members: tuple[Member, ...],
        policy: HealthPolicy,
        wait: float | None,
        state: RedisState | str | None,
        clock: Callable[[], float],
        sleep: Sleep,
    ) -> None:
        if wait is not None and wait < 0:
            raise ConfigurationError(f"wait_for_capacity={wait} must not be negative")
        self.wait = wait or 0.0
        self.freed = Signal()
        self.owned = isinstance(state, str)
        self.state = RedisState(state) if isinstance(state, str) else state
        self._clock = clock
        self._sleep = sleep
        for member in members:
            member.freed = self.freed
            if self.state is not None:
                member.shared = self.state.deployment(member, policy, clock)

    def due(self, member: Member, now: float, needs: Needs) -> float | None:
        """Seconds until ``member``'s rate limits let the call through (``None``: full)."""
        if member.shared is not None:
            due = member.shared.due
            return None if due is None else max(0.0, due - now)
        return member.capacity_in(now, needs)

    async def waited(
        self, limited: list[Member], needs: Needs, seen: int, since: float
    ) -> list[Member]:
        """Wait for ``limited`` (passed over since :attr:`freed` had fired ``seen`` times,
        waiting since ``since``); the ones to look at again, none when the wait is over."""
        left = since + self.wait - self._clock()
        if left <= 0:
            return []
        if self.state is not None and await self.state.watch(self.freed):
            return limited  # just began to listen: what ended meanwhile went unheard
        if self.freed.fired != seen:
            return limited  # a call ended while the others were tried
        now = self._clock()
        dues = [d for m in limited if (d := self.due(m, now, needs)) is not None]
        delay = min(min(dues), left) if dues else left
        if delay > 0:
            waiter = asyncio.ensure_future(self.freed.event().wait())
            timer = asyncio.ensure_future(self._sleep(delay))
            try:
                await asyncio.wait((waiter, timer), return_when=asyncio.FIRST_COMPLETED)
            finally:
                waiter.cancel()
                timer.cancel()
        return limited

    def error(self, group: tuple[Member, ...], trip: Trip) -> LimitsReachedError | None:
        """The error for a call that no deployment had capacity for, if that is why."""
        if trip.last is not None:
            return None
        limits: dict[str, str] = {
            s.deployment: s.reason for s in trip.skipped if isinstance(s.reason, Busy)
        }
        if not limits:
            return None
        now = self._clock()
        names = set(limits)
        dues = [
            d for m in group if m.name in names and (d := self.due(m, now, trip.needs)) is not None
        ]
        others = "; ".join(
            f"{s.deployment}: {s.reason}" for s in trip.skipped if s.deployment not in names
        )
        waited = f"waited {self.wait:g} s" if self.wait else "did not wait"
        error = LimitsReachedError(
            "no deployment had capacity for the call ("
            + "; ".join(f"{name}: {why}" for name, why in limits.items())
            + (f"; also passed over: {others}" if others else "")
            + f"); {waited} (wait_for_capacity). Raise the limits where the provider's "
            "quota allows (Deployment(max_in_flight=, rpm=, tpm=), or max_in_flight:, rpm:, "
            "tpm: in the config), add deployments, or wait longer with "
            "Router(wait_for_capacity=...)",
            limits=limits,
            retry_after=min(dues) if dues else None,
        )
        attach(error, trip.route())
        return error

    async def aclose(self) -> None:
        if self.state is not None:
            await (self.state.aclose() if self.owned else self.state.settled())
