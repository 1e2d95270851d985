"""Active probes: one tiny call to each deployment, recorded as users' calls are.

Over the real HTTP path to loopback upstreams answering with recorded traffic or
failing on cue (:mod:`tests.support.faults`); cooldowns and circuits on a clock moved
by hand.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fluent_ai.engine import Deployment, HealthPolicy, Router
from fluent_ai.engine.probes import ProbeResult
from fluent_ai.types import ChatRequest, Message
from tests.support.faults import FakeClock, Hang, Status, Upstream, upstream

KEY_ENV = "ROUTER_PROBES_KEY"
ASK = ChatRequest(model="any", messages=[Message.user("What is the capital of France?")])


@pytest.fixture(autouse=True)
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "sk-test-probes")


@pytest.fixture
def two() -> Iterator[tuple[Upstream, Upstream]]:
    with upstream("a") as a, upstream("b") as b:
        yield a, b


def router(*ups: Upstream, **options: object) -> Router:
    deployments = [
        Deployment("openai/gpt-4o-mini", name=up.name, base_url=up.v1, api_key_env=KEY_ENV)
        for up in ups
    ]
    return Router(deployments, retry=None, **options)  # type: ignore[arg-type]


async def test_a_failing_deployment_is_found_before_any_user_call(
    two: tuple[Upstream, Upstream],
) -> None:
    a, b = two
    a.script(Status(500))
    clock = FakeClock()
    async with router(a, b, clock=clock, health=HealthPolicy(allowed_failures=1)) as r:
        results = await r.probe()
        assert [(p.deployment, p.outcome) for p in results] == [("a", "failed"), ("b", "answered")]
        assert results[0].detail is not None
        assert results[0].detail.startswith("ProviderUnavailableError")
        assert r.health()["a"].status == "cooling_down"
        answer = await r.complete(ASK)  # the user's call goes straight to b
    assert answer.id == "b-2"
    assert len(a.served) == 1
    [probe] = [s.body for s in b.served[:1]]
    assert probe["messages"] == [{"role": "user", "content": "ping"}]
    assert probe["max_completion_tokens"] == 1


async def test_a_probe_closes_a_recovered_circuit_and_passes_over_an_open_one(
    two: tuple[Upstream, Upstream],
) -> None:
    a, b = two
    a.script(Status(503), Status(503))
    clock = FakeClock()
    policy = HealthPolicy(allowed_failures=100, breaker_failures=2, open_for=10)
    async with router(a, b, clock=clock, health=policy) as r:
        await r.probe()
        await r.probe()
        assert r.health()["a"].circuit == "open"
        skipped: tuple[ProbeResult, ...] = await r.probe()
        assert (skipped[0].outcome, skipped[0].detail) == ("skipped", "circuit open")
        assert len(a.served) == 2  # an open circuit is not probed
        clock.advance(10)
        await r.probe()  # the half-open circuit's probe call, answered
        transitions = [(t.before, t.after) for t in r.health()["a"].transitions]
    assert transitions == [("closed", "open"), ("open", "half_open"), ("half_open", "closed")]


async def test_a_silent_deployment_fails_its_probe_at_the_timeout(
    two: tuple[Upstream, Upstream],
) -> None:
    a, b = two
    a.script(Hang(5.0))
    async with router(a, b) as r:
        results = await r.probe(within=0.2)
    assert results[0].outcome == "failed"
    assert "did not answer its probe within 0.2 s" in (results[0].detail or "")
    assert results[1].outcome == "answered"
