"""ChatRequest -> Mistral chat body: every part type, every option, every turn-order rule."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from fluent_ai.providers.mistral import MistralProtocol, wire_id
from fluent_ai.types import (
    ChatRequest,
    DocumentPart,
    ImagePart,
    Message,
    ResponseFormat,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolChoice,
    ToolResultPart,
    ToolSpec,
    UnsupportedFeatureError,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
PDF = b"%PDF-1.4 dummy"
PROTOCOL = MistralProtocol()


def encode(*messages: Message, stream: bool = False, **fields: Any) -> dict[str, Any]:
    request = ChatRequest(model="mistral-large-latest", messages=list(messages), **fields)
    return PROTOCOL.encode_request(request, stream=stream)


def content(*parts: Any, role: str = "user") -> Any:
    return encode(Message(role=role, parts=list(parts)))["messages"][0]["content"]


def test_plain_request() -> None:
    body = encode(Message.user("hello"), system="Be brief.")
    assert body == {
        "model": "mistral-large-latest",
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "hello"},
        ],
        "stream": False,
    }


def test_a_stream_asks_for_nothing_mistral_would_reject() -> None:
    body = encode(Message.user("hi"), stream=True)
    assert body["stream"] is True
    assert "stream_options" not in body


def test_text_parts_beyond_one_are_chunks() -> None:
    assert content(TextPart(text="a"), TextPart(text="b")) == [
        {"type": "text", "text": "a"},
        {"type": "text", "text": "b"},
    ]


def test_images_by_url_and_by_bytes() -> None:
    by_url = ImagePart(url="https://example.com/cat.png", detail="high")
    inline = ImagePart(data=PNG, media_type="image/png")
    assert content(by_url, inline) == [
        {
            "type": "image_url",
            "image_url": {"url": "https://example.com/cat.png", "detail": "high"},
        },
        {
            "type": "image_url",
            "image_url": {"url": "data:image/png;base64," + base64.b64encode(PNG).decode()},
        },
    ]


def test_documents_by_url_and_by_bytes_keep_their_name() -> None:
    by_url = DocumentPart(url="https://example.com/a.pdf", name="a.pdf")
    inline = DocumentPart(data=PDF, media_type="application/pdf")
    assert content(by_url, inline) == [
        {
            "type": "document_url",
            "document_url": "https://example.com/a.pdf",
            "document_name": "a.pdf",
        },
        {
            "type": "document_url",
            "document_url": "data:application/pdf;base64," + base64.b64encode(PDF).decode(),
        },
    ]


def test_thinking_goes_back_as_a_thinking_chunk_in_assistant_turns() -> None:
    parts = [ThinkingPart(text="Let me see."), TextPart(text="Four.")]
    body = encode(Message.user("2+2?"), Message(role="assistant", parts=parts), Message.user("ok"))
    assert body["messages"][1]["content"] == [
        {"type": "thinking", "thinking": [{"type": "text", "text": "Let me see."}]},
        {"type": "text", "text": "Four."},
    ]


def test_thinking_without_text_and_thinking_in_user_turns_is_not_sent() -> None:
    redacted = ThinkingPart(redacted="opaque")
    assistant = Message(role="assistant", parts=[redacted, TextPart(text="Hi")])
    body = encode(Message.user("a"), assistant, Message.user("b"))
    assert body["messages"][1]["content"] == [{"type": "text", "text": "Hi"}]
    assert content(ThinkingPart(text="mine"), TextPart(text="q")) == "q"


def test_tool_calls_and_results() -> None:
    call = ToolCallPart(id="KikbB849t", name="get_weather", arguments='{"city": "Paris"}')
    result = ToolResultPart(tool_call_id="KikbB849t", content="Sunny", name="get_weather")
    body = encode(
        Message.user("Weather?"),
        Message(role="assistant", parts=[call]),
        Message(role="tool", parts=[result]),
    )
    assert body["messages"][1:] == [
        {
            "role": "assistant",
            "content": [],
            "tool_calls": [
                {
                    "id": "KikbB849t",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "KikbB849t", "content": "Sunny", "name": "get_weather"},
    ]


def test_foreign_tool_call_ids_become_nine_characters_on_both_sides() -> None:
    call = ToolCallPart(id="toolu_01ABCdefGHI", name="f")
    result = ToolResultPart(tool_call_id="toolu_01ABCdefGHI", content="done")
    body = encode(
        Message.user("go"),
        Message(role="assistant", parts=[call]),
        Message(role="tool", parts=[result]),
    )
    sent = body["messages"][1]["tool_calls"][0]["id"]
    assert sent == body["messages"][2]["tool_call_id"] == wire_id("toolu_01ABCdefGHI")
    assert len(sent) == 9
    assert sent.isalnum()
    assert wire_id("call_abc") != wire_id("call_abd")


def test_a_user_turn_after_tool_results_gets_an_assistant_turn_between() -> None:
    call = ToolCallPart(id="abcdefghi", name="get_file")
    result = ToolResultPart(tool_call_id="abcdefghi", content="See the image.")
    image = ImagePart(url="https://example.com/1.png")
    body = encode(
        Message.user("get it"),
        Message(role="assistant", parts=[call]),
        Message(role="tool", parts=[result, image]),
    )
    assert [m["role"] for m in body["messages"]] == [
        "user",
        "assistant",
        "tool",
        "assistant",
        "user",
    ]
    assert body["messages"][3] == {"role": "assistant", "content": "OK"}
    assert body["messages"][4]["content"] == [
        {"type": "image_url", "image_url": {"url": "https://example.com/1.png"}}
    ]


def test_a_trailing_assistant_turn_is_a_prefix() -> None:
    body = encode(Message.user("Write a haiku"), Message.assistant("Autumn"))
    assert body["messages"][-1] == {"role": "assistant", "content": "Autumn", "prefix": True}
    earlier = encode(Message.user("a"), Message.assistant("b"), Message.user("c"))
    assert "prefix" not in earlier["messages"][1]


def test_sampling_options_use_mistral_names() -> None:
    body = encode(
        Message.user("hi"),
        temperature=0.2,
        top_p=0.9,
        max_tokens=100,
        stop=["\n\n"],
        seed=7,
        metadata={"user": "u1"},
    )
    assert body["temperature"] == 0.2
    assert body["top_p"] == 0.9
    assert body["max_tokens"] == 100
    assert body["stop"] == ["\n\n"]
    assert body["random_seed"] == 7
    assert "seed" not in body
    assert body["metadata"] == {"user": "u1"}


def test_tools_and_tool_choice() -> None:
    tool = ToolSpec(name="get_weather", description="Weather", parameters={"type": "object"})
    body = encode(Message.user("hi"), tools=[tool], tool_choice=ToolChoice(mode="required"))
    assert body["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "description": "Weather",
                "parameters": {"type": "object"},
            },
        }
    ]
    assert body["tool_choice"] == "any"
    named = encode(Message.user("hi"), tool_choice=ToolChoice(mode="tool", name="get_weather"))
    assert named["tool_choice"] == {"type": "function", "function": {"name": "get_weather"}}
    assert encode(Message.user("hi"), tool_choice=ToolChoice(mode="none"))["tool_choice"] == "none"


def test_a_named_tool_choice_needs_a_name() -> None:
    with pytest.raises(UnsupportedFeatureError) as info:
        encode(Message.user("hi"), tool_choice=ToolChoice(mode="tool"))
    assert info.value.provider == "mistral"


def test_response_formats() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    fmt = ResponseFormat(type="json_schema", name="answer", json_schema=schema, strict=True)
    # A strict format carries its schema in OpenAI's strict form, which Mistral shares.
    strict = {
        "type": "object",
        "properties": {"a": {"type": ["string", "null"]}},
        "required": ["a"],
        "additionalProperties": False,
    }
    assert encode(Message.user("hi"), response_format=fmt)["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "answer", "schema": strict, "strict": True},
    }
    plain = encode(Message.user("hi"), response_format=ResponseFormat(type="json_object"))
    assert plain["response_format"] == {"type": "json_object"}


def test_extra_is_merged_but_cannot_change_the_call_mode() -> None:
    extra = {"safe_prompt": True, "prompt_mode": "reasoning", "stream": True, "n": 1}
    body = encode(Message.user("hi"), extra=extra)
    assert body["safe_prompt"] is True
    assert body["prompt_mode"] == "reasoning"
    assert body["n"] == 1
    assert body["stream"] is False


def test_message_names_are_not_sent() -> None:
    body = encode(Message(role="user", parts=[TextPart(text="hi")], name="ann"))
    assert body["messages"] == [{"role": "user", "content": "hi"}]
