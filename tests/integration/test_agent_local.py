"""The agent on the offline local model: the same API as for remote providers."""

from __future__ import annotations

import pytest

from fluent_ai.agent import Agent, Continue, FluentAI, Reply, Reprompt
from fluent_ai.types import TextDelta

pytestmark = pytest.mark.slow


def offline_agent() -> Agent[None]:
    return (
        FluentAI.agent("offline")
        .model("local/smollm2")
        .temperature(0)
        .max_tokens(16)
        .system_prompt("You are a concise geography tutor for {{ name }}.", name="Ada")
        .build()
    )


def test_chat_and_stream_with_a_templated_system_prompt() -> None:
    agent = offline_agent()
    reply = agent.chat_sync("What is the capital of France?")
    assert "Paris" in reply.text
    assert reply.usage.output_tokens > 0
    assert reply.cost_usd == 0.0  # the local model is free, and the registry knows it
    deltas = [e for e in agent.stream_sync("And of Italy?") if isinstance(e, TextDelta)]
    assert len(deltas) > 1
    assert [m.role for m in agent.history] == ["user", "assistant", "user", "assistant"]


def test_loop_follows_reprompt_then_continue() -> None:
    agent = offline_agent()
    replies: list[Reply] = []

    def handler(reply: Reply) -> Reprompt | Continue:
        replies.append(reply)
        return Reprompt("And of Italy?") if len(replies) == 1 else Continue()

    def read(prompt: str) -> str:
        raise EOFError  # the user closes the input: the loop ends

    written: list[str] = []
    agent.loop(handler, first="What is the capital of France?", read=read, write=written.append)
    assert len(replies) == 2
    assert [m.text for m in agent.history if m.role == "user"] == [
        "What is the capital of France?",
        "And of Italy?",
    ]
    assert "".join(written) == replies[0].text + "\n" + replies[1].text + "\n"
