"""Limits in process: rpm and tpm buckets, calls in flight, waiting for capacity.

Time is a clock moved by hand: a wait for a bucket "sleeps" by moving it (so the test
reads exactly how long the router chose to sleep), and a wait that only an ending call
can end sleeps forever, so only that wake-up lets it go on. Calls go over the real
HTTP path to loopback upstreams answering with recorded OpenAI traffic (whose usage is
what corrects the tpm bucket), except where a test must hold calls in flight at will.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from fluent_ai.engine import (
    Deployment,
    LimitsReachedError,
    NoDeploymentAvailableError,
    Route,
    Router,
)
from fluent_ai.engine.limits import TokenBucket
from fluent_ai.http import RetryPolicy, Timeouts
from fluent_ai.types import (
    ChatRequest,
    ChatResponse,
    Message,
    collect_stream,
)
from tests.support.faults import FakeClock, Status, Upstream, upstream
from tests.unit.engine.router_fakes import FakeModel, deployment

REQUEST = ChatRequest(model="any", messages=[Message.user("What is the capital of France?")])
KEY_ENV = "ROUTER_LIMITS_KEY"
TIMEOUTS = Timeouts(connect=2.0, read=5.0, write=2.0, pool=2.0, total=10.0)
MODES = ["complete", "stream"]


async def forever(seconds: float) -> None:
    """A sleep only a wake-up ends (the router cancels it)."""
    await asyncio.Event().wait()


@pytest.fixture
def two(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Upstream, Upstream]]:
    monkeypatch.setenv(KEY_ENV, "sk-test-limits-key")
    with upstream("a") as a, upstream("b") as b:
        yield a, b


def over(up: Upstream, **limits: int) -> Deployment:
    """A deployment named after ``up`` that sends to it over HTTP."""
    return Deployment(
        "openai/gpt-4o-mini",
        name=up.name,
        base_url=up.v1,
        api_key_env=KEY_ENV,
        timeouts=TIMEOUTS,
        **limits,  # type: ignore[arg-type]
    )


async def call(router: Router, mode: str, request: ChatRequest = REQUEST) -> ChatResponse:
    if mode == "stream":
        return await collect_stream(router.stream(request))
    return await router.complete(request)


def route_of(answer: ChatResponse | BaseException) -> Route:
    route = Route.of(answer)
    assert route is not None
    return route


def test_a_bucket_refills_continuously_up_to_its_limit() -> None:
    bucket = TokenBucket(60)  # one a second
    assert bucket.wait(0.0, 60) == 0.0
    bucket.take(0.0, 60)
    assert bucket.wait(0.0, 1) == pytest.approx(1.0)
    assert bucket.wait(0.5, 1) == pytest.approx(0.5)
    bucket.give(0.5, -10)  # an answer longer than its estimate: debt
    assert bucket.wait(0.5, 1) == pytest.approx(10.5)
    assert bucket.refill(1_000.0) == 60  # never above the limit


async def test_rpm_passes_a_limited_deployment_over_until_its_bucket_refills(
    two: tuple[Upstream, Upstream],
) -> None:
    a, b = two
    clock = FakeClock()
    async with Router([over(a, rpm=2), over(b)], clock=clock, retry=None) as router:
        answered = [route_of(await router.complete(REQUEST)).deployment for _ in range(3)]
        assert answered == ["a", "a", "b"]
        third = route_of(await router.complete(REQUEST))
        assert third.skipped[0].deployment == "a"
        assert third.skipped[0].reason == "rpm limit: 2 requests a minute reached"
        clock.advance(30)  # one request back
        assert (await router.complete(REQUEST)).id == "a-3"
        assert route_of(await router.complete(REQUEST)).deployment == "b"
    assert (len(a.served), len(b.served)) == (3, 3)


@pytest.mark.parametrize("mode", MODES)
async def test_a_call_waits_exactly_until_the_bucket_refills(
    two: tuple[Upstream, Upstream], mode: str
) -> None:
    a, _ = two
    clock = FakeClock()
    async with Router([over(a, rpm=60)], clock=clock, retry=None, sleep=clock.sleep) as router:
        for _ in range(60):
            await call(router, mode)
        assert clock.sleeps == []
        answer = await call(router, mode)
    assert answer.id == "a-61"
    assert clock.sleeps == [pytest.approx(1.0)]  # one request a second comes back


@pytest.mark.parametrize("mode", MODES)
async def test_a_call_waits_for_a_full_deployment_and_is_woken_when_a_call_ends(
    two: tuple[Upstream, Upstream], mode: str
) -> None:
    a, _ = two
    asleep: list[float] = []
    waiting = asyncio.Event()

    async def sleeping(seconds: float) -> None:
        asleep.append(seconds)
        waiting.set()
        await forever(seconds)

    clock = FakeClock()
    async with Router(
        [over(a, max_in_flight=1)], clock=clock, retry=None, sleep=sleeping
    ) as router:
        first = router.stream(REQUEST)
        assert (await anext(first)).id == "a-1"  # type: ignore[union-attr]
        second = asyncio.create_task(call(router, mode))
        await asyncio.wait_for(waiting.wait(), 5)
        assert asleep == [5.0]  # full, and no bucket to sleep for: until the deadline at most
        assert not second.done()
        assert router.health()["a"].in_flight == 1
        async for _ in first:
            pass
        answer = await asyncio.wait_for(second, 5)  # woken by the first call ending
    assert answer.id == "a-2"
    assert route_of(answer).skipped[0].reason == "full: 1 calls in flight"
    assert len(a.served) == 2


async def test_calls_in_flight_never_exceed_max_in_flight() -> None:
    gate = asyncio.Event()
    busy, most = 0, 0

    class Slow(FakeModel):
        async def complete(self, request: ChatRequest) -> ChatResponse:
            nonlocal busy, most
            busy += 1
            most = max(most, busy)
            await gate.wait()
            busy -= 1
            return await super().complete(request)

    model = Slow("slow")
    router = Router([deployment(model, max_in_flight=2)], retry=None, sleep=forever)
    calls = [asyncio.create_task(router.complete(REQUEST)) for _ in range(5)]
    for _ in range(20):
        await asyncio.sleep(0)
    assert (busy, most) == (2, 2)
    gate.set()
    answers = await asyncio.wait_for(asyncio.gather(*calls), 5)
    assert sorted(str(a.id) for a in answers) == [f"slow-{n}" for n in range(1, 6)]
    assert most == 2
    assert router.health()["slow"].in_flight == 0


async def test_when_the_wait_runs_out_the_call_goes_on_to_another_deployment(
    two: tuple[Upstream, Upstream],
) -> None:
    a, b = two
    b.script(Status(503))
    clock = FakeClock()
    retry = RetryPolicy(max_attempts=2, base_delay=0.5, jitter=False, sleep=clock.sleep)
    router = Router(
        [over(a, rpm=1), over(b)],
        clock=clock,
        retry=retry,
        wait_for_capacity=1.0,
        sleep=clock.sleep,
    )
    async with router:
        await router.complete(REQUEST)  # a's one request this minute
        response = await router.complete(REQUEST)
    route = route_of(response)
    assert route.deployment == "b"
    assert [(x.deployment, x.error) for x in route.attempts] == [
        ("b", "ProviderUnavailableError"),
        ("b", None),
    ]
    assert route.skipped[0].reason.startswith("rpm limit")
    # waited its 1 s for a (whose bucket refills only in 60 s), then the next round
    assert clock.sleeps == [pytest.approx(1.0), 0.5]
    assert (len(a.served), len(b.served)) == (1, 2)


async def test_when_the_wait_runs_out_with_nowhere_to_go_a_typed_error_says_why(
    two: tuple[Upstream, Upstream],
) -> None:
    a, _ = two
    clock = FakeClock()
    router = Router(
        [over(a, rpm=1)], clock=clock, retry=None, wait_for_capacity=2.0, sleep=clock.sleep
    )
    async with router:
        await router.complete(REQUEST)
        with pytest.raises(LimitsReachedError) as caught:
            await router.complete(REQUEST)
    error = caught.value
    assert isinstance(error, NoDeploymentAvailableError)
    assert error.limits == {"a": "rpm limit: 1 requests a minute reached"}
    assert error.retry_after == pytest.approx(58.0)
    assert "waited 2 s" in str(error)
    assert "rpm=" in str(error)
    assert "wait_for_capacity" in str(error)
    assert clock.sleeps == [pytest.approx(2.0)]
    assert route_of(error).deployment is None
    assert len(a.served) == 1


async def test_without_wait_for_capacity_a_full_router_fails_at_once(
    two: tuple[Upstream, Upstream],
) -> None:
    a, _ = two
    clock = FakeClock()
    router = Router([over(a, rpm=1)], clock=clock, retry=None, wait_for_capacity=None)
    async with router:
        await router.complete(REQUEST)
        with pytest.raises(LimitsReachedError, match="did not wait"):
            await router.complete(REQUEST)
    assert clock.sleeps == []


@pytest.mark.parametrize("mode", MODES)
async def test_tpm_is_corrected_by_the_usage_the_provider_reported(
    two: tuple[Upstream, Upstream], mode: str
) -> None:
    # The prompt is about 11 tokens; with max_tokens=300 a call is estimated at 311, so
    # uncorrected a 400 tpm bucket takes one call. The recorded answers used 21 (whole)
    # and 24 (stream) tokens: each call costs that, and calls go on while 311 is left.
    request = REQUEST.model_copy(update={"max_tokens": 300})
    used = {"complete": 21, "stream": 24}[mode]
    fits = 1 + (400 - 311) // used
    recorded = two[0]
    async with one_of(recorded, tpm=400) as router:
        for n in range(1, fits + 1):
            assert (await call(router, mode, request)).id == f"a-{n}"
        with pytest.raises(LimitsReachedError, match="tpm limit: 400 tokens") as caught:
            await call(router, mode, request)
    assert caught.value.retry_after == pytest.approx((311 - (400 - fits * used)) * 60 / 400)
    assert len(recorded.served) == fits == {"complete": 5, "stream": 4}[mode]


@pytest.mark.parametrize("mode", MODES)
async def test_an_answer_longer_than_its_estimate_leaves_the_bucket_in_debt(
    two: tuple[Upstream, Upstream], mode: str
) -> None:
    request = REQUEST.model_copy(update={"max_tokens": 1})  # estimated at 12 tokens
    recorded = two[0]
    async with one_of(recorded, tpm=30) as router:
        await call(router, mode, request)  # 30 - 12, then ~10 more of debt
        with pytest.raises(LimitsReachedError) as caught:
            await call(router, mode, request)
    assert caught.value.limits["a"].startswith("tpm limit")
    assert len(recorded.served) == 1


def one_of(up: Upstream, **limits: int) -> Router:
    return Router([over(up, **limits)], retry=None, wait_for_capacity=None, clock=FakeClock())
