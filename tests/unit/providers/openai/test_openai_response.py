"""Whole response bodies -> events -> ChatResponse."""

from __future__ import annotations

from typing import Any

import pytest

from fluent_ai.providers.openai import OpenAIChatProtocol
from fluent_ai.types import (
    BadResponseError,
    ChatResponse,
    FinishReason,
    RateLimitError,
    collect_events,
)

OPENAI = OpenAIChatProtocol()


def completion(message: dict[str, Any], finish: str | None = "stop", **top: Any) -> dict[str, Any]:
    choice = {"index": 0, "message": {"role": "assistant", **message}, "finish_reason": finish}
    return {"id": "c1", "model": "m", "object": "chat.completion", "choices": [choice], **top}


def decode(body: dict[str, Any]) -> ChatResponse:
    return collect_events(OPENAI.decode_response(body))


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("stop", FinishReason.STOP),
        ("length", FinishReason.LENGTH),
        ("tool_calls", FinishReason.TOOL_CALLS),
        ("function_call", FinishReason.TOOL_CALLS),
        ("content_filter", FinishReason.CONTENT_FILTER),
        ("insufficient_system_resource", FinishReason.ERROR),
        ("eos", FinishReason.OTHER),
    ],
)
def test_finish_reasons_keep_the_raw_value(raw: str, reason: FinishReason) -> None:
    response = decode(completion({"content": "x"}, raw))
    assert (response.finish_reason, response.raw_finish_reason) == (reason, raw)


def test_text_thinking_and_tool_calls_in_order() -> None:
    response = decode(
        completion(
            {
                "content": "Let me look.",
                "reasoning_content": "The user wants weather.",
                "tool_calls": [
                    {"id": "a", "type": "function", "function": {"name": "w", "arguments": "{}"}},
                    {"id": "b", "type": "function", "function": {"name": "t"}},
                ],
            },
            "tool_calls",
        )
    )
    assert [part.type for part in response.message.parts] == [
        "thinking",
        "text",
        "tool_call",
        "tool_call",
    ]
    assert response.thinking == "The user wants weather."
    assert [(c.id, c.name, c.arguments) for c in response.tool_calls] == [
        ("a", "w", "{}"),
        ("b", "t", "{}"),
    ]


def test_legacy_function_call() -> None:
    response = decode(
        completion({"content": None, "function_call": {"name": "f", "arguments": '{"a":1}'}})
    )
    assert [(c.name, c.arguments) for c in response.tool_calls] == [("f", '{"a":1}')]


def test_usage_with_cache_and_reasoning_tokens() -> None:
    usage = {
        "prompt_tokens": 4020,
        "completion_tokens": 40,
        "total_tokens": 4060,
        "prompt_tokens_details": {"cached_tokens": 4000, "cache_write_tokens": 12},
        "completion_tokens_details": {"reasoning_tokens": 30},
    }
    response = decode(completion({"content": "OK"}, usage=usage))
    assert response.usage.model_dump(exclude={"details"}) == {
        "input_tokens": 4020,
        "output_tokens": 40,
        "cache_read_tokens": 4000,
        "cache_write_tokens": 12,
        "reasoning_tokens": 30,
    }
    assert response.usage.details == usage


@pytest.mark.parametrize(
    "usage",
    [
        {"prompt_tokens": 9, "prompt_cache_hit_tokens": 5},  # DeepSeek
        {"prompt_tokens": 9, "cached_tokens": 5},  # Together
    ],
)
def test_cache_reads_from_vendor_fields(usage: dict[str, Any]) -> None:
    assert decode(completion({"content": "x"}, usage=usage)).usage.cache_read_tokens == 5


def test_unknown_fields_are_kept_and_empty_ones_dropped() -> None:
    body = completion(
        {"content": "Paris", "annotations": [], "refusal": None, "executed_tools": [{"i": 0}]},
        system_fingerprint=None,
        service_tier="default",
        citations=["https://a"],
        moderation={"input": {"flagged": True}},
        created=1,
    )
    body["choices"][0]["native_finish_reason"] = "STOP"
    assert decode(body).extra == {
        "service_tier": "default",
        "citations": ["https://a"],
        "moderation": {"input": {"flagged": True}},
        "created": 1,
        "executed_tools": [{"i": 0}],
        "native_finish_reason": "STOP",
    }


def test_an_error_object_in_a_200_body_is_raised() -> None:
    body = {"error": {"code": 429, "message": "Rate limit exceeded upstream"}}
    with pytest.raises(RateLimitError):
        decode(body)


def test_a_body_without_choices_is_a_bad_response() -> None:
    with pytest.raises(BadResponseError):
        OPENAI.decode_response({"id": "x", "choices": []})
