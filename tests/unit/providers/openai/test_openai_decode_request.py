"""Chat Completions body -> ChatRequest: neutral fields, what stays in extra, and why."""

from __future__ import annotations

from typing import Any

import pytest

from fluent_ai.providers.openai import OpenAIChatProtocol, protocol_for
from fluent_ai.types import (
    DocumentPart,
    ImagePart,
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

OPENAI = OpenAIChatProtocol()


def body(**fields: Any) -> dict[str, Any]:
    return {"model": "m", "messages": [{"role": "user", "content": "hi"}], **fields}


def roundtrip(data: dict[str, Any], protocol: OpenAIChatProtocol = OPENAI) -> dict[str, Any]:
    request = protocol.decode_request(data)
    return protocol.encode_request(request, stream=bool(data.get("stream")))


def test_options_land_in_their_neutral_fields() -> None:
    request = OPENAI.decode_request(
        body(
            temperature=0.1,
            top_p=1,
            max_completion_tokens=50,
            seed=3,
            stop=["x"],
            metadata={"k": "v"},
            tools=[
                {"type": "function", "function": {"name": "f", "description": "", "parameters": {}}}
            ],
            tool_choice={"type": "function", "function": {"name": "f"}},
            response_format={"type": "json_object"},
            stream=True,
        )
    )
    assert (request.temperature, request.top_p, request.max_tokens, request.seed) == (0.1, 1, 50, 3)
    assert request.stop == ["x"]
    assert request.metadata == {"k": "v"}
    assert request.tools == [ToolSpec(name="f", parameters={})]
    assert request.tool_choice == ToolChoice(mode="tool", name="f")
    assert request.response_format == ResponseFormat(type="json_object")
    assert request.extra == {}


def test_json_schema_response_format() -> None:
    fmt = {
        "type": "json_schema",
        "json_schema": {
            "name": "r",
            "description": "d",
            "schema": {"type": "object"},
            "strict": False,
        },
    }
    request = OPENAI.decode_request(body(response_format=fmt))
    assert request.response_format == ResponseFormat(
        type="json_schema", name="r", description="d", json_schema={"type": "object"}, strict=False
    )
    assert roundtrip(body(response_format=fmt))["response_format"] == fmt


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("stop", "\n"),  # a string: the neutral field is a list
        ("max_tokens", 10),  # OpenAI's old name: kept under the name the caller used
        ("temperature", "hot"),  # not a number: the vendor decides what it means
        ("tools", [{"type": "openrouter:web_search", "parameters": {"max_uses": 1}}]),
        ("tool_choice", {"type": "allowed_tools", "mode": "auto"}),
        ("n", 2),
        ("stream_options", {"include_usage": False}),
    ],
)
def test_what_cannot_be_rendered_back_exactly_stays_in_extra(key: str, value: Any) -> None:
    data = body(**{key: value}, stream=True)
    request = OPENAI.decode_request(data)
    assert request.extra == {key: value}
    assert roundtrip(data)[key] == value


def test_max_tokens_is_neutral_where_it_is_the_vendors_name() -> None:
    assert protocol_for("groq").decode_request(body(max_tokens=10)).max_tokens == 10


def test_leading_developer_message_is_the_system_prompt() -> None:
    data = {
        "model": "m",
        "messages": [
            {"role": "developer", "content": "rules"},
            {"role": "system", "content": "more"},
            {"role": "user", "content": "hi"},
        ],
    }
    request = OPENAI.decode_request(data)
    assert request.system == "rules"
    assert [m.role for m in request.messages] == ["system", "user"]
    assert roundtrip(data)["messages"] == data["messages"]


def test_content_parts() -> None:
    data = body()
    data["messages"] = [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "see"},
                {"type": "image_url", "image_url": {"url": "https://x/a.png", "detail": "high"}},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
                {
                    "type": "file",
                    "file": {
                        "file_data": "data:application/pdf;base64,JVBERg==",
                        "filename": "f.pdf",
                    },
                },
            ],
        }
    ]
    parts = OPENAI.decode_request(data).messages[0].parts
    assert parts == [
        TextPart(text="see"),
        ImagePart(url="https://x/a.png", detail="high"),
        ImagePart(data=b"\x89PNG\r\n\x1a\n", media_type="image/png"),
        DocumentPart(data=b"%PDF", media_type="application/pdf", name="f.pdf"),
    ]
    assert roundtrip(data)["messages"] == data["messages"]


def test_assistant_turn_with_reasoning_and_tool_calls() -> None:
    turn = {
        "role": "assistant",
        "content": None,
        "reasoning_content": "",
        "tool_calls": [
            {"id": "c", "type": "function", "function": {"name": "f", "arguments": "{}"}}
        ],
    }
    data = {
        "model": "m",
        "messages": [turn, {"role": "tool", "tool_call_id": "c", "content": "ok"}],
    }
    deepseek = protocol_for("deepseek")
    messages = deepseek.decode_request(data).messages
    assert messages[0].parts == [
        ThinkingPart(text=""),
        ToolCallPart(id="c", name="f", arguments="{}"),
    ]
    assert messages[1].parts == [ToolResultPart(tool_call_id="c", content="ok")]
    assert roundtrip(data, deepseek)["messages"] == data["messages"]


def test_malformed_and_unsupported_bodies_raise_typed_errors() -> None:
    with pytest.raises(InvalidRequestError):
        OPENAI.decode_request({"messages": []})
    with pytest.raises(InvalidRequestError, match="malformed"):
        OPENAI.decode_request({"model": "m", "messages": [{"role": "tool", "content": "x"}]})
    audio = {"type": "input_audio", "input_audio": {"data": "", "format": "wav"}}
    with pytest.raises(UnsupportedFeatureError, match="input_audio"):
        OPENAI.decode_request({"model": "m", "messages": [{"role": "user", "content": [audio]}]})
    with pytest.raises(UnsupportedFeatureError, match="function"):
        OPENAI.decode_request({"model": "m", "messages": [{"role": "function", "content": "x"}]})
    by_id = {"type": "file", "file": {"file_id": "file-1"}}
    with pytest.raises(UnsupportedFeatureError, match="file_id"):
        OPENAI.decode_request({"model": "m", "messages": [{"role": "user", "content": [by_id]}]})
    bad = {"type": "image_url", "image_url": {"url": "data:image/png;base64,!!"}}
    with pytest.raises(InvalidRequestError, match="base64"):
        OPENAI.decode_request({"model": "m", "messages": [{"role": "user", "content": [bad]}]})
