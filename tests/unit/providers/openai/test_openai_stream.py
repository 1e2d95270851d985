"""The stream decoder: deltas, tool-call assembly, end-of-stream rules, in-stream errors."""

from __future__ import annotations

import json
from typing import Any

import pytest

from fluent_ai.providers.openai import OpenAIChatProtocol, protocol_for
from fluent_ai.types import (
    BadResponseError,
    ChatResponse,
    Finish,
    FinishReason,
    InvalidRequestError,
    ProviderData,
    ProviderUnavailableError,
    StreamError,
    StreamEvent,
    StreamInterruptedError,
    ThinkingDelta,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallStart,
    collect_events,
)


def chunk(delta: dict[str, Any] | None = None, finish: str | None = None, **top: Any) -> str:
    choices = [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}]
    return json.dumps({"id": "r1", "model": "m", "choices": choices, **top})


def run(*messages: str, protocol: OpenAIChatProtocol | None = None) -> list[StreamEvent]:
    decoder = (protocol or OpenAIChatProtocol()).stream_decoder()
    events = [event for message in messages for event in decoder.feed(message)]
    return events + decoder.close()


def collect(*messages: str, protocol: OpenAIChatProtocol | None = None) -> ChatResponse:
    return collect_events(run(*messages, protocol=protocol))


def test_text_usage_and_finish() -> None:
    usage = {
        "prompt_tokens": 10,
        "completion_tokens": 5,
        "prompt_tokens_details": {"cached_tokens": 4},
        "completion_tokens_details": {"reasoning_tokens": 2},
    }
    response = collect(
        chunk({"role": "assistant", "content": ""}),
        chunk({"content": "Hel"}),
        chunk({"content": "lo"}),
        chunk({}, "stop"),
        chunk(usage=usage),
        "[DONE]",
    )
    assert response.text == "Hello"
    assert (response.id, response.model) == ("r1", "m")
    assert response.finish_reason is FinishReason.STOP
    assert response.raw_finish_reason == "stop"
    assert (response.usage.input_tokens, response.usage.output_tokens) == (10, 5)
    assert (response.usage.cache_read_tokens, response.usage.reasoning_tokens) == (4, 2)


def test_usage_sent_after_the_finish_reason_arrives_before_finish() -> None:
    """OpenAI sends the usage chunk after the finish_reason chunk; Finish stays last."""
    events = run(
        chunk({"content": "Hi"}),
        chunk({}, "stop"),
        chunk(usage={"prompt_tokens": 3, "completion_tokens": 1}),
        "[DONE]",
    )
    kinds = [type(event).__name__ for event in events]
    assert kinds == ["ResponseStart", "TextDelta", "UsageUpdate", "Finish"]


def test_tool_call_arguments_are_assembled_by_index() -> None:
    def call(index: int, **fields: Any) -> dict[str, Any]:
        return {"tool_calls": [{"index": index, **fields}]}

    events = run(
        chunk(call(0, id="a", type="function", function={"name": "f", "arguments": ""})),
        chunk(call(0, function={"arguments": '{"x"'})),
        chunk(call(1, id="b", type="function", function={"name": "g", "arguments": "{}"})),
        chunk(call(0, function={"arguments": ": 1}"})),
        chunk({}, "tool_calls"),
        "[DONE]",
    )
    assert events[1:] == [
        ToolCallStart(0, "a", "f"),
        ToolCallDelta(0, '{"x"'),
        ToolCallStart(1, "b", "g"),
        ToolCallDelta(1, "{}"),
        ToolCallDelta(0, ": 1}"),
        ToolCallEnd(0),
        ToolCallEnd(1),
        Finish(FinishReason.TOOL_CALLS, "tool_calls"),
    ]
    response = collect_events(events)
    assert [(c.id, c.name, c.arguments) for c in response.tool_calls] == [
        ("a", "f", '{"x": 1}'),
        ("b", "g", "{}"),
    ]


def test_calls_without_index_or_id_still_assemble() -> None:
    response = collect(
        chunk({"tool_calls": [{"id": "", "function": {"name": "f", "arguments": '{"a":'}}]}),
        chunk({"tool_calls": [{"function": {"arguments": "1}"}}]}),
        chunk({}, "tool_calls"),
    )
    (call,) = response.tool_calls
    assert call.arguments == '{"a":1}'
    assert call.id.startswith("call_")  # an empty id cannot be answered, so one is made


def test_reasoning_from_either_field() -> None:
    events = run(
        chunk({"reasoning_content": "think "}),
        chunk({"reasoning": "more"}),
        chunk({"content": "answer"}, "stop"),
    )
    assert [e for e in events if isinstance(e, ThinkingDelta)] == [
        ThinkingDelta("think "),
        ThinkingDelta("more"),
    ]
    assert collect_events(events).thinking == "think more"


def test_finish_without_done_is_complete() -> None:
    response = collect(chunk({"content": "ok"}), chunk({}, "length"))
    assert response.finish_reason is FinishReason.LENGTH


def test_done_without_finish_is_complete() -> None:
    assert collect(chunk({"content": "ok"}), "[DONE]").text == "ok"


def test_neither_done_nor_finish_is_an_interruption_with_the_partial_answer() -> None:
    decoder = protocol_for("groq").stream_decoder()
    decoder.feed(chunk({"content": "Par"}))
    with pytest.raises(StreamInterruptedError) as info:
        decoder.close()
    assert info.value.provider == "groq"
    assert info.value.partial.text == "Par"


def test_error_event_is_a_stream_error_and_close_adds_nothing() -> None:
    decoder = protocol_for("groq").stream_decoder()
    decoder.feed(chunk({"reasoning": "hm"}))
    error = {
        "error": {
            "message": "Tool call validation failed",
            "type": "invalid_request_error",
            "code": "tool_use_failed",
            "status_code": 400,
        }
    }
    (event,) = decoder.feed(json.dumps(error), "error")
    assert isinstance(event, StreamError)
    assert isinstance(event.error, InvalidRequestError)
    assert (event.error.status, event.error.code, event.error.provider) == (
        400,
        "tool_use_failed",
        "groq",
    )
    assert decoder.close() == []


def test_openrouter_mid_stream_error_chunk() -> None:
    failed = chunk(
        {"content": ""}, "error", error={"code": 502, "message": "Upstream error from Google"}
    )
    events = run(chunk({"content": "Hi"}), failed, protocol=protocol_for("openrouter"))
    assert isinstance(events[-1], StreamError)
    assert isinstance(events[-1].error, ProviderUnavailableError)


def test_fields_with_no_neutral_home_are_gathered_once_at_the_end() -> None:
    annotation = {"type": "url_citation", "url_citation": {"url": "https://x"}}
    events = run(
        chunk(
            {"content": "a", "annotations": [annotation]}, system_fingerprint="fp", obfuscation="zz"
        ),
        chunk({"refusal": "No"}, citations=["https://a"]),
        chunk({"refusal": " way", "annotations": [annotation]}, "stop", x_groq={"id": "q"}),
        chunk(moderation={"input": {"flagged": False}}, x_groq={"usage": {"prompt_tokens": 1}}),
        "[DONE]",
    )
    assert events[-1] == Finish(FinishReason.STOP, "stop")
    assert events[-2] == ProviderData(
        {
            "system_fingerprint": "fp",
            "annotations": [annotation, annotation],
            "citations": ["https://a"],
            "refusal": "No way",
            "x_groq": {"id": "q", "usage": {"prompt_tokens": 1}},
            "moderation": {"input": {"flagged": False}},
        }
    )


def test_groq_usage_inside_x_groq() -> None:
    response = collect(
        chunk({"content": "x"}),
        chunk({}, "stop", x_groq={"usage": {"prompt_tokens": 7, "completion_tokens": 3}}),
        "[DONE]",
        protocol=protocol_for("groq"),
    )
    assert (response.usage.input_tokens, response.usage.output_tokens) == (7, 3)
    elsewhere = collect(chunk({}, "stop", x_groq={"usage": {"prompt_tokens": 7}}))
    assert elsewhere.usage.input_tokens == 0  # x_groq means nothing to other vendors


def test_not_json_is_a_bad_response() -> None:
    with pytest.raises(BadResponseError):
        OpenAIChatProtocol().stream_decoder().feed("<html>")
