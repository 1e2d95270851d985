"""The router over the real HTTP path, against loopback upstreams that fail on cue.

Each upstream (:mod:`tests.support.faults`) answers with recorded OpenAI or Anthropic
traffic, or injects a 429 with ``Retry-After``, a 500 or 503, a slow first byte, a
hang, a connection reset or a stream cut mid-way. Each test checks which deployment
answered and why the others were passed over, the circuit's transitions, that nothing
was sent again once a stream had started, and that every call ended exactly once with
every upstream request accounted for. Cooldowns and circuits run on a clock moved by
hand; only the timeouts are real (a few tenths of a second).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack

import pytest

from fluent_ai.engine import Deployment, HealthPolicy, Route, Router
from fluent_ai.http import Timeouts
from fluent_ai.types import (
    ChatRequest,
    ChatResponse,
    FluentAIError,
    Message,
    StreamEvent,
    StreamInterruptedError,
    TextDelta,
    collect_stream,
)
from tests.support.faults import (
    Action,
    Cut,
    FakeClock,
    Hang,
    Ok,
    Reset,
    Status,
    Upstream,
    upstream,
)

KEY_ENV = "ROUTER_FAULTS_KEY"
TIMEOUTS = Timeouts(connect=2.0, read=0.5, write=2.0, pool=2.0, total=5.0)
REQUEST = ChatRequest(model="any", messages=[Message.user("What is the capital of France?")])
MODES = ["stream", "complete"]


@pytest.fixture(autouse=True)
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "sk-test-router-key")


@pytest.fixture
def two() -> Iterator[tuple[Upstream, Upstream]]:
    with upstream("a") as a, upstream("b") as b:
        yield a, b


def deployment(up: Upstream, spec: str = "openai/gpt-4o-mini", **options: object) -> Deployment:
    base = up.v1 if spec.startswith("openai/") else up.base_url
    options = {"timeouts": TIMEOUTS, **options}
    return Deployment(spec, name=up.name, base_url=base, api_key_env=KEY_ENV, **options)  # type: ignore[arg-type]


def router(*ups: Upstream, **options: object) -> Router:
    return Router([deployment(up) for up in ups], **{"retry": None, **options})  # type: ignore[arg-type]


async def call(router: Router, mode: str, request: ChatRequest = REQUEST) -> ChatResponse:
    if mode == "stream":
        return await collect_stream(router.stream(request))
    return await router.complete(request)


def route_of(answer: ChatResponse | BaseException) -> Route:
    route = Route.of(answer)
    assert route is not None
    return route


@pytest.mark.parametrize("mode", MODES)
async def test_a_429_with_retry_after_fails_over_and_cools_the_deployment_down(
    two: tuple[Upstream, Upstream], mode: str
) -> None:
    a, b = two
    clock = FakeClock()
    a.script(Status(429, retry_after=30))
    async with router(a, b, clock=clock) as r:
        response = await call(r, mode)
        assert response.id == "b-1"
        route = route_of(response)
        assert [(x.deployment, x.error, x.status) for x in route.attempts] == [
            ("a", "RateLimitError", 429),
            ("b", None, None),
        ]
        assert route.strategy == "fallbacks"
        health = r.health()["a"]
        assert health.status == "cooling_down"
        assert health.cooldown_left == 30
        assert health.circuit == "closed"  # busy, not broken

        # While it cools down, not one request reaches it.
        route = route_of(await call(r, mode))
        assert route.skipped[0].deployment == "a"
        assert route.skipped[0].reason == "cooling down"
        assert len(a.served) == 1

        clock.advance(30)
        assert (await call(r, mode)).id == "a-2"


@pytest.mark.parametrize("mode", MODES)
async def test_500_and_503_fail_over_open_the_circuit_and_a_probe_closes_it(
    two: tuple[Upstream, Upstream], mode: str
) -> None:
    a, b = two
    clock = FakeClock()
    policy = HealthPolicy(allowed_failures=100, breaker_failures=2, open_for=10)
    a.script(Status(500), Status(503))
    async with router(a, b, clock=clock, health=policy) as r:
        errors = []
        for _ in range(2):
            errors.append(route_of(await call(r, mode)).attempts[0])
        assert [(x.error, x.status) for x in errors] == [
            ("ProviderUnavailableError", 500),
            ("ProviderUnavailableError", 503),
        ]
        assert r.health()["a"].circuit == "open"

        route = route_of(await call(r, mode))
        assert route.skipped[0].reason == "circuit open"
        assert len(a.served) == 2  # open: nothing sent

        clock.advance(10)
        response = await call(r, mode)
        assert response.id == "a-3"  # the probe
        transitions = [(t.before, t.after) for t in r.health()["a"].transitions]
        assert transitions == [("closed", "open"), ("open", "half_open"), ("half_open", "closed")]
        assert len(b.served) == 3


async def test_a_failed_probe_opens_the_circuit_again(two: tuple[Upstream, Upstream]) -> None:
    a, b = two
    a.default = Status(503)
    clock = FakeClock()
    policy = HealthPolicy(allowed_failures=100, breaker_failures=1, open_for=5)
    async with router(a, b, clock=clock, health=policy) as r:
        await call(r, "stream")
        clock.advance(5)
        route = route_of(await call(r, "stream"))
        assert route.attempts[0].deployment == "a"
        assert route.deployment == "b"
        health = r.health()["a"]
        assert health.circuit == "open"
        assert [t.after for t in health.transitions] == ["open", "half_open", "open"]
        assert health.transitions[-1].reason == "probe failed: ProviderUnavailableError"
        assert len(a.served) == 2
        assert len(b.served) == 2


async def test_a_slow_first_byte_fails_a_stream_over(two: tuple[Upstream, Upstream]) -> None:
    a, b = two
    a.script(Ok(first_byte=5.0))  # the headers at once, then nothing
    # a's own read timeout is the default two minutes: only the router's limit applies.
    deployments = [deployment(a, timeouts=None), deployment(b)]
    async with Router(deployments, first_event_timeout=1.0, retry=None) as r:
        response = await call(r, "stream")
    assert response.id == "b-1"
    attempt = route_of(response).attempts[0]
    assert attempt.error == "TimeoutError"
    assert "sent no first event within 1 s" in (attempt.message or "")
    assert 1.0 <= attempt.seconds < 3.0


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Hang(5.0), "TimeoutError"),
        (Ok(delay=2.0), "TimeoutError"),
        (Reset(), "ConnectionError"),
    ],
    ids=["hang", "slow-headers", "reset"],
)
async def test_timeouts_and_resets_fail_over(
    two: tuple[Upstream, Upstream], mode: str, fault: Hang | Ok | Reset, error: str
) -> None:
    a, b = two
    a.script(fault)
    async with router(a, b) as r:
        response = await call(r, mode)
    assert response.text
    assert response.id == "b-1"
    assert [(x.deployment, x.error) for x in route_of(response).attempts] == [
        ("a", error),
        ("b", None),
    ]
    assert len(a.served) == 1  # the deployment's own HTTP client did not retry


async def test_a_stream_cut_after_its_first_answer_event_is_never_sent_again(
    two: tuple[Upstream, Upstream],
) -> None:
    a, b = two
    a.script(Cut(after=2))  # the role chunk and "Paris", then a reset
    seen: list[StreamEvent] = []
    async with router(a, b) as r:
        with pytest.raises(StreamInterruptedError) as info:
            await drain(r.stream(REQUEST), seen)
        assert [e.text for e in seen if isinstance(e, TextDelta)] == ["Paris"]
        assert not b.served  # nothing sent again, neither elsewhere
        assert len(a.served) == 1  # nor to the same upstream
        route = route_of(info.value)
        assert [(x.deployment, x.error) for x in route.attempts] == [
            ("a", "StreamInterruptedError")
        ]
        assert r.health()["a"].errors == 1


@pytest.mark.parametrize(
    ("flavour", "spec", "after"),
    [("openai", "openai/gpt-4o-mini", 1), ("anthropic", "anthropic/claude-haiku-4-5", 3)],
)
async def test_a_stream_cut_before_any_answer_event_fails_over(
    flavour: str, spec: str, after: int
) -> None:
    with upstream("a", flavour) as a, upstream("b", flavour) as b:
        a.script(Cut(after=after))  # only the preamble (response id, usage) arrived
        async with Router([deployment(a, spec), deployment(b, spec)], retry=None) as r:
            events = [e async for e in r.stream(REQUEST)]
    response = await collect_stream(_replay(events))
    assert response.id == "b-1"
    assert [type(e).__name__ for e in events].count("ResponseStart") == 1
    assert route_of(response).attempts[0].error == "StreamInterruptedError"


async def test_latency_routes_streams_to_the_fastest_first_byte(
    two: tuple[Upstream, Upstream],
) -> None:
    a, b = two
    a.default = Ok(first_byte=0.3)
    async with router(a, b, strategy="latency") as r:
        warm = [(await call(r, "stream")).id for _ in range(2)]
        assert warm == ["a-1", "b-1"]  # each measured once
        answered = {route_of(await call(r, "stream")).deployment for _ in range(4)}
        health = r.health()
    assert answered == {"b"}
    assert health["a"].first_event_avg is not None
    assert health["b"].first_event_avg is not None
    assert health["a"].first_event_avg > 0.3
    assert health["a"].first_event_avg > health["b"].first_event_avg


@pytest.mark.parametrize("strategy", ["cost", "weighted"])
async def test_cost_and_weight_pick_over_http(
    two: tuple[Upstream, Upstream], strategy: str
) -> None:
    a, b = two
    # a is gpt-4o (registry: $2.50 / $10 per million), b gpt-4o-mini ($0.15 / $0.60);
    # for the weighted strategy a has weight 0: a last resort.
    deployments = [deployment(a, "openai/gpt-4o", weight=0), deployment(b)]
    async with Router(deployments, strategy=strategy, retry=None) as r:  # type: ignore[arg-type]
        routes = [route_of(await call(r, mode)) for mode in MODES]
        b.script(Status(500))
        both = route_of(await call(r, "stream"))  # b fails: a, last, answers
    assert {(x.strategy, x.deployment) for x in routes} == {(strategy, "b")}
    assert [(x.deployment, x.error) for x in both.attempts] == [
        ("b", "ProviderUnavailableError"),
        ("a", None),
    ]
    assert len(a.served) == 1


async def test_history_of_another_protocol_is_not_sent() -> None:
    with upstream("gpt", "openai") as gpt, upstream("claude", "anthropic") as claude:
        gpt.script(Status(503))
        deployments = [
            deployment(gpt, "openai/gpt-4o-mini"),
            deployment(claude, "anthropic/claude-haiku-4-5"),
        ]
        conversation = [
            Message.user("hi"),
            Message(role="assistant", parts=[Message.user("Hello").parts[0]]),
            Message.user("What is the capital of France?"),
        ]
        extra = {
            "anthropic_content": [[{"type": "text", "text": "Hello"}]],
            "responses_items": [[{"type": "message", "id": "msg_1"}]],
        }
        request = ChatRequest(model="any", messages=conversation, extra=extra)
        async with Router(deployments, retry=None) as r:
            response = await r.complete(request)
    assert response.provider == "anthropic"
    assert route_of(response).deployment == "claude"
    assert not {"anthropic_content", "responses_items"} & set(gpt.served[0].body)
    assert "responses_items" not in claude.served[0].body
    assert claude.served[0].body["messages"][1]["content"] == [{"type": "text", "text": "Hello"}]


async def test_no_call_is_lost_or_answered_twice_under_concurrent_faults() -> None:
    faults: list[Action] = [
        Status(429, retry_after=0),
        Status(500),
        Status(503),
        Reset(),
        Hang(5.0),
        Cut(2),
    ]
    with ExitStack() as stack:
        ups = [stack.enter_context(upstream(name)) for name in ("a", "b", "c")]
        for up, rotate in zip(ups, (0, 2, 4), strict=True):
            up.script(*(faults[rotate:] + faults[:rotate]))
        policy = HealthPolicy(allowed_failures=1000, breaker_failures=1000)
        async with router(*ups, strategy="least-busy", health=policy) as r:
            calls = [call(r, MODES[i % 2]) for i in range(40)]
            outcomes = await asyncio.gather(*calls, return_exceptions=True)
            assert all(m.in_flight == 0 for m in r.health().deployments)

    answers = [o for o in outcomes if isinstance(o, ChatResponse)]
    failures = [o for o in outcomes if not isinstance(o, ChatResponse)]
    assert len(answers) + len(failures) == 40
    # A failure is only ever a stream cut after it had started, with its route.
    for failure in failures:
        assert isinstance(failure, StreamInterruptedError), repr(failure)
        assert route_of(failure).attempts[-1].error == "StreamInterruptedError"
    # Every answer came from exactly one upstream request, which wrote a whole answer.
    served = {s.answer_id: s for up in ups for s in up.served}
    ids = [str(a.id) for a in answers]
    assert len(set(ids)) == len(ids)
    assert all(served[i].answered for i in ids)
    assert sum(1 for s in served.values() if s.answered) == len(answers)
    # Every upstream request is one attempt of one call's route, and the other way round.
    routes = [route_of(o) for o in outcomes if isinstance(o, ChatResponse | FluentAIError)]
    assert sum(len(route.attempts) for route in routes) == len(served)
    assert sum(len(up.served) for up in ups) == len(served)


async def _replay(events: list[StreamEvent]) -> AsyncIterator[StreamEvent]:
    for event in events:
        yield event


async def drain(events: AsyncIterator[StreamEvent], into: list[StreamEvent]) -> None:
    """Read a stream to its end (or its error), keeping each event."""
    async for event in events:
        into.append(event)
