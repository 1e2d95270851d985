"""An agent over a router: ``.model(router)``, ``.model(spec).fallbacks(...)``, and who
closes what.

The router's deployments are loopback upstreams (``tests/support/faults.py``) that
answer with recorded OpenAI and Anthropic traffic or fail on cue, so the agent's calls
go over the real HTTP path and fail over for real.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fluent_ai.agent import AgentBuildError, FluentAI
from fluent_ai.engine import Cached, Deployment, Route, Router
from fluent_ai.providers.catalog import chat_model
from fluent_ai.types import TextDelta
from tests.support.faults import Status, Upstream, upstream, wait_until

KEY_ENV = "BUILDER_ROUTER_KEY"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "sk-test-builder-router")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-openai")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")


@pytest.fixture
def two() -> Iterator[tuple[Upstream, Upstream]]:
    with upstream("a") as a, upstream("b", "anthropic") as b:
        yield a, b


class CountingRouter(Router):
    """A real router that counts how often it is closed."""

    closed = 0

    async def aclose(self) -> None:
        self.closed += 1
        await super().aclose()


def router(a: Upstream, b: Upstream) -> CountingRouter:
    return CountingRouter(
        [
            Deployment("openai/gpt-4o-mini", name="a", base_url=a.v1, api_key_env=KEY_ENV),
            Deployment("anthropic/claude-haiku-4-5", name="b", base_url=b.base_url),
        ],
        retry=None,
    )


async def test_an_agent_over_a_router_fails_over_after_a_5xx(
    two: tuple[Upstream, Upstream],
) -> None:
    a, b = two
    a.script(Status(503), Status(500))
    shared = router(a, b)
    agent = FluentAI.agent("routed").model(shared).system_prompt("Be brief.").build()
    assert agent.config.model is shared
    assert agent.config.owns_model is False

    reply = await agent.chat("What is the capital of France?")
    assert reply.response.id == "b-1"
    assert reply.text
    route = Route.of(reply.response)
    assert route is not None
    assert [(x.deployment, x.error, x.status) for x in route.attempts] == [
        ("a", "ProviderUnavailableError", 503),
        ("b", None, None),
    ]
    # What reached the answering upstream: the agent's request, in Anthropic's form,
    # with the deployment's own model name.
    body = b.served[0].body
    assert body["model"] == "claude-haiku-4-5"
    assert body["system"] == "Be brief."

    streamed = [event async for event in agent.stream("And of Italy?")]
    assert "".join(e.text for e in streamed if isinstance(e, TextDelta))
    assert [s.action for s in a.served] == [Status(503), Status(500)]
    assert len(b.served) == 2
    wait_until(lambda: all(s.answered for s in b.served))  # the server thread's last write

    # A second agent shares the router's health: a has failed twice for both.
    other = FluentAI.agent("other").model(shared).build()
    assert shared.health()["a"].consecutive_failures == 2
    await agent.aclose()
    await other.aclose()
    assert shared.closed == 0  # given, so the agents leave it open
    reply = await other.chat("Still there?")
    assert reply.response.id == "a-3"  # a answers again once its script is spent
    await shared.aclose()
    assert shared.closed == 1


async def test_fallbacks_shorthand_builds_a_fallbacks_router_the_agent_closes(
    two: tuple[Upstream, Upstream], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = two
    monkeypatch.setenv("ANTHROPIC_BASE_URL", b.base_url)  # the fallback's, as a user sets it
    a.script(Status(502))
    agent = (
        FluentAI.agent("fallbacks")
        .model("openai/gpt-4o-mini", base_url=a.v1)
        .fallbacks("anthropic/claude-haiku-4-5")
        .build()
    )
    model = agent.config.model
    assert isinstance(model, Router)
    assert model.strategy == "fallbacks"
    assert [d.model for d in model.deployments] == [
        "openai/gpt-4o-mini",
        "anthropic/claude-haiku-4-5",
    ]
    assert agent.config.owns_model is True
    assert repr(agent) == (
        "Agent(name='fallbacks', model='openai/gpt-4o-mini then anthropic/claude-haiku-4-5')"
    )

    reply = await agent.chat("What is the capital of France?")
    route = Route.of(reply.response)
    assert route is not None
    assert (route.deployment, route.failed[0].deployment, route.failed[0].status) == (
        "anthropic/claude-haiku-4-5",
        "openai/gpt-4o-mini",
        502,
    )
    assert reply.response.id == "b-1"
    reply = await agent.chat("Again?")
    assert reply.response.id == "a-2"  # one 502 is no cooldown: the first is tried first
    assert a.served[1].body["model"] == "gpt-4o-mini"
    await agent.aclose()


async def test_a_wrapped_router_and_a_named_model_object(two: tuple[Upstream, Upstream]) -> None:
    a, _ = two
    cached = Cached(router(*two))
    agent = FluentAI.agent("cached").model(cached).temperature(0).build()
    first = await agent.chat("What is the capital of France?")
    agent.reset()
    second = await agent.chat("What is the capital of France?")
    assert first.text == second.text
    assert len(a.served) == 1  # the second answer came from the cache
    await cached.aclose()

    # A remote model object leaves the model name to the request: the agent needs it.
    remote = chat_model("openai/gpt-4o", api_key="sk-test", base_url=a.v1)
    with pytest.raises(AgentBuildError, match=r"name='gpt-4o-mini'"):
        FluentAI.agent("nameless").model(remote).build()
    named = FluentAI.agent("named").model(remote, name="gpt-4o").build()
    await named.chat("Hi")
    assert a.served[-1].body["model"] == "gpt-4o"
    await remote.aclose()


def test_what_cannot_be_built_says_which_call_to_fix() -> None:
    shared = Router(["openai/gpt-4o-mini"])
    with pytest.raises(AgentBuildError) as caught:
        FluentAI.agent("x").model(shared).fallbacks("anthropic/claude-haiku-4-5").build()
    (problem,) = caught.value.problems
    assert problem.startswith(".fallbacks('anthropic/claude-haiku-4-5'): fallbacks go with")
    assert "Router([...], strategy='fallbacks')" in problem

    with pytest.raises(AgentBuildError, match=r"api_key and base_url go with"):
        FluentAI.agent("x").model(shared, base_url="http://127.0.0.1:9").build()
    with pytest.raises(AgentBuildError, match=r"\.model\(42\): expected a 'provider/model'"):
        FluentAI.agent("x").model(42).build()  # type: ignore[arg-type]
    with pytest.raises(AgentBuildError, match=r"reads every key from the environment"):
        FluentAI.agent("x").model("openai/gpt-4o", api_key="sk-inline").fallbacks(
            "anthropic/claude-haiku-4-5"
        ).build()
    with pytest.raises(AgentBuildError) as caught:
        FluentAI.agent("x").model(shared).memory(object(), learn=True).build()  # type: ignore[arg-type]
    assert any(
        p.startswith(".memory(..., learn=True): the agent was given a model object")
        for p in caught.value.problems
    )
    with pytest.raises(AgentBuildError, match=r"deployment names must be unique"):
        FluentAI.agent("x").model("openai/gpt-4o").fallbacks("openai/gpt-4o").build()


def test_an_agent_that_does_not_route_does_not_import_the_engine() -> None:
    code = (
        "import sys\n"
        "from fluent_ai import FluentAI\n"
        "FluentAI.agent('a').model('openai/gpt-4o-mini', api_key='sk-x').build()\n"
        "print(sorted(m for m in sys.modules if m.startswith('fluent_ai.engine')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout.strip().replace("'", '"')) == []
