"""ChatRequest -> Responses body: every part type and option, and what is refused."""

from __future__ import annotations

from typing import Any

import pytest

from fluent_ai.providers.responses import ITEMS_KEY, ResponsesProtocol, protocol_for
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

OPENAI = ResponsesProtocol()


def encode(*messages: Message, stream: bool = False, **fields: Any) -> dict[str, Any]:
    request = ChatRequest(model="gpt-5", messages=list(messages), **fields)
    return OPENAI.encode_request(request, stream=stream)


def test_path_is_responses() -> None:
    request = ChatRequest(model="gpt-5", messages=[])
    assert OPENAI.path(request, stream=True) == "/responses"


def test_text_message_and_options() -> None:
    body = encode(
        Message.user("Hi"),
        system="Be brief.",
        temperature=0.2,
        top_p=0.9,
        max_tokens=300,
        metadata={"run": "7"},
    )
    assert body == {
        "model": "gpt-5",
        "instructions": "Be brief.",
        "input": [{"role": "user", "content": "Hi"}],
        "temperature": 0.2,
        "top_p": 0.9,
        "max_output_tokens": 300,
        "metadata": {"run": "7"},
        "stream": False,
    }


def test_stream_flag_is_the_call_mode() -> None:
    assert encode(Message.user("Hi"), stream=True, extra={"stream": False})["stream"] is True


def test_system_messages_in_the_history_stay_in_place() -> None:
    body = encode(Message.system("Rules."), Message.user("Hi"))
    assert body["input"] == [
        {"role": "system", "content": "Rules."},
        {"role": "user", "content": "Hi"},
    ]


def test_images_and_documents() -> None:
    message = Message.user(
        "Look",
        ImagePart(url="https://x.test/a.png", detail="high"),
        ImagePart(data=b"\x89PNG", media_type="image/png"),
        DocumentPart(data=b"%PDF-1", media_type="application/pdf", name="a.pdf"),
        DocumentPart(url="https://x.test/b.pdf"),
    )
    assert encode(message)["input"][0]["content"] == [
        {"type": "input_text", "text": "Look"},
        {"type": "input_image", "image_url": "https://x.test/a.png", "detail": "high"},
        {"type": "input_image", "image_url": "data:image/png;base64,iVBORw=="},
        {
            "type": "input_file",
            "file_data": "data:application/pdf;base64,JVBERi0x",
            "filename": "a.pdf",
        },
        {"type": "input_file", "file_url": "https://x.test/b.pdf"},
    ]


def test_assistant_turn_with_tool_calls_and_results() -> None:
    assistant = Message(
        role="assistant",
        parts=[
            ThinkingPart(text="I should look it up."),  # not sendable as parts: left out
            TextPart(text="Checking."),
            ToolCallPart(id="call_1", name="weather", arguments='{"city":"Paris"}'),
        ],
    )
    body = encode(Message.user("Weather?"), assistant, Message.tool_result("call_1", "21C"))
    assert body["input"][1:] == [
        {"role": "assistant", "content": "Checking."},
        {
            "type": "function_call",
            "call_id": "call_1",
            "name": "weather",
            "arguments": '{"city":"Paris"}',
        },
        {"type": "function_call_output", "call_id": "call_1", "output": "21C"},
    ]


def test_tool_result_with_an_image_is_one_output() -> None:
    result = Message(
        role="tool",
        parts=[
            ToolResultPart(tool_call_id="call_1", content="Here it is"),
            ImagePart(url="https://x.test/a.png", detail="auto"),
        ],
    )
    assert encode(result)["input"] == [
        {
            "type": "function_call_output",
            "call_id": "call_1",
            "output": [
                {"type": "input_text", "text": "Here it is"},
                {"type": "input_image", "image_url": "https://x.test/a.png", "detail": "auto"},
            ],
        }
    ]


def test_text_beside_tool_results_follows_them_as_a_user_turn() -> None:
    turn = Message(
        role="user",
        parts=[ToolResultPart(tool_call_id="call_1", content="ok"), TextPart(text="Go on")],
    )
    assert encode(turn)["input"] == [
        {"type": "function_call_output", "call_id": "call_1", "output": "ok"},
        {"role": "user", "content": "Go on"},
    ]


def test_function_tools_then_builtin_tools_from_extra() -> None:
    body = encode(
        Message.user("Hi"),
        tools=[
            ToolSpec(name="weather", description="Get weather", strict=True),
            ToolSpec(name="clock"),
        ],
        extra={"tools": [{"type": "web_search"}]},
    )
    assert body["tools"] == [
        {
            "type": "function",
            "name": "weather",
            "description": "Get weather",
            "parameters": {"type": "object", "properties": {}},
            "strict": True,
        },
        # No strict preference: the permissive setting, not the Responses default (strict).
        {
            "type": "function",
            "name": "clock",
            "parameters": {"type": "object", "properties": {}},
            "strict": False,
        },
        {"type": "web_search"},
    ]


@pytest.mark.parametrize(
    ("choice", "wire"),
    [
        (ToolChoice(mode="auto"), "auto"),
        (ToolChoice(mode="none"), "none"),
        (ToolChoice(mode="required"), "required"),
        (ToolChoice(mode="tool", name="weather"), {"type": "function", "name": "weather"}),
    ],
)
def test_tool_choice(choice: ToolChoice, wire: Any) -> None:
    assert encode(Message.user("Hi"), tool_choice=choice)["tool_choice"] == wire


def test_tool_choice_of_one_tool_needs_its_name() -> None:
    with pytest.raises(UnsupportedFeatureError):
        encode(Message.user("Hi"), tool_choice=ToolChoice(mode="tool"))


@pytest.mark.parametrize(
    ("fmt", "wire"),
    [
        (ResponseFormat(type="text"), {"type": "text"}),
        (ResponseFormat(type="json_object"), {"type": "json_object"}),
        (
            ResponseFormat(
                type="json_schema",
                name="City",
                json_schema={"type": "object"},
                strict=True,
                description="A city",
            ),
            {
                "type": "json_schema",
                "name": "City",
                "schema": {"type": "object", "additionalProperties": False},
                "description": "A city",
                "strict": True,
            },
        ),
    ],
)
def test_response_format_is_text_format(fmt: ResponseFormat, wire: dict[str, Any]) -> None:
    body = encode(Message.user("Hi"), response_format=fmt, extra={"text": {"verbosity": "low"}})
    assert body["text"] == {"format": wire, "verbosity": "low"}


def test_json_schema_needs_a_schema() -> None:
    with pytest.raises(UnsupportedFeatureError):
        encode(Message.user("Hi"), response_format=ResponseFormat(type="json_schema"))


def test_extra_fields_are_sent_as_given() -> None:
    extra = {
        "reasoning": {"effort": "high", "summary": "auto"},
        "include": ["reasoning.encrypted_content"],
        "previous_response_id": "resp_1",
        "store": False,
    }
    body = encode(Message.user("Hi"), extra=extra)
    assert {key: body[key] for key in extra} == extra


def test_verbatim_items_replace_the_message_they_spell() -> None:
    output = [
        {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAA"},
        {
            "type": "message",
            "id": "msg_1",
            "role": "assistant",
            "status": "completed",
            "content": [{"type": "output_text", "text": "Paris.", "annotations": []}],
        },
    ]
    history = [Message.user("Capital?"), Message.assistant("Paris."), Message.user("And?")]
    body = encode(*history, extra={ITEMS_KEY: [output]})
    assert body["input"] == [
        {"role": "user", "content": "Capital?"},
        *output,
        {"role": "user", "content": "And?"},
    ]
    assert ITEMS_KEY not in body


def test_an_edited_message_no_longer_uses_its_items() -> None:
    output = [
        {
            "type": "message",
            "role": "assistant",
            "content": [{"type": "output_text", "text": "Paris."}],
        }
    ]
    body = encode(Message.assistant("Lyon."), extra={ITEMS_KEY: [output]})
    assert body["input"] == [{"role": "assistant", "content": "Lyon."}]


def test_malformed_verbatim_items_are_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError):
        encode(Message.user("Hi"), extra={ITEMS_KEY: "not a list"})


@pytest.mark.parametrize(
    "fields",
    [
        {"seed": 1},
        {"stop": ["\n"]},
    ],
)
def test_fields_the_api_lacks_are_refused(fields: dict[str, Any]) -> None:
    with pytest.raises(UnsupportedFeatureError) as info:
        encode(Message.user("Hi"), **fields)
    assert info.value.provider == "openai"


def test_message_names_are_refused() -> None:
    with pytest.raises(UnsupportedFeatureError):
        encode(Message(role="user", parts=[TextPart(text="Hi")], name="ann"))


def test_images_in_an_assistant_turn_are_refused() -> None:
    with pytest.raises(UnsupportedFeatureError):
        encode(Message(role="assistant", parts=[ImagePart(url="https://x.test/a.png")]))


def test_background_needs_streaming() -> None:
    with pytest.raises(UnsupportedFeatureError):
        encode(Message.user("Hi"), extra={"background": True})
    assert encode(Message.user("Hi"), stream=True, extra={"background": True})["background"]


@pytest.mark.parametrize("provider", ["openrouter", "deepseek"])
@pytest.mark.parametrize("field", ["previous_response_id", "conversation"])
def test_stateless_vendors_refuse_stored_state(provider: str, field: str) -> None:
    protocol = protocol_for(provider)
    request = ChatRequest(model="m", messages=[Message.user("Hi")], extra={field: "resp_1"})
    with pytest.raises(UnsupportedFeatureError) as info:
        protocol.encode_request(request, stream=False)
    assert info.value.provider == provider
    assert OPENAI.encode_request(request, stream=False)[field] == "resp_1"
