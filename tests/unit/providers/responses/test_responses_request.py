"""Responses request body -> ChatRequest, and back unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from fluent_ai.providers.responses import ITEMS_KEY, TOOLS_KEY, ResponsesProtocol
from fluent_ai.types import (
    ChatRequest,
    DocumentPart,
    ImagePart,
    InvalidRequestError,
    Message,
    ResponseFormat,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolChoice,
    ToolResultPart,
    ToolSpec,
)

PROTOCOL = ResponsesProtocol()


def decode(**body: Any) -> ChatRequest:
    return PROTOCOL.decode_request({"model": "gpt-5", **body})


def roundtrip(body: dict[str, Any]) -> dict[str, Any]:
    return PROTOCOL.encode_request(PROTOCOL.decode_request(body), stream=False)


def test_neutral_fields() -> None:
    request = decode(
        input=[{"role": "user", "content": "Hi"}],
        instructions="Be brief.",
        temperature=1,
        top_p=0.5,
        max_output_tokens=64,
        metadata={"a": "b"},
        stream=True,
    )
    assert request.system == "Be brief."
    assert request.messages == [Message.user("Hi")]
    assert (request.temperature, request.top_p, request.max_tokens) == (1.0, 0.5, 64)
    assert request.metadata == {"a": "b"}
    assert request.extra == {}


def test_a_string_input_is_one_user_message() -> None:
    assert decode(input="Hello").messages == [Message.user("Hello")]


def test_items_are_grouped_into_messages() -> None:
    request = decode(
        input=[
            {"role": "developer", "content": "Rules."},
            {
                "role": "user",
                "content": [
                    {"type": "input_text", "text": "See"},
                    {"type": "input_image", "image_url": "https://x.test/a.png", "detail": "low"},
                    {
                        "type": "input_file",
                        "file_data": "data:text/plain;base64,aGk=",
                        "filename": "a.txt",
                    },
                ],
            },
            {
                "type": "reasoning",
                "id": "rs_1",
                "summary": [{"type": "summary_text", "text": "Hm."}],
            },
            {"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{}"},
            {"type": "web_search_call", "id": "ws_1", "status": "completed"},
            {"type": "function_call_output", "call_id": "c1", "output": "ok"},
        ]
    )
    assert request.messages == [
        Message(role="system", parts=[TextPart(text="Rules.")]),
        Message(
            role="user",
            parts=[
                TextPart(text="See"),
                ImagePart(url="https://x.test/a.png", detail="low"),
                DocumentPart(data=b"hi", media_type="text/plain", name="a.txt"),
            ],
        ),
        Message(
            role="assistant",
            parts=[ThinkingPart(text="Hm."), ToolCallPart(id="c1", name="f", arguments="{}")],
        ),
        Message(role="tool", parts=[ToolResultPart(tool_call_id="c1", content="ok")]),
    ]
    # The developer message and the model's items are not spelled as the encoder would.
    assert len(request.extra[ITEMS_KEY]) == 2


def test_neutrally_spelled_items_keep_no_copy() -> None:
    request = decode(
        input=[
            {"role": "user", "content": "Hi"},
            {"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{}"},
            {"type": "function_call_output", "call_id": "c1", "output": "ok"},
        ]
    )
    assert ITEMS_KEY not in request.extra


def test_tool_output_with_media() -> None:
    request = decode(
        input=[
            {
                "type": "function_call_output",
                "call_id": "c1",
                "output": [{"type": "input_image", "image_url": "https://x.test/a.png"}],
            }
        ]
    )
    assert request.messages[0].parts == [
        ToolResultPart(tool_call_id="c1", content=""),
        ImagePart(url="https://x.test/a.png"),
    ]


def test_tools_choice_and_format() -> None:
    request = decode(
        input=[],
        tools=[
            {"type": "function", "name": "f", "parameters": {"type": "object"}, "strict": True},
            {"type": "web_search"},
        ],
        tool_choice={"type": "function", "name": "f"},
        text={"format": {"type": "json_object"}, "verbosity": "low"},
    )
    assert request.tools == [ToolSpec(name="f", parameters={"type": "object"}, strict=True)]
    assert request.extra["tools"] == [{"type": "web_search"}]
    assert request.tool_choice == ToolChoice(mode="tool", name="f")
    assert request.response_format == ResponseFormat(type="json_object")
    assert request.extra["text"] == {"verbosity": "low"}
    assert TOOLS_KEY not in request.extra


def test_a_builtin_tool_choice_stays_in_extra() -> None:
    request = decode(input=[], tool_choice={"type": "web_search"})
    assert request.tool_choice is None
    assert request.extra["tool_choice"] == {"type": "web_search"}


def test_tools_spelled_another_way_are_read_and_kept() -> None:
    tools: list[dict[str, Any]] = [
        {"type": "function", "name": "f", "description": None, "parameters": {}}
    ]
    request = decode(input=[], tools=tools)
    assert request.tools == [ToolSpec(name="f", parameters={})]
    assert request.extra[TOOLS_KEY] == tools


@pytest.mark.parametrize(
    "body",
    [
        {"input": "Hi", "stream": False},
        {
            "input": [
                {
                    "type": "message",
                    "role": "user",
                    "content": [{"type": "input_text", "text": "Hi"}],
                },
                {"role": "assistant", "content": ""},
                {
                    "type": "function_call",
                    "call_id": "c",
                    "name": "f",
                    "arguments": "{}",
                    "status": None,
                },
                {"type": "function_call_output", "call_id": "c", "output": "done"},
            ],
            "tools": [
                {"type": "code_interpreter", "container": {"type": "auto"}},
                {
                    "type": "function",
                    "name": "f",
                    "description": "",
                    "parameters": {},
                    "strict": False,
                },
            ],
            "tool_choice": "required",
            "text": {"format": {"type": "json_schema", "name": "R", "schema": {}, "strict": True}},
            "reasoning": {"effort": "low"},
            "previous_response_id": None,
            "instructions": None,
            "stream": False,
        },
    ],
)
def test_decode_then_encode_keeps_every_field(body: dict[str, Any]) -> None:
    encoded = roundtrip({"model": "gpt-5", **body})
    for key, value in body.items():
        if key == "input" and isinstance(value, str):
            assert encoded["input"] == [{"role": "user", "content": value}]
        else:
            assert encoded[key] == value, key


@pytest.mark.parametrize(
    "body",
    [
        {"input": []},
        {"model": "gpt-5", "input": 3},
        {"model": "gpt-5", "input": ["not an item"]},
    ],
)
def test_malformed_requests(body: dict[str, Any]) -> None:
    with pytest.raises(InvalidRequestError):
        PROTOCOL.decode_request(body)
