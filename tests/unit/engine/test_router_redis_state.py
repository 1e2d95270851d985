"""Two routers sharing one real ``redis-server``: limits, calls in flight, cooldowns, circuits.

Each router stands for a process: its own ``RedisState`` (its own connections) on the
same server and prefix. Both send over the real HTTP path to loopback upstreams that
answer with recorded OpenAI traffic or fail on cue (:mod:`tests.support.faults`), and
both read one clock moved by hand, which the shared state reads too. Skipped, saying
how to get it, where ``redis-server`` is not installed.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from fluent_ai.engine import Deployment, HealthPolicy, LimitsReachedError, RedisState, Route, Router
from fluent_ai.engine.failover import NoDeploymentAvailableError
from fluent_ai.http import Timeouts
from fluent_ai.types import (
    ChatRequest,
    ChatResponse,
    Message,
    ProviderUnavailableError,
    RateLimitError,
)
from tests.support.faults import FakeClock, Status, Upstream, upstream
from tests.support.redis_server import redis_server

pytest.importorskip(
    "redis", reason="the redis extra is not installed: pip install 'fluent-ai[redis]'"
)

KEY_ENV = "ROUTER_STATE_KEY"
REQUEST = ChatRequest(model="any", messages=[Message.user("What is the capital of France?")])
TIMEOUTS = Timeouts(connect=2.0, read=5.0, write=2.0, pool=2.0, total=10.0)
_prefixes = itertools.count()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with redis_server() as url:
        yield url


@pytest.fixture
def up(monkeypatch: pytest.MonkeyPatch) -> Iterator[Upstream]:
    monkeypatch.setenv(KEY_ENV, "sk-test-state-key")
    with upstream("up") as served:
        yield served


@pytest.fixture
def prefix() -> str:
    return f"test-{next(_prefixes)}:"


async def forever(seconds: float) -> None:
    await asyncio.Event().wait()


def spec(up: Upstream, **options: object) -> Deployment:
    return Deployment(
        "openai/gpt-4o-mini",
        name="shared",
        base_url=up.v1,
        api_key_env=KEY_ENV,
        timeouts=TIMEOUTS,
        **options,  # type: ignore[arg-type]
    )


class Pair:
    """Two routers (two "processes") over one deployment, sharing state in Redis."""

    def __init__(self, server: str, prefix: str, clock: FakeClock) -> None:
        self.clock = clock
        self.states = [RedisState(server, prefix=prefix, clock=clock) for _ in range(2)]
        self.routers: list[Router] = []

    def build(self, up: Upstream, **options: object) -> tuple[Router, Router]:
        limits = {k: options.pop(k) for k in ("rpm", "tpm", "max_in_flight") if k in options}
        settings = {"retry": None, "wait_for_capacity": None, "clock": self.clock, **options}
        self.routers = [
            Router([spec(up, **limits)], state=state, **settings)  # type: ignore[arg-type]
            for state in self.states
        ]
        return self.routers[0], self.routers[1]

    async def settled(self) -> None:
        for state in self.states:
            await state.settled()

    async def aclose(self) -> None:
        for router in self.routers:
            await router.aclose()
        for state in self.states:
            await state.aclose()


@pytest.fixture
async def pair(server: str, prefix: str) -> AsyncIterator[Pair]:
    shared = Pair(server, prefix, FakeClock())
    yield shared
    await shared.aclose()


def route_of(answer: ChatResponse | BaseException) -> Route:
    route = Route.of(answer)
    assert route is not None
    return route


async def test_two_routers_share_one_rpm_bucket(pair: Pair, up: Upstream) -> None:
    one, two = pair.build(up, rpm=2)
    assert (await one.complete(REQUEST)).id == "up-1"
    assert (await two.complete(REQUEST)).id == "up-2"
    with pytest.raises(LimitsReachedError) as caught:
        await one.complete(REQUEST)
    assert caught.value.limits == {"shared": "rpm limit: 2 requests a minute reached"}
    assert caught.value.retry_after == pytest.approx(30.0)
    pair.clock.advance(30)
    assert (await one.complete(REQUEST)).id == "up-3"
    assert len(up.served) == 3


async def test_two_routers_share_the_tpm_bucket_corrected_by_real_usage(
    pair: Pair, up: Upstream
) -> None:
    # Estimated at 311 tokens a call; each recorded answer used 21.
    one, two = pair.build(up, tpm=400)
    request = REQUEST.model_copy(update={"max_tokens": 300})
    answered = 0
    for router in itertools.cycle((one, two)):
        try:
            await router.complete(request)
        except LimitsReachedError:
            break
        await pair.settled()  # the correction is written in the background
        answered += 1
    assert answered == 5  # 400 - 21 * n stays at 311 or more for n up to 4


async def test_a_call_in_flight_in_one_counts_in_the_other_and_its_end_wakes_it(
    pair: Pair, up: Upstream
) -> None:
    asleep = asyncio.Event()

    async def sleeping(seconds: float) -> None:
        asleep.set()
        await forever(seconds)

    one, two = pair.build(up, max_in_flight=1, wait_for_capacity=5.0, sleep=sleeping)
    held = one.stream(REQUEST)
    assert (await anext(held)).id == "up-1"  # type: ignore[union-attr]
    waiting = asyncio.create_task(two.complete(REQUEST))
    await asyncio.wait_for(asleep.wait(), 10)
    assert not waiting.done()  # full in the other process: waiting, only a wake-up ends it
    assert len(up.served) == 1
    async for _ in held:
        pass
    answer = await asyncio.wait_for(waiting, 10)  # woken through Redis, not by a timer
    assert answer.id == "up-2"
    assert route_of(answer).skipped[0].reason == "full: 1 calls in flight"


async def test_a_dead_processes_calls_stop_counting_when_their_lease_ends(
    pair: Pair, up: Upstream, server: str, prefix: str
) -> None:
    dead_state = RedisState(server, prefix=prefix, clock=pair.clock, lease=10.0)
    dead = Router([spec(up, max_in_flight=1)], state=dead_state, retry=None, clock=pair.clock)
    stuck = dead.stream(REQUEST)
    assert (await anext(stuck)).id == "up-1"  # type: ignore[union-attr]
    # The process "dies": its call is never ended, nor its lease renewed.
    _, alive = pair.build(up, max_in_flight=1)
    with pytest.raises(LimitsReachedError, match="full: 1 calls in flight"):
        await alive.complete(REQUEST)
    pair.clock.advance(10)
    assert (await alive.complete(REQUEST)).id == "up-2"
    await stuck.aclose()
    await dead.aclose()
    await dead_state.aclose()


async def lease_end(client: Any, key: str) -> float:
    """When the lease of the one call in flight in ``key`` ends."""
    [(_, score)] = await client.zrange(key, 0, -1, withscores=True)
    return float(score)


async def test_a_live_process_renews_the_lease_of_a_long_call(
    pair: Pair, up: Upstream, server: str, prefix: str
) -> None:
    from redis.asyncio import Redis

    live_state = RedisState(server, prefix=prefix, clock=pair.clock, lease=0.3)
    live = Router([spec(up, max_in_flight=1)], state=live_state, retry=None, clock=pair.clock)
    held = live.stream(REQUEST)
    assert (await anext(held)).id == "up-1"  # type: ignore[union-attr]
    async with Redis.from_url(server) as client:
        leased = await lease_end(client, prefix + "shared:flight")
        pair.clock.advance(0.2)
        renewed = leased
        for _ in range(200):  # the renewal runs every lease / 3, in real time
            await asyncio.sleep(0.02)
            renewed = await lease_end(client, prefix + "shared:flight")
            if renewed != leased:
                break
    assert renewed == pytest.approx(leased + 0.2)  # the lease now runs from the clock's now
    pair.clock.advance(0.2)  # past the first lease, within the renewed one
    _, other = pair.build(up, max_in_flight=1)
    with pytest.raises(LimitsReachedError, match="full: 1 calls in flight"):
        await other.complete(REQUEST)
    async for _ in held:
        pass
    await live.aclose()
    await live_state.aclose()


async def test_a_cooldown_seen_by_one_keeps_the_other_away(pair: Pair, up: Upstream) -> None:
    one, two = pair.build(up)
    up.script(Status(429, retry_after=30))
    with pytest.raises(RateLimitError):
        await one.complete(REQUEST)
    await pair.settled()
    with pytest.raises(NoDeploymentAvailableError) as caught:
        await two.complete(REQUEST)
    assert route_of(caught.value).skipped[0].reason == "cooling down"
    assert caught.value.retry_after == pytest.approx(30.0)
    health = two.health()["shared"]
    assert (health.status, health.cooldown_left) == ("cooling_down", 30.0)
    assert len(up.served) == 1
    pair.clock.advance(30)
    assert (await two.complete(REQUEST)).id == "up-2"


async def test_a_circuit_opened_by_one_is_open_for_the_other_and_probes_are_shared(
    pair: Pair, up: Upstream
) -> None:
    policy = HealthPolicy(allowed_failures=100, breaker_failures=2, open_for=10)
    one, two = pair.build(up, health=policy)
    up.script(Status(503), Status(503))
    for router in (one, two):  # one failure in each process: two in a row, shared
        with pytest.raises(ProviderUnavailableError, match="injected failure"):
            await router.complete(REQUEST)
        await pair.settled()
    with pytest.raises(NoDeploymentAvailableError) as caught:
        await one.complete(REQUEST)
    assert route_of(caught.value).skipped[0].reason == "circuit open"
    assert one.health()["shared"].circuit == "open"

    pair.clock.advance(10)  # half-open: one probe for both processes together
    probe = two.stream(REQUEST)
    assert (await anext(probe)).id == "up-3"  # type: ignore[union-attr]
    with pytest.raises(NoDeploymentAvailableError) as caught:
        await one.complete(REQUEST)
    assert route_of(caught.value).skipped[0].reason == "circuit half-open, probes in flight"
    async for _ in probe:
        pass
    await pair.settled()
    assert two.health()["shared"].circuit == "closed"
    assert (await one.complete(REQUEST)).id == "up-4"  # closed for the other too
    transitions = [(t.before, t.after) for t in one.health()["shared"].transitions]
    assert transitions == [("closed", "open"), ("open", "half_open"), ("half_open", "closed")]
    assert len(up.served) == 4


async def test_the_state_is_named_by_url_in_the_config(server: str, up: Upstream) -> None:
    from fluent_ai.engine.config import router_from

    section = {
        "state": server,
        "deployments": [{"model": "openai/gpt-4o-mini", "api_key_env": KEY_ENV}],
    }
    router = router_from(section, retry=None)
    state = router._plan.capacity.state
    assert isinstance(state, RedisState)
    assert state.url == server
    await router.aclose()


async def test_an_unreachable_server_is_a_clear_error(up: Upstream) -> None:
    from fluent_ai.engine.state_redis import SharedStateError
    from tests.support.redis_server import free_port

    state = RedisState(f"redis://:hunter2@127.0.0.1:{free_port()}/0")
    router = Router([spec(up)], state=state, retry=None)
    with pytest.raises(SharedStateError) as caught:
        await router.complete(REQUEST)
    assert "127.0.0.1" in str(caught.value)
    assert "redis-server" in str(caught.value)
    assert "hunter2" not in str(caught.value)
    await router.aclose()
    await state.aclose()
