"""A whole Mistral response -> events -> ChatResponse: content chunks, tools, usage, finish."""

from __future__ import annotations

from typing import Any

import pytest

from fluent_ai.providers.mistral import CONTENT_KEY, MistralProtocol
from fluent_ai.types import BadResponseError, ChatResponse, FinishReason, collect_events

PROTOCOL = MistralProtocol()


def response(message: dict[str, Any], finish: str = "stop", **top: Any) -> ChatResponse:
    body = {
        "id": "r1",
        "object": "chat.completion",
        "created": 1764296393,
        "model": "mistral-large-latest",
        "choices": [
            {"index": 0, "message": {"role": "assistant", **message}, "finish_reason": finish}
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
        **top,
    }
    return collect_events(PROTOCOL.decode_response(body))


def test_plain_text() -> None:
    result = response({"content": "Hello!", "tool_calls": None})
    assert result.text == "Hello!"
    assert result.id == "r1"
    assert result.model == "mistral-large-latest"
    assert result.finish_reason == FinishReason.STOP
    assert result.usage.input_tokens == 10
    assert result.usage.output_tokens == 5
    assert result.extra == {"created": 1764296393}


def test_thinking_chunks_are_thinking() -> None:
    content = [
        {
            "type": "thinking",
            "thinking": [
                {"type": "text", "text": "The user asks"},
                {"type": "text", "text": " a sum."},
            ],
        },
        {"type": "text", "text": "4"},
    ]
    result = response({"content": content})
    assert result.thinking == "The user asks a sum."
    assert result.text == "4"
    assert [part.type for part in result.message.parts] == ["thinking", "text"]


def test_chunks_without_a_neutral_part_are_provider_data() -> None:
    reference = {"type": "reference", "reference_ids": [1, 2]}
    result = response({"content": [{"type": "text", "text": "See [1]."}, reference]})
    assert result.text == "See [1]."
    assert result.extra[CONTENT_KEY] == [reference]


def test_tool_calls_with_string_or_object_arguments() -> None:
    calls = [
        {
            "id": "KikbB849t",
            "index": 0,
            "function": {"name": "a", "arguments": '{"city": "Paris"}'},
        },
        {"id": "pcZFHqej8", "index": 1, "function": {"name": "b", "arguments": {"n": 1}}},
    ]
    result = response({"content": "", "tool_calls": calls}, finish="tool_calls")
    assert [(c.id, c.name, c.arguments) for c in result.tool_calls] == [
        ("KikbB849t", "a", '{"city": "Paris"}'),
        ("pcZFHqej8", "b", '{"n": 1}'),
    ]
    assert result.finish_reason == FinishReason.TOOL_CALLS
    assert result.text == ""


@pytest.mark.parametrize(
    ("usage", "cached"),
    [
        ({"prompt_tokens_details": {"cached_tokens": 224}}, 224),
        ({"num_cached_tokens": 76}, 76),
        ({"prompt_tokens_details": {"cached_tokens": 0}}, 0),
    ],
)
def test_cached_tokens_from_either_field(usage: dict[str, Any], cached: int) -> None:
    raw = {"prompt_tokens": 268, "completion_tokens": 5, "total_tokens": 273, **usage}
    result = response({"content": "x"}, usage=raw)
    assert result.usage.input_tokens == 268
    assert result.usage.cache_read_tokens == cached
    assert result.usage.details == raw


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("stop", FinishReason.STOP),
        ("length", FinishReason.LENGTH),
        ("model_length", FinishReason.LENGTH),
        ("tool_calls", FinishReason.TOOL_CALLS),
        ("error", FinishReason.ERROR),
        ("something_new", FinishReason.OTHER),
    ],
)
def test_finish_reasons(raw: str, reason: FinishReason) -> None:
    result = response({"content": "x"}, finish=raw)
    assert result.finish_reason == reason
    assert result.raw_finish_reason == raw


def test_a_body_without_choices_is_a_bad_response() -> None:
    with pytest.raises(BadResponseError):
        PROTOCOL.decode_response({"id": "r1", "choices": []})
