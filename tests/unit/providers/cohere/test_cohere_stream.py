"""The v2 chat stream decoder.

The recordings hold no Cohere streams, so these events are shaped as Cohere documents
them (docs.cohere.com "A Guide to Streaming Responses" and "Streaming for tool use",
and the v2 event types of Cohere's Python SDK): ``message-start``, ``content-start`` /
``content-delta`` / ``content-end``, ``tool-plan-delta``, ``tool-call-start`` /
``tool-call-delta`` / ``tool-call-end``, ``citation-start`` / ``citation-end``,
``message-end``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from tests.support.cassettes import Interaction
from tests.support.replay import replay_server

from fluent_ai.http import HttpClient
from fluent_ai.providers.cohere import COHERE, CohereProtocol
from fluent_ai.providers.remote import HttpChatModel
from fluent_ai.types import (
    BadResponseError,
    ChatRequest,
    ChatResponse,
    FinishReason,
    Message,
    ProviderError,
    StreamError,
    StreamEvent,
    StreamInterruptedError,
    collect_events,
)

PROTOCOL = CohereProtocol()
USAGE = {
    "billed_units": {"input_tokens": 1, "output_tokens": 9},
    "tokens": {"input_tokens": 496, "output_tokens": 11},
    "cached_tokens": 448,
}


def event(kind: str, index: int | None = None, **fields: Any) -> str:
    payload: dict[str, Any] = {"type": kind, **fields}
    if index is not None:
        payload["index"] = index
    return json.dumps(payload)


def start() -> str:
    message = {
        "role": "assistant",
        "content": [],
        "tool_plan": "",
        "tool_calls": [],
        "citations": [],
    }
    return event("message-start", id="29f14a5a", delta={"message": message})


def content(kind: str, index: int, **item: Any) -> str:
    return event(kind, index, delta={"message": {"content": item}})


def end(finish: str = "COMPLETE", **delta: Any) -> str:
    return event("message-end", delta={"finish_reason": finish, "usage": USAGE, **delta})


def call_start(index: int, call_id: str, name: str, arguments: str = "") -> str:
    call = {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}
    return event("tool-call-start", index, delta={"message": {"tool_calls": call}})


def call_delta(index: int, arguments: str) -> str:
    delta = {"message": {"tool_calls": {"function": {"arguments": arguments}}}}
    return event("tool-call-delta", index, delta=delta)


def run(*messages: str) -> list[StreamEvent]:
    decoder = PROTOCOL.stream_decoder()
    events = [e for message in messages for e in decoder.feed(message)]
    return events + decoder.close()


def collect(*messages: str) -> ChatResponse:
    return collect_events(run(*messages))


TEXT_STREAM = [
    start(),
    content("content-start", 0, type="text", text=""),
    content("content-delta", 0, text="Hello"),
    content("content-delta", 0, text="! How can I help?"),
    event("content-end", 0),
    end(),
]


def test_text_usage_and_finish() -> None:
    result = collect(*TEXT_STREAM)
    assert result.id == "29f14a5a"
    assert result.text == "Hello! How can I help?"
    assert result.finish_reason == FinishReason.STOP
    # Billed units, not the 496 tokens the model read: those are what Cohere charges.
    assert result.usage.input_tokens == 1
    assert result.usage.output_tokens == 9
    assert result.usage.cache_read_tokens == 0
    assert result.usage.details["tokens"] == {"input_tokens": 496, "output_tokens": 11}


def test_reasoning_streams_thinking_then_text() -> None:
    result = collect(
        start(),
        content("content-start", 0, type="thinking", thinking=""),
        content("content-delta", 0, thinking="Alice has"),
        content("content-delta", 0, thinking=" 2 sisters."),
        event("content-end", 0),
        content("content-start", 1, type="text", text=""),
        content("content-delta", 1, text="3"),
        event("content-end", 1),
        end(),
    )
    assert result.thinking == "Alice has 2 sisters."
    assert result.text == "3"
    assert [part.type for part in result.message.parts] == ["thinking", "text"]


def test_tool_plan_and_tool_calls() -> None:
    result = collect(
        start(),
        event("tool-plan-delta", delta={"message": {"tool_plan": "I will"}}),
        event("tool-plan-delta", delta={"message": {"tool_plan": " check the weather."}}),
        call_start(0, "get_weather_nsz5", "get_weather"),
        call_delta(0, '{\n    "'),
        call_delta(0, 'city": "Paris"}'),
        event("tool-call-end", 0),
        call_start(1, "get_weather_k88p", "get_weather", '{"city": "Rome"}'),
        event("tool-call-end", 1),
        end("TOOL_CALL"),
    )
    assert result.thinking == "I will check the weather."
    assert [(c.id, json.loads(c.arguments)) for c in result.tool_calls] == [
        ("get_weather_nsz5", {"city": "Paris"}),
        ("get_weather_k88p", {"city": "Rome"}),
    ]
    assert result.finish_reason == FinishReason.TOOL_CALLS


def test_citations_are_gathered_as_provider_data() -> None:
    citation = {
        "start": 14,
        "end": 29,
        "text": "sunny and 22C",
        "type": "TEXT_CONTENT",
        "sources": [{"type": "tool", "id": "get_weather_nsz5:0", "tool_output": {"temp": 22}}],
    }
    result = collect(
        start(),
        content("content-start", 0, type="text", text=""),
        content("content-delta", 0, text="It is sunny and 22C."),
        event("citation-start", 0, delta={"message": {"citations": citation}}),
        event("citation-end", 0),
        event("content-end", 0),
        end(),
    )
    assert result.extra == {"citations": [citation]}


def test_debug_events_done_markers_and_blank_messages_are_skipped() -> None:
    noise = [event("debug", delta={"prompt": "..."}), "[DONE]", ""]
    assert collect(*TEXT_STREAM[:-1], *noise, TEXT_STREAM[-1]).text == "Hello! How can I help?"


def test_a_stream_cut_short_raises_with_the_partial_answer() -> None:
    decoder = PROTOCOL.stream_decoder()
    for message in TEXT_STREAM[:3]:
        decoder.feed(message)
    with pytest.raises(StreamInterruptedError) as info:
        decoder.close()
    assert info.value.provider == "cohere"
    assert info.value.partial.text == "Hello"


def test_a_generation_error_at_the_end_is_a_stream_error() -> None:
    events = run(start(), end("ERROR", error="internal generation failure"))
    failure = next(e for e in events if isinstance(e, StreamError))
    assert type(failure.error) is ProviderError
    assert failure.error.provider == "cohere"
    assert "internal generation failure" in str(failure.error)


@pytest.mark.parametrize("data", ["{oops", "[1, 2]", event("tool-call-start", 0, delta={})])
def test_malformed_events_are_bad_responses(data: str) -> None:
    with pytest.raises(BadResponseError):
        PROTOCOL.stream_decoder().feed(data)


async def test_a_stream_over_http_with_event_lines() -> None:
    names = [json.loads(message)["type"] for message in TEXT_STREAM]
    sse = "".join(
        f"event: {name}\ndata: {message}\n\n"
        for name, message in zip(names, TEXT_STREAM, strict=True)
    )
    item = Interaction(
        method="POST",
        path="/v2/chat",
        query="",
        request_headers={},
        request_body={},
        status=200,
        response_headers={"content-type": ["text/event-stream"]},
        response_body=sse,
    )
    request = ChatRequest(model="command-a-03-2025", messages=[Message.user("hello")])
    async with HttpClient(retry=None) as client:
        with replay_server([item]) as server:
            model = HttpChatModel(
                COHERE, PROTOCOL, api_key="co-test", base_url=server.base_url + "/v2", client=client
            )
            result = await model.stream_response(request)
    assert not server.errors, server.errors
    assert server.received[0].body["stream"] is True
    assert server.received[0].headers["authorization"] == "Bearer co-test"
    assert result.text == "Hello! How can I help?"
    assert result.provider == "cohere"
