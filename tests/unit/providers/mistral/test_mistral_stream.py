"""The stream decoder: content chunks, whole tool calls, usage, end-of-stream rules, errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tests.support.cassettes import cassettes, load

from fluent_ai.providers.mistral import MistralProtocol
from fluent_ai.types import (
    BadResponseError,
    ChatResponse,
    ContextLengthExceededError,
    FinishReason,
    ProviderError,
    StreamError,
    StreamEvent,
    StreamInterruptedError,
    ToolCallEnd,
    ToolCallStart,
    collect_events,
)

PROTOCOL = MistralProtocol()


def chunk(delta: dict[str, Any] | None = None, finish: str | None = None, **top: Any) -> str:
    choices = [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}]
    return json.dumps(
        {"id": "r1", "object": "chat.completion.chunk", "model": "m", "choices": choices, **top}
    )


def thinking(text: str) -> dict[str, Any]:
    return {"content": [{"type": "thinking", "thinking": [{"type": "text", "text": text}]}]}


def run(*messages: str) -> list[StreamEvent]:
    decoder = PROTOCOL.stream_decoder()
    events = [event for message in messages for event in decoder.feed(message)]
    return events + decoder.close()


def collect(*messages: str) -> ChatResponse:
    return collect_events(run(*messages))


USAGE = {"prompt_tokens": 10, "total_tokens": 242, "completion_tokens": 232}


def test_thinking_then_text_then_usage_with_the_finish() -> None:
    result = collect(
        chunk({"role": "assistant", "content": ""}),
        chunk(thinking("Okay")),
        chunk(thinking(", the user")),
        chunk({"content": [{"type": "thinking", "thinking": []}]}),
        chunk({"content": "To"}),
        chunk({"content": " cross"}),
        chunk({"content": ""}, "stop", usage=USAGE),
        "[DONE]",
    )
    assert result.thinking == "Okay, the user"
    assert result.text == "To cross"
    assert result.finish_reason == FinishReason.STOP
    assert result.usage.input_tokens == 10
    assert result.usage.output_tokens == 232
    assert result.id == "r1"


def test_whole_tool_calls_even_at_a_reused_index() -> None:
    first = {"id": "aaaaaaaaa", "index": 0, "function": {"name": "a", "arguments": '{"x": 1}'}}
    second = {"id": "bbbbbbbbb", "index": 0, "function": {"name": "b", "arguments": "{}"}}
    events = run(
        chunk({"role": "assistant", "content": ""}),
        chunk({"tool_calls": [first]}),
        chunk({"tool_calls": [second]}),
        chunk({"content": ""}, "tool_calls", usage=USAGE),
        "[DONE]",
    )
    starts = [e for e in events if isinstance(e, ToolCallStart)]
    assert [(s.index, s.id, s.name) for s in starts] == [
        (0, "aaaaaaaaa", "a"),
        (1, "bbbbbbbbb", "b"),
    ]
    assert sorted(e.index for e in events if isinstance(e, ToolCallEnd)) == [0, 1]
    result = collect_events(events)
    assert [(c.name, c.arguments) for c in result.tool_calls] == [("a", '{"x": 1}'), ("b", "{}")]
    assert result.finish_reason == FinishReason.TOOL_CALLS


def test_fragments_without_an_id_continue_the_open_call() -> None:
    result = collect(
        chunk(
            {
                "tool_calls": [
                    {"id": "aaaaaaaaa", "index": 0, "function": {"name": "a", "arguments": '{"x"'}}
                ]
            }
        ),
        chunk({"tool_calls": [{"index": 0, "function": {"arguments": ": 1}"}}]}),
        chunk({}, "tool_calls"),
    )
    assert [(c.id, c.arguments) for c in result.tool_calls] == [("aaaaaaaaa", '{"x": 1}')]


def test_a_finish_without_done_is_complete() -> None:
    assert (
        collect(chunk({"content": "hi"}), chunk({}, "length")).finish_reason == FinishReason.LENGTH
    )


def test_a_stream_cut_short_raises_with_the_partial_answer() -> None:
    decoder = PROTOCOL.stream_decoder()
    decoder.feed(chunk({"content": "Half an ans"}))
    with pytest.raises(StreamInterruptedError) as info:
        decoder.close()
    assert info.value.provider == "mistral"
    assert info.value.partial.text == "Half an ans"


def test_an_error_object_in_the_stream() -> None:
    error = {
        "object": "error",
        "message": "Prompt contains 40000 tokens, too large for model with 32768 maximum context",
        "type": "invalid_request_error",
        "code": "3051",
        "raw_status_code": 400,
    }
    events = run(chunk({"content": "x"}), json.dumps(error))
    failures = [e for e in events if isinstance(e, StreamError)]
    assert len(failures) == 1
    assert isinstance(failures[0].error, ContextLengthExceededError)
    assert failures[0].error.status == 400


def test_an_error_without_a_status_is_a_provider_error() -> None:
    events = run(json.dumps({"object": "error", "message": "boom", "type": "internal"}))
    error = next(e for e in events if isinstance(e, StreamError)).error
    assert type(error) is ProviderError
    assert error.code == "internal"


def test_a_message_that_is_not_json() -> None:
    with pytest.raises(BadResponseError):
        PROTOCOL.stream_decoder().feed("{not json")


def test_extra_fields_come_at_the_end() -> None:
    result = collect(chunk({"content": "x"}, created=5), chunk({}, "stop", created=6), "[DONE]")
    assert result.extra == {"created": 6}


@pytest.mark.parametrize("path", cassettes("mistral"), ids=lambda p: p.stem)
def test_recorded_streams_decode_the_same_as_their_joined_deltas(path: Any) -> None:
    for item in load(path):
        if not item.is_stream:
            continue
        lines = [
            line[5:].strip() for line in item.response_text.splitlines() if line.startswith("data:")
        ]
        result = collect(*lines)
        assert result.text.startswith("To cross the street safely")
        assert result.thinking.startswith("Okay, the user is asking how to cross the street.")
        assert result.usage.output_tokens == 232
