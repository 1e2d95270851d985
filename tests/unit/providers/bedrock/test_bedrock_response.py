"""Converse response bodies -> events -> ChatResponse; usage, stop reasons, leftovers."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from fluent_ai.providers.bedrock import CONTENT_KEY, BedrockConverseProtocol
from fluent_ai.types import (
    BadResponseError,
    ChatRequest,
    FinishReason,
    Message,
    ProviderData,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    collect_events,
)

PROTOCOL = BedrockConverseProtocol()


def response(*content: dict[str, Any], stop: str = "end_turn", **fields: Any) -> dict[str, Any]:
    return {
        "output": {"message": {"role": "assistant", "content": list(content)}},
        "stopReason": stop,
        "usage": {"inputTokens": 10, "outputTokens": 5, "totalTokens": 15},
        **fields,
    }


def test_text_answer_with_usage_and_metrics() -> None:
    body = response({"text": "Hello!"}, metrics={"latencyMs": 268})
    result = collect_events(PROTOCOL.decode_response(body))
    assert result.text == "Hello!"
    assert result.finish_reason is FinishReason.STOP
    assert result.raw_finish_reason == "end_turn"
    assert (result.usage.input_tokens, result.usage.output_tokens) == (10, 5)
    assert result.usage.details == {"totalTokens": 15}
    assert result.extra == {"metrics": {"latencyMs": 268}}


def test_cached_prompt_tokens_count_as_input() -> None:
    usage = {
        "inputTokens": 13,
        "outputTokens": 5,
        "cacheReadInputTokens": 1504,
        "cacheWriteInputTokens": 20,
        "cacheReadInputTokenCount": 1504,
        "cacheWriteInputTokenCount": 20,
        "serverToolUsage": {},
        "totalTokens": 1542,
    }
    body = response({"text": "5"}, usage=usage)
    result = collect_events(PROTOCOL.decode_response(body))
    assert result.usage.input_tokens == 13 + 1504 + 20
    assert result.usage.input_tokens + result.usage.output_tokens == usage["totalTokens"]
    assert (result.usage.cache_read_tokens, result.usage.cache_write_tokens) == (1504, 20)
    assert result.usage.details == {
        "cacheReadInputTokenCount": 1504,
        "cacheWriteInputTokenCount": 20,
        "serverToolUsage": {},
        "totalTokens": 1542,
    }


def test_reasoning_text_and_tool_calls_keep_their_order() -> None:
    body = response(
        {"reasoningContent": {"reasoningText": {"text": "Need the country.", "signature": "s1"}}},
        {"text": "Let me check."},
        {"toolUse": {"toolUseId": "tu_1", "name": "get_country", "input": {}}},
        {"toolUse": {"toolUseId": "tu_2", "name": "get_city", "input": {"n": 1}}},
        stop="tool_use",
    )
    result = collect_events(PROTOCOL.decode_response(body))
    assert result.message.parts == [
        ThinkingPart(text="Need the country.", signature="s1"),
        TextPart(text="Let me check."),
        ToolCallPart(id="tu_1", name="get_country", arguments="{}"),
        ToolCallPart(id="tu_2", name="get_city", arguments='{"n": 1}'),
    ]
    assert result.finish_reason is FinishReason.TOOL_CALLS
    assert CONTENT_KEY not in result.extra  # every block has an exact part


def test_redacted_and_unsigned_reasoning() -> None:
    body = response(
        {"reasoningContent": {"redactedContent": "RXU4RU=="}},
        {"text": "Hi."},
        {"reasoningContent": {"reasoningText": {"text": "DeepSeek thinks after."}}},
    )
    result = collect_events(PROTOCOL.decode_response(body))
    assert result.message.parts == [
        ThinkingPart(redacted="RXU4RU=="),
        TextPart(text="Hi."),
        ThinkingPart(text="DeepSeek thinks after."),
    ]
    assert result.thinking == "DeepSeek thinks after."
    # Unsigned reasoning is not sent back, so the content travels verbatim beside it.
    assert result.extra[CONTENT_KEY] == [body["output"]["message"]["content"]]


@pytest.mark.parametrize(
    ("stop", "reason"),
    [
        ("end_turn", FinishReason.STOP),
        ("stop_sequence", FinishReason.STOP),
        ("max_tokens", FinishReason.LENGTH),
        ("model_context_window_exceeded", FinishReason.LENGTH),
        ("tool_use", FinishReason.TOOL_CALLS),
        ("guardrail_intervened", FinishReason.CONTENT_FILTER),
        ("content_filtered", FinishReason.CONTENT_FILTER),
        ("malformed_tool_use", FinishReason.ERROR),
        ("malformed_model_output", FinishReason.ERROR),
        ("something_new", FinishReason.OTHER),
    ],
)
def test_stop_reasons(stop: str, reason: FinishReason) -> None:
    result = collect_events(PROTOCOL.decode_response(response({"text": "x"}, stop=stop)))
    assert (result.finish_reason, result.raw_finish_reason) == (reason, stop)


def test_fields_without_a_neutral_home_arrive_as_provider_data() -> None:
    body = response(
        {"text": "ok"},
        metrics={"latencyMs": 9},
        additionalModelResponseFields={"stop_sequence": None},
        trace={"guardrail": {"modelOutput": ["ok"]}},
        performanceConfig={"latency": "optimized"},
        serviceTier={"type": "priority"},
    )
    events = PROTOCOL.decode_response(body)
    data = [event for event in events if isinstance(event, ProviderData)]
    assert data == [
        ProviderData(
            {
                "metrics": {"latencyMs": 9},
                "additionalModelResponseFields": {"stop_sequence": None},
                "trace": {"guardrail": {"modelOutput": ["ok"]}},
                "performanceConfig": {"latency": "optimized"},
                "serviceTier": {"type": "priority"},
            }
        )
    ]


SERVER_ANSWER = response(
    {
        "toolUse": {
            "toolUseId": "srv",
            "name": "nova_code_interpreter",
            "input": {"snippet": "1234 * 5678"},
            "type": "server_tool_use",
        }
    },
    {
        "toolResult": {
            "toolUseId": "srv",
            "content": [{"json": {"stdOut": "7006652", "exitCode": 0}}],
            "status": "success",
            "type": "nova_code_interpreter_result",
        }
    },
    {
        "toolUse": {
            "toolUseId": "tu_final",
            "name": "final_result",
            "input": {"result": 7006652.0},
            "type": "tool_use",
        }
    },
    stop="tool_use",
)


def test_server_tool_calls_are_not_ours_to_run_but_are_kept() -> None:
    result = collect_events(PROTOCOL.decode_response(SERVER_ANSWER))
    assert result.tool_calls == [
        ToolCallPart(id="tu_final", name="final_result", arguments='{"result": 7006652.0}')
    ]
    assert result.extra[CONTENT_KEY] == [SERVER_ANSWER["output"]["message"]["content"]]


def test_a_chat_loop_sends_server_content_back_exactly() -> None:
    answer = collect_events(PROTOCOL.decode_response(copy.deepcopy(SERVER_ANSWER)))
    request = ChatRequest(
        model="us.amazon.nova-2-lite-v1:0",
        messages=[
            Message.user("What is 1234 * 5678?"),
            answer.message,
            Message.tool_result("tu_final", "Final result processed."),
        ],
        extra={CONTENT_KEY: answer.extra[CONTENT_KEY]},
    )
    body = PROTOCOL.encode_request(request, stream=False)
    assert body["messages"][1] == SERVER_ANSWER["output"]["message"]


def test_an_empty_answer_and_a_malformed_body() -> None:
    result = collect_events(PROTOCOL.decode_response(response()))
    assert result.message.parts == []
    with pytest.raises(BadResponseError, match="toolUseId"):
        PROTOCOL.decode_response(response({"toolUse": {"name": "no id"}}))
