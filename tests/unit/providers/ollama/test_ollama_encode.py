"""ChatRequest -> the body of Ollama's ``POST /api/chat``.

Shapes as Ollama documents them (docs/api.md "Generate a chat completion" and the Go
types in api/types.go): flat messages with ``images`` as bare base64, tool calls with
an ``arguments`` object, tool results naming ``tool_name`` and ``tool_call_id``,
sampling settings in ``options``.
"""

from __future__ import annotations

from typing import Any

import pytest

from fluent_ai.providers.ollama import OllamaProtocol
from fluent_ai.types import (
    ChatRequest,
    ConfigurationError,
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

PROTOCOL = OllamaProtocol()
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
WEATHER = ToolSpec(
    name="get_current_weather",
    description="Get the current weather for a location",
    parameters={"type": "object", "properties": {"location": {"type": "string"}}},
)


def encode(*messages: Message, stream: bool = False, **fields: Any) -> dict[str, Any]:
    request = ChatRequest(model="llama3.2", messages=list(messages), **fields)
    return PROTOCOL.encode_request(request, stream=stream)


@pytest.mark.parametrize("stream", [True, False])
def test_stream_is_always_sent_because_ollama_streams_by_default(stream: bool) -> None:
    body = encode(Message.user("why is the sky blue?"), stream=stream, extra={"stream": "no"})
    assert body == {
        "model": "llama3.2",
        "messages": [{"role": "user", "content": "why is the sky blue?"}],
        "stream": stream,
    }


def test_system_prompt_leads_and_history_system_messages_keep_their_place() -> None:
    body = encode(Message.user("hi"), Message.system("be brief"), system="You are terse.")
    assert body["messages"] == [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "hi"},
        {"role": "system", "content": "be brief"},
    ]


def test_text_parts_are_joined_as_blocks_and_images_go_inline_as_base64() -> None:
    message = Message.user(
        "what is in this image?",
        ImagePart(data=PNG, media_type="image/png"),
        "answer in one word",
        ImagePart(url="data:image/png;base64,iVBORw0KGgo="),
    )
    (wire,) = encode(message)["messages"]
    assert wire == {
        "role": "user",
        "content": "what is in this image?\n\nanswer in one word",
        "images": ["iVBORw0KGgoAAAANSUhEUg==", "iVBORw0KGgo="],
    }


def test_an_image_url_is_refused_since_ollama_fetches_nothing() -> None:
    with pytest.raises(UnsupportedFeatureError, match="inline only") as info:
        encode(Message.user("see", ImagePart(url="https://example.com/cat.png")))
    assert info.value.provider == "ollama-native"


def test_documents_are_refused() -> None:
    pdf = DocumentPart(data=b"%PDF-1.4", media_type="application/pdf")
    with pytest.raises(UnsupportedFeatureError, match="document"):
        encode(Message(role="user", parts=[TextPart(text="summarise"), pdf]))


def test_assistant_turn_sends_thinking_text_and_calls_with_object_arguments() -> None:
    assistant = Message(
        role="assistant",
        parts=[
            ThinkingPart(text="The user wants Paris.", signature="sig-from-anthropic"),
            ThinkingPart(redacted="opaque"),
            TextPart(text="Let me check."),
            ToolCallPart(
                id="call_7", name="get_current_weather", arguments='{"location": "Paris"}'
            ),
            ToolCallPart(id="call_8", name="get_time", arguments=""),
        ],
    )
    (wire,) = encode(assistant)["messages"]
    assert wire == {
        "role": "assistant",
        "content": "Let me check.",
        "thinking": "The user wants Paris.",
        "tool_calls": [
            {
                "id": "call_7",
                "function": {"name": "get_current_weather", "arguments": {"location": "Paris"}},
            },
            {"id": "call_8", "function": {"name": "get_time", "arguments": {}}},
        ],
    }


def test_tool_call_arguments_that_are_not_an_object_are_refused() -> None:
    call = ToolCallPart(id="c", name="f", arguments="[1, 2]")
    with pytest.raises(UnsupportedFeatureError, match="JSON object"):
        encode(Message(role="assistant", parts=[call]))


def test_tool_results_name_their_tool_from_the_call_they_answer() -> None:
    call = ToolCallPart(id="call_7", name="get_current_weather", arguments="{}")
    results = Message(
        role="tool",
        parts=[
            ToolResultPart(tool_call_id="call_7", content="22 degrees"),
            ToolResultPart(tool_call_id="other", content="no", name="lookup", is_error=True),
            ImagePart(data=PNG, media_type="image/png"),
        ],
    )
    body = encode(Message(role="assistant", parts=[call]), results)
    assert body["messages"][1:] == [
        {
            "role": "tool",
            "content": "22 degrees",
            "tool_name": "get_current_weather",
            "tool_call_id": "call_7",
        },
        {"role": "tool", "content": "no", "tool_name": "lookup", "tool_call_id": "other"},
        {"role": "user", "content": "", "images": ["iVBORw0KGgoAAAANSUhEUg=="]},
    ]


def test_a_result_for_an_unknown_call_goes_without_a_tool_name() -> None:
    (wire,) = encode(Message.tool_result("lost", "42"))["messages"]
    assert wire == {"role": "tool", "content": "42", "tool_call_id": "lost"}


def test_sampling_settings_go_in_options_and_extra_options_merge_over_them() -> None:
    body = encode(
        Message.user("hi"),
        temperature=0.2,
        top_p=0.9,
        max_tokens=100,
        stop=["\n", "user:"],
        seed=42,
        extra={"options": {"num_ctx": 8192, "top_k": 20, "seed": 7}, "keep_alive": "10m"},
    )
    assert body["options"] == {
        "temperature": 0.2,
        "top_p": 0.9,
        "num_predict": 100,
        "stop": ["\n", "user:"],
        "seed": 7,
        "num_ctx": 8192,
        "top_k": 20,
    }
    assert body["keep_alive"] == "10m"
    assert list(body)[-1] == "stream"


def test_extra_options_must_be_an_object() -> None:
    with pytest.raises(ConfigurationError, match="options"):
        encode(Message.user("hi"), extra={"options": "num_ctx=8192"})


def test_think_passes_through_extra() -> None:
    assert encode(Message.user("hi"), extra={"think": "high"})["think"] == "high"


def test_tools_take_the_function_shape() -> None:
    bare = ToolSpec(name="get_time")
    body = encode(Message.user("weather?"), tools=[WEATHER, bare])
    assert body["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "get_current_weather",
                "description": "Get the current weather for a location",
                "parameters": WEATHER.parameters,
            },
        },
        {"type": "function", "function": {"name": "get_time", "parameters": bare.parameters}},
    ]


def test_strict_tools_are_refused() -> None:
    strict = WEATHER.model_copy(update={"strict": True})
    with pytest.raises(UnsupportedFeatureError, match="strict"):
        encode(Message.user("weather?"), tools=[strict])


def test_tool_choice_none_keeps_the_tools_back_and_forcing_a_call_is_refused() -> None:
    body = encode(Message.user("hi"), tools=[WEATHER], tool_choice=ToolChoice(mode="none"))
    assert "tools" not in body
    assert "tools" in encode(Message.user("hi"), tools=[WEATHER], tool_choice=ToolChoice())
    for choice in (ToolChoice(mode="required"), ToolChoice(mode="tool", name=WEATHER.name)):
        with pytest.raises(UnsupportedFeatureError, match="tool choice"):
            encode(Message.user("hi"), tools=[WEATHER], tool_choice=choice)


def test_format_is_json_or_the_schema_itself() -> None:
    schema = {"type": "object", "properties": {"age": {"type": "integer"}}, "required": ["age"]}
    as_schema = ResponseFormat(type="json_schema", json_schema=schema, name="person", strict=True)
    assert encode(Message.user("x"), response_format=as_schema)["format"] == schema
    json_mode = ResponseFormat(type="json_object")
    assert encode(Message.user("x"), response_format=json_mode)["format"] == "json"
    assert "format" not in encode(Message.user("x"), response_format=ResponseFormat())
    with pytest.raises(UnsupportedFeatureError, match="schema"):
        encode(Message.user("x"), response_format=ResponseFormat(type="json_schema"))


def test_metadata_is_refused() -> None:
    with pytest.raises(UnsupportedFeatureError, match="metadata"):
        encode(Message.user("x"), metadata={"user": "u1"})


def test_the_path_is_api_chat_whether_or_not_it_streams() -> None:
    request = ChatRequest(model="llama3.2", messages=[Message.user("hi")])
    assert PROTOCOL.path(request, stream=True) == PROTOCOL.path(request, stream=False)
    assert PROTOCOL.path(request, stream=True) == "/api/chat"
