"""The agent over replayed real tool-call recordings, through the whole HTTP path.

The replay server answers with what the real provider answered; the agent's own
requests (its system prompt, its tools, the tool results it sends back) are checked
on the server side, so the loop model → tools → model is exercised for real.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from fluent_ai.agent import (
    AgentBuildError,
    Break,
    FluentAI,
    Reply,
    Reprompt,
    StepLimitError,
)
from fluent_ai.agent.builder import AgentBuilder
from fluent_ai.context import File
from fluent_ai.types import TextDelta
from tests.support.cassettes import Interaction, cassettes, load
from tests.support.replay import Replay, replay_server


def recording(folder: str, name: str) -> tuple[Interaction, ...]:
    (path,) = [p for p in cassettes(folder) if p.stem.endswith(name)]
    return load(path)


@contextmanager
def served(folder: str, name: str) -> Iterator[tuple[Replay, tuple[Interaction, ...]]]:
    items = recording(folder, name)
    with replay_server(items) as server:
        yield server, items


def get_user_country() -> str:
    """The country the user is in."""
    return "Mexico"


def get_local_time(city: str) -> str:
    """The local time in a city.

    Args:
        city: the city's name
    """
    return f"12:00 in {city}"


def anthropic_agent(server: Replay, *tools: Any) -> AgentBuilder:
    return (
        FluentAI.agent("geo")
        .model("anthropic/claude-sonnet-4-5", api_key="sk-ant-test", base_url=server.base_url)
        .system_prompt(
            "You answer geography questions for {{ user }}. Today is {{ date }}.", user="Ada"
        )
        .tools(*(tools or (get_user_country, get_local_time)))
    )


async def test_two_tools_templated_prompt_and_file_context_over_anthropic_recording(
    tmp_path: Path,
) -> None:
    notes = tmp_path / "travel-notes.md"
    notes.write_text("# Notes\nThe user prefers metric units.\n")
    seen: list[tuple[str, str]] = []
    with served("anthropic", "test_anthropic_text_output_function") as (server, items):
        agent = (
            anthropic_agent(server)
            .context(File(notes))
            .on_tool_result(lambda call, result: seen.append((call.name, result.content)))
            .build()
        )
        reply = await agent.chat(
            "What is the largest city in the user country? Use the get_user_country tool."
        )
    assert not server.errors
    assert reply.text == items[1].response_body["content"][0]["text"]
    assert "Mexico City" in reply.text
    assert reply.steps == 2
    assert seen == [("get_user_country", "Mexico")]
    first, second = (r.body for r in server.received)
    assert "You answer geography questions for Ada. Today is 20" in first["system"]
    assert "The user prefers metric units." in first["system"]
    assert "travel-notes.md" in first["system"]
    assert {t["name"] for t in first["tools"]} == {"get_user_country", "get_local_time"}
    city = next(t for t in first["tools"] if t["name"] == "get_local_time")
    assert city["input_schema"]["properties"]["city"]["description"] == "the city's name"
    tool_turn = second["messages"][-1]
    assert tool_turn["role"] == "user"
    [result] = tool_turn["content"]
    assert result["type"] == "tool_result"
    assert result["tool_use_id"] == items[0].response_body["content"][1]["id"]
    assert result["content"] == "Mexico"
    usages = [i.response_body["usage"] for i in items]
    assert reply.usage.input_tokens == sum(u["input_tokens"] for u in usages)
    # claude-sonnet-4-5 costs $3 / $15 per million input / output tokens (no cache used here).
    expected_cost = sum(u["input_tokens"] * 3 + u["output_tokens"] * 15 for u in usages) / 1e6
    assert reply.cost_usd == pytest.approx(expected_cost)
    assert agent.cost_usd == pytest.approx(expected_cost)  # the session total so far
    assert agent.usage == reply.usage
    assert agent.unpriced_replies == 0
    # The conversation goes on from here.
    assert [m.role for m in agent.history] == ["user", "assistant", "tool", "assistant"]


async def test_a_failing_tool_is_reported_to_the_model_not_raised() -> None:
    def get_user_country() -> str:
        raise LookupError("geo-IP service down")

    with served("anthropic", "test_anthropic_text_output_function") as (server, _):
        agent = anthropic_agent(server, get_user_country).build()
        reply = await agent.chat("Where am I?")
    [result] = server.received[1].body["messages"][-1]["content"]
    assert result["is_error"] is True
    assert "LookupError" in result["content"]
    assert "geo-IP service down" in result["content"]
    assert reply.text  # the run went on to the model's final answer


async def test_step_limit_ends_the_run_with_a_typed_error() -> None:
    with served("anthropic", "test_anthropic_text_output_function") as (server, _):
        agent = anthropic_agent(server).max_steps(1).build()
        with pytest.raises(StepLimitError, match="after 1 steps"):
            await agent.chat("Where am I?")


class CityAnswer(BaseModel):
    city: str
    country: str


async def test_structured_output_with_a_tool_over_openai_recording() -> None:
    with served("openai", "test_openai_native_output") as (server, _):
        agent = (
            FluentAI.agent("geo")
            .model("openai/gpt-4o", api_key="sk-test", base_url=server.base_url + "/v1")
            .tools(get_user_country)
            .output(CityAnswer)
            .build()
        )
        reply = await agent.chat("What is the largest city in the user country?")
    assert reply.output == CityAnswer(city="Mexico City", country="Mexico")
    sent = server.received[0].body
    assert sent["response_format"]["type"] == "json_schema"
    assert sent["response_format"]["json_schema"]["schema"]["required"] == ["city", "country"]
    assert server.received[1].body["messages"][-1] == {
        "role": "tool",
        "tool_call_id": "call_PkRGedQNRFUzJp2R7dO7avWR",
        "content": "Mexico",
    }


async def test_stream_yields_deltas_and_calls_on_chunk_over_a_streamed_recording() -> None:
    chunks: list[object] = []
    with served("anthropic", "test_anthropic_model_thinking_part_stream") as (server, _):
        agent = (
            FluentAI.agent("thinker")
            .model("anthropic/claude-sonnet-4-5", api_key="sk-ant-test", base_url=server.base_url)
            .on_chunk(chunks.append)
            .build()
        )
        events = [e async for e in agent.stream("How do I cross the street?")]
    assert not server.errors
    assert server.received[0].body["stream"] is True
    assert events == chunks
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert len([e for e in events if isinstance(e, TextDelta)]) > 1
    assert agent.history[-1].text == text
    assert agent.history[-1].thinking


def test_build_reports_every_problem_at_once() -> None:
    def untyped(x):  # type: ignore[no-untyped-def]
        return x

    builder = (
        FluentAI.agent("broken")
        .model("nosuchprovider/model")
        .system_prompt("Hello {% if %}")
        .tools(untyped)
        .temperature(3)
    )
    with pytest.raises(AgentBuildError) as info:
        builder.build()
    problems = info.value.problems
    assert len(problems) == 4, problems
    assert problems[0].startswith(".model('nosuchprovider/model'): ")
    assert "unknown provider" in problems[0]
    assert problems[1].startswith(".system_prompt(...)")
    assert problems[2].startswith(".tools(...)")
    assert "untyped" in problems[2]
    assert problems[3].startswith(".temperature(3)")


def test_builder_is_immutable_and_agents_are_reusable() -> None:
    base = FluentAI.agent("a").model("openai/gpt-4o", api_key="sk-test")
    hot = base.temperature(1.5)
    assert base is not hot
    assert "temperature" not in base._settings
    agent = hot.build()
    assert agent.session() is not agent
    assert agent.session().config is agent.config


def test_missing_api_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(AgentBuildError, match="OPENAI_API_KEY"):
        FluentAI.agent("a").model("openai/gpt-4o").build()


def test_loop_streams_each_reply_and_obeys_the_handler() -> None:
    with served("anthropic", "test_anthropic_model_thinking_part_stream") as (server, _):
        agent = (
            FluentAI.agent("thinker")
            .model("anthropic/claude-sonnet-4-5", api_key="sk-ant-test", base_url=server.base_url)
            .build()
        )
        written: list[str] = []
        replies: list[Reply] = []

        def handler(reply: Reply) -> Break | Reprompt:
            replies.append(reply)
            return Break()

        agent.loop(handler, first="How do I cross the street?", write=written.append)
    assert len(replies) == 1
    assert "".join(written) == replies[0].text + "\n"


def test_sync_twin_over_anthropic_recording() -> None:
    with served("anthropic", "test_anthropic_text_output_function") as (server, items):
        reply = anthropic_agent(server).build().chat_sync("Where am I?")
    assert reply.text == items[1].response_body["content"][0]["text"]


async def test_server_tool_blocks_are_sent_back_verbatim_on_the_next_turn() -> None:
    with served("anthropic", "test_anthropic_web_search_tool") as (server, items):
        agent = (
            FluentAI.agent("search")
            .model("anthropic/claude-sonnet-4-0", api_key="sk-ant-test", base_url=server.base_url)
            .additional_params(tools=items[0].request_body["tools"])
            .build()
        )
        await agent.chat("What is the weather in San Francisco today?")
        await agent.chat("how about Mexico City?")
    assert not server.errors
    answered = items[0].response_body["content"]
    resent = server.received[1].body["messages"][1]
    assert resent["role"] == "assistant"
    assert resent["content"] == answered  # server_tool_use, results, citations, signature
    assert [b["type"] for b in resent["content"][:3]] == [
        "thinking",
        "server_tool_use",
        "web_search_tool_result",
    ]


async def test_an_mcp_tool_end_to_end_through_the_agent() -> None:
    from fluent_ai.tools import MCPServer

    server_script = Path(__file__).parents[1] / "support" / "mcp_server.py"
    mcp = MCPServer.stdio(sys.executable, [str(server_script)], name="geo")
    with served("anthropic", "test_anthropic_text_output_function") as (server, items):
        agent = (
            FluentAI.agent("geo")
            .model("anthropic/claude-sonnet-4-5", api_key="sk-ant-test", base_url=server.base_url)
            .mcp_server(mcp)
            .build()
        )
        reply = await agent.chat("What is the largest city in the user country?")
    assert not server.errors
    offered = {t["name"] for t in server.received[0].body["tools"]}
    assert {"add", "get_user_country"} <= offered
    [result] = server.received[1].body["messages"][-1]["content"]
    assert result["content"] == "Mexico"  # answered by the MCP server process
    assert reply.text == items[1].response_body["content"][0]["text"]
