"""Intent routing: rules decide first, then labelled examples by meaning, and the rules
and examples can be replaced while requests are being routed.

Embeddings come from the word-hash test double (closeness is shared words), so which
examples a text is near is known exactly.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import pytest

from fluent_ai.embeddings import Embeddings, InputType, ProgressCallback
from fluent_ai.engine.intent import IntentRouter, Method
from fluent_ai.engine.intent_rules import Rule
from fluent_ai.types import ChatRequest, ConfigurationError, ImagePart, Message, ToolSpec
from tests.support.word_hash import WordHashEmbedder

EXAMPLES = {
    "billing": ["refund my order please", "I was charged twice for my order", "invoice is wrong"],
    "support": ["the app crashes on start", "login page shows an error", "app is slow today"],
}


def request(text: str, **fields: Any) -> ChatRequest:
    return ChatRequest(model="m", messages=[Message.user(text)], **fields)


class Gated(WordHashEmbedder):
    """The word-hash double, holding each query until ``gate`` opens (to catch a
    request in flight while the examples change)."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()
        self.waiting = asyncio.Event()

    async def embed(
        self,
        texts: Sequence[str],
        *,
        input_type: InputType | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Embeddings:
        if input_type == "query":
            self.waiting.set()
            await self.gate.wait()
        return await super().embed(texts, input_type=input_type)


async def test_rules_decide_first_in_order_and_no_embedding_is_made() -> None:
    image = ImagePart(url="https://example.com/cat.png")
    tool = ToolSpec(name="lookup", description="look up", parameters={"type": "object"})
    router = await IntentRouter.build(
        [
            Rule("vision", has_images=True),
            Rule("tools", has_tools=True),
            Rule("finance", keywords=("invoice", "refund"), name="money words"),
            Rule("code", pattern=r"```|\bdef\b"),
            Rule("vip", metadata={"tier": "gold"}),
            Rule("long", min_chars=200),
        ],
        embedder=WordHashEmbedder(fail_documents=True),  # no examples: nothing to embed
    )

    seen = ChatRequest(model="m", messages=[Message.user("what is this?", image)])
    assert await router.route(seen) == "vision"
    assert await router.route(request("refund it", tools=[tool])) == "tools"  # first wins
    decision = await router.explain(request("Where is my INVOICE?"))
    assert (decision.route, decision.by, decision.rule) == ("finance", "rule", "money words")
    assert str(decision) == "finance: rule 'money words' matched"
    assert await router.route(request("please review:\n```x = 1```")) == "code"
    assert await router.route(request("hello", metadata={"tier": "gold"})) == "vip"
    assert await router.route("x" * 250) == "long"
    assert await router.route("invoiceless talk") == "default"  # keywords are whole words


@pytest.mark.parametrize("method", ["centroid", "knn"])
async def test_examples_route_by_meaning(method: Method) -> None:
    router = await IntentRouter.build(
        examples=EXAMPLES,
        embedder=WordHashEmbedder(),
        method=method,
        k=3,
    )
    billing = await router.explain("please refund my last order")
    assert (billing.route, billing.by) == ("billing", "examples")
    assert billing.confidence is not None
    assert billing.confidence >= 0.3
    assert billing.neighbours[0].text == "refund my order please"
    assert await router.route("my app crashes with an error") == "support"


async def test_nothing_close_enough_goes_to_the_default_with_the_evidence() -> None:
    router = await IntentRouter.build(
        examples=EXAMPLES, embedder=WordHashEmbedder(), threshold=0.6, default="general"
    )
    decision = await router.explain("tell me a joke about penguins")
    assert (decision.route, decision.by) == ("general", "default")
    assert decision.confidence is not None
    assert decision.confidence < 0.6
    assert len(decision.neighbours) == 5
    assert str(decision).startswith("general: default, nothing close enough (")


async def test_examples_are_replaced_while_a_request_is_in_flight() -> None:
    embedder = Gated()
    embedder.gate.set()
    router = await IntentRouter.build(examples=EXAMPLES, embedder=embedder)
    embedder.gate.clear()
    in_flight = asyncio.create_task(router.route("refund my order"))
    await embedder.waiting.wait()
    await router.update(examples={"returns": ["refund my order please"]})
    embedder.gate.set()

    assert await in_flight == "billing"  # decided on the examples it started with
    assert await router.route("refund my order") == "returns"
    await router.update(rules=[Rule("urgent", keywords=("refund",))])  # examples kept
    assert await router.route("refund my order") == "urgent"
    assert await router.route("please send my order") == "returns"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Rule("x"), "has no condition"),
        (lambda: Rule("x", pattern="(unclosed"), "is not a regular expression"),
        (lambda: Rule("x", keywords="refund"), "a list of words"),  # type: ignore[arg-type]
        (lambda: Rule("", keywords=("a",)), "needs a route"),
        (lambda: IntentRouter(method="vote"), "method must be"),  # type: ignore[arg-type]
        (lambda: IntentRouter(threshold=2.0), "cosine similarity"),
    ],
)
def test_bad_settings_are_refused_with_the_reason(make: object, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        make()  # type: ignore[operator]


async def test_empty_examples_are_refused() -> None:
    router = IntentRouter(embedder=WordHashEmbedder())
    with pytest.raises(ConfigurationError, match="non-empty string"):
        await router.update(examples={"billing": ["  "]})
