"""The README's own example model is known and priced, over a replayed real recording."""

from __future__ import annotations

import pytest

from fluent_ai.agent import FluentAI
from fluent_ai.models import resolve
from tests.support.cassettes import cassettes, load
from tests.support.replay import replay_server


@pytest.mark.parametrize("model", ["openai/gpt-4o-mini", "gpt-4o-mini"])
async def test_gpt_4o_mini_is_priced(model: str) -> None:
    (path,) = [p for p in cassettes("openai") if p.stem.endswith("gpt-4o-mini_")]
    items = load(path)
    with replay_server(items) as server:
        agent = (
            FluentAI.agent("priced")
            .model(model, api_key="sk-test", base_url=server.base_url + "/v1")
            .max_tokens(100)
            .build()
        )
        reply = await agent.chat("hello")
    usage = items[0].response_body["usage"]
    # LiteLLM's catalogue: $0.15 / $0.60 per million input / output tokens.
    expected = (usage["prompt_tokens"] * 0.15 + usage["completion_tokens"] * 0.6) / 1e6
    assert reply.cost_usd is not None
    assert reply.cost_usd == pytest.approx(expected)
    assert reply.cost_usd > 0
    assert resolve(model).source("input_price") == "litellm"
