"""ChatRequest -> Chat Completions body: every part type, option and quirk."""

from __future__ import annotations

from typing import Any

import pytest

from fluent_ai.providers.openai import OpenAIChatProtocol, Quirks, protocol_for
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

OPENAI = OpenAIChatProtocol()
PNG = b"\x89PNG\r\n\x1a\n"


def encode(
    *messages: Message, protocol: OpenAIChatProtocol = OPENAI, **options: Any
) -> dict[str, Any]:
    request = ChatRequest(model="m", messages=list(messages), **options)
    return protocol.encode_request(request, stream=False)


def test_plain_text_is_a_string_and_the_call_mode_is_explicit() -> None:
    body = encode(Message.user("hi"))
    assert body == {"model": "m", "messages": [{"role": "user", "content": "hi"}], "stream": False}


def test_system_goes_with_the_vendors_instructions_role() -> None:
    request = ChatRequest(model="m", system="Be brief.", messages=[Message.system("x")])
    openai = OPENAI.encode_request(request, stream=False)["messages"]
    groq = protocol_for("groq").encode_request(request, stream=False)["messages"]
    assert openai == [
        {"role": "developer", "content": "Be brief."},
        {"role": "system", "content": "x"},
    ]
    assert groq[0] == {"role": "system", "content": "Be brief."}


def test_image_by_url_and_inline_with_detail() -> None:
    body = encode(
        Message.user(
            "look",
            ImagePart(url="https://x/cat.jpg"),
            ImagePart(data=PNG, media_type="image/png", detail="low"),
        )
    )
    assert body["messages"][0]["content"] == [
        {"type": "text", "text": "look"},
        {"type": "image_url", "image_url": {"url": "https://x/cat.jpg"}},
        {
            "type": "image_url",
            "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "low"},
        },
    ]


def test_document_inline_is_a_file_part() -> None:
    body = encode(Message.user(DocumentPart(data=b"%PDF", media_type="application/pdf", name="a")))
    assert body["messages"][0]["content"] == [
        {
            "type": "file",
            "file": {"file_data": "data:application/pdf;base64,JVBERg==", "filename": "a"},
        }
    ]


def test_document_url_only_where_the_vendor_fetches_it() -> None:
    doc = Message.user(DocumentPart(url="https://x/a.pdf"))
    with pytest.raises(UnsupportedFeatureError, match="inline only") as info:
        encode(doc)
    assert info.value.provider == "openai"
    body = encode(doc, protocol=protocol_for("openrouter"))
    assert body["messages"][0]["content"] == [
        {"type": "file", "file": {"file_data": "https://x/a.pdf"}}
    ]


def test_assistant_tool_calls_and_results() -> None:
    call = ToolCallPart(id="c1", name="weather", arguments='{"city":"Paris"}')
    body = encode(
        Message(role="assistant", parts=[call]),
        Message.tool_result("c1", "sunny", name="weather", is_error=False),
    )
    assert body["messages"] == [
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "weather", "arguments": '{"city":"Paris"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "c1", "content": "sunny"},
    ]


def test_tool_results_come_before_the_rest_of_their_message() -> None:
    message = Message(
        role="tool",
        parts=[
            ToolResultPart(tool_call_id="a", content="one"),
            ToolResultPart(tool_call_id="b", content="two"),
            ImagePart(url="https://x/chart.png"),
        ],
    )
    assert encode(message)["messages"] == [
        {"role": "tool", "tool_call_id": "a", "content": "one"},
        {"role": "tool", "tool_call_id": "b", "content": "two"},
        {
            "role": "user",
            "content": [{"type": "image_url", "image_url": {"url": "https://x/chart.png"}}],
        },
    ]


def test_thinking_goes_back_only_through_the_vendors_field() -> None:
    turn = Message(
        role="assistant",
        parts=[ThinkingPart(text="hmm"), ThinkingPart(redacted="opaque"), TextPart(text="4")],
    )
    assert encode(turn)["messages"] == [{"role": "assistant", "content": "4"}]
    deepseek = encode(turn, protocol=protocol_for("deepseek"))["messages"]
    assert deepseek == [{"role": "assistant", "content": "4", "reasoning_content": "hmm"}]
    cerebras = encode(turn, protocol=protocol_for("cerebras"))["messages"]
    assert cerebras == [{"role": "assistant", "content": "4", "reasoning": "hmm"}]


def test_message_name_is_kept() -> None:
    message = Message(role="user", parts=[TextPart(text="hi")], name="ann")
    assert encode(message)["messages"] == [{"role": "user", "content": "hi", "name": "ann"}]


@pytest.mark.parametrize(
    ("role", "sent_as"),
    [("system", "system"), ("user", "user"), ("assistant", "assistant"), ("tool", "user")],
)
@pytest.mark.parametrize("name", [None, "ann"])
def test_a_message_of_one_text_is_a_plain_string(role: str, sent_as: str, name: str | None) -> None:
    message = Message(role=role, parts=[TextPart(text="hi")], name=name)
    expected = {"role": sent_as, "content": "hi"} | ({"name": name} if name else {})
    assert encode(message)["messages"] == [expected]


def test_options() -> None:
    tool = ToolSpec(name="f", description="d", parameters={"type": "object"}, strict=True)
    body = encode(
        Message.user("hi"),
        temperature=0.2,
        top_p=0.9,
        max_tokens=100,
        stop=["END"],
        seed=7,
        tools=[tool],
        tool_choice=ToolChoice(mode="tool", name="f"),
        response_format=ResponseFormat(
            type="json_schema", name="out", json_schema={"type": "object"}, strict=True
        ),
        metadata={"run": "1"},
    )
    assert body | {"messages": None} == {
        "model": "m",
        "messages": None,
        "temperature": 0.2,
        "top_p": 0.9,
        "max_completion_tokens": 100,
        "stop": ["END"],
        "seed": 7,
        "tools": [
            {
                "type": "function",
                "function": {
                    "name": "f",
                    "description": "d",
                    "parameters": {"type": "object"},
                    "strict": True,
                },
            }
        ],
        "tool_choice": {"type": "function", "function": {"name": "f"}},
        "response_format": {
            "type": "json_schema",
            "json_schema": {
                "name": "out",
                "schema": {"type": "object", "additionalProperties": False},
                "strict": True,
            },
        },
        "metadata": {"run": "1"},
        "stream": False,
    }


@pytest.mark.parametrize("mode", ["auto", "none", "required"])
def test_tool_choice_modes_are_strings(mode: str) -> None:
    body = encode(Message.user("hi"), tool_choice=ToolChoice(mode=mode))
    assert body["tool_choice"] == mode


def test_json_object_format() -> None:
    body = encode(Message.user("hi"), response_format=ResponseFormat(type="json_object"))
    assert body["response_format"] == {"type": "json_object"}


def test_max_tokens_name_follows_the_quirk() -> None:
    groq = protocol_for("groq")
    assert "max_tokens" in encode(Message.user("hi"), protocol=groq, max_tokens=5)
    custom = OpenAIChatProtocol("x", Quirks(max_tokens_field="max_completion_tokens"))
    assert encode(Message.user("hi"), protocol=custom, max_tokens=5)["max_completion_tokens"] == 5


def test_streaming_asks_for_usage_and_extra_goes_last() -> None:
    request = ChatRequest(
        model="m",
        messages=[Message.user("hi")],
        temperature=0.5,
        extra={"temperature": 1.0, "n": 2, "stream": False, "stream_options": {"a": 1}},
    )
    streamed = OPENAI.encode_request(request, stream=True)
    assert streamed["stream"] is True
    assert streamed["stream_options"] == {"a": 1}
    assert streamed["temperature"] == 1.0
    assert streamed["n"] == 2
    plain = OPENAI.encode_request(request.model_copy(update={"extra": {}}), stream=True)
    assert plain["stream_options"] == {"include_usage": True}
    assert "stream_options" not in OPENAI.encode_request(request, stream=False)


def test_parts_with_no_place_in_user_content_are_refused() -> None:
    with pytest.raises(UnsupportedFeatureError):
        encode(Message(role="user", parts=[ToolCallPart(id="1", name="f")]))
