"""Cooldowns, the circuit breaker and ``router.health()``, on a clock moved by hand."""

from __future__ import annotations

import pytest

from fluent_ai.engine import HealthPolicy, Route, Router
from fluent_ai.engine.health import CircuitBreaker, CircuitState, Cooldown
from fluent_ai.types import (
    ChatRequest,
    ConfigurationError,
    Message,
    ProviderUnavailableError,
    RateLimitError,
)
from tests.support.faults import FakeClock
from tests.unit.engine.router_fakes import Answer, FakeModel, deployment

REQUEST = ChatRequest(model="any", messages=[Message.user("hello")])


def boom() -> ProviderUnavailableError:
    return ProviderUnavailableError("down", provider="fake", status=503)


def test_a_cooldown_starts_after_n_failures_within_the_window() -> None:
    cooldown = Cooldown(HealthPolicy(allowed_failures=3, window=10, cooldown=5))
    cooldown.failure(0.0)
    cooldown.failure(11.0)  # the first has left the window
    cooldown.failure(12.0)
    assert not cooldown.active(12.0)
    cooldown.failure(13.0)
    assert cooldown.active(13.0)
    assert cooldown.active(17.9)
    assert not cooldown.active(18.0)


def test_a_retry_after_cools_down_for_as_long_as_the_provider_asked() -> None:
    cooldown = Cooldown(HealthPolicy())
    cooldown.retry_after(100.0, 7.5)
    assert cooldown.active(107.4)
    assert not cooldown.active(107.5)


def test_the_breaker_goes_closed_open_half_open_closed() -> None:
    breaker = CircuitBreaker(HealthPolicy(breaker_failures=3, open_for=30, half_open_probes=2))
    for at in (1.0, 2.0):
        breaker.failure(at, False, "ProviderUnavailableError")
    breaker.success(2.5, False)  # a success in between starts the count again
    for at in (3.0, 4.0):
        breaker.failure(at, False, "ProviderUnavailableError")
    assert state(breaker) == "closed"
    breaker.failure(5.0, False, "TimeoutError")
    assert state(breaker) == "open"
    assert breaker.refusal(34.9) == "circuit open"
    assert breaker.refusal(35.0) is None
    assert state(breaker) == "half_open"
    assert breaker.admit(35.0)
    assert breaker.admit(35.0)
    assert breaker.refusal(35.0) == "circuit half-open, probes in flight"
    breaker.success(36.0, True)
    assert state(breaker) == "closed"
    breaker.release(True)  # the second probe ends after the circuit closed: no effect
    assert [(t.before, t.after) for t in breaker.transitions] == [
        ("closed", "open"),
        ("open", "half_open"),
        ("half_open", "closed"),
    ]
    assert breaker.transitions[0].at == 5.0
    assert "3 failures in a row" in breaker.transitions[0].reason


def test_a_failed_probe_opens_the_circuit_again() -> None:
    breaker = CircuitBreaker(HealthPolicy(breaker_failures=1, open_for=10))
    breaker.failure(0.0, False, "ConnectionError")
    assert breaker.refusal(10.0) is None
    assert breaker.admit(10.0)
    breaker.failure(10.5, True, "ConnectionError")
    assert state(breaker) == "open"
    assert breaker.opened_at == 10.5
    assert breaker.refusal(20.0) == "circuit open"


def test_bad_policies_are_refused() -> None:
    with pytest.raises(ConfigurationError, match="half_open_probes"):
        HealthPolicy(half_open_probes=0)
    with pytest.raises(ConfigurationError, match="cooldown"):
        HealthPolicy(cooldown=-1)


async def test_the_router_opens_the_circuit_and_probes_it_back_to_closed() -> None:
    clock = FakeClock()
    primary, backup = FakeModel("primary", clock), FakeModel("backup", clock)
    policy = HealthPolicy(allowed_failures=100, breaker_failures=2, open_for=30)
    router = Router(
        [deployment(primary), deployment(backup, "openai/gpt-4o")],
        health=policy,
        clock=clock,
        retry=None,
    )
    primary.script(boom(), boom())
    for n in (1, 2):
        assert (await router.complete(REQUEST)).id == f"backup-{n}"
    assert router.health()["primary"].circuit == "open"

    # Open: the primary gets nothing at all, and the route says why.
    response = await router.complete(REQUEST)
    route = Route.of(response)
    assert route is not None
    assert route.deployment == "backup"
    assert [(s.deployment, s.reason) for s in route.skipped] == [("primary", "circuit open")]
    assert len(primary.received) == 2

    clock.advance(30)  # half-open: the next call is the probe, and it answers
    response = await router.complete(REQUEST)
    assert response.id == "primary-3"
    health = router.health()["primary"]
    assert health.circuit == "closed"
    assert health.status == "healthy"
    assert [(t.before, t.after) for t in health.transitions] == [
        ("closed", "open"),
        ("open", "half_open"),
        ("half_open", "closed"),
    ]


async def test_half_open_lets_through_only_the_probes_it_allows() -> None:
    clock = FakeClock()
    primary, backup = FakeModel("primary", clock), FakeModel("backup", clock)
    policy = HealthPolicy(breaker_failures=1, open_for=5, half_open_probes=1)
    router = Router(
        [deployment(primary), deployment(backup, "openai/gpt-4o")],
        health=policy,
        clock=clock,
        retry=None,
    )
    primary.script(boom())
    await router.complete(REQUEST)
    clock.advance(5)
    probe = router.stream(REQUEST)
    assert (await anext(probe)).id == "primary-2"  # type: ignore[union-attr]
    # While the probe streams, other calls go to the backup.
    other = await router.complete(REQUEST)
    assert Route.of(other).skipped[0].reason == "circuit half-open, probes in flight"  # type: ignore[union-attr]
    async for _ in probe:
        pass
    assert router.health()["primary"].circuit == "closed"


async def test_rate_limits_cool_down_but_do_not_open_the_circuit() -> None:
    clock = FakeClock()
    primary, backup = FakeModel("primary", clock), FakeModel("backup", clock)
    router = Router(
        [deployment(primary), deployment(backup, "openai/gpt-4o")],
        health=HealthPolicy(breaker_failures=1),
        clock=clock,
        retry=None,
    )
    primary.script(RateLimitError("slow down", provider="fake", status=429, retry_after=12))
    await router.complete(REQUEST)
    health = router.health()["primary"]
    assert health.circuit == "closed"
    assert health.status == "cooling_down"
    assert health.cooldown_left == 12
    clock.advance(12)
    assert (await router.complete(REQUEST)).id == "primary-2"


async def test_health_reports_error_rates_and_latency_percentiles() -> None:
    clock = FakeClock()
    model = FakeModel("only", clock, default=Answer(takes=0.1, then=0.2))
    router = Router(
        [deployment(model)],
        clock=clock,
        retry=None,
        health=HealthPolicy(allowed_failures=100, stats_window=60),
    )
    model.script(boom(), Answer(takes=1.0, then=1.0))
    with pytest.raises(ProviderUnavailableError):
        await router.complete(REQUEST)
    for _ in range(9):
        [event async for event in router.stream(REQUEST)]
    health = router.health()
    assert health.available == 1
    assert health.strategy == "fallbacks"
    only = health["only"]
    assert (only.requests, only.errors) == (10, 1)
    assert only.error_rate == pytest.approx(0.1)
    assert only.first_event is not None
    assert only.total is not None
    assert only.first_event.p50 == pytest.approx(0.1)
    assert only.first_event.p99 == pytest.approx(1.0)
    assert only.total.p50 == pytest.approx(0.3)
    assert only.last_error == "ProviderUnavailableError"
    assert only.in_flight == 0
    clock.advance(61)  # old samples leave the window; the averages stay
    assert router.health()["only"].requests == 0
    assert router.health()["only"].first_event_avg is not None


def state(breaker: CircuitBreaker) -> CircuitState:
    """The circuit's state, read through a call so that type checkers do not narrow it."""
    return breaker.state
