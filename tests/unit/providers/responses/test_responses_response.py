"""Whole Responses bodies -> events: output items, usage, finish reasons, provider data."""

from __future__ import annotations

from typing import Any

import pytest

from fluent_ai.providers.responses import ITEMS_KEY, ResponsesProtocol
from fluent_ai.types import (
    BadResponseError,
    ChatResponse,
    FinishReason,
    ProviderUnavailableError,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    Usage,
    collect_events,
)

PROTOCOL = ResponsesProtocol()
USAGE = {
    "input_tokens": 120,
    "input_tokens_details": {"cached_tokens": 100, "cache_write_tokens": 20},
    "output_tokens": 50,
    "output_tokens_details": {"reasoning_tokens": 30},
    "total_tokens": 170,
}


def message(*texts: str, **fields: Any) -> dict[str, Any]:
    content = [{"type": "output_text", "text": text, "annotations": []} for text in texts]
    return {"type": "message", "role": "assistant", "content": content, **fields}


def reasoning(*summaries: str, content: tuple[str, ...] = (), **fields: Any) -> dict[str, Any]:
    return {
        "type": "reasoning",
        "summary": [{"type": "summary_text", "text": text} for text in summaries],
        "content": [{"type": "reasoning_text", "text": text} for text in content],
        **fields,
    }


def call(call_id: str, name: str, arguments: str) -> dict[str, Any]:
    return {
        "type": "function_call",
        "id": f"fc_{call_id}",
        "call_id": call_id,
        "name": name,
        "arguments": arguments,
    }


def decode(*output: dict[str, Any], **fields: Any) -> ChatResponse:
    body = {"id": "resp_1", "model": "gpt-5", "status": "completed", "output": list(output)}
    return collect_events(PROTOCOL.decode_response({**body, **fields}))


def test_text_answer() -> None:
    response = decode(message("Hello", " there"), usage=USAGE)
    assert response.text == "Hello there"
    assert (response.id, response.model) == ("resp_1", "gpt-5")
    assert response.finish_reason == FinishReason.STOP
    assert response.raw_finish_reason == "completed"


def test_usage() -> None:
    assert decode(message("Hi"), usage=USAGE).usage == Usage(
        input_tokens=120,
        output_tokens=50,
        cache_read_tokens=100,
        cache_write_tokens=20,
        reasoning_tokens=30,
        details=USAGE,
    )


def test_reasoning_then_tool_calls() -> None:
    response = decode(
        reasoning("First.", "Second.", id="rs_1", encrypted_content="gAAA"),
        call("c1", "weather", '{"city":"Paris"}'),
        call("c2", "time", "{}"),
    )
    assert response.message.parts == [
        ThinkingPart(text="First.\n\nSecond."),
        ToolCallPart(id="c1", name="weather", arguments='{"city":"Paris"}'),
        ToolCallPart(id="c2", name="time", arguments="{}"),
    ]
    assert response.finish_reason == FinishReason.TOOL_CALLS


def test_raw_reasoning_text_is_thinking() -> None:
    response = decode(reasoning(content=("We need answer.",)), message("391"))
    assert response.message.parts == [ThinkingPart(text="We need answer."), TextPart(text="391")]


def test_reasoning_items_separated_only_by_builtin_tools_share_one_part() -> None:
    response = decode(
        reasoning("Search."),
        {"type": "web_search_call", "id": "ws_1", "status": "completed"},
        reasoning("Answer."),
        message("Sunny."),
    )
    assert response.thinking == "Search.\n\nAnswer."
    assert response.text == "Sunny."


@pytest.mark.parametrize(
    ("details", "reason", "raw"),
    [
        ({"reason": "max_output_tokens"}, FinishReason.LENGTH, "max_output_tokens"),
        ({"reason": "content_filter"}, FinishReason.CONTENT_FILTER, "content_filter"),
        (None, FinishReason.OTHER, "incomplete"),
    ],
)
def test_incomplete_answers(details: Any, reason: FinishReason, raw: str) -> None:
    response = decode(message("Par"), status="incomplete", incomplete_details=details)
    assert (response.finish_reason, response.raw_finish_reason) == (reason, raw)


def test_a_failed_response_raises_its_error() -> None:
    error = {"code": "server_error", "message": "The server had an error"}
    with pytest.raises(ProviderUnavailableError) as info:
        decode(status="failed", error=error)
    assert info.value.provider == "openai"


def test_provider_data() -> None:
    annotation = {"type": "url_citation", "url": "https://x.test", "start_index": 0}
    text = {"type": "output_text", "text": "Sunny", "annotations": [annotation], "logprobs": []}
    refusal = {"type": "refusal", "refusal": "I can't help with that."}
    output = [
        {"type": "message", "role": "assistant", "id": "msg_1", "content": [text, refusal]},
    ]
    response = decode(
        *output,
        service_tier="flex",
        billing={"payer": "developer"},
        created_at=1,
        instructions="echoed back",
        tools=[],
        error=None,
    )
    assert response.extra == {
        "service_tier": "flex",
        "billing": {"payer": "developer"},
        "created_at": 1,
        "annotations": [annotation],
        "refusal": "I can't help with that.",
        ITEMS_KEY: [output],
    }


def test_output_the_parts_spell_exactly_is_not_copied() -> None:
    response = decode({"role": "assistant", "content": "Hi"})
    assert ITEMS_KEY not in response.extra


def test_an_output_that_is_not_a_list_is_a_bad_response() -> None:
    with pytest.raises(BadResponseError):
        PROTOCOL.decode_response({"id": "r", "output": {"type": "message"}})
