"""ChatRequest -> Anthropic Messages body: every part type and every option."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from fluent_ai.providers.anthropic import CONTENT_KEY, DEFAULT_MAX_TOKENS, AnthropicProtocol
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

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
PROTOCOL = AnthropicProtocol()


def encode(*messages: Message, stream: bool = False, **fields: Any) -> dict[str, Any]:
    request = ChatRequest(model="claude-sonnet-4-5", messages=list(messages), **fields)
    return PROTOCOL.encode_request(request, stream=stream)


def blocks(*parts: Any, role: str = "user") -> list[dict[str, Any]]:
    content: list[dict[str, Any]] = encode(Message(role=role, parts=list(parts)))["messages"][0][
        "content"
    ]
    return content


def test_minimal_request_has_the_required_fields() -> None:
    body = encode(Message.user("hi"))
    assert body == {
        "model": "claude-sonnet-4-5",
        "max_tokens": DEFAULT_MAX_TOKENS,
        "messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}],
        "stream": False,
    }
    assert encode(Message.user("hi"), stream=True)["stream"] is True
    assert encode(Message.user("hi"), max_tokens=50)["max_tokens"] == 50


def test_path_is_messages_for_both_modes() -> None:
    request = ChatRequest(model="m", messages=[])
    assert PROTOCOL.path(request, stream=False) == PROTOCOL.path(request, stream=True)
    assert PROTOCOL.path(request, stream=True) == "/v1/messages"


def test_images_by_url_bytes_and_data_url() -> None:
    assert blocks(ImagePart(url="https://x/a.png", detail="high")) == [
        {"type": "image", "source": {"type": "url", "url": "https://x/a.png"}}
    ]
    b64 = base64.b64encode(PNG).decode()
    inline = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": b64}}
    assert blocks(ImagePart(data=PNG, media_type="image/png")) == [inline]
    assert blocks(ImagePart(data=PNG)) == [inline]  # media type read from the bytes
    webp = b"RIFF\x00\x00\x00\x00WEBPVP8 "
    assert blocks(ImagePart(data=webp))[0]["source"]["media_type"] == "image/webp"
    assert blocks(ImagePart(url=f"data:image/png;base64,{b64}")) == [inline]


def test_image_without_a_known_media_type_is_refused() -> None:
    with pytest.raises(UnsupportedFeatureError, match="media_type"):
        blocks(ImagePart(data=b"not an image"))
    with pytest.raises(UnsupportedFeatureError, match="base64"):
        blocks(ImagePart(url="data:image/png,%89PNG"))


def test_documents_pdf_url_and_plain_text() -> None:
    pdf = b"%PDF-1.4 tiny"
    assert blocks(DocumentPart(data=pdf, name="report")) == [
        {
            "type": "document",
            "source": {
                "type": "base64",
                "media_type": "application/pdf",
                "data": base64.b64encode(pdf).decode(),
            },
            "title": "report",
        }
    ]
    assert blocks(DocumentPart(url="https://x/doc.pdf")) == [
        {"type": "document", "source": {"type": "url", "url": "https://x/doc.pdf"}}
    ]
    text = {"type": "text", "media_type": "text/plain", "data": "# Notes\nhello"}
    assert blocks(DocumentPart(data=b"# Notes\nhello", media_type="text/markdown")) == [
        {"type": "document", "source": text}
    ]
    data_url = "data:text/plain;base64," + base64.b64encode(b"# Notes\nhello").decode()
    assert blocks(DocumentPart(url=data_url)) == [{"type": "document", "source": text}]
    with pytest.raises(UnsupportedFeatureError, match="media_type"):
        blocks(DocumentPart(data=b"\x00\x01"))


def test_tool_calls_results_and_thinking() -> None:
    assistant = blocks(
        ThinkingPart(text="let me see", signature="sig"),
        ThinkingPart(redacted="opaque"),
        ThinkingPart(text="from another model"),  # unsigned: Anthropic would reject it
        TextPart(text="Checking."),
        ToolCallPart(id="toolu_1", name="weather", arguments='{"city": "Paris"}'),
        ToolCallPart(id="toolu_2", name="now", arguments=""),
        role="assistant",
    )
    assert assistant == [
        {"type": "thinking", "thinking": "let me see", "signature": "sig"},
        {"type": "redacted_thinking", "data": "opaque"},
        {"type": "text", "text": "Checking."},
        {"type": "tool_use", "id": "toolu_1", "name": "weather", "input": {"city": "Paris"}},
        {"type": "tool_use", "id": "toolu_2", "name": "now", "input": {}},
    ]
    result = ToolResultPart(tool_call_id="toolu_1", content="boom", is_error=True)
    assert blocks(result, role="tool") == [
        {"type": "tool_result", "tool_use_id": "toolu_1", "content": "boom", "is_error": True}
    ]


def test_tool_call_arguments_must_be_a_json_object() -> None:
    with pytest.raises(UnsupportedFeatureError, match="JSON object"):
        blocks(ToolCallPart(id="t", name="f", arguments="[1, 2]"), role="assistant")


def test_system_prompt_and_leading_system_messages_are_joined() -> None:
    body = encode(Message.system("Be brief."), Message.user("hi"), system="You are kind.")
    assert body["system"] == "You are kind.\n\nBe brief."
    assert [m["role"] for m in body["messages"]] == ["user"]


def test_a_system_message_mid_conversation_stays_in_place() -> None:
    body = encode(Message.user("a"), Message.assistant("b"), Message.system("now terse"))
    assert "system" not in body
    assert body["messages"][2] == {
        "role": "system",
        "content": [{"type": "text", "text": "now terse"}],
    }


def test_consecutive_tool_messages_become_one_user_turn() -> None:
    calls = Message(
        role="assistant",
        parts=[ToolCallPart(id="a", name="f"), ToolCallPart(id="b", name="f")],
    )
    body = encode(
        Message.user("go"),
        calls,
        Message.tool_result("a", "1"),
        Message.tool_result("b", "2"),
        Message.user("thanks"),
    )
    roles = [m["role"] for m in body["messages"]]
    assert roles == ["user", "assistant", "user", "user"]
    assert [b["tool_use_id"] for b in body["messages"][2]["content"]] == ["a", "b"]


def test_sampling_stop_metadata_and_tools() -> None:
    body = encode(
        Message.user("hi"),
        temperature=0.2,
        top_p=0.9,
        stop=["END"],
        metadata={"user_id": "u1"},
        tools=[ToolSpec(name="f", description="does f", strict=True)],
        tool_choice=ToolChoice(mode="required"),
    )
    assert body["temperature"] == 0.2
    assert body["top_p"] == 0.9
    assert body["stop_sequences"] == ["END"]
    assert body["metadata"] == {"user_id": "u1"}
    assert body["tools"] == [
        {
            "name": "f",
            "description": "does f",
            "input_schema": {"type": "object", "properties": {}},
            "strict": True,
        }
    ]
    assert body["tool_choice"] == {"type": "any"}


@pytest.mark.parametrize(
    ("choice", "wire"),
    [
        (ToolChoice(mode="auto"), {"type": "auto"}),
        (ToolChoice(mode="none"), {"type": "none"}),
        (ToolChoice(mode="required"), {"type": "any"}),
        (ToolChoice(mode="tool", name="f"), {"type": "tool", "name": "f"}),
    ],
)
def test_tool_choice(choice: ToolChoice, wire: dict[str, str]) -> None:
    assert encode(Message.user("hi"), tool_choice=choice)["tool_choice"] == wire


def test_tool_choice_of_one_tool_needs_its_name() -> None:
    with pytest.raises(UnsupportedFeatureError):
        encode(Message.user("hi"), tool_choice=ToolChoice(mode="tool"))


def test_json_schema_output_uses_output_config() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}}
    fmt = ResponseFormat(type="json_schema", json_schema=schema, name="thing")
    body = encode(Message.user("hi"), response_format=fmt)
    # Anthropic's form: every object closed (see tests/unit/providers/test_strict_schema.py).
    strict = {**schema, "additionalProperties": False}
    assert body["output_config"] == {"format": {"type": "json_schema", "schema": strict}}
    assert "output_config" not in encode(Message.user("hi"), response_format=ResponseFormat())


def test_json_without_a_schema_and_seed_are_refused() -> None:
    with pytest.raises(UnsupportedFeatureError, match="json_schema"):
        encode(Message.user("hi"), response_format=ResponseFormat(type="json_object"))
    with pytest.raises(UnsupportedFeatureError, match="seed"):
        encode(Message.user("hi"), seed=1)


def test_extra_adds_to_the_neutral_fields() -> None:
    body = encode(
        Message.user("hi"),
        tools=[ToolSpec(name="f")],
        tool_choice=ToolChoice(mode="auto"),
        response_format=ResponseFormat(type="json_schema", json_schema={"type": "object"}),
        extra={
            "thinking": {"type": "enabled", "budget_tokens": 2048},
            "top_k": 5,
            "tools": [{"type": "web_search_20250305", "name": "web_search"}],
            "tool_choice": {"disable_parallel_tool_use": True},
            "output_config": {"effort": "low"},
        },
    )
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 2048}
    assert body["top_k"] == 5
    assert [t["name"] for t in body["tools"]] == ["f", "web_search"]
    assert body["tool_choice"] == {"type": "auto", "disable_parallel_tool_use": True}
    assert body["output_config"] == {
        "format": {
            "type": "json_schema",
            "schema": {"type": "object", "additionalProperties": False},
        },
        "effort": "low",
    }
    assert CONTENT_KEY not in body


def test_malformed_verbatim_content_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match=CONTENT_KEY):
        encode(Message.user("hi"), extra={CONTENT_KEY: {"not": "a list"}})
