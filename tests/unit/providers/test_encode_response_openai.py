"""Answers written as Chat Completions bodies and chunks read back as the same answers.

A gateway answers OpenAI clients through :mod:`fluent_ai.providers.openai.encode_response`;
the protocol's own decoders are the reader here, so a property (any answer, whole or
streamed) and every recorded OpenAI-compatible answer must survive the trip: text,
thinking, tool calls with their ids and arguments, usage counts and finish reason.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from tests.support.cassettes import Interaction
from tests.unit.providers.answer_strategies import (
    answers,
    recorded_answers,
    same_answer,
    survives_the_trip,
)

from fluent_ai.providers.openai import OpenAIChatProtocol
from fluent_ai.providers.openai.encode_response import ChunkEncoder, completion_body
from fluent_ai.types import (
    ChatResponse,
    Finish,
    FinishReason,
    StreamEvent,
    TextDelta,
    Usage,
    UsageUpdate,
    collect_events,
)

PROTOCOL = OpenAIChatProtocol()
OPENAI_FOLDERS = ("openai", "groq", "deepseek", "openrouter", "cerebras", "huggingface")


def read_chunks(chunks: list[dict[str, Any]]) -> ChatResponse:
    decoder = PROTOCOL.stream_decoder()
    events = [e for chunk in chunks for e in decoder.feed(json.dumps(chunk))]
    events += decoder.feed("[DONE]")
    events += decoder.close()
    return collect_events(events)


def stream_through(events: list[StreamEvent]) -> list[dict[str, Any]]:
    encoder = ChunkEncoder(model="gpt-test", created=1_700_000_000, include_usage=True)
    return [chunk for event in events for chunk in encoder.encode(event)]


@given(answers())
def test_a_whole_answer_reads_back_the_same(events: list[StreamEvent]) -> None:
    expected = collect_events(events)
    body = completion_body(expected, model="gpt-test", created=1_700_000_000)
    assert body["model"] == "gpt-test"
    same_answer(collect_events(PROTOCOL.decode_response(json.loads(json.dumps(body)))), expected)


@given(answers())
def test_a_streamed_answer_reads_back_the_same(events: list[StreamEvent]) -> None:
    chunks = stream_through(events)
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert chunks[-1]["choices"] == []  # the usage chunk comes last, as OpenAI sends it
    same_answer(read_chunks(chunks), collect_events(events))


def test_without_include_usage_no_usage_chunk_is_sent() -> None:
    encoder = ChunkEncoder(model="m", created=0)
    events: list[StreamEvent] = [
        TextDelta("hi"),
        UsageUpdate(Usage(input_tokens=3)),
        Finish(FinishReason.STOP),
    ]
    chunks = [chunk for event in events for chunk in encoder.encode(event)]
    assert [c["choices"][0]["finish_reason"] for c in chunks] == [None, None, "stop"]
    assert all("usage" not in c for c in chunks)
    assert len({c["id"] for c in chunks}) == 1


@pytest.mark.parametrize("exchange", recorded_answers(OPENAI_FOLDERS, "/chat/completions"))
def test_every_recorded_answer_survives_the_trip(exchange: Interaction) -> None:
    survives_the_trip(
        exchange,
        PROTOCOL,
        whole=lambda answer: completion_body(answer, model="m", created=0),
        streamed=lambda events: read_chunks(stream_through(events)),
    )
