"""A whole Cohere v2 response -> events -> ChatResponse: content, tool plan, citations, usage."""

from __future__ import annotations

from typing import Any

import pytest

from fluent_ai.providers.cohere import CONTENT_KEY, CohereProtocol
from fluent_ai.types import BadResponseError, ChatResponse, FinishReason, collect_events

PROTOCOL = CohereProtocol()
USAGE = {
    "billed_units": {"input_tokens": 2406, "output_tokens": 2},
    "tokens": {"input_tokens": 2935, "output_tokens": 4},
    "cached_tokens": 2928,
}


def response(message: dict[str, Any], finish: str = "COMPLETE", **top: Any) -> ChatResponse:
    body = {
        "id": "f17a5f6c",
        "finish_reason": finish,
        "message": {"role": "assistant", **message},
        "usage": USAGE,
        **top,
    }
    return collect_events(PROTOCOL.decode_response(body))


def test_text_and_usage() -> None:
    result = response({"content": [{"type": "text", "text": "Hello!"}]})
    assert result.text == "Hello!"
    assert result.id == "f17a5f6c"
    assert result.model is None
    assert result.finish_reason == FinishReason.STOP
    # What Cohere bills; the raw token counts stay in details.
    assert result.usage.input_tokens == 2406
    assert result.usage.output_tokens == 2
    assert result.usage.cache_read_tokens == 0
    assert result.usage.details == USAGE
    assert result.extra == {}


def test_billed_units_count_when_a_response_has_no_tokens() -> None:
    body = {
        "id": "x",
        "finish_reason": "COMPLETE",
        "message": {"role": "assistant", "content": [{"type": "text", "text": "hi"}]},
        "usage": {"billed_units": {"input_tokens": 13, "output_tokens": 61}},
    }
    usage = collect_events(PROTOCOL.decode_response(body)).usage
    assert (usage.input_tokens, usage.output_tokens, usage.cache_read_tokens) == (13, 61, 0)


def test_tokens_count_field_by_field_when_billed_units_leave_one_out() -> None:
    body = {
        "id": "x",
        "finish_reason": "COMPLETE",
        "message": {"role": "assistant", "content": [{"type": "text", "text": "hi"}]},
        "usage": {
            "billed_units": {"output_tokens": 5},
            "tokens": {"input_tokens": 40, "output_tokens": 7},
            "cached_tokens": 32,
        },
    }
    usage = collect_events(PROTOCOL.decode_response(body)).usage
    assert (usage.input_tokens, usage.output_tokens, usage.cache_read_tokens) == (40, 5, 32)


def test_the_tool_plan_is_thinking_before_the_calls() -> None:
    message = {
        "tool_plan": "I will use the 'get_weather' tool.",
        "tool_calls": [
            {
                "id": "get_weather_9gpb",
                "type": "function",
                "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
            }
        ],
    }
    result = response(message, finish="TOOL_CALL")
    assert result.thinking == "I will use the 'get_weather' tool."
    assert result.text == ""
    assert [(c.id, c.name, c.arguments) for c in result.tool_calls] == [
        ("get_weather_9gpb", "get_weather", '{"city":"Paris"}')
    ]
    assert [part.type for part in result.message.parts] == ["thinking", "tool_call"]
    assert result.finish_reason == FinishReason.TOOL_CALLS


def test_reasoning_content_is_thinking() -> None:
    content = [
        {"type": "thinking", "thinking": "Alice has 2 sisters..."},
        {"type": "text", "text": "3"},
    ]
    result = response({"content": content})
    assert result.thinking == "Alice has 2 sisters..."
    assert result.text == "3"


def test_citations_and_unknown_items_are_provider_data() -> None:
    citations = [
        {
            "start": 34,
            "end": 39,
            "text": "sunny",
            "type": "TEXT_CONTENT",
            "sources": [{"type": "tool", "id": "get_weather_9gpb:0", "tool_output": {}}],
        }
    ]
    odd = {"type": "image", "url": "x"}
    result = response(
        {"content": [{"type": "text", "text": "It is sunny."}, odd], "citations": citations},
        logprobs=[{"token_ids": [1]}],
    )
    assert result.text == "It is sunny."
    assert result.extra == {
        "citations": citations,
        "logprobs": [{"token_ids": [1]}],
        CONTENT_KEY: [odd],
    }


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("COMPLETE", FinishReason.STOP),
        ("STOP_SEQUENCE", FinishReason.STOP),
        ("MAX_TOKENS", FinishReason.LENGTH),
        ("TOOL_CALL", FinishReason.TOOL_CALLS),
        ("ERROR", FinishReason.ERROR),
        ("TIMEOUT", FinishReason.ERROR),
        ("SOMETHING_NEW", FinishReason.OTHER),
    ],
)
def test_finish_reasons(raw: str, reason: FinishReason) -> None:
    result = response({"content": [{"type": "text", "text": "x"}]}, finish=raw)
    assert result.finish_reason == reason
    assert result.raw_finish_reason == raw


def test_a_malformed_body_is_a_bad_response() -> None:
    with pytest.raises(BadResponseError):
        PROTOCOL.decode_response({"id": "x", "message": {"tool_calls": [{"function": {}}]}})
