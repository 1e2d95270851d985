"""Answers written as Responses bodies and SSE events read back as the same answers.

A gateway answers Responses clients through
:mod:`fluent_ai.providers.responses.encode_response`; the protocol's own decoders are the
reader, so any answer and every recorded OpenAI Responses answer must survive the trip.
The format infers a tool-call finish from the output and has no word for an error
finish, so the property's answers finish with a tool call exactly when they hold one.
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

from fluent_ai.providers.responses.encode_response import EventEncoder, answer_body
from fluent_ai.providers.responses.protocol import ResponsesProtocol
from fluent_ai.types import (
    ChatResponse,
    Finish,
    FinishReason,
    StreamEvent,
    ToolCallStart,
    collect_events,
)

PROTOCOL = ResponsesProtocol()
REASONS = CARRIED - {FinishReason.ERROR}


def consistent(events: list[StreamEvent]) -> list[StreamEvent]:
    """The finish the format can say: a completed answer finishes with tool calls
    exactly when it holds some."""
    *rest, finish = events
    assert isinstance(finish, Finish)
    if finish.reason in (FinishReason.STOP, FinishReason.TOOL_CALLS):
        calls = any(isinstance(event, ToolCallStart) for event in rest)
        finish = Finish(FinishReason.TOOL_CALLS if calls else FinishReason.STOP)
    return [*rest, finish]


def encode_stream(events: list[StreamEvent]) -> list[tuple[str, dict[str, Any]]]:
    encoder = EventEncoder(model="gpt-test", created=1_700_000_000)
    return [out for event in events for out in encoder.encode(event)]


def read_stream(sent: list[tuple[str, dict[str, Any]]]) -> ChatResponse:
    decoder = PROTOCOL.stream_decoder()
    events = [e for name, data in sent for e in decoder.feed(json.dumps(data), name)]
    return collect_events([*events, *decoder.close()])


@given(answers(reasons=REASONS))
def test_a_whole_answer_reads_back_the_same(events: list[StreamEvent]) -> None:
    expected = collect_events(consistent(events))
    body = json.loads(json.dumps(answer_body(expected, model="gpt-test", created=0)))
    assert body["model"] == "gpt-test"
    same_answer(collect_events(PROTOCOL.decode_response(body)), expected)


@given(answers(reasons=REASONS))
def test_a_streamed_answer_reads_back_the_same(events: list[StreamEvent]) -> None:
    events = consistent(events)
    sent = encode_stream(events)
    names = [name for name, _ in sent]
    assert names[0] == "response.created"
    assert names[-1] in ("response.completed", "response.incomplete")
    numbers = [data["sequence_number"] for _, data in sent]
    assert numbers == list(range(1, len(sent) + 1))
    added = [d["output_index"] for n, d in sent if n == "response.output_item.added"]
    done = [d["output_index"] for n, d in sent if n == "response.output_item.done"]
    assert sorted(done) == added == list(range(len(added)))  # each item once, in order
    same_answer(read_stream(sent), collect_events(events))


def test_a_length_finish_is_an_incomplete_response() -> None:
    answer = collect_events([Finish(FinishReason.LENGTH)])
    body = answer_body(answer, model="m", created=0)
    assert (body["status"], body["incomplete_details"]) == (
        "incomplete",
        {"reason": "max_output_tokens"},
    )


@pytest.mark.parametrize("exchange", recorded_answers(("openai-responses",), "/responses"))
def test_every_recorded_answer_survives_the_trip(exchange: Interaction) -> None:
    survives_the_trip(
        exchange,
        PROTOCOL,
        whole=lambda answer: answer_body(answer, model="m", created=0),
        streamed=lambda events: read_stream(encode_stream(events)),
        said=said,
    )


def said(answer: ChatResponse) -> ChatResponse:
    """``answer`` with the finish the format can say for a status no word fits (one
    recording says ``complete``): a completed answer, with tool calls or not."""
    if answer.finish_reason is not FinishReason.OTHER:
        return answer
    reason = FinishReason.TOOL_CALLS if answer.tool_calls else FinishReason.STOP
    return answer.model_copy(update={"finish_reason": reason})
