"""Failover rules: what fails over, what never does, and what a stream may do once started."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import aclosing

import pytest

from fluent_ai.engine import NoDeploymentAvailableError, Route, Router
from fluent_ai.http import RetryPolicy
from fluent_ai.providers import ChatModel
from fluent_ai.types import (
    AuthenticationError,
    BadResponseError,
    ChatRequest,
    ConnectionError,
    ContentFilteredError,
    FluentAIError,
    InvalidRequestError,
    Message,
    ProviderUnavailableError,
    RateLimitError,
    StreamEvent,
    StreamInterruptedError,
    TextDelta,
    TimeoutError,
    collect_stream,
)
from tests.support.faults import FakeClock
from tests.unit.engine.router_fakes import Broken, FakeModel, deployment

REQUEST = ChatRequest(model="any", messages=[Message.user("hello")])


def pair(**options: object) -> tuple[Router, FakeModel, FakeModel, FakeClock]:
    clock = FakeClock()
    a, b = FakeModel("a", clock), FakeModel("b", clock)
    router = Router(
        [deployment(a), deployment(b, "openai/gpt-4o")],
        clock=clock,
        **{"retry": None, **options},  # type: ignore[arg-type]
    )
    return router, a, b, clock


def test_a_router_is_a_chat_model() -> None:
    router, *_ = pair()
    assert isinstance(router, ChatModel)
    assert router.provider == "router"


@pytest.mark.parametrize(
    "error",
    [
        ConnectionError("reset", provider="fake"),
        TimeoutError("slow", provider="fake"),
        RateLimitError("429", provider="fake", status=429),
        ProviderUnavailableError("500", provider="fake", status=500),
        ProviderUnavailableError("503", provider="fake", status=503),
        BadResponseError("garbled", provider="fake", status=200),
        StreamInterruptedError("cut before any event", provider="fake"),
    ],
    ids=lambda e: type(e).__name__ + str(e.status or ""),
)
async def test_faults_fail_over(error: FluentAIError) -> None:
    router, a, _b, _ = pair()
    a.script(error)
    response = await router.complete(REQUEST)
    assert response.id == "b-1"
    route = Route.of(response)
    assert route is not None
    assert [(x.deployment, x.error) for x in route.attempts] == [
        ("a", type(error).__name__),
        ("b", None),
    ]
    assert route.deployment == "b"


@pytest.mark.parametrize(
    "error",
    [
        InvalidRequestError("bad", provider="fake", status=400),
        AuthenticationError("who", provider="fake", status=401),
        ContentFilteredError("no", provider="fake", status=400),
    ],
    ids=lambda e: type(e).__name__,
)
async def test_client_errors_never_fail_over(error: FluentAIError) -> None:
    router, a, b, _ = pair()
    a.script(error)
    with pytest.raises(type(error)) as info:
        await router.complete(REQUEST)
    assert info.value is error  # the same typed error the model raised
    assert not b.received
    route = Route.of(info.value)
    assert route is not None
    assert route.deployment is None
    assert [x.deployment for x in route.attempts] == ["a"]
    assert any("router (fallbacks) tried a" in note for note in info.value.__notes__)
    assert router.health()["a"].errors == 0  # the request's fault, not the deployment's


async def test_failover_on_adds_error_types() -> None:
    router, a, _, _ = pair(failover_on=[AuthenticationError])
    a.script(AuthenticationError("stale key", provider="fake", status=401))
    assert (await router.complete(REQUEST)).id == "b-1"
    assert router.health()["a"].errors == 0


async def test_when_every_deployment_fails_the_last_error_is_raised_with_the_route() -> None:
    router, a, b, _ = pair()
    a.script(ProviderUnavailableError("500", provider="fake", status=500))
    b.script(RateLimitError("429", provider="fake", status=429, retry_after=3))
    with pytest.raises(RateLimitError) as info:
        await router.complete(REQUEST)
    route = Route.of(info.value)
    assert route is not None
    assert [(x.deployment, x.error, x.status) for x in route.attempts] == [
        ("a", "ProviderUnavailableError", 500),
        ("b", "RateLimitError", 429),
    ]


async def test_nothing_available_raises_a_typed_error_with_the_soonest_retry() -> None:
    router, a, b, _ = pair()
    a.script(RateLimitError("429", provider="fake", status=429, retry_after=20))
    b.script(RateLimitError("429", provider="fake", status=429, retry_after=8))
    with pytest.raises(RateLimitError):
        await router.complete(REQUEST)
    with pytest.raises(NoDeploymentAvailableError) as info:
        await router.complete(REQUEST)
    assert info.value.retry_after == 8
    assert info.value.retryable
    route = Route.of(info.value)
    assert route is not None
    assert not route.attempts
    assert {s.reason for s in route.skipped} == {"cooling down"}
    assert len(a.received) == len(b.received) == 1


async def test_a_second_round_waits_for_the_retry_after_then_tries_again() -> None:
    clock = FakeClock()
    only = FakeModel("only", clock)
    router = Router(
        [deployment(only)], clock=clock, retry=RetryPolicy(max_attempts=2, sleep=clock.sleep)
    )
    only.script(RateLimitError("429", provider="fake", status=429, retry_after=2.5))
    response = await router.complete(REQUEST)
    assert response.id == "only-2"
    assert clock.sleeps == [2.5]
    route = Route.of(response)
    assert route is not None
    assert [x.error for x in route.attempts] == ["RateLimitError", None]


async def test_a_stream_fails_over_before_its_first_event() -> None:
    router, a, _b, _ = pair()
    a.script(ConnectionError("reset", provider="fake"))
    response = await collect_stream(router.stream(REQUEST))
    assert response.id == "b-1"
    assert Route.of(response).deployment == "b"  # type: ignore[union-attr]


async def test_a_stream_that_breaks_after_its_headers_only_still_fails_over() -> None:
    router, a, _b, _ = pair()
    a.script(Broken(StreamInterruptedError("cut", provider="fake"), sent=0))
    response = await collect_stream(router.stream(REQUEST))
    assert response.id == "b-1"


async def test_a_stream_that_broke_after_an_event_is_never_sent_again() -> None:
    router, a, b, _ = pair()
    cause = StreamInterruptedError("peer closed", provider="fake")
    cause.__cause__ = OSError("connection reset by peer")
    a.script(Broken(cause, sent=1))
    seen: list[StreamEvent] = []
    with pytest.raises(StreamInterruptedError) as info:
        await drain(router.stream(REQUEST), seen)
    assert info.value is cause
    assert isinstance(cause.__cause__, OSError)  # its own cause is kept
    assert [type(e).__name__ for e in seen] == ["ResponseStart", "TextDelta"]
    assert not b.received
    assert router.health()["a"].errors == 1


async def test_an_error_reported_mid_stream_becomes_a_stream_interruption() -> None:
    router, a, b, _ = pair()
    overloaded = ProviderUnavailableError("overloaded", provider="fake", status=529)
    a.script(Broken(overloaded, sent=2))
    with pytest.raises(StreamInterruptedError) as info:
        await collect_stream(router.stream(REQUEST))
    assert info.value.__cause__ is overloaded
    assert "deployment 'a'" in str(info.value)
    assert not b.received
    assert Route.of(info.value).attempts[0].error == "ProviderUnavailableError"  # type: ignore[union-attr]


async def test_a_client_error_mid_stream_passes_through_as_it_is() -> None:
    router, a, _, _ = pair()
    refused = ContentFilteredError("filtered", provider="fake")
    a.script(Broken(refused, sent=1))
    with pytest.raises(ContentFilteredError) as info:
        await collect_stream(router.stream(REQUEST))
    assert info.value is refused


async def test_the_route_comes_just_before_finish() -> None:
    router, a, _, _ = pair()
    a.script(ConnectionError("reset", provider="fake"))
    events = [event async for event in router.stream(REQUEST)]
    kinds = [type(e).__name__ for e in events]
    assert kinds == ["ResponseStart", "TextDelta", "UsageUpdate", "ProviderData", "Finish"]
    route = events[3].data["route"]  # type: ignore[union-attr]
    assert route["deployment"] == "b"
    assert [x["deployment"] for x in route["attempts"]] == ["a", "b"]


async def test_closing_a_stream_early_leaves_no_call_in_flight_and_no_verdict() -> None:
    router, _a, _, _ = pair()
    async with aclosing(router.stream(REQUEST)) as events:
        async for event in events:
            if isinstance(event, TextDelta):
                break
    health = router.health()["a"]
    assert health.in_flight == 0
    assert health.requests == 0
    assert health.errors == 0


async def test_a_cancelled_call_leaves_no_call_in_flight() -> None:
    class Slow(FakeModel):
        async def complete(self, request: ChatRequest):  # type: ignore[no-untyped-def]
            await asyncio.sleep(10)

    slow = Slow("slow")
    router = Router([deployment(slow)], retry=None)
    task = asyncio.create_task(router.complete(REQUEST))
    await asyncio.sleep(0.01)
    assert router.health()["slow"].in_flight == 1
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert router.health()["slow"].in_flight == 0


def test_the_sync_twins() -> None:
    router, a, _, _ = pair()
    a.script(ConnectionError("reset", provider="fake"))
    assert router.complete_sync(REQUEST).id == "b-1"
    texts = [e.text for e in router.stream_sync(REQUEST) if isinstance(e, TextDelta)]
    assert texts == ["ok"]
    with router:
        pass
    assert a.closed == 0  # a model given to a deployment belongs to its owner


async def drain(events: AsyncIterator[StreamEvent], into: list[StreamEvent]) -> None:
    """Read a stream to its end (or its error), keeping each event."""
    async for event in events:
        into.append(event)
