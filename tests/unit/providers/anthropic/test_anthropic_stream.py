"""Anthropic SSE streams: assembly across events, usage merge, errors, early ends."""

from __future__ import annotations

import json
from typing import Any

import pytest

from fluent_ai.providers.anthropic import CONTENT_KEY, AnthropicProtocol
from fluent_ai.types import (
    BadResponseError,
    ChatResponse,
    FinishReason,
    ProviderUnavailableError,
    StreamAccumulator,
    StreamError,
    StreamEvent,
    StreamInterruptedError,
    TextPart,
    ThinkingPart,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallPart,
    ToolCallStart,
    UsageUpdate,
    collect_events,
)

PROTOCOL = AnthropicProtocol()
START: dict[str, Any] = {
    "type": "message_start",
    "message": {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5",
        "content": [],
        "stop_reason": None,
        "usage": {"input_tokens": 40, "cache_read_input_tokens": 100, "output_tokens": 1},
    },
}
END: list[dict[str, Any]] = [
    {
        "type": "message_delta",
        "delta": {"stop_reason": "end_turn", "stop_sequence": None},
        "usage": {"output_tokens": 25},
    },
    {"type": "message_stop"},
]


def block(
    index: int, content_block: dict[str, Any], *deltas: dict[str, Any]
) -> list[dict[str, Any]]:
    return [
        {"type": "content_block_start", "index": index, "content_block": content_block},
        *({"type": "content_block_delta", "index": index, "delta": d} for d in deltas),
        {"type": "content_block_stop", "index": index},
    ]


def feed(*payloads: dict[str, Any]) -> list[StreamEvent]:
    decoder = PROTOCOL.stream_decoder()
    events = [e for p in payloads for e in decoder.feed(json.dumps(p), p["type"])]
    return events + decoder.close()


def collect(*payloads: dict[str, Any]) -> ChatResponse:
    accumulator = StreamAccumulator()
    for event in feed(*payloads):
        accumulator.add(event)
    return accumulator.response()


def text(piece: str) -> dict[str, str]:
    return {"type": "text_delta", "text": piece}


def test_text_split_over_events_and_the_usage_merge() -> None:
    events = feed(
        START,
        {"type": "ping"},
        *block(0, {"type": "text", "text": ""}, text("Hel"), text("lo")),
        *END,
    )
    response = collect_events(events)
    assert response.text == "Hello"
    assert response.finish_reason == FinishReason.STOP
    usages = [e.usage for e in events if isinstance(e, UsageUpdate)]
    # The start counts input, the delta the output: the last update carries both.
    assert (usages[-1].input_tokens, usages[-1].cache_read_tokens) == (140, 100)
    assert usages[-1].output_tokens == 25


def test_newer_message_delta_input_counts_win() -> None:
    delta = {**END[0], "usage": {"input_tokens": 70, "output_tokens": 9}}
    response = collect(START, *block(0, {"type": "text", "text": "x"}), delta, END[1])
    assert (response.usage.input_tokens, response.usage.output_tokens) == (170, 9)


def test_tool_call_arguments_arrive_in_pieces() -> None:
    pieces = ["", '{"ci', 'ty": "Pa', 'ris"}']
    events = feed(
        START,
        *block(0, {"type": "text", "text": "Checking."}),
        *block(
            1,
            {"type": "tool_use", "id": "toolu_1", "name": "weather", "input": {}},
            *({"type": "input_json_delta", "partial_json": p} for p in pieces),
        ),
        *block(2, {"type": "tool_use", "id": "toolu_2", "name": "now", "input": {}}),
        {**END[0], "delta": {"stop_reason": "tool_use"}},
        END[1],
    )
    calls = [e for e in events if isinstance(e, ToolCallStart | ToolCallDelta | ToolCallEnd)]
    assert calls[0] == ToolCallStart(1, "toolu_1", "weather")
    assert [e.arguments for e in calls if isinstance(e, ToolCallDelta)] == pieces[1:]
    response = collect_events(events)
    assert response.message.parts == [
        TextPart(text="Checking."),
        ToolCallPart(id="toolu_1", name="weather", arguments='{"city": "Paris"}'),
        ToolCallPart(id="toolu_2", name="now", arguments="{}"),
    ]
    assert response.finish_reason == FinishReason.TOOL_CALLS


def test_thinking_and_its_signature_assemble_into_one_part() -> None:
    response = collect(
        START,
        *block(
            0,
            {"type": "thinking", "thinking": "", "signature": ""},
            {"type": "thinking_delta", "thinking": "Let me "},
            {"type": "thinking_delta", "thinking": "think."},
            {"type": "signature_delta", "signature": "EqQB"},
        ),
        *block(1, {"type": "redacted_thinking", "data": "r1"}),
        *block(2, {"type": "redacted_thinking", "data": "r2"}),
        *block(3, {"type": "text", "text": ""}, text("Answer.")),
        *END,
    )
    assert response.message.parts == [
        ThinkingPart(text="Let me think.", signature="EqQB"),
        ThinkingPart(redacted="r1"),
        ThinkingPart(redacted="r2"),
        TextPart(text="Answer."),
    ]
    assert response.extra == {}


def test_server_blocks_and_citations_are_rebuilt_whole() -> None:
    citation = {"type": "web_search_result_location", "url": "u", "cited_text": "c"}
    response = collect(
        START,
        *block(
            0,
            {"type": "server_tool_use", "id": "s1", "name": "web_search", "input": {}},
            {"type": "input_json_delta", "partial_json": '{"query": '},
            {"type": "input_json_delta", "partial_json": '"weather"}'},
        ),
        *block(1, {"type": "web_search_tool_result", "tool_use_id": "s1", "content": []}),
        *block(
            2,
            {"type": "text", "text": "", "citations": []},
            {"type": "citations_delta", "citation": citation},
            text("Sunny."),
        ),
        *END,
    )
    assert response.text == "Sunny."
    assert response.tool_calls == []
    assert response.extra[CONTENT_KEY] == [
        [
            {
                "type": "server_tool_use",
                "id": "s1",
                "name": "web_search",
                "input": {"query": "weather"},
            },
            {"type": "web_search_tool_result", "tool_use_id": "s1", "content": []},
            {"type": "text", "text": "Sunny.", "citations": [citation]},
        ]
    ]


def test_streamed_and_whole_answers_agree() -> None:
    content: list[dict[str, Any]] = [
        {"type": "thinking", "thinking": "hm", "signature": "s"},
        {"type": "server_tool_use", "id": "s1", "name": "web_fetch", "input": {"url": "u"}},
        {"type": "text", "text": "Done."},
    ]
    whole: dict[str, Any] = {**START["message"], "content": content, "stop_reason": "end_turn"}
    whole["usage"] = {**whole["usage"], "output_tokens": 25}
    streamed = collect(
        START,
        *block(
            0,
            {"type": "thinking", "thinking": "", "signature": ""},
            {"type": "thinking_delta", "thinking": "hm"},
            {"type": "signature_delta", "signature": "s"},
        ),
        *block(
            1,
            {"type": "server_tool_use", "id": "s1", "name": "web_fetch", "input": {}},
            {"type": "input_json_delta", "partial_json": '{"url": "u"}'},
        ),
        *block(2, {"type": "text", "text": ""}, text("Done.")),
        *END,
    )
    assert streamed == collect_events(PROTOCOL.decode_response(whole))


def test_an_error_event_becomes_a_stream_error() -> None:
    error = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    events = feed(START, *block(0, {"type": "text", "text": "par"}), error)
    assert isinstance(events[-1], StreamError)
    assert isinstance(events[-1].error, ProviderUnavailableError)
    assert events[-1].error.retryable
    assert events[-1].error.code == "overloaded_error"


def test_a_stream_without_message_stop_is_interrupted() -> None:
    decoder = PROTOCOL.stream_decoder()
    for payload in (START, *block(0, {"type": "text", "text": ""}, text("Hal"))):
        decoder.feed(json.dumps(payload))
    decoder.feed(json.dumps(block(1, {"type": "text", "text": ""}, text("f"))[0]))
    with pytest.raises(StreamInterruptedError, match="message_stop") as info:
        decoder.close()
    assert info.value.provider == "anthropic"
    assert info.value.partial == [{"type": "text", "text": "Hal"}, {"type": "text", "text": ""}]


def test_a_stream_that_never_started_is_interrupted() -> None:
    with pytest.raises(StreamInterruptedError):
        PROTOCOL.stream_decoder().close()


@pytest.mark.parametrize(
    "data",
    [
        "not json",
        "[1, 2]",
        json.dumps({"type": "content_block_delta", "index": 4, "delta": text("x")}),
    ],
)
def test_malformed_events_are_bad_responses(data: str) -> None:
    with pytest.raises(BadResponseError):
        PROTOCOL.stream_decoder().feed(data)


def test_unknown_events_and_deltas_are_ignored() -> None:
    response = collect(
        START,
        {"type": "a_future_event"},
        *block(0, {"type": "text", "text": ""}, {"type": "a_future_delta"}, text("ok")),
        *END,
    )
    assert response.text == "ok"
