"""Tools across formats: the openai SDK runs a tool loop with Claude behind the gateway.

The upstream replays Anthropic's recorded two-turn tool call (``get_user_country``,
answered ``Mexico``): the OpenAI client must see a tool call it can answer, and the
upstream must receive that answer as the ``tool_result`` of the recorded call.
"""

from __future__ import annotations

import json

import pytest

pytest.importorskip("uvicorn", reason="the server extra is not installed")

import openai
from openai.types.chat import ChatCompletionMessageParam, ChatCompletionToolParam

from fluent_ai.engine import Deployment, Router
from tests.support.cassettes import load, recordings_dir
from tests.support.gateway import KEY_ENV, serving
from tests.support.replay import replay_server

ASKED = (
    "What is the largest city in the user country? Use the get_user_country tool and "
    "then your own world knowledge."
)
TOOL: ChatCompletionToolParam = {
    "type": "function",
    "function": {
        "name": "get_user_country",
        "description": "",
        "parameters": {"type": "object", "properties": {}, "additionalProperties": False},
    },
}


def test_an_openai_tool_loop_runs_against_claude() -> None:
    recorded = load(
        recordings_dir() / "anthropic" / "test_anthropic__test_anthropic_text_output_function.yaml"
    )
    with replay_server(recorded) as upstream:
        claude = Deployment(
            "anthropic/claude-sonnet-4-5", base_url=upstream.base_url, api_key_env=KEY_ENV
        )
        with serving({"smart": Router([claude], retry=None)}) as url:
            client = openai.OpenAI(base_url=url + "/v1", api_key="caller-key", max_retries=0)
            messages: list[ChatCompletionMessageParam] = [{"role": "user", "content": ASKED}]
            first = client.chat.completions.create(model="smart", messages=messages, tools=[TOOL])
            choice = first.choices[0]
            assert choice.finish_reason == "tool_calls"
            [call] = choice.message.tool_calls or []
            assert call.type == "function"
            assert (call.id, call.function.name) == (
                "toolu_01JJ8TequDsrEU2pv1QFRWAK",
                "get_user_country",
            )
            assert json.loads(call.function.arguments) == {}
            messages.append(choice.message.model_dump(exclude_none=True))  # type: ignore[arg-type]
            messages.append({"role": "tool", "tool_call_id": call.id, "content": "Mexico"})
            second = client.chat.completions.create(model="smart", messages=messages, tools=[TOOL])
    assert "Mexico City" in (second.choices[0].message.content or "")
    assert upstream.errors == []
    sent = upstream.received[1].body
    [result] = [
        b
        for m in sent["messages"]
        for b in m["content"]
        if isinstance(b, dict) and b.get("type") == "tool_result"
    ]
    assert result["tool_use_id"] == "toolu_01JJ8TequDsrEU2pv1QFRWAK"
    assert sent["tools"][0]["name"] == "get_user_country"
