"""Whole Messages responses -> events -> ChatResponse: parts, usage, stop reasons, extras."""

from __future__ import annotations

from typing import Any

import pytest

from fluent_ai.providers.anthropic import CONTENT_KEY, AnthropicProtocol
from fluent_ai.types import (
    BadResponseError,
    ChatResponse,
    FinishReason,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    collect_events,
)

PROTOCOL = AnthropicProtocol()


def message(*content: dict[str, Any], **fields: Any) -> dict[str, Any]:
    body = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5-20250929",
        "content": list(content),
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 3, "output_tokens": 7},
    }
    return {**body, **fields}


def decode(body: dict[str, Any]) -> ChatResponse:
    return collect_events(PROTOCOL.decode_response(body))


def test_text_thinking_and_tool_calls_become_parts_in_order() -> None:
    response = decode(
        message(
            {"type": "thinking", "thinking": "hmm", "signature": "s1"},
            {"type": "redacted_thinking", "data": "opaque"},
            {"type": "text", "text": "Calling."},
            {"type": "tool_use", "id": "t1", "name": "f", "input": {"x": "é"}},
            {"type": "tool_use", "id": "t2", "name": "g", "input": {}},
            stop_reason="tool_use",
        )
    )
    assert response.message.parts == [
        ThinkingPart(text="hmm", signature="s1"),
        ThinkingPart(redacted="opaque"),
        TextPart(text="Calling."),
        ToolCallPart(id="t1", name="f", arguments='{"x": "é"}'),
        ToolCallPart(id="t2", name="g", arguments="{}"),
    ]
    assert response.finish_reason == FinishReason.TOOL_CALLS
    assert (response.id, response.model) == ("msg_1", "claude-sonnet-4-5-20250929")
    assert response.extra == {}


def test_usage_counts_cached_input_and_keeps_the_details() -> None:
    usage = {
        "input_tokens": 3,
        "cache_read_input_tokens": 1111,
        "cache_creation_input_tokens": 418,
        "cache_creation": {"ephemeral_5m_input_tokens": 418, "ephemeral_1h_input_tokens": 0},
        "output_tokens": 33,
        "output_tokens_details": {"thinking_tokens": 12},
        "service_tier": "standard",
        "inference_geo": None,
    }
    result = decode(message({"type": "text", "text": "ok"}, usage=usage)).usage
    assert result.input_tokens == 3 + 1111 + 418
    assert (result.cache_read_tokens, result.cache_write_tokens) == (1111, 418)
    assert (result.output_tokens, result.reasoning_tokens) == (33, 12)
    assert result.details == {
        "cache_creation": {"ephemeral_5m_input_tokens": 418, "ephemeral_1h_input_tokens": 0},
        "output_tokens_details": {"thinking_tokens": 12},
        "service_tier": "standard",
    }


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("end_turn", FinishReason.STOP),
        ("stop_sequence", FinishReason.STOP),
        ("max_tokens", FinishReason.LENGTH),
        ("model_context_window_exceeded", FinishReason.LENGTH),
        ("tool_use", FinishReason.TOOL_CALLS),
        ("refusal", FinishReason.CONTENT_FILTER),
        ("pause_turn", FinishReason.OTHER),
        ("a_reason_from_the_future", FinishReason.OTHER),
    ],
)
def test_stop_reasons(raw: str, reason: FinishReason) -> None:
    response = decode(message({"type": "text", "text": "x"}, stop_reason=raw))
    assert (response.finish_reason, response.raw_finish_reason) == (reason, raw)


def test_message_fields_without_a_neutral_home_are_provider_data() -> None:
    container = {"id": "container_1", "expires_at": "2026-01-01T00:00:00Z"}
    response = decode(
        message(
            {"type": "text", "text": "x"},
            stop_reason="stop_sequence",
            stop_sequence="END",
            container=container,
            context_management={"applied_edits": []},
        )
    )
    assert response.extra == {
        "stop_sequence": "END",
        "container": container,
        "context_management": {"applied_edits": []},
    }


def test_server_tool_blocks_keep_the_whole_content() -> None:
    content: list[dict[str, Any]] = [
        {"type": "server_tool_use", "id": "s1", "name": "web_fetch", "input": {"url": "u"}},
        {"type": "web_fetch_tool_result", "tool_use_id": "s1", "content": {"type": "x"}},
        {"type": "text", "text": "Done."},
    ]
    response = decode(message(*content))
    assert response.text == "Done."
    assert response.tool_calls == []  # server tools already ran: nothing for us to call
    assert response.extra[CONTENT_KEY] == [content]


def test_a_tool_call_with_extra_fields_keeps_the_whole_content() -> None:
    call = {"type": "tool_use", "id": "t", "name": "f", "input": {}, "caller": {"type": "x"}}
    response = decode(message(call, stop_reason="tool_use"))
    assert response.tool_calls == [ToolCallPart(id="t", name="f", arguments="{}")]
    assert response.extra[CONTENT_KEY] == [[call]]


def test_a_body_that_is_not_a_message_is_a_bad_response() -> None:
    with pytest.raises(BadResponseError):
        PROTOCOL.decode_response({"content": [{"type": "text"}]})
