"""Strategies, tags, the context-window fallback and what each deployment is sent."""

from __future__ import annotations

import random
from collections import Counter
from contextlib import aclosing

import pytest

from fluent_ai.engine import Deployment, Route, Router
from fluent_ai.engine.shape import PROTOCOL_HISTORY, needs
from fluent_ai.providers.history import HISTORY_KEYS
from fluent_ai.types import (
    ChatRequest,
    ConfigurationError,
    ContextLengthExceededError,
    ImagePart,
    Message,
    ProviderUnavailableError,
    UnsupportedFeatureError,
)
from tests.support.faults import FakeClock
from tests.unit.engine.router_fakes import Answer, FakeModel, deployment

REQUEST = ChatRequest(model="any", messages=[Message.user("hello")])


def answered_by(response: object) -> str:
    route = Route.of(response)  # type: ignore[arg-type]
    assert route is not None
    assert route.deployment is not None
    return route.deployment


async def test_fallbacks_keep_the_given_order() -> None:
    a, b = FakeModel("a"), FakeModel("b")
    router = Router([deployment(a), deployment(b, "openai/gpt-4o")], retry=None)
    assert {answered_by(await router.complete(REQUEST)) for _ in range(5)} == {"a"}


async def test_weighted_draws_first_choices_by_weight() -> None:
    a, b = FakeModel("a"), FakeModel("b")
    router = Router(
        [deployment(a, weight=3), deployment(b, "openai/gpt-4o", weight=1)],
        strategy="weighted",
        rng=random.Random(7),
        retry=None,
    )
    counts = Counter([answered_by(await router.complete(REQUEST)) for _ in range(2000)])
    assert counts["a"] / 2000 == pytest.approx(0.75, abs=0.04)


async def test_weight_zero_is_only_a_last_resort() -> None:
    a, b = FakeModel("a"), FakeModel("b")
    router = Router(
        [deployment(a, weight=0), deployment(b, "openai/gpt-4o")], strategy="weighted", retry=None
    )
    assert {answered_by(await router.complete(REQUEST)) for _ in range(50)} == {"b"}


async def test_latency_measures_each_then_prefers_the_fastest_first_event() -> None:
    clock = FakeClock()
    slow = FakeModel("slow", clock, default=Answer(takes=0.9, then=0.1))
    fast = FakeModel("fast", clock, default=Answer(takes=0.1, then=2.0))
    router = Router(
        [deployment(slow), deployment(fast, "openai/gpt-4o")],
        strategy="latency",
        clock=clock,
        retry=None,
    )
    # Unmeasured deployments go first, in the given order: each gets measured once.
    first = [answered_by(await router.complete(REQUEST)) for _ in range(2)]
    assert first == ["slow", "fast"]
    # For a whole answer the total time counts: slow (1.0 s) beats fast (2.1 s).
    assert answered_by(await router.complete(REQUEST)) == "slow"
    # For a stream the first event counts, once streams have measured it.
    for _ in range(2):
        [e async for e in router.stream(REQUEST)]
    streamed = [e async for e in router.stream(REQUEST)]
    assert streamed[0].id.startswith("fast")  # type: ignore[union-attr]
    health = router.health()
    assert health["fast"].first_event_avg == pytest.approx(0.1)


async def test_cost_prefers_the_cheapest_estimate_and_puts_unpriced_last() -> None:
    big, mini, unknown = FakeModel("big"), FakeModel("mini"), FakeModel("unknown")
    router = Router(
        [
            deployment(unknown, "openai-compatible/house-model"),
            deployment(big, "openai/gpt-4o"),
            deployment(mini, "openai/gpt-4o-mini"),
        ],
        strategy="cost",
        retry=None,
    )
    assert answered_by(await router.complete(REQUEST)) == "mini"
    mini.script(*[_unavailable()] * 1)
    route = Route.of(await router.complete(REQUEST))
    assert route is not None
    assert [a.deployment for a in route.attempts] == ["mini", "big"]


async def test_a_deployment_price_replaces_the_registry() -> None:
    big, mini = FakeModel("big"), FakeModel("mini")
    router = Router(
        [
            deployment(big, "openai/gpt-4o", input_price=0.01, output_price=0.01),
            deployment(mini, "openai/gpt-4o-mini"),
        ],
        strategy="cost",
        retry=None,
    )
    assert answered_by(await router.complete(REQUEST)) == "big"


async def test_least_busy_goes_where_fewest_calls_are_in_flight() -> None:
    a, b = FakeModel("a"), FakeModel("b")
    router = Router(
        [deployment(a), deployment(b, "openai/gpt-4o")], strategy="least-busy", retry=None
    )
    async with aclosing(router.stream(REQUEST)) as open_stream:
        assert (await anext(open_stream)).id == "a-1"  # type: ignore[union-attr]
        assert router.health()["a"].in_flight == 1
        assert answered_by(await router.complete(REQUEST)) == "b"
    assert answered_by(await router.complete(REQUEST)) == "a"


async def test_max_in_flight_passes_a_full_deployment_over() -> None:
    a, b = FakeModel("a"), FakeModel("b")
    router = Router([deployment(a, max_in_flight=1), deployment(b, "openai/gpt-4o")], retry=None)
    async with aclosing(router.stream(REQUEST)) as open_stream:
        await anext(open_stream)
        route = Route.of(await router.complete(REQUEST))
        assert route is not None
        assert route.deployment == "b"
        assert route.skipped[0].reason == "full: 1 calls in flight"


async def test_tags_select_a_group_by_argument_or_metadata() -> None:
    a, b, c = FakeModel("a"), FakeModel("b"), FakeModel("c")
    router = Router(
        [
            deployment(a, tags=("smart",)),
            deployment(b, "openai/gpt-4o", tags=("cheap", "eu")),
            deployment(c, "openai/gpt-4.1-mini", tags=("cheap",)),
        ],
        retry=None,
    )
    assert answered_by(await router.complete(REQUEST, tags=["cheap"])) == "b"
    assert answered_by(await router.complete(REQUEST, tags=["cheap", "eu"])) == "b"
    tagged = REQUEST.model_copy(update={"metadata": {"fluent_ai.tags": ["smart"], "user": "u1"}})
    assert answered_by(await router.complete(tagged)) == "a"
    assert a.received[-1].metadata == {"user": "u1"}  # the routing key is not sent on
    with pytest.raises(ConfigurationError, match="tags in use are cheap, eu, smart"):
        await router.complete(REQUEST, tags=["gpu"])


async def test_a_prompt_too_long_for_a_window_goes_to_one_that_fits() -> None:
    small, large = FakeModel("small"), FakeModel("large")
    router = Router(
        [deployment(small, "openai/gpt-3.5-turbo"), deployment(large, "openai/gpt-4o")],
        retry=None,
    )
    long = ChatRequest(model="any", messages=[Message.user("word " * 20_000)])
    route = Route.of(await router.complete(long))
    assert route is not None
    assert route.deployment == "large"
    assert route.skipped[0].deployment == "small"
    assert route.skipped[0].reason.startswith("context window: about 25004 tokens, window 16385")
    assert not small.received
    huge = ChatRequest(model="any", messages=[Message.user("word " * 200_000)])
    with pytest.raises(ContextLengthExceededError, match="fits no deployment's context window"):
        await router.complete(huge)


async def test_a_context_length_refusal_fails_over_to_a_larger_window_only() -> None:
    a, same, larger = FakeModel("a"), FakeModel("same"), FakeModel("larger")
    router = Router(
        [
            deployment(a, max_input_tokens=8000),
            deployment(same, max_input_tokens=8000),
            deployment(larger, max_input_tokens=32000),
        ],
        retry=None,
    )
    a.script(ContextLengthExceededError("too long", provider="fake", status=400))
    route = Route.of(await router.complete(REQUEST))
    assert route is not None
    assert route.deployment == "larger"
    assert [s.deployment for s in route.skipped] == ["same"]
    assert router.health()["a"].errors == 0


async def test_capabilities_the_registry_knows_are_required() -> None:
    text_only, vision = FakeModel("text-only"), FakeModel("vision")
    router = Router(
        [deployment(text_only, "openai/gpt-3.5-turbo"), deployment(vision, "openai/gpt-4o")],
        retry=None,
    )
    image = ImagePart(url="https://example.com/cat.png")
    request = ChatRequest(model="any", messages=[Message.user("what is this?", image)])
    assert answered_by(await router.complete(request)) == "vision"
    only_text = Router([deployment(FakeModel("t"), "openai/gpt-3.5-turbo")], retry=None)
    with pytest.raises(UnsupportedFeatureError, match="no image input"):
        await only_text.complete(request)


async def test_each_deployment_gets_its_model_settings_and_own_history() -> None:
    anthropic = FakeModel("claude", protocol_name="anthropic")
    openai = FakeModel("gpt", protocol_name="openai-chat")
    router = Router(
        [
            deployment(anthropic, "anthropic/claude-haiku-4-5", settings={"temperature": 0.1}),
            deployment(openai, "openai/gpt-4o", settings={"temperature": 0.9, "user": "svc"}),
        ],
        retry=None,
    )
    anthropic.script(_unavailable())
    carried = {"anthropic_content": [[{"type": "text", "text": "hi"}]], "responses_items": [[]]}
    request = REQUEST.model_copy(update={"extra": {**carried, "top_k": 3}, "temperature": None})
    await router.complete(request)
    sent_anthropic, sent_openai = anthropic.received[0], openai.received[0]
    assert sent_anthropic.model == "claude-haiku-4-5"
    assert sent_anthropic.temperature == 0.1
    assert set(sent_anthropic.extra) == {"anthropic_content", "top_k"}
    assert sent_openai.model == "gpt-4o"
    assert sent_openai.temperature == 0.9
    assert sent_openai.extra == {"user": "svc", "top_k": 3}
    # The caller's own settings win over the deployment's.
    await router.complete(REQUEST.model_copy(update={"temperature": 0.5}))
    assert anthropic.received[-1].temperature == 0.5


def test_every_history_key_belongs_to_one_protocol() -> None:
    assert set(PROTOCOL_HISTORY.values()) == HISTORY_KEYS


def test_the_prompt_estimate() -> None:
    request = ChatRequest(
        model="m",
        system="s" * 40,
        messages=[Message.user("x" * 400, ImagePart(url="https://e.com/a.png", detail="low"))],
        max_tokens=64,
    )
    shape = needs(request)
    assert shape.input_tokens == 4 + 85 + (40 + 400) // 4
    assert shape.output_tokens == 64
    assert shape.images
    assert not shape.tools


def test_deployments_are_checked_when_the_router_is_made() -> None:
    with pytest.raises(ConfigurationError, match="names must be unique"):
        Router(["openai/gpt-4o", "openai/gpt-4o"], retry=None)
    with pytest.raises(ConfigurationError, match="unknown routing strategy 'fastest'"):
        Router([deployment(FakeModel("a"))], strategy="fastest")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="bad settings"):
        Router([deployment(FakeModel("a"), settings={"temperature": "hot"})])
    with pytest.raises(ConfigurationError, match="at least one deployment"):
        Router([])


def test_a_missing_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ROUTER_TEST_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="ROUTER_TEST_KEY"):
        Router([Deployment("openai/gpt-4o", api_key_env="ROUTER_TEST_KEY")])


def _unavailable() -> ProviderUnavailableError:
    return ProviderUnavailableError("down", provider="fake", status=503)
