"""The router: a chat model that sends each call to one of several deployments.

A :class:`Router` is itself a :class:`~fluent_ai.providers.ChatModel` (the same
``complete`` / ``stream``, the same events, the same typed errors), so whatever takes a
model takes a router. Per call it:

1. picks the deployments the call's tags select and that can serve it (the prompt
   fits the registry's context window, the model takes images or tools if asked);
2. orders them by the strategy (:mod:`fluent_ai.engine.strategies`);
3. tries them in that order, passing over those cooling down, with an open circuit
   or full, and failing over on the errors :mod:`fluent_ai.engine.failover` lists;
4. when every one failed with an error that waiting may cure, waits (the soonest
   cooldown's end, else a backoff, per ``retry``) and goes round once more.

A stream fails over only until its first event reaches the caller (the leading
``ResponseStart`` and ``UsageUpdate`` are held back until the first answer event, so a
stream that breaks right after its preamble still fails over); after that, a broken
stream raises :class:`~fluent_ai.types.StreamInterruptedError` and nothing is sent
again. Every answer says how it was routed (:mod:`fluent_ai.engine.route`). With
``intents=`` a call that names no tags goes where its intent says (:mod:`.intent_pick`).
"""

from __future__ import annotations

import asyncio
import builtins
import random
import time
from collections.abc import AsyncGenerator, Callable, Iterable, Iterator, Sequence
from contextlib import aclosing, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fluent_ai._closing import Closeable
from fluent_ai._sync import iter_sync, run_sync
from fluent_ai.engine.attempts import broken, fails_over
from fluent_ai.engine.batch import Batching
from fluent_ai.engine.capacity import WAIT_FOR_CAPACITY, Capacity, Sleep
from fluent_ai.engine.deployment import Deployment
from fluent_ai.engine.health import HealthPolicy
from fluent_ai.engine.member import Member
from fluent_ai.engine.plan import Plan
from fluent_ai.engine.probes import ProbeResult, probe_all
from fluent_ai.engine.route import ROUTE_KEY
from fluent_ai.engine.shape import needs
from fluent_ai.engine.stats import RouterHealth
from fluent_ai.engine.strategies import Strategy, order_for
from fluent_ai.engine.trip import Trip
from fluent_ai.http import RetryPolicy
from fluent_ai.types import (
    ChatRequest,
    ChatResponse,
    ConfigurationError,
    Finish,
    FluentAIError,
    ProviderData,
    ResponseStart,
    StreamEvent,
    TimeoutError,
    UsageUpdate,
)

if TYPE_CHECKING:
    from fluent_ai.engine.calllog import CallLog
    from fluent_ai.engine.intent import IntentRouter
    from fluent_ai.engine.observe_events import EventCallback
    from fluent_ai.engine.state_redis import RedisState

NO_LIMIT = nullcontext()
PREAMBLE = frozenset({ResponseStart, UsageUpdate})
"""Events held back until the first answer event: a stream that breaks after them alone
(Anthropic's ``message_start`` then an ``overloaded_error``) still fails over, since
nothing of the answer has reached the caller."""

ROUTER_RETRY = RetryPolicy(max_attempts=2, base_delay=0.5, max_delay=10.0, max_retry_after=30.0)
"""A second round over the deployments when every one failed with an error that waiting
may cure, after the soonest cooldown ends (or a backoff of up to 0.5 s)."""


class Router(Batching, Closeable):
    """Send each call to one of ``deployments``; see the module docstring for how.

    ``deployments`` are :class:`Deployment` objects or ``provider/model`` specs.
    ``failover_on`` adds typed errors to fail over on (client errors never do
    otherwise); ``retry`` bounds the rounds over the deployments (``None``: one round);
    ``first_event_timeout`` fails a stream over when its first event takes longer.
    ``clock`` (seconds, for cooldowns, circuits and latencies) and ``rng`` (for the
    weighted strategy) are for tests. ``intents`` (an ``IntentRouter``) picks the tag
    of a call that names none; the router closes it with itself. ``on_event`` and ``log``
    observe every attempt (:class:`~fluent_ai.engine.observe.Observed`).
    ``wait_for_capacity`` bounds the seconds a call waits for deployments at their
    limits (``None``: none); ``state`` (a ``RedisState`` or ``redis://`` URL) shares
    limits and health between processes (:mod:`fluent_ai.engine.capacity`); ``sleep``
    is how such a wait sleeps, for tests.
    """

    provider = "router"

    def __init__(
        self,
        deployments: Iterable[Deployment | str],
        *,
        strategy: Strategy = "fallbacks",
        health: HealthPolicy | None = None,
        failover_on: Sequence[type[FluentAIError]] = (),
        retry: RetryPolicy | None = ROUTER_RETRY,
        first_event_timeout: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        intents: IntentRouter | None = None,
        on_event: EventCallback | None = None,
        log: CallLog | None = None,
        wait_for_capacity: float | None = WAIT_FOR_CAPACITY,
        state: RedisState | str | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        given = [Deployment(d) if isinstance(d, str) else d for d in deployments]
        if not given:
            raise ConfigurationError("a router needs at least one deployment")
        names = [d.name for d in given]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ConfigurationError(
                f"deployment names must be unique; give each a name=: {', '.join(twice)}"
            )
        order = order_for(strategy)
        self.strategy = strategy
        self._policy = health or HealthPolicy()
        self._failover_on = tuple(failover_on)
        self._retry = retry
        self._first_event_timeout = first_event_timeout
        self._clock = clock
        self._members = tuple(
            Member(i, d, self._policy, on_event, log) for i, d in enumerate(given)
        )
        capacity = Capacity(self._members, self._policy, wait_for_capacity, state, clock, sleep)
        rng = rng or random.Random()
        self._plan = Plan(self._members, order, retry, clock, rng, intents, capacity=capacity)

    @classmethod
    def from_config(cls, path: str | Path, name: str | None = None, **options: Any) -> Router:
        """A router from a YAML file (see :mod:`fluent_ai.engine.config`)."""
        from fluent_ai.engine.config import load_router

        return load_router(Path(path), name, **options)

    def __repr__(self) -> str:
        names = ", ".join(m.name for m in self._members)
        return f"Router(strategy={self.strategy!r}, deployments=[{names}])"

    @property
    def deployments(self) -> tuple[Deployment, ...]:
        return tuple(m.deployment for m in self._members)

    # The chat model.

    async def complete(
        self, request: ChatRequest, *, tags: Sequence[str] | None = None
    ) -> ChatResponse:
        """The whole answer from the first deployment that gives one."""
        request, group, intent = await self._plan.choose(request, tags)
        trip = Trip(self.strategy, needs(request), intent)
        clock = self._clock
        async with aclosing(self._plan.admitted(group, trip, stream=False)) as admitted:
            async for member, probe in admitted:
                start = clock()
                try:
                    response = await member.model.complete(member.prepare(request))
                except BaseException as error:
                    if fails_over(member, probe, error, trip, start, clock(), self._failover_on):
                        continue
                    raise
                now = clock()
                member.succeeded(now, probe, None, now - start, trip.needs, response.usage)
                route = trip.route(member, now - start).as_dict()
                return response.model_copy(update={"extra": {**response.extra, ROUTE_KEY: route}})
        raise self._plan.exhausted(group, trip)

    async def stream(
        self, request: ChatRequest, *, tags: Sequence[str] | None = None
    ) -> AsyncGenerator[StreamEvent, None]:
        """The events of the first deployment whose stream starts; see the module docstring."""
        member, probe, events, held, trip, start = await self._start(request, tags)
        clock = self._clock
        first_event = clock() - start
        routed, usage = False, None  # the last usage is the final count (for the tpm limit)
        try:
            async with aclosing(events):
                for event in held:
                    if type(event) is Finish:
                        routed = True
                        yield self._route_event(trip, member, start)
                    elif type(event) is UsageUpdate:
                        usage = event.usage
                    yield event
                async for event in events:
                    if type(event) is Finish:
                        routed = True
                        yield self._route_event(trip, member, start)
                    elif type(event) is UsageUpdate:
                        usage = event.usage
                    yield event
            if not routed:
                yield self._route_event(trip, member, start)
        except Exception as error:
            ended = broken(member, probe, error, trip, start, clock(), self._failover_on)
            if ended is error:
                raise
            raise ended from error
        except BaseException:
            member.released(probe)  # the caller stopped reading, or was cancelled
            raise
        now = clock()
        member.succeeded(now, probe, first_event, now - start, trip.needs, usage)

    async def _start(
        self, request: ChatRequest, tags: Sequence[str] | None
    ) -> tuple[Member, bool, AsyncGenerator[StreamEvent, None], list[StreamEvent], Trip, float]:
        """The first deployment whose stream sends an event, with what it sent so far."""
        request, group, intent = await self._plan.choose(request, tags)
        trip = Trip(self.strategy, needs(request), intent)
        async with aclosing(self._plan.admitted(group, trip, stream=True)) as admitted:
            async for member, probe in admitted:
                start = self._clock()
                events = member.model.stream(member.prepare(request))
                try:
                    held = await self._opening(member, events)
                except BaseException as error:
                    await events.aclose()
                    now = self._clock()
                    if fails_over(member, probe, error, trip, start, now, self._failover_on):
                        continue
                    raise
                return member, probe, events, held, trip, start
        raise self._plan.exhausted(group, trip)

    async def _opening(
        self, member: Member, events: AsyncGenerator[StreamEvent, None]
    ) -> list[StreamEvent]:
        """The events up to the first that is not :data:`PREAMBLE` (all, if it ends first)."""
        held: list[StreamEvent] = []
        limit = self._first_event_timeout
        # No timeout scope to enter and leave when there is no limit: ~3 µs a stream.
        scope = NO_LIMIT if limit is None else asyncio.timeout(limit)
        try:
            async with scope:
                async for event in events:
                    held.append(event)
                    if type(event) not in PREAMBLE:
                        break
        except builtins.TimeoutError as exc:
            if limit is None or not scope.expired():  # type: ignore[union-attr]
                raise
            raise TimeoutError(
                f"deployment {member.name!r} sent no first event within {limit:g} s",
                provider=member.model.provider,
            ) from exc
        return held

    def _route_event(self, trip: Trip, member: Member, start: float) -> ProviderData:
        return ProviderData({ROUTE_KEY: trip.route(member, self._clock() - start).as_dict()})

    # Health, sync twins, closing.

    def health(self) -> RouterHealth:
        """Every deployment's health from its live traffic, as data."""
        now = self._clock()
        deployments = tuple(m.health(now) for m in self._members)
        available = sum(1 for m in self._members if m.refusal(now) is None)
        return RouterHealth(strategy=self.strategy, available=available, deployments=deployments)

    async def probe(self, *, within: float = 10.0, **ask: Any) -> tuple[ProbeResult, ...]:
        """One tiny call to every deployment, recorded as traffic (:mod:`.probes`)."""
        return await probe_all(self._members, self._clock, within=within, **ask)

    def probe_sync(self, **options: Any) -> tuple[ProbeResult, ...]:
        return run_sync(self.probe(**options))

    def complete_sync(
        self, request: ChatRequest, *, tags: Sequence[str] | None = None
    ) -> ChatResponse:
        """Sync twin of :meth:`complete`."""
        return run_sync(self.complete(request, tags=tags))

    def stream_sync(
        self, request: ChatRequest, *, tags: Sequence[str] | None = None
    ) -> Iterator[StreamEvent]:
        """Sync twin of :meth:`stream`."""
        return iter_sync(self.stream(request, tags=tags))

    async def aclose(self) -> None:
        """Close the models the router built; a ``chat_model`` given stays open."""
        await self._plan.aclose()  # the intent router's own embedder, if any
        await self._plan.capacity.aclose()  # the shared state's writes, its connection
        for member in self._members:
            if member.owned:
                await member.model.aclose()
