"""Routing by intent inside the router: a call that names no tags goes to the group its
intent decides, and the route says what decided.

Deployments are loopback upstreams answering with recorded OpenAI traffic
(``tests/support/faults.py``); examples are embedded with the word-hash test double, so
which examples a text is near is known exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fluent_ai.engine import Deployment, IntentRouter, Route, Router, Rule
from fluent_ai.types import (
    ChatRequest,
    ChatResponse,
    ConfigurationError,
    FluentAIError,
    Message,
    collect_stream,
)
from tests.support.faults import Status, Upstream, upstreams
from tests.support.word_hash import WordHashEmbedder

KEY_ENV = "ROUTER_INTENTS_KEY"
EXAMPLES = {
    "support": ["the app crashes on start", "login page shows an error", "app is slow today"],
}
MODES = ["stream", "complete"]


@pytest.fixture(autouse=True)
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "sk-test-router-intents")


@pytest.fixture
def ups() -> Iterator[list[Upstream]]:
    with upstreams("general", "billing", "support") as found:
        yield found


def request(text: str, **fields: object) -> ChatRequest:
    return ChatRequest.model_validate({"model": "any", "messages": [Message.user(text)], **fields})


def deployments(ups: list[Upstream]) -> list[Deployment]:
    return [
        Deployment(
            "openai/gpt-4o-mini",
            name=up.name,
            base_url=up.v1,
            api_key_env=KEY_ENV,
            tags=() if up.name == "general" else (up.name,),
        )
        for up in ups
    ]


async def intents(**options: object) -> IntentRouter:
    return await IntentRouter.build(
        [Rule("billing", keywords=("invoice", "refund"), name="money words")],
        EXAMPLES,
        embedder=WordHashEmbedder(),
        default="general",
        **options,
    )


async def call(router: Router, mode: str, text: str, **options: object) -> ChatResponse:
    asked = request(text)
    if mode == "stream":
        return await collect_stream(router.stream(asked, **options))  # type: ignore[arg-type]
    return await router.complete(asked, **options)  # type: ignore[arg-type]


def route_of(answer: ChatResponse) -> Route:
    route = Route.of(answer)
    assert route is not None
    return route


@pytest.mark.parametrize("mode", MODES)
async def test_rules_then_examples_then_the_default_choose_the_group(
    ups: list[Upstream], mode: str
) -> None:
    async with Router(deployments(ups), retry=None, intents=await intents()) as router:
        by_rule = await call(router, mode, "Where is my invoice?")
        route = route_of(by_rule)
        assert (by_rule.id, route.deployment) == ("billing-1", "billing")
        assert route.intent is not None
        assert (route.intent.route, route.intent.by, route.intent.rule) == (
            "billing",
            "rule",
            "money words",
        )
        assert route.intent.explanation == "billing: rule 'money words' matched"

        by_examples = route_of(await call(router, mode, "the app crashes again"))
        assert by_examples.deployment == "support"
        assert by_examples.intent is not None
        assert by_examples.intent.by == "examples"
        assert by_examples.intent.confidence is not None
        assert by_examples.intent.confidence >= 0.3
        assert "the app crashes on start" in by_examples.intent.explanation

        # "general" is the default route and no deployment carries it: every one may
        # answer, in the strategy's order.
        default = route_of(await call(router, mode, "hello there"))
        assert default.intent is not None
        assert default.intent.by == "default"
        assert default.deployment == "general"
        assert default.summary().startswith("intent general: default, nothing close enough")
    assert [len(up.served) for up in ups] == [1, 1, 1]


@pytest.mark.parametrize("mode", MODES)
async def test_tags_the_caller_names_win_and_no_decision_is_made(
    ups: list[Upstream], mode: str
) -> None:
    # Asked, it would send "my invoice" to billing.
    decided = await IntentRouter.build(
        [Rule("billing", keywords=("invoice",))], embedder=WordHashEmbedder()
    )
    async with Router(deployments(ups), retry=None, intents=decided) as router:
        named = route_of(await call(router, mode, "my invoice", tags=["support"]))
        assert (named.deployment, named.intent) == ("support", None)
        in_metadata = request("my invoice", metadata={"fluent_ai.tags": ["support"], "x": 1})
        if mode == "stream":
            answer = await collect_stream(router.stream(in_metadata))
        else:
            answer = await router.complete(in_metadata)
        assert (route_of(answer).deployment, route_of(answer).intent) == ("support", None)
    assert [len(up.served) for up in ups] == [0, 0, 2]


async def test_a_route_no_deployment_carries_is_a_clear_error_before_any_request(
    ups: list[Upstream],
) -> None:
    decided = await IntentRouter.build(
        [Rule("legal", pattern=r"\bcontract\b", name="contracts")], embedder=WordHashEmbedder()
    )
    async with Router(deployments(ups), retry=None, intents=decided) as router:
        with pytest.raises(ConfigurationError) as caught:
            await router.complete(request("review this contract"))
    message = str(caught.value)
    assert "sent this request to 'legal' (legal: rule 'contracts' matched)" in message
    assert "the tags in use are billing, support" in message
    assert all(not up.served for up in ups)


async def test_a_failed_call_reports_its_intent_too(ups: list[Upstream]) -> None:
    ups[1].script(Status(400))  # billing refuses: a client error, not failed over
    async with Router(deployments(ups), retry=None, intents=await intents()) as router:
        with pytest.raises(FluentAIError) as caught:
            await router.complete(request("my invoice is wrong"))
    route = Route.of(caught.value)
    assert route is not None
    assert route.intent is not None
    assert (route.intent.route, route.intent.rule) == ("billing", "money words")
    assert route.summary().startswith("intent billing: rule 'money words' matched; router")
    assert [len(up.served) for up in ups] == [0, 1, 0]


async def test_rules_replaced_at_run_time_route_the_next_call(ups: list[Upstream]) -> None:
    decided = await intents()
    async with Router(deployments(ups), retry=None, intents=decided) as router:
        assert route_of(await call(router, "complete", "a refund")).deployment == "billing"
        await decided.update(rules=[Rule("support", keywords=("refund",), name="refunds")])
        moved = route_of(await call(router, "complete", "a refund"))
    assert moved.deployment == "support"
    assert moved.intent is not None
    assert moved.intent.rule == "refunds"


async def test_the_router_closes_the_intent_router_with_itself(ups: list[Upstream]) -> None:
    class Counting(IntentRouter):
        closed = 0

        async def aclose(self) -> None:
            self.closed += 1
            await super().aclose()

    decided = Counting(embedder=WordHashEmbedder())
    async with Router(deployments(ups), intents=decided):
        pass
    assert decided.closed == 1


def test_the_intent_survives_the_json_round_trip() -> None:
    from fluent_ai.engine.route import Intent

    route = Route(
        "fallbacks",
        "billing",
        intent=Intent("billing", "examples", "billing: examples…", confidence=0.8123456789),
    )
    data = route.as_dict()
    assert data["intent"]["confidence"] == 0.812346
    back = Route.from_dict(data)
    assert back.intent == Intent("billing", "examples", "billing: examples…", None, 0.812346)
    assert Route.from_dict(Route("fallbacks", "a").as_dict()).intent is None


CONFIG = """
routers:
  main:
    intents:
      default: general
      threshold: 0.4
      rules:
        - {route: billing, keywords: [invoice, refund], name: money words}
        - {route: support, pattern: "crash|error"}
    deployments:
      - {model: openai/gpt-4o-mini, name: general, base_url: BASE/general, api_key_env: KEY}
      - {model: openai/gpt-4o-mini, name: billing, base_url: BASE/billing, tags: [billing]}
      - {model: openai/gpt-4o-mini, name: support, base_url: BASE/support, tags: [support]}
"""


async def test_an_intents_block_in_the_yaml_file(tmp_path: Path, ups: list[Upstream]) -> None:
    text = CONFIG.replace("KEY", KEY_ENV)
    for up in ups:
        text = text.replace(f"BASE/{up.name}", up.v1)
    text = text.replace("tags:", f"api_key_env: {KEY_ENV}, tags:")
    path = tmp_path / "router.yaml"
    path.write_text(text)
    async with Router.from_config(path, "main") as router:
        decided = router._plan.intents
        assert decided is not None
        assert (decided.default, decided.threshold) == ("general", 0.4)
        assert route_of(await call(router, "stream", "refund please")).deployment == "billing"
        crashed = route_of(await call(router, "complete", "it shows an error"))
        assert crashed.deployment == "support"
        assert crashed.intent is not None
        assert crashed.intent.explanation == "support: rule 'support' matched"


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("[a, b]", "intents must be a mapping"),
        ("{colour: red}", "unknown setting(s) colour; use default, embedder, examples"),
        ("{rules: [{route: x}]}", "rule 1: routing rule 'x' has no condition"),
        ("{rules: [{route: x, size: 3}]}", "rule 1: unknown setting(s) size"),
        ("{rules: {route: x}}", "'rules' must be a list of rules"),
        ("{examples: [a, b]}", "'examples' must map each route to a list of texts"),
        ("{method: nearest}", "method must be 'centroid' or 'knn'"),
        ("{rules: [{route: x, pattern: '('}]}", "is not a regular expression"),
    ],
)
def test_a_bad_intents_block_says_what_is_wrong(tmp_path: Path, block: str, expected: str) -> None:
    path = tmp_path / "router.yaml"
    path.write_text(f"intents: {block}\ndeployments: [openai/gpt-4o-mini]\n")
    with pytest.raises(ConfigurationError) as caught:
        Router.from_config(path)
    assert expected in str(caught.value)
    assert f"{path}: intents" in str(caught.value)
