"""Ollama chat request bodies -> ChatRequest, and back to the same body.

The bodies are the request examples of Ollama's docs/api.md ("Generate a chat
completion": with history, images, tools, structured outputs, reproducible outputs),
completed with the fields its Go types define (``thinking``, ``tool_name``,
``tool_call_id``, ``think``, ``keep_alive``).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from fluent_ai.providers.ollama import OllamaProtocol
from fluent_ai.types import (
    ImagePart,
    InvalidRequestError,
    ResponseFormat,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolResultPart,
    UnsupportedFeatureError,
)

PROTOCOL = OllamaProtocol()
PNG_B64 = "iVBORw0KGgoAAAANSUhEUg=="
WEATHER_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_current_weather",
        "description": "Get the current weather for a location",
        "parameters": {
            "type": "object",
            "properties": {
                "location": {"type": "string", "description": "The location"},
                "format": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
            "required": ["location", "format"],
        },
    },
}
HISTORY = [
    {"role": "user", "content": "why is the sky blue?"},
    {"role": "assistant", "content": "due to rayleigh scattering."},
    {"role": "user", "content": "how is that different than mie scattering?"},
]
TOOL_TURNS = [
    {"role": "user", "content": "What is the weather today in Paris?"},
    {
        "role": "assistant",
        "content": "",
        "thinking": "I should call the weather tool.",
        "tool_calls": [
            {
                "id": "call_p7o2gz50",
                "function": {
                    "name": "get_current_weather",
                    "arguments": {"format": "celsius", "location": "Paris, FR"},
                },
            }
        ],
    },
    {
        "role": "tool",
        "content": "22 degrees",
        "tool_name": "get_current_weather",
        "tool_call_id": "call_p7o2gz50",
    },
]
SCHEMA = {
    "type": "object",
    "properties": {"age": {"type": "integer"}, "available": {"type": "boolean"}},
    "required": ["age", "available"],
}

BODIES: dict[str, dict[str, Any]] = {
    "history": {"model": "llama3.2", "messages": HISTORY, "stream": True},
    "images": {
        "model": "llava",
        "messages": [{"role": "user", "content": "what is in this image?", "images": [PNG_B64]}],
        "stream": False,
    },
    "tools": {
        "model": "llama3.2",
        "messages": TOOL_TURNS,
        "tools": [WEATHER_TOOL],
        "stream": False,
    },
    "structured": {
        "model": "llama3.1",
        "messages": [{"role": "user", "content": "Ollama is 22 years old."}],
        "format": SCHEMA,
        "options": {"temperature": 0},
        "stream": False,
    },
    "options": {
        "model": "qwen3",
        "messages": [{"role": "system", "content": "Be brief."}, *HISTORY],
        "format": "json",
        "options": {"seed": 101, "temperature": 0, "num_ctx": 8192, "top_k": 20, "stop": ["\n"]},
        "think": "low",
        "keep_alive": "10m",
        "truncate": False,
        "stream": True,
    },
}


@pytest.mark.parametrize("name", sorted(BODIES))
def test_encode_of_decode_gives_the_body_back(name: str) -> None:
    body = BODIES[name]
    original = copy.deepcopy(body)
    request = PROTOCOL.decode_request(body)
    assert body == original  # the body is read, never changed
    assert PROTOCOL.encode_request(request, stream=body["stream"]) == body


def test_neutral_fields_are_claimed_and_the_rest_stays_in_extra() -> None:
    request = PROTOCOL.decode_request(BODIES["options"])
    assert request.temperature == 0
    assert request.seed == 101
    assert request.stop == ["\n"]
    assert request.response_format == ResponseFormat(type="json_object")
    assert request.extra == {
        "options": {"num_ctx": 8192, "top_k": 20},
        "think": "low",
        "keep_alive": "10m",
        "truncate": False,
    }
    assert [message.role for message in request.messages] == ["system", "user", "assistant", "user"]


def test_a_schema_format_and_tools_become_neutral() -> None:
    structured = PROTOCOL.decode_request(BODIES["structured"])
    assert structured.response_format == ResponseFormat(type="json_schema", json_schema=SCHEMA)
    assert "options" not in structured.extra  # everything in it was claimed
    tools = PROTOCOL.decode_request(BODIES["tools"]).tools
    assert tools is not None
    assert tools[0].name == "get_current_weather"
    assert tools[0].parameters == WEATHER_TOOL["function"]["parameters"]


def test_tool_turns_read_as_thinking_calls_with_json_text_and_results() -> None:
    _, assistant, tool = PROTOCOL.decode_request(BODIES["tools"]).messages
    assert assistant.parts == [
        ThinkingPart(text="I should call the weather tool."),
        ToolCallPart(
            id="call_p7o2gz50",
            name="get_current_weather",
            arguments='{"format": "celsius", "location": "Paris, FR"}',
        ),
    ]
    assert tool.parts == [
        ToolResultPart(
            tool_call_id="call_p7o2gz50", content="22 degrees", name="get_current_weather"
        )
    ]


def test_images_read_as_bytes_with_the_type_their_bytes_announce() -> None:
    (message,) = PROTOCOL.decode_request(BODIES["images"]).messages
    text, image = message.parts
    assert text == TextPart(text="what is in this image?")
    assert isinstance(image, ImagePart)
    assert image.media_type == "image/png"
    assert image.base64 == PNG_B64


def test_calls_without_ids_get_them_and_results_answer_the_oldest_open_call() -> None:
    call = {"function": {"name": "get_current_weather", "arguments": {"location": "Paris"}}}
    other = {"function": {"name": "get_time", "arguments": {}}}
    body = {
        "model": "llama3.2",
        "messages": [
            {"role": "assistant", "content": "", "tool_calls": [call, other, call]},
            {"role": "tool", "content": "12:00", "tool_name": "get_time"},
            {"role": "tool", "content": "22", "tool_name": "get_current_weather"},
            {"role": "TOOL", "content": "19"},
        ],
    }
    assistant, *results = PROTOCOL.decode_request(body).messages
    assert [part.id for part in assistant.tool_calls] == ["call_0", "call_1", "call_2"]
    answered = [result.parts[0] for result in results]
    assert all(isinstance(part, ToolResultPart) for part in answered)
    ids = [part.tool_call_id for part in answered if isinstance(part, ToolResultPart)]
    assert ids == ["call_1", "call_0", "call_2"]


def test_unknown_roles_and_broken_bodies_are_invalid_requests() -> None:
    with pytest.raises(UnsupportedFeatureError, match="developer"):
        PROTOCOL.decode_request({"model": "m", "messages": [{"role": "developer", "content": "x"}]})
    with pytest.raises(InvalidRequestError):
        PROTOCOL.decode_request({"messages": []})
    with pytest.raises(InvalidRequestError):
        PROTOCOL.decode_request({"model": "m", "messages": [{"role": "user", "images": ["%%"]}]})
