"""Gemini request bodies -> ChatRequest, and back unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from fluent_ai.providers.google import CONTENTS_KEY, GeminiProtocol
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
)

PROTOCOL = GeminiProtocol()


def roundtrip(body: dict[str, Any]) -> dict[str, Any]:
    request = PROTOCOL.decode_request(body)
    return PROTOCOL.encode_request(request, stream=False)


def test_plain_fields_are_read_and_spelled_back() -> None:
    body = {
        "model": "models/gemini-2.5-flash",
        "contents": [{"role": "user", "parts": [{"text": "Hi"}]}],
        "systemInstruction": {"role": "user", "parts": [{"text": "Be kind."}]},
        "generationConfig": {
            "temperature": 0.5,
            "topP": 0.9,
            "topK": 20,
            "maxOutputTokens": 64,
            "stopSequences": ["x"],
            "seed": 3,
            "responseMimeType": "application/json",
            "responseJsonSchema": {"type": "object"},
        },
    }
    request = PROTOCOL.decode_request(body)
    assert request.model == "gemini-2.5-flash"
    assert request.system == "Be kind."
    assert (request.temperature, request.top_p, request.max_tokens) == (0.5, 0.9, 64)
    assert (request.stop, request.seed) == (["x"], 3)
    assert request.response_format == ResponseFormat(
        type="json_schema", json_schema={"type": "object"}
    )
    assert request.extra == {"generationConfig": {"topK": 20}}
    encoded = PROTOCOL.encode_request(request, stream=False)
    assert encoded == {key: value for key, value in body.items() if key != "model"}


def test_a_body_without_a_model_is_for_the_model_its_url_names() -> None:
    request = PROTOCOL.decode_request({"contents": [{"role": "user", "parts": [{"text": "a"}]}]})
    assert request.model == ""
    assert PROTOCOL.path(request, stream=True) == ":streamGenerateContent?alt=sse"


def test_function_calls_without_ids_get_ids_and_responses_match_by_name() -> None:
    body = {
        "contents": [
            {"role": "user", "parts": [{"text": "go"}]},
            {
                "role": "model",
                "parts": [
                    {"functionCall": {"name": "f", "args": {"n": 1}}, "thoughtSignature": "s"},
                    {"functionCall": {"name": "g", "args": {}}},
                    {"functionCall": {"name": "f", "args": {"n": 2}}},
                ],
            },
            {
                "role": "user",
                "parts": [
                    {"functionResponse": {"name": "f", "response": {"output": "one"}}},
                    {"functionResponse": {"name": "g", "response": {"error": "broken"}}},
                    {"functionResponse": {"name": "f", "response": {"value": 2}}},
                ],
            },
        ]
    }
    request = PROTOCOL.decode_request(body)
    model, tool = request.messages[1], request.messages[2]
    assert model.parts[0] == ThinkingPart(signature="s")
    assert [(c.id, c.name) for c in model.tool_calls] == [
        ("call-0", "f"),
        ("call-1", "g"),
        ("call-2", "f"),
    ]
    assert tool.role == "tool"
    assert tool.parts == [
        ToolResultPart(tool_call_id="call-0", content="one", name="f"),
        ToolResultPart(tool_call_id="call-1", content="broken", name="g", is_error=True),
        ToolResultPart(tool_call_id="call-2", content='{"value": 2}', name="f"),
    ]
    assert roundtrip(body) == body


def test_media_parts_in_either_spelling() -> None:
    body = {
        "contents": [
            {
                "role": "user",
                "parts": [
                    {"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo="}},
                    {"inline_data": {"mime_type": "application/pdf", "data": "JVBERi0-"}},
                    {"file_data": {"file_uri": "gs://b/v.mp4", "mime_type": "video/mp4"}},
                    {"fileData": {"fileUri": "https://x/cat.png", "mimeType": "image/png"}},
                ],
            }
        ]
    }
    request = PROTOCOL.decode_request(body)
    assert request.messages[0].parts == [
        ImagePart(data=b"\x89PNG\r\n\x1a\n", media_type="image/png"),
        DocumentPart(data=b"%PDF->", media_type="application/pdf"),  # URL-safe base64
        DocumentPart(url="gs://b/v.mp4", media_type="video/mp4"),
        ImagePart(url="https://x/cat.png", media_type="image/png"),
    ]
    # snake_case and URL-safe base64 are not the encoder's spelling: the content goes back whole
    assert request.extra[CONTENTS_KEY] == body["contents"]
    assert roundtrip(body) == body


def test_thoughts_and_signatures_read_as_thinking_parts() -> None:
    body = {
        "contents": [
            {"role": "user", "parts": [{"text": "q"}]},
            {
                "role": "model",
                "parts": [
                    {"text": "hmm", "thought": True},
                    {"text": "answer", "thoughtSignature": "sig"},
                ],
            },
        ]
    }
    request = PROTOCOL.decode_request(body)
    assert request.messages[1].parts == [
        ThinkingPart(text="hmm"),
        ThinkingPart(signature="sig"),
        TextPart(text="answer"),
    ]
    assert CONTENTS_KEY not in request.extra
    assert roundtrip(body) == body


def test_tools_and_tool_config() -> None:
    declaration = {"name": "f", "description": "F", "parametersJsonSchema": {"type": "object"}}
    body = {
        "contents": [{"role": "user", "parts": [{"text": "a"}]}],
        "tools": [{"functionDeclarations": [declaration]}],
        "toolConfig": {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["f"]}},
    }
    request = PROTOCOL.decode_request(body)
    assert request.tools == [ToolSpec(name="f", description="F", parameters={"type": "object"})]
    assert request.tool_choice == ToolChoice(mode="tool", name="f")
    assert request.extra == {}
    assert roundtrip(body) == body


def test_tools_spelled_otherwise_stay_as_they_came_and_are_still_read() -> None:
    body = {
        "contents": [{"role": "user", "parts": [{"text": "a"}]}],
        "tools": [
            {"googleSearch": {}},
            {
                "functionDeclarations": [
                    {"name": "f", "description": "", "parameters_json_schema": {"type": "object"}},
                    {"name": "g", "parameters": {"type": "OBJECT", "properties": {}}},
                ]
            },
        ],
        "toolConfig": {"functionCallingConfig": {"mode": "VALIDATED"}},
    }
    request = PROTOCOL.decode_request(body)
    assert request.tools == [ToolSpec(name="f", parameters={"type": "object"})]
    assert request.tool_choice is None
    assert roundtrip(body) == body


def test_system_instruction_spelled_otherwise_is_read_and_kept() -> None:
    body = {
        "contents": [{"role": "user", "parts": [{"text": "a"}]}],
        "systemInstruction": {"parts": [{"text": "one"}, {"text": "two"}]},
        "generationConfig": {},
    }
    request = PROTOCOL.decode_request(body)
    assert request.system == "one\n\ntwo"
    assert roundtrip(body) == body


def test_a_body_that_is_not_gemini_is_an_invalid_request() -> None:
    with pytest.raises(InvalidRequestError):
        PROTOCOL.decode_request({"messages": []})
    with pytest.raises(InvalidRequestError):
        PROTOCOL.decode_request({"contents": [{"role": "system", "parts": []}]})


def test_call_ids_given_by_the_client_are_kept() -> None:
    body = {
        "contents": [
            {"role": "model", "parts": [{"functionCall": {"id": "x1", "name": "f", "args": {}}}]},
            {
                "role": "user",
                "parts": [
                    {"functionResponse": {"id": "x1", "name": "f", "response": {"output": "ok"}}}
                ],
            },
        ]
    }
    request = PROTOCOL.decode_request(body)
    assert request.messages[0].parts == [ToolCallPart(id="x1", name="f", arguments="{}")]
    assert request.messages[1].parts[0] == ToolResultPart(tool_call_id="x1", content="ok", name="f")
    assert CONTENTS_KEY not in request.extra
    assert roundtrip(body) == body
