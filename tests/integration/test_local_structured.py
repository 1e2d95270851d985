"""The real SmolLM2-135M under grammar-constrained decoding: JSON that validates, tool
calls with valid arguments, and memory's fact extraction, all offline.

A 135M model's judgement is weak, so these assert structure (the JSON validates, the
call names a real tool with arguments of its schema, every change is a typed
``FactChange``), not what the model chose to say. The model is built into the test
run's cache (``FLUENT_AI_CACHE_DIR``, see ``tests/conftest.py``) once, and shared.
"""

from __future__ import annotations

import json
from typing import Literal

import pytest
from pydantic import BaseModel

from fluent_ai.agent import FluentAI
from fluent_ai.providers.local import LocalChatModel
from fluent_ai.tools import tool
from fluent_ai.types import (
    ChatRequest,
    FinishReason,
    Message,
    ResponseFormat,
    ToolCallPart,
    ToolChoice,
    ToolResultPart,
    ToolSpec,
)
from tests.support.word_hash import WordHashEmbedder

pytestmark = pytest.mark.slow


class City(BaseModel):
    name: str
    country: str
    population: int
    size: Literal["small", "medium", "large"]


async def test_json_schema_answers_validate() -> None:
    chat = LocalChatModel("smollm2", progress=False)
    schema = ResponseFormat(type="json_schema", name="City", json_schema=City.model_json_schema())
    request = ChatRequest(
        model="smollm2",
        messages=[Message.user("Describe Paris.")],
        response_format=schema,
        temperature=0,
        max_tokens=200,
    )
    response = await chat.complete(request)
    City.model_validate_json(response.text)
    assert response.finish_reason is FinishReason.STOP


async def test_required_tool_call_names_a_tool_with_valid_arguments() -> None:
    chat = LocalChatModel("smollm2", progress=False)
    weather = ToolSpec(
        name="get_weather",
        description="The current weather in a city.",
        parameters={
            "type": "object",
            "properties": {"city": {"type": "string"}, "unit": {"enum": ["C", "F"]}},
            "required": ["city", "unit"],
            "additionalProperties": False,
        },
    )
    request = ChatRequest(
        model="smollm2",
        messages=[Message.user("What is the weather in Paris?")],
        tools=[weather, ToolSpec(name="get_time")],
        tool_choice=ToolChoice(mode="tool", name="get_weather"),
        temperature=0,
    )
    response = await chat.complete(request)
    assert response.finish_reason is FinishReason.TOOL_CALLS
    assert response.text == ""
    [call, *_] = response.message.tool_calls
    assert isinstance(call, ToolCallPart)
    assert call.name == "get_weather"
    assert call.id.startswith("call_")
    arguments = json.loads(call.arguments)
    assert set(arguments) == {"city", "unit"}
    assert arguments["unit"] in ("C", "F")


@tool
def add(a: int, b: int) -> int:
    """Add two whole numbers."""
    return a + b


async def test_an_agent_runs_a_typed_tool_on_the_local_model() -> None:
    """Left free, this 135M model answers in text before a call and calls again after
    one; ``.tool_choice("required", then="none")`` binds the first step to a call, the
    agent's executor runs it (the arguments bind as ints), and the next step answers."""
    ran: list[tuple[ToolCallPart, ToolResultPart]] = []
    agent = (
        FluentAI.agent("adder")
        .model("local/smollm2")
        .temperature(0)
        .max_tokens(48)
        .tools(add)
        .tool_choice("required", then="none")
        .on_tool_result(lambda call, result: ran.append((call, result)))
        .build()
    )
    reply = await agent.chat("Use the add tool to add 2 and 3.")

    assert ran
    assert all(call.name == "add" and not result.is_error for call, result in ran)
    assert reply.steps == 2
    assert reply.text


async def test_memory_learn_runs_on_the_local_model() -> None:
    pytest.importorskip("surrealdb", reason="the memory extra is not installed")
    from fluent_ai.memory import FactChange, Memory

    async with Memory.open("mem://", embedder=WordHashEmbedder()) as memory:
        await memory.add("Ada lives in Paris", kind="semantic")
        changes = await memory.learn("Ada moved to Lyon last month.", model="local/smollm2")
        assert changes
        assert all(isinstance(change, FactChange) for change in changes)
        for change in changes:
            assert change.operation in ("add", "update", "delete", "none")
            if change.operation in ("add", "update"):
                assert change.memory is not None
                assert change.memory.content.strip()
