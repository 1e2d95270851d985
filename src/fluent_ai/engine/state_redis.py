"""Router state shared through Redis: limits, calls in flight, cooldowns and circuits.

Several processes (gateway workers, machines) that route to the same deployments
should share their quota and their view of who is down: ``Router(...,
state=RedisState(url))`` (or ``state: redis://...`` in the config file) keeps each
deployment's rpm and tpm buckets, its calls in flight, its cooldown and its circuit in
the Redis server at ``url``, under ``prefix`` and the deployment's name, so routers
with deployments of the same name share them.

Each call takes its place in one atomic script (:mod:`fluent_ai.engine.state_scripts`),
and how it ended is written by another, sent in the background so the answer does not
wait for it. A call in flight holds a lease of ``lease`` seconds, renewed while it
runs: a process that dies stops renewing, and its calls stop counting within a lease.
Keys not touched for a day expire. Calls waiting for capacity are woken by a message
Redis publishes when a call ends anywhere (``PUBLISH`` on ``{prefix}freed``).

Times are read from ``clock`` (wall time, so that processes agree); live traffic
(latencies, error rates) stays per process. A server that cannot be reached raises
:class:`SharedStateError` naming its host and port, never a password in the URL.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, cast

from fluent_ai.engine.cache_redis import _where
from fluent_ai.engine.health import CircuitState, HealthPolicy, Transition
from fluent_ai.engine.limits import Busy, Signal, estimate
from fluent_ai.engine.state_scripts import ADMIT, ENDED
from fluent_ai.types import ConfigurationError, FluentAIError, Usage

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from fluent_ai.engine.member import Member
    from fluent_ai.engine.shape import Needs

logger = logging.getLogger(__name__)

KEEP_MS = 86_400_000
"""Idle keys expire after a day: a deployment no router uses any more leaves nothing."""

OUTCOMES = {"ok": "ok", "fault": "fault", "rate_limit": "rate"}
"""How a call's verdict is written; any other ended with no verdict on the deployment."""


class SharedStateError(FluentAIError):
    """The router's shared state (Redis) could not be read or written."""

    retryable = True


class RedisState:
    """Deployment state shared by every router that names the server at ``url``.

    ``client`` is an open ``redis.asyncio.Redis`` to use instead (it stays its owner's
    to close); otherwise one is opened on first use and closed by :meth:`aclose`, which
    the router calls when it is closed.
    """

    def __init__(
        self,
        url: str = "redis://127.0.0.1:6379/0",
        *,
        prefix: str = "fluent-ai:router:",
        lease: float = 60.0,
        client: Redis | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if lease <= 0:
            raise ConfigurationError(f"RedisState(lease={lease}) must be more than 0 seconds")
        self.url = url
        self.prefix = prefix
        self.lease = lease
        self.clock = clock
        self.channel = prefix + "freed"
        self._client = client
        self._owns_client = client is None
        self._deployments: list[SharedDeployment] = []
        self._signals: list[Signal] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._listener: asyncio.Task[None] | None = None
        self._listening = asyncio.Event()
        self._renewer: asyncio.Task[None] | None = None

    def __repr__(self) -> str:
        return f"RedisState({_where(self.url)!r}, prefix={self.prefix!r})"

    def deployment(
        self, member: Member, policy: HealthPolicy, clock: Callable[[], float]
    ) -> SharedDeployment:
        """The shared state of ``member``'s deployment (``clock``: the router's)."""
        shared = SharedDeployment(self, member, policy, clock)
        self._deployments.append(shared)
        return shared

    def _redis(self) -> Redis:
        if self._client is None:
            try:
                from redis.asyncio import Redis
            except ImportError as exc:
                raise ConfigurationError(
                    "RedisState needs the redis package: pip install 'fluent-ai[redis]'"
                ) from exc
            self._client = Redis.from_url(self.url)
        return self._client

    async def eval(self, script: str, keys: list[str], args: list[Any]) -> Any:
        from redis.exceptions import RedisError

        try:
            return await self._redis().eval(script, len(keys), *keys, *args)
        except RedisError as exc:
            raise SharedStateError(
                f"the router state at {_where(self.url)} failed: {type(exc).__name__}: "
                f"{exc}; check that redis-server is running there, or route without state=",
            ) from exc

    def spawn(self, job: Coroutine[Any, Any, None]) -> None:
        """Run ``job`` in the background, kept until done; a failure is logged."""
        try:
            task = asyncio.get_running_loop().create_task(job)
        except RuntimeError:  # no loop (a generator closed at exit): the lease expires it
            job.close()
            return
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.warning("router state: %s", task.exception())

    async def settled(self) -> None:
        """Wait until every write sent in the background has been made."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def watch(self, signal: Signal) -> bool:
        """Fire ``signal`` whenever a call ends in any process; ``True`` if just started."""
        if signal not in self._signals:
            self._signals.append(signal)
        if self._listener is not None and not self._listener.done():
            return False
        self._listening.clear()
        self._listener = asyncio.get_running_loop().create_task(self._listen())
        await self._listening.wait()
        return True

    async def _listen(self) -> None:
        pubsub = self._redis().pubsub()
        try:
            await pubsub.subscribe(self.channel)
            self._listening.set()
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    for signal in self._signals:
                        signal.fire()
        except Exception as exc:  # the server went away: waiters fall back on their deadlines
            logger.warning("router state: stopped listening at %s: %s", _where(self.url), exc)
        finally:
            self._listening.set()
            await pubsub.aclose()

    def renewing(self) -> None:
        """Keep renewing the leases of this process's calls while there are any."""
        if self._renewer is None or self._renewer.done():
            self._renewer = asyncio.get_running_loop().create_task(self._renew())

    async def _renew(self) -> None:
        while any(d.live for d in self._deployments):
            await asyncio.sleep(self.lease / 3)
            end = self.clock() + self.lease
            pipe = self._redis().pipeline(transaction=False)
            for shared in self._deployments:
                for call in shared.live:
                    pipe.zadd(shared.keys[1], {call: end}, xx=True)
            try:
                await pipe.execute()
            except Exception as exc:
                logger.warning("router state: could not renew leases: %s", exc)

    async def aclose(self) -> None:
        """Finish the background writes, stop listening, close the connection it opened."""
        await self.settled()
        for task in (self._listener, self._renewer):
            if task is not None and not task.done():
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        self._listener = self._renewer = None
        if self._owns_client and self._client is not None:
            await self._client.aclose()
            self._client = None


class SharedDeployment:
    """One deployment's keys in a :class:`RedisState`, and this process's calls there."""

    def __init__(
        self,
        state: RedisState,
        member: Member,
        policy: HealthPolicy,
        clock: Callable[[], float],
    ) -> None:
        base = state.prefix + member.name
        self.keys = [base, base + ":flight", base + ":failures"]
        self._state = state
        self._policy = policy
        self._clock = clock
        self.limits = (
            member.max_in_flight,
            member.deployment.rpm,
            member.deployment.tpm,
        )
        self.live: list[str] = []  # this process's calls in flight here
        self.due: float | None = None  # when the rate limits let the refused call through

    async def admit(self, member: Member, now: float, needs: Needs) -> tuple[str | None, bool]:
        """Take a place for one call: ``(None, probe)``, or why it may not go now."""
        state, policy = self._state, self._policy
        call = uuid.uuid4().hex
        most, rpm, tpm = self.limits
        args = [state.clock(), call, state.lease, _opt(most), _opt(rpm), _opt(tpm)]
        args += [estimate(needs), policy.open_for, policy.half_open_probes, KEEP_MS]
        why, detail, probe, health = await state.eval(ADMIT, self.keys, args)
        self.mirror(member, now, health)
        why, detail = why.decode(), float(detail)
        self.due = None if why == "full" else now + detail
        if why == "ok":
            self.live.append(call)
            state.renewing()
            return None, bool(probe)
        reasons = {
            "cooling": "cooling down",
            "full": Busy(f"full: {detail:g} calls in flight"),
            "open": "circuit open",
            "probing": "circuit half-open, probes in flight",
            "rpm": Busy(f"rpm limit: {rpm} requests a minute reached"),
            "tpm": Busy(
                f"tpm limit: {tpm} tokens a minute reached (this call needs about "
                f"{estimate(needs)})"
            ),
        }
        return reasons[why], False

    def ended(
        self,
        member: Member,
        verdict: str,
        probe: bool,
        needs: Needs | None = None,
        usage: Usage | None = None,
        retry_after: float | None = None,
    ) -> None:
        """Record in the background how one of this process's calls here ended."""
        call = self.live.pop() if self.live else ""
        tpm = self.limits[2]
        back = 0
        if tpm is not None and needs is not None and usage is not None:
            used = usage.input_tokens + usage.output_tokens
            back = min(estimate(needs), tpm) - used if used else 0
        policy, state = self._policy, self._state
        args = [state.clock(), call, OUTCOMES.get(verdict, "none"), int(probe), _opt(tpm), back]
        args += [_opt(retry_after), policy.allowed_failures, policy.window, policy.cooldown]
        args += [policy.breaker_failures, policy.close_after, KEEP_MS, state.channel]
        args.append(uuid.uuid4().hex)
        state.spawn(self._write(member, args))

    async def _write(self, member: Member, args: list[Any]) -> None:
        health = await self._state.eval(ENDED, self.keys, args)
        self.mirror(member, self._clock(), health)

    def mirror(self, member: Member, now: float, health: list[Any]) -> None:
        """Show the shared health in ``member``'s cooldown and circuit, on its own clock."""
        circuit, cooldown_left, opened_ago, failures = health
        circuit = cast(CircuitState, circuit.decode())
        member.cooldown.until = now + float(cooldown_left)
        breaker = member.breaker
        if breaker.state != circuit:
            breaker.transitions.append(Transition(now, breaker.state, circuit, "shared state"))
            breaker.state = circuit
        breaker.opened_at = now - float(opened_ago)
        breaker.failures = int(failures)


def _opt(value: float | None) -> float | str:
    return "" if value is None else value


__all__ = ["RedisState", "SharedStateError"]
