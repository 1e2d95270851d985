"""Cohere v2 chat body -> ChatRequest, and back."""

from __future__ import annotations

from typing import Any

import pytest

from fluent_ai.providers.cohere import CohereProtocol
from fluent_ai.types import (
    InvalidRequestError,
    ResponseFormat,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolChoice,
    ToolResultPart,
    ToolSpec,
    UnsupportedFeatureError,
)

PROTOCOL = CohereProtocol()
TOOLS = [
    {
        "type": "function",
        "function": {"name": "f", "description": "does f", "parameters": {"type": "object"}},
    }
]


def body(**fields: Any) -> dict[str, Any]:
    return {"model": "command-a-03-2025", "messages": [{"role": "user", "content": "hi"}], **fields}


def roundtrip(original: dict[str, Any]) -> dict[str, Any]:
    return PROTOCOL.encode_request(PROTOCOL.decode_request(original), stream=False)


def test_neutral_fields_are_claimed() -> None:
    original = body(
        temperature=0.3,
        p=0.75,
        max_tokens=50,
        seed=3,
        stop_sequences=["END"],
        tools=TOOLS,
        tool_choice="REQUIRED",
        response_format={"type": "json_object", "json_schema": {"type": "object"}},
        stream=False,
    )
    request = PROTOCOL.decode_request(original)
    assert request.temperature == 0.3
    assert request.top_p == 0.75
    assert request.max_tokens == 50
    assert request.seed == 3
    assert request.stop == ["END"]
    assert request.tools == [
        ToolSpec(name="f", description="does f", parameters={"type": "object"})
    ]
    assert request.tool_choice == ToolChoice(mode="required")
    assert request.response_format == ResponseFormat(
        type="json_schema", json_schema={"type": "object"}
    )
    assert request.extra == {}
    assert roundtrip(original) == original


def test_cohere_only_fields_pass_through() -> None:
    original = body(
        k=10,
        thinking={"type": "disabled"},
        strict_tools=True,
        tools=TOOLS,
        documents=["Paris is in France."],
        safety_mode="CONTEXTUAL",
        stream=False,
    )
    request = PROTOCOL.decode_request(original)
    assert set(request.extra) == {"k", "thinking", "documents", "safety_mode"}
    assert [tool.strict for tool in request.tools or ()] == [True] * len(TOOLS)
    assert roundtrip(original) == original


def test_messages_of_every_role() -> None:
    messages = [
        {"role": "system", "content": [{"type": "text", "text": "Be brief."}]},
        {"role": "user", "content": "Weather?"},
        {
            "role": "assistant",
            "tool_plan": "I will call f.",
            "tool_calls": [
                {"id": "f_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
            ],
        },
        {"role": "tool", "tool_call_id": "f_1", "content": "Sunny"},
        {
            "role": "tool",
            "tool_call_id": "f_2",
            "content": [
                {"type": "text", "text": "Found:"},
                {"type": "document", "document": {"data": {"temp": 22}}},
            ],
        },
    ]
    request = PROTOCOL.decode_request({"model": "m", "messages": messages})
    system, user, assistant, tool, documents = request.messages
    assert system.parts == [TextPart(text="Be brief.")]
    assert user.parts == [TextPart(text="Weather?")]
    assert assistant.parts == [
        ThinkingPart(text="I will call f."),
        ToolCallPart(id="f_1", name="f", arguments="{}"),
    ]
    assert tool.parts == [ToolResultPart(tool_call_id="f_1", content="Sunny")]
    assert documents.parts == [ToolResultPart(tool_call_id="f_2", content='Found:\n{"temp": 22}')]
    encoded = PROTOCOL.encode_request(request, stream=False)["messages"]
    assert encoded[2:4] == messages[2:4]


def test_unknown_items_and_roles_are_refused() -> None:
    with pytest.raises(UnsupportedFeatureError):
        PROTOCOL.decode_request(
            body(messages=[{"role": "user", "content": [{"type": "audio", "audio": "x"}]}])
        )
    with pytest.raises(UnsupportedFeatureError):
        PROTOCOL.decode_request(body(messages=[{"role": "chatbot", "content": "x"}]))


def test_a_malformed_body_is_an_invalid_request() -> None:
    with pytest.raises(InvalidRequestError):
        PROTOCOL.decode_request({"messages": []})
    with pytest.raises(InvalidRequestError):
        PROTOCOL.decode_request(body(messages=[{"role": "tool", "content": "no id"}]))
