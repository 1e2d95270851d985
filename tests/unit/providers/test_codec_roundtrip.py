"""Property: a request encoded for the wire and decoded again is the request it was.

For the OpenAI Chat Completions and the Anthropic Messages protocols, hypothesis builds
requests from what both carry without loss (text turns, tool calls and their results,
a system prompt, tools, tool choice and sampling settings);
``decode_request(encode_request(r))`` must give ``r`` back, field for field.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from fluent_ai.providers.anthropic import AnthropicProtocol
from fluent_ai.providers.base import ChatProtocol
from fluent_ai.providers.openai import OpenAIChatProtocol
from fluent_ai.types import (
    ChatRequest,
    Message,
    TextPart,
    ToolCallPart,
    ToolChoice,
    ToolResultPart,
    ToolSpec,
)

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1)
NAME = st.from_regex(r"[a-zA-Z_][a-zA-Z0-9_]{0,20}", fullmatch=True)
JSON_OBJECT = st.dictionaries(NAME, st.integers() | TEXT | st.booleans(), max_size=3)


def arguments(value: dict[str, Any]) -> str:
    """Arguments as JSON text, spelled as the protocols spell what they decode: Anthropic
    carries an object, not text, so only its meaning survives the wire."""
    return json.dumps(value, ensure_ascii=False)


@st.composite
def exchange(draw: st.DrawFn, index: int) -> list[Message]:
    """A user turn and the assistant's answer: text, or tool calls and their results
    then a text answer."""
    messages = [Message.user(draw(TEXT))]
    calls = [
        ToolCallPart(
            id=f"call_{index}_{n}", name=draw(NAME), arguments=arguments(draw(JSON_OBJECT))
        )
        for n in range(draw(st.integers(0, 2)))
    ]
    if calls:
        messages.append(Message(role="assistant", parts=list(calls)))
        for call in calls:
            result = ToolResultPart(tool_call_id=call.id, content=draw(TEXT))
            messages.append(Message(role="tool", parts=[result]))
    messages.append(Message(role="assistant", parts=[TextPart(text=draw(TEXT))]))
    return messages


@st.composite
def requests(draw: st.DrawFn) -> ChatRequest:
    turns = draw(st.integers(1, 3))
    messages = [m for i in range(turns) for m in draw(exchange(i))][:-1]  # ends with a user
    tools = draw(
        st.none()
        | st.lists(
            st.builds(
                ToolSpec,
                name=NAME,
                description=TEXT,
                parameters=st.just({"type": "object", "properties": {"x": {"type": "string"}}}),
            ),
            min_size=1,
            max_size=2,
            unique_by=lambda tool: tool.name,
        )
    )
    choice = None
    if tools:
        choice = draw(
            st.none()
            | st.sampled_from([ToolChoice(mode="auto"), ToolChoice(mode="required")])
            | st.just(ToolChoice(mode="tool", name=tools[0].name))
        )
    return ChatRequest(
        model=draw(NAME),
        messages=messages,
        system=draw(st.none() | TEXT),
        temperature=draw(st.none() | st.floats(0, 1, allow_subnormal=False)),
        top_p=draw(st.none() | st.floats(0, 1, allow_subnormal=False)),
        max_tokens=draw(st.integers(1, 100_000)),
        stop=draw(st.none() | st.lists(TEXT, min_size=1, max_size=3)),
        tools=tools,
        tool_choice=choice,
    )


def roundtrip(protocol: ChatProtocol, request: ChatRequest) -> ChatRequest:
    body: dict[str, Any] = protocol.encode_request(request, stream=False)
    return protocol.decode_request(json.loads(json.dumps(body)))


@given(requests())
def test_openai_keeps_every_field(request: ChatRequest) -> None:
    assert roundtrip(OpenAIChatProtocol(), request) == request


def tool_turns_joined(request: ChatRequest) -> ChatRequest:
    """``request`` as Anthropic's wire gives it back: it has no tool role, and the results
    answering one assistant turn travel as one user turn, so they return as one message."""
    messages: list[Message] = []
    for message in request.messages:
        if message.role == "tool" and messages and messages[-1].role == "tool":
            joined = [*messages[-1].parts, *message.parts]
            messages[-1] = Message(role="tool", parts=joined)
        else:
            messages.append(message)
    return request.model_copy(update={"messages": messages})


@given(requests())
def test_anthropic_keeps_every_field(request: ChatRequest) -> None:
    assert roundtrip(AnthropicProtocol(), request) == tool_turns_joined(request)
