"""Answers written as Messages bodies and SSE events read back as the same answers.

A gateway answers Anthropic clients through
:mod:`fluent_ai.providers.anthropic.encode_response`; the protocol's own decoders are the
reader, so any answer (thinking with its signature, text, tool calls, usage with cached
input, the stop reason) and every recorded Anthropic answer must survive the trip.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from tests.support.cassettes import Interaction
from tests.unit.providers.answer_strategies import (
    CARRIED,
    answers,
    recorded_answers,
    same_answer,
    survives_the_trip,
)

from fluent_ai.providers.anthropic import AnthropicProtocol
from fluent_ai.providers.anthropic.encode_response import EventEncoder, message_body
from fluent_ai.types import (
    BadResponseError,
    ChatResponse,
    Finish,
    FinishReason,
    Message,
    StreamEvent,
    TextDelta,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallPart,
    ToolCallStart,
    collect_events,
)

PROTOCOL = AnthropicProtocol()
REASONS = CARRIED - {FinishReason.ERROR}  # no Anthropic word: sent as end_turn


def encode_stream(events: list[StreamEvent]) -> list[tuple[str, dict[str, Any]]]:
    encoder = EventEncoder(model="claude-test")
    return [out for event in events for out in encoder.encode(event)]


def read_stream(sent: list[tuple[str, dict[str, Any]]]) -> ChatResponse:
    decoder = PROTOCOL.stream_decoder()
    events = [e for name, data in sent for e in decoder.feed(json.dumps(data), name)]
    return collect_events([*events, *decoder.close()])


@given(answers(signed=True, reasons=REASONS))
def test_a_whole_answer_reads_back_the_same(events: list[StreamEvent]) -> None:
    expected = collect_events(events)
    body = json.loads(json.dumps(message_body(expected, model="claude-test")))
    assert body["model"] == "claude-test"
    same_answer(collect_events(PROTOCOL.decode_response(body)), expected)


@given(answers(signed=True, reasons=REASONS))
def test_a_streamed_answer_reads_back_the_same(events: list[StreamEvent]) -> None:
    sent = encode_stream(events)
    names = [name for name, _ in sent]
    assert names[0] == "message_start"
    assert names[-2:] == ["message_delta", "message_stop"]
    opened = [d["index"] for n, d in sent if n == "content_block_start"]
    closed = [d["index"] for n, d in sent if n == "content_block_stop"]
    assert sorted(closed) == opened == list(range(len(opened)))  # each block once, in order
    same_answer(read_stream(sent), collect_events(events))


def test_an_upstream_stop_word_of_anthropic_s_own_is_kept() -> None:
    events: list[StreamEvent] = [TextDelta("4"), Finish(FinishReason.STOP, "stop_sequence")]
    sent = encode_stream(events)
    assert sent[-2][1]["delta"]["stop_reason"] == "stop_sequence"
    openai_stop = collect_events([TextDelta("4"), Finish(FinishReason.STOP, "stop")])
    assert message_body(openai_stop, model="m")["stop_reason"] == "end_turn"
    failed = collect_events([TextDelta("4"), Finish(FinishReason.ERROR)])
    assert message_body(failed, model="m")["stop_reason"] == "end_turn"


def test_tool_fragments_go_to_their_own_block_even_when_calls_interleave() -> None:
    events: list[StreamEvent] = [
        ToolCallStart(0, "toolu_a", "first"),
        ToolCallStart(1, "toolu_b", "second"),
        ToolCallDelta(0, '{"x": 1}'),
        ToolCallDelta(1, '{"y": 2}'),
        ToolCallEnd(0),
        ToolCallEnd(1),
        Finish(FinishReason.TOOL_CALLS),
    ]
    calls = read_stream(encode_stream(events)).tool_calls
    assert [(c.id, json.loads(c.arguments)) for c in calls] == [
        ("toolu_a", {"x": 1}),
        ("toolu_b", {"y": 2}),
    ]


def test_arguments_that_are_not_an_object_are_refused_not_bent() -> None:
    call = ToolCallPart(id="call_1", name="f", arguments="[1, 2]")
    answer = ChatResponse(message=Message(role="assistant", parts=[call]))
    with pytest.raises(BadResponseError, match=r"call_1.*not a JSON object"):
        message_body(answer, model="m")


@pytest.mark.parametrize("exchange", recorded_answers(("anthropic",), "/v1/messages"))
def test_every_recorded_answer_survives_the_trip(exchange: Interaction) -> None:
    survives_the_trip(
        exchange,
        PROTOCOL,
        whole=lambda answer: message_body(answer, model="m"),
        streamed=lambda events: read_stream(encode_stream(events)),
    )
