"""Mistral chat body -> ChatRequest: neutral fields claimed only when they read back exactly."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from fluent_ai.providers.mistral import MistralProtocol
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
    UnsupportedFeatureError,
)

PROTOCOL = MistralProtocol()
PDF = b"%PDF-1.4 dummy"


def body(**fields: Any) -> dict[str, Any]:
    return {
        "model": "mistral-large-latest",
        "messages": [{"role": "user", "content": "hi"}],
        **fields,
    }


def test_neutral_fields_are_claimed() -> None:
    request = PROTOCOL.decode_request(
        body(
            temperature=0.3,
            top_p=1.0,
            max_tokens=50,
            random_seed=3,
            stop=["END"],
            tool_choice="any",
            response_format={"type": "json_object"},
            stream=True,
        )
    )
    assert request.temperature == 0.3
    assert request.top_p == 1.0
    assert request.max_tokens == 50
    assert request.seed == 3
    assert request.stop == ["END"]
    assert request.tool_choice == ToolChoice(mode="required")
    assert request.response_format == ResponseFormat(type="json_object")
    assert request.extra == {}


def test_fields_that_would_not_read_back_stay_in_extra() -> None:
    original = body(
        stop="END",
        tool_choice="required",
        tools=[{"function": {"name": "f", "description": "", "parameters": {}}}],
        frequency_penalty=None,
        safe_prompt=True,
        n=1,
    )
    request = PROTOCOL.decode_request(original)
    assert request.stop is None
    assert request.tool_choice is None
    assert request.tools is None
    assert request.extra == {
        key: value for key, value in original.items() if key not in ("model", "messages")
    }
    assert PROTOCOL.encode_request(request, stream=False) == {**original, "stream": False}


def test_messages_of_every_role() -> None:
    pdf_url = "data:application/pdf;base64," + base64.b64encode(PDF).decode()
    messages = [
        {"role": "system", "content": "Be brief."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "Look:"},
                {"type": "image_url", "image_url": "https://example.com/a.png"},
                {"type": "document_url", "document_url": pdf_url, "document_name": "a.pdf"},
            ],
        },
        {
            "role": "assistant",
            "content": [{"type": "thinking", "thinking": [{"type": "text", "text": "Hmm"}]}],
            "tool_calls": [{"id": "abcdefghi", "function": {"name": "f", "arguments": {"x": 1}}}],
            "prefix": False,
        },
        {"role": "tool", "tool_call_id": "abcdefghi", "name": "f", "content": "done"},
    ]
    request = PROTOCOL.decode_request({"model": "m", "messages": messages})
    system, user, assistant, tool = request.messages
    assert system.parts == [TextPart(text="Be brief.")]
    assert user.parts == [
        TextPart(text="Look:"),
        ImagePart(url="https://example.com/a.png"),
        DocumentPart(data=PDF, media_type="application/pdf", name="a.pdf"),
    ]
    assert assistant.parts == [
        ThinkingPart(text="Hmm"),
        ToolCallPart(id="abcdefghi", name="f", arguments='{"x": 1}'),
    ]
    assert tool.parts == [ToolResultPart(tool_call_id="abcdefghi", content="done", name="f")]


def test_unknown_chunks_and_roles_are_refused() -> None:
    with pytest.raises(UnsupportedFeatureError):
        PROTOCOL.decode_request(
            body(
                messages=[
                    {"role": "user", "content": [{"type": "input_audio", "input_audio": "x"}]}
                ]
            )
        )
    with pytest.raises(UnsupportedFeatureError):
        PROTOCOL.decode_request(body(messages=[{"role": "critic", "content": "x"}]))


def test_a_malformed_body_is_an_invalid_request() -> None:
    with pytest.raises(InvalidRequestError):
        PROTOCOL.decode_request({"messages": []})
    with pytest.raises(InvalidRequestError):
        PROTOCOL.decode_request(body(messages=[{"role": "tool", "content": "no id"}]))
