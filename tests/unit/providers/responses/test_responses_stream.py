"""Responses SSE streams: assembly across events, terminal events, errors, early ends."""

from __future__ import annotations

import json
from typing import Any

import pytest

from fluent_ai.providers.responses import ITEMS_KEY, ResponsesProtocol
from fluent_ai.types import (
    BadResponseError,
    ChatResponse,
    ContextLengthExceededError,
    FinishReason,
    InvalidRequestError,
    ProviderUnavailableError,
    ResponseStart,
    StreamError,
    StreamEvent,
    StreamInterruptedError,
    TextDelta,
    TextPart,
    ThinkingPart,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallPart,
    ToolCallStart,
    collect_events,
)

PROTOCOL = ResponsesProtocol()
USAGE = {"input_tokens": 10, "input_tokens_details": {"cached_tokens": 4}, "output_tokens": 7}
CALL = {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "weather"}
MESSAGE = {"type": "message", "id": "msg_1", "role": "assistant"}


def created() -> dict[str, Any]:
    return {"type": "response.created", "response": {"id": "resp_1", "model": "gpt-5"}}


def completed(*output: dict[str, Any], status: str = "completed", **fields: Any) -> dict[str, Any]:
    response = {"id": "resp_1", "status": status, "output": list(output), "usage": USAGE}
    return {"type": f"response.{status}", "response": {**response, **fields}}


def text_item(text: str) -> dict[str, Any]:
    return {**MESSAGE, "content": [{"type": "output_text", "text": text, "annotations": []}]}


def feed(*payloads: dict[str, Any], named: bool = True) -> list[StreamEvent]:
    decoder = PROTOCOL.stream_decoder()
    events: list[StreamEvent] = []
    for payload in payloads:
        event = payload["type"] if named else "message"
        events.extend(decoder.feed(json.dumps(payload), event))
    return [*events, *decoder.close()]


def collect(*payloads: dict[str, Any], named: bool = True) -> ChatResponse:
    return collect_events(feed(*payloads, named=named))


def test_text_and_usage() -> None:
    events = feed(
        created(),
        {"type": "response.output_item.added", "output_index": 0, "item": MESSAGE},
        {"type": "response.output_text.delta", "output_index": 0, "delta": "Hel"},
        {"type": "response.output_text.delta", "output_index": 0, "delta": "lo"},
        completed(text_item("Hello")),
    )
    assert events[:3] == [
        ResponseStart(id="resp_1", model="gpt-5"),
        TextDelta("Hel"),
        TextDelta("lo"),
    ]
    response = collect_events(events)
    assert response.text == "Hello"
    assert (response.usage.input_tokens, response.usage.cache_read_tokens) == (10, 4)
    assert response.finish_reason == FinishReason.STOP
    assert response.extra[ITEMS_KEY] == [[text_item("Hello")]]


def test_tool_call_arguments_across_deltas() -> None:
    events = feed(
        created(),
        {
            "type": "response.output_item.added",
            "output_index": 0,
            "item": {**CALL, "arguments": ""},
        },
        {"type": "response.function_call_arguments.delta", "output_index": 0, "delta": '{"ci'},
        {"type": "response.function_call_arguments.delta", "output_index": 0, "delta": 'ty":"P"}'},
        {"type": "response.function_call_arguments.done", "output_index": 0, "arguments": "…"},
        {
            "type": "response.output_item.done",
            "output_index": 0,
            "item": {**CALL, "arguments": '{"city":"P"}'},
        },
        completed({**CALL, "arguments": '{"city":"P"}'}),
    )
    assert [e for e in events if isinstance(e, ToolCallStart | ToolCallDelta | ToolCallEnd)] == [
        ToolCallStart(0, "call_1", "weather"),
        ToolCallDelta(0, '{"ci'),
        ToolCallDelta(0, 'ty":"P"}'),
        ToolCallEnd(0),
    ]
    response = collect_events(events)
    assert response.tool_calls == [
        ToolCallPart(id="call_1", name="weather", arguments='{"city":"P"}')
    ]
    assert response.finish_reason == FinishReason.TOOL_CALLS


def test_reasoning_summary_parts_are_separated() -> None:
    def summary(index: int, delta: str) -> dict[str, Any]:
        return {
            "type": "response.reasoning_summary_text.delta",
            "output_index": 0,
            "summary_index": index,
            "delta": delta,
        }

    response = collect(
        created(),
        summary(0, "**Plan**"),
        summary(0, " first."),
        summary(1, "**Then**"),
        {"type": "response.output_text.delta", "output_index": 1, "delta": "Done"},
        completed(),
    )
    assert response.message.parts == [
        ThinkingPart(text="**Plan** first.\n\n**Then**"),
        TextPart(text="Done"),
    ]


def test_items_that_never_streamed_their_content_are_read_whole() -> None:
    reasoning = {
        "type": "reasoning",
        "id": "rs_1",
        "summary": [],
        "content": [{"type": "reasoning_text", "text": "Think."}],
    }
    response = collect(
        created(),
        {"type": "response.output_item.done", "output_index": 0, "item": reasoning},
        {"type": "response.output_item.done", "output_index": 1, "item": text_item("Hi")},
        {
            "type": "response.output_item.done",
            "output_index": 2,
            "item": {**CALL, "arguments": "{}"},
        },
        completed(),
    )
    assert response.message.parts == [
        ThinkingPart(text="Think."),
        TextPart(text="Hi"),
        ToolCallPart(id="call_1", name="weather", arguments="{}"),
    ]


def test_output_only_in_the_final_response_is_read_from_it() -> None:
    response = collect(created(), completed(text_item("All at once")))
    assert response.text == "All at once"


def test_unnamed_events_and_done_marker() -> None:
    decoder = PROTOCOL.stream_decoder()
    for payload in (
        created(),
        {"type": "response.output_text.delta", "output_index": 0, "delta": "4"},
        completed(),
    ):
        decoder.feed(json.dumps(payload))
    assert decoder.feed("[DONE]") == []
    assert decoder.close() == []


def test_incomplete_stream_finishes_with_length() -> None:
    response = collect(
        created(),
        {"type": "response.output_text.delta", "output_index": 0, "delta": "Par"},
        completed(status="incomplete", incomplete_details={"reason": "max_output_tokens"}),
    )
    assert (response.text, response.finish_reason) == ("Par", FinishReason.LENGTH)


def test_failed_response_is_a_stream_error() -> None:
    events = feed(
        created(),
        completed(status="failed", error={"code": "server_error", "message": "boom"}),
    )
    errors = [event for event in events if isinstance(event, StreamError)]
    assert len(errors) == 1
    assert isinstance(errors[0].error, ProviderUnavailableError)


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        (
            {"type": "error", "code": "invalid_prompt", "message": "bad", "param": None},
            InvalidRequestError,
        ),
        (
            {
                "type": "error",
                "error": {"type": "invalid_request_error", "code": None, "message": "bad"},
            },
            InvalidRequestError,
        ),
        (
            {"type": "error", "code": "invalid_prompt", "message": "maximum context length is 8k"},
            ContextLengthExceededError,
        ),
    ],
)
def test_error_event_ends_the_stream(payload: dict[str, Any], error: type[Exception]) -> None:
    events = feed(created(), payload)
    assert isinstance(events[-1], StreamError)
    assert isinstance(events[-1].error, error)


def test_a_stream_without_a_terminal_event_was_cut_off() -> None:
    decoder = PROTOCOL.stream_decoder()
    decoder.feed(json.dumps(created()))
    decoder.feed(
        json.dumps({"type": "response.output_text.delta", "output_index": 0, "delta": "Hal"})
    )
    decoder.feed("[DONE]")
    with pytest.raises(StreamInterruptedError) as info:
        decoder.close()
    assert info.value.partial.text == "Hal"
    assert info.value.provider == "openai"


def test_open_tool_calls_end_with_the_response() -> None:
    events = feed(
        created(),
        {
            "type": "response.output_item.added",
            "output_index": 0,
            "item": {**CALL, "arguments": ""},
        },
        {"type": "response.function_call_arguments.delta", "output_index": 0, "delta": "{}"},
        completed(),
    )
    assert ToolCallEnd(0) in events


@pytest.mark.parametrize("data", ["not json", "[1, 2]", '{"type": "response.output_text.delta"}'])
def test_malformed_events(data: str) -> None:
    with pytest.raises(BadResponseError):
        PROTOCOL.stream_decoder().feed(data)
