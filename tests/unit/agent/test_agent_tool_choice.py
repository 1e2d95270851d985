"""``.tool_choice(...)``: how the model must use tools on a run's first step, sent on
the wire, and released once the tools have run (or the loop would never end)."""

from __future__ import annotations

import pytest

from fluent_ai.agent import AgentBuildError, FluentAI
from fluent_ai.agent.builder import AgentBuilder
from tests.support.replay import Replay, replay_server
from tests.unit.agent.test_agent_learn import chat_answer
from tests.unit.memory.test_facts import answer


def capital(country: str) -> str:
    """The capital city of a country."""
    return {"France": "Paris"}.get(country, "unknown")


def agent(server: Replay) -> AgentBuilder:
    return (
        FluentAI.agent("atlas")
        .model("openai/gpt-4o", api_key="sk-test", base_url=server.base_url + "/v1")
        .tools(capital)
    )


@pytest.mark.parametrize(
    ("choice", "sent"),
    [
        ("required", "required"),
        ("capital", {"type": "function", "function": {"name": "capital"}}),
    ],
)
async def test_the_first_step_is_bound_and_the_next_is_free(choice: str, sent: object) -> None:
    called = answer(("capital", {"country": "France"}))
    with replay_server([called, chat_answer()]) as server:
        reply = await agent(server).tool_choice(choice).build().chat("Capital of France?")

    assert reply.text == "The capital of France is Paris."
    first, second = (received.body for received in server.received)
    assert first["tool_choice"] == sent
    assert "tool_choice" not in second  # after the tool ran, the model may answer
    assert second["messages"][-1]["content"] == "Paris"


async def test_without_a_choice_nothing_is_sent() -> None:
    with replay_server([chat_answer()]) as server:
        await agent(server).build().chat("Capital of France?")
    assert "tool_choice" not in server.received[0].body


@pytest.mark.parametrize(
    ("with_tools", "choice", "problem"),
    [
        (True, "weather", "one of the agent's tools (capital)"),
        (False, "capital", "the agent has no tools to name"),
    ],
)
def test_an_unknown_choice_is_a_build_problem(with_tools: bool, choice: str, problem: str) -> None:
    builder = FluentAI.agent("atlas").model("openai/gpt-4o", api_key="sk-test")
    if with_tools:
        builder = builder.tools(capital)
    with pytest.raises(AgentBuildError, match=r"\.tool_choice\(") as raised:
        builder.tool_choice(choice).build()
    assert problem in str(raised.value)


async def test_then_none_makes_the_next_step_answer_from_the_results() -> None:
    called = answer(("capital", {"country": "France"}))
    with replay_server([called, chat_answer()]) as server:
        built = agent(server).tool_choice("required", then="none").build()
        await built.chat("Capital of France?")

    first, second = (received.body for received in server.received)
    assert (first["tool_choice"], second["tool_choice"]) == ("required", "none")
