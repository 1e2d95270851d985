"""ChatRequest -> Cohere v2 chat body: every part type and every option."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from fluent_ai.providers.cohere import CohereProtocol
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
PROTOCOL = CohereProtocol()
TOOL = ToolSpec(name="get_weather", description="Weather", parameters={"type": "object"})


def encode(*messages: Message, stream: bool = False, **fields: Any) -> dict[str, Any]:
    request = ChatRequest(model="command-a-03-2025", messages=list(messages), **fields)
    return PROTOCOL.encode_request(request, stream=stream)


def test_plain_request() -> None:
    assert encode(Message.user("hello"), system="Be brief.", stream=True) == {
        "model": "command-a-03-2025",
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "hello"},
        ],
        "stream": True,
    }


def test_text_and_images() -> None:
    parts = [
        TextPart(text="What is this?"),
        ImagePart(url="https://example.com/cat.png", detail="low"),
        ImagePart(data=PNG, media_type="image/png"),
    ]
    content = encode(Message(role="user", parts=parts))["messages"][0]["content"]
    assert content == [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png", "detail": "low"}},
        {
            "type": "image_url",
            "image_url": {"url": "data:image/png;base64," + base64.b64encode(PNG).decode()},
        },
    ]


def test_documents_are_refused_with_the_way_out() -> None:
    with pytest.raises(UnsupportedFeatureError) as info:
        encode(Message.user(DocumentPart(url="https://example.com/a.pdf")))
    assert info.value.provider == "cohere"
    assert "documents" in str(info.value)


def test_tool_calls_send_their_thinking_as_the_tool_plan() -> None:
    plan = ThinkingPart(text="I will look up the weather.")
    call = ToolCallPart(id="get_weather_9gpb", name="get_weather", arguments='{"city":"Paris"}')
    result = ToolResultPart(tool_call_id="get_weather_9gpb", content="Sunny", name="get_weather")
    body = encode(
        Message.user("Weather?"),
        Message(role="assistant", parts=[plan, call]),
        Message(role="tool", parts=[result]),
    )
    assert body["messages"][1:] == [
        {
            "role": "assistant",
            "tool_plan": "I will look up the weather.",
            "tool_calls": [
                {
                    "id": "get_weather_9gpb",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "get_weather_9gpb", "content": "Sunny"},
    ]


def test_thinking_without_tool_calls_is_a_thinking_item() -> None:
    parts = [ThinkingPart(text="Hmm."), TextPart(text="Paris.")]
    body = encode(Message.user("Capital?"), Message(role="assistant", parts=parts))
    assert body["messages"][1] == {
        "role": "assistant",
        "content": [{"type": "thinking", "thinking": "Hmm."}, {"type": "text", "text": "Paris."}],
    }
    assert encode(Message.assistant("Paris."))["messages"][0] == {
        "role": "assistant",
        "content": "Paris.",
    }


def test_thinking_is_not_sent_in_user_turns_and_tool_images_follow_as_user() -> None:
    image = ImagePart(url="https://example.com/1.png")
    result = ToolResultPart(tool_call_id="c1", content="see image")
    body = encode(
        Message(role="user", parts=[ThinkingPart(text="mine"), TextPart(text="q")]),
        Message(role="tool", parts=[result, image]),
    )
    assert body["messages"] == [
        {"role": "user", "content": "q"},
        {"role": "tool", "tool_call_id": "c1", "content": "see image"},
        {"role": "user", "content": [{"type": "image_url", "image_url": {"url": image.url}}]},
    ]


def test_sampling_options_use_cohere_names() -> None:
    body = encode(
        Message.user("hi"), temperature=0.2, top_p=0.9, max_tokens=100, stop=["END"], seed=7
    )
    assert body["temperature"] == 0.2
    assert body["p"] == 0.9
    assert body["max_tokens"] == 100
    assert body["stop_sequences"] == ["END"]
    assert body["seed"] == 7
    assert not {"top_p", "stop"} & body.keys()


def test_tools_and_tool_choice() -> None:
    body = encode(Message.user("hi"), tools=[TOOL], tool_choice=ToolChoice(mode="required"))
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
    assert body["tool_choice"] == "REQUIRED"
    assert encode(Message.user("hi"), tool_choice=ToolChoice(mode="none"))["tool_choice"] == "NONE"
    assert "tool_choice" not in encode(Message.user("hi"), tool_choice=ToolChoice(mode="auto"))


def test_a_named_tool_choice_is_refused() -> None:
    with pytest.raises(UnsupportedFeatureError):
        encode(Message.user("hi"), tools=[TOOL], tool_choice=ToolChoice(mode="tool", name="x"))


def test_strict_tools_is_one_flag_for_all() -> None:
    strict = TOOL.model_copy(update={"strict": True})
    assert encode(Message.user("hi"), tools=[strict])["strict_tools"] is True
    assert "strict_tools" not in encode(Message.user("hi"), tools=[TOOL])
    loose = TOOL.model_copy(update={"name": "other", "strict": False})
    with pytest.raises(UnsupportedFeatureError):
        encode(Message.user("hi"), tools=[strict, loose])


def test_response_formats() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    fmt = ResponseFormat(type="json_schema", name="answer", json_schema=schema)
    assert encode(Message.user("hi"), response_format=fmt)["response_format"] == {
        "type": "json_object",
        "json_schema": schema,
    }
    plain = encode(Message.user("hi"), response_format=ResponseFormat(type="json_object"))
    assert plain["response_format"] == {"type": "json_object"}
    with pytest.raises(UnsupportedFeatureError):
        encode(Message.user("hi"), response_format=ResponseFormat(type="json_schema"))


def test_metadata_is_refused() -> None:
    with pytest.raises(UnsupportedFeatureError):
        encode(Message.user("hi"), metadata={"user": "u1"})


def test_extra_is_merged_but_cannot_change_the_call_mode() -> None:
    extra = {"k": 40, "thinking": {"type": "enabled", "token_budget": 2000}, "stream": True}
    body = encode(Message.user("hi"), extra=extra)
    assert body["k"] == 40
    assert body["thinking"] == {"type": "enabled", "token_budget": 2000}
    assert body["stream"] is False
