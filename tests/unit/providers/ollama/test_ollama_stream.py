"""The JSON-lines stream decoder, fed line by line.

Lines are shaped as Ollama documents its streamed chat (docs/api.md "Chat Request
(Streaming)": one chat chunk per line, ``done: false`` until the last, which carries
``done_reason`` and the counts), with thinking-model and tool-call chunks as its Go
types define them.
"""

from __future__ import annotations

import json
from typing import Any, cast

import pytest

from fluent_ai.providers.base import ChatProtocol, stream_format
from fluent_ai.providers.ollama import OllamaProtocol
from fluent_ai.types import (
    BadResponseError,
    ConfigurationError,
    FinishReason,
    NotFoundError,
    ProviderUnavailableError,
    ResponseStart,
    StreamError,
    StreamEvent,
    StreamInterruptedError,
    TextDelta,
    ThinkingDelta,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallStart,
    collect_events,
)

PROTOCOL = OllamaProtocol()


def line(done: bool = False, **message: Any) -> str:
    chunk: dict[str, Any] = {
        "model": "qwen3",
        "created_at": "2025-05-29T09:35:56.836222Z",
        "message": {"role": "assistant", "content": "", **message},
        "done": done,
    }
    return json.dumps(chunk)


def final(done_reason: str = "stop", **fields: Any) -> str:
    chunk = json.loads(line(done=True))
    chunk.update(done_reason=done_reason, prompt_eval_count=26, eval_count=282, **fields)
    return json.dumps(chunk)


def feed_all(*lines: str) -> list[StreamEvent]:
    decoder = PROTOCOL.stream_decoder()
    events = [event for text in lines for event in decoder.feed(text)]
    return events + decoder.close()


def test_the_protocol_streams_json_lines_and_others_default_to_sse() -> None:
    assert stream_format(PROTOCOL) == "jsonl"
    # Any object is read by duck typing: one that declares no format, one that declares
    # a format there is no decoder for.
    assert stream_format(cast(ChatProtocol, object())) == "sse"

    class Odd:
        stream_format = "xml"

    with pytest.raises(ConfigurationError, match="xml"):
        stream_format(cast(ChatProtocol, Odd()))


def test_thinking_then_text_then_the_final_chunk() -> None:
    events = feed_all(
        line(thinking="Six "),
        line(thinking="times seven."),
        line(content="The"),
        line(content=" answer is 42."),
        final(),
    )
    assert events[:5] == [
        ResponseStart(model="qwen3"),
        ThinkingDelta("Six "),
        ThinkingDelta("times seven."),
        TextDelta("The"),
        TextDelta(" answer is 42."),
    ]
    response = collect_events(events)
    assert response.thinking == "Six times seven."
    assert response.text == "The answer is 42."
    assert (response.usage.input_tokens, response.usage.output_tokens) == (26, 282)
    assert response.finish_reason is FinishReason.STOP
    assert response.extra == {"created_at": "2025-05-29T09:35:56.836222Z"}


def test_each_tool_call_arrives_whole_and_indexes_run_across_chunks() -> None:
    weather = {"function": {"index": 0, "name": "weather", "arguments": {"city": "Paris"}}}
    clock = {"id": "call_x1", "function": {"index": 0, "name": "clock", "arguments": {}}}
    events = feed_all(line(tool_calls=[weather]), line(tool_calls=[clock]), final())
    assert events[1:7] == [
        ToolCallStart(0, "call_0", "weather"),
        ToolCallDelta(0, '{"city": "Paris"}'),
        ToolCallEnd(0),
        ToolCallStart(1, "call_x1", "clock"),
        ToolCallDelta(1, "{}"),
        ToolCallEnd(1),
    ]
    assert collect_events(events).finish_reason is FinishReason.TOOL_CALLS


def test_length_and_logprobs_that_add_up_over_the_stream() -> None:
    first, second = [{"token": "a", "logprob": -1.0}], [{"token": "b", "logprob": -2.0}]
    chunk = json.loads(line(content="a"))
    events = feed_all(
        json.dumps({**chunk, "logprobs": first}),
        final("length", logprobs=second),
    )
    response = collect_events(events)
    assert response.finish_reason is FinishReason.LENGTH
    assert response.extra["logprobs"] == first + second


def test_a_stream_that_ends_before_done_is_interrupted_with_the_partial_answer() -> None:
    decoder = PROTOCOL.stream_decoder()
    decoder.feed(line(content="The sky is"))
    with pytest.raises(StreamInterruptedError, match="done") as info:
        decoder.close()
    assert info.value.partial.text == "The sky is"
    assert info.value.provider == "ollama-native"


def test_an_error_line_mid_stream_is_a_stream_error() -> None:
    decoder = PROTOCOL.stream_decoder()
    decoder.feed(line(content="The"))
    (event,) = decoder.feed(json.dumps({"error": "model runner has unexpectedly stopped"}))
    assert isinstance(event, StreamError)
    assert isinstance(event.error, ProviderUnavailableError)
    assert event.error.retryable
    assert decoder.close() == []
    (missing,) = feed_all(json.dumps({"error": 'model "qwen9" not found, try pulling it first'}))
    assert isinstance(missing, StreamError)
    assert isinstance(missing.error, NotFoundError)
    assert "ollama pull qwen9" in str(missing.error)


def test_lines_after_the_final_chunk_and_blank_lines_are_ignored() -> None:
    events = feed_all("", line(content="hi"), final(), line(content="late"))
    assert collect_events(events).text == "hi"


@pytest.mark.parametrize("text", ["not json", "[1, 2]", '{"message": {"tool_calls": [{}]}}'])
def test_lines_that_are_not_chat_chunks_are_bad_responses(text: str) -> None:
    with pytest.raises(BadResponseError):
        PROTOCOL.stream_decoder().feed(text)
