"""Gemini SSE streams: assembly across chunks, live usage, extras, errors, early ends."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from fluent_ai.http import HttpClient
from fluent_ai.providers.google import GOOGLE, GeminiProtocol
from fluent_ai.providers.remote import HttpChatModel
from fluent_ai.types import (
    BadResponseError,
    ChatRequest,
    ChatResponse,
    ContentFilteredError,
    FinishReason,
    Message,
    ProviderUnavailableError,
    StreamAccumulator,
    StreamError,
    StreamEvent,
    StreamInterruptedError,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    UsageUpdate,
)

PROTOCOL = GeminiProtocol()


def chunk(*parts: dict[str, Any], finish: str | None = None, **fields: Any) -> dict[str, Any]:
    candidate: dict[str, Any] = {"content": {"role": "model", "parts": list(parts)}, "index": 0}
    if finish:
        candidate["finishReason"] = finish
    candidate.update(fields.pop("candidate", {}))
    body = {"candidates": [candidate], "modelVersion": "gemini-2.5-pro", "responseId": "r9"}
    body.update(fields)
    return body


def feed(*chunks: dict[str, Any]) -> list[StreamEvent]:
    decoder = PROTOCOL.stream_decoder()
    events = [event for c in chunks for event in decoder.feed(json.dumps(c))]
    return events + decoder.close()


def collect(*chunks: dict[str, Any]) -> ChatResponse:
    accumulator = StreamAccumulator()
    for event in feed(*chunks):
        accumulator.add(event)
    return accumulator.response()


def usage(prompt: int, candidates: int, thoughts: int = 0) -> dict[str, int]:
    return {
        "promptTokenCount": prompt,
        "candidatesTokenCount": candidates,
        "thoughtsTokenCount": thoughts,
    }


def test_text_over_chunks_with_live_usage() -> None:
    chunks = [
        chunk({"text": "The"}, usageMetadata=usage(15, 1)),
        chunk({"text": " capital"}, usageMetadata=usage(15, 3)),
        chunk({"text": " is Paris."}, finish="STOP", usageMetadata=usage(13, 8)),
    ]
    events = feed(*chunks)
    counts = [e.usage.output_tokens for e in events if isinstance(e, UsageUpdate)]
    assert counts == [1, 3, 8]
    answer = collect(*chunks)
    assert answer.text == "The capital is Paris."
    assert (answer.id, answer.model) == ("r9", "gemini-2.5-pro")
    assert (answer.usage.input_tokens, answer.usage.output_tokens) == (13, 8)
    assert answer.finish_reason == FinishReason.STOP


def test_thoughts_then_a_signed_answer() -> None:
    answer = collect(
        chunk({"text": "First, ", "thought": True}, usageMetadata=usage(34, 0, 68)),
        chunk({"text": "then.", "thought": True}, usageMetadata=usage(34, 0, 298)),
        chunk({"text": "Look left", "thoughtSignature": "sig"}, usageMetadata=usage(34, 2, 298)),
        chunk({"text": ", then right."}, finish="STOP", usageMetadata=usage(34, 5, 298)),
    )
    assert answer.message.parts == [
        ThinkingPart(text="First, then.", signature="sig"),
        TextPart(text="Look left, then right."),
    ]
    assert (answer.usage.output_tokens, answer.usage.reasoning_tokens) == (303, 298)


def test_a_streamed_call_with_its_signature_then_an_empty_closing_chunk() -> None:
    answer = collect(
        chunk({"functionCall": {"name": "get_country", "args": {}}, "thoughtSignature": "s1"}),
        chunk({"text": ""}, finish="STOP", usageMetadata=usage(29, 10, 202)),
    )
    assert answer.message.parts == [
        ThinkingPart(signature="s1"),
        ToolCallPart(id="call-r9-0", name="get_country", arguments="{}"),
    ]
    assert answer.finish_reason == FinishReason.TOOL_CALLS


def test_extras_gathered_over_the_stream() -> None:
    answer = collect(
        chunk(
            {"text": "Pydantic AI"},
            candidate={
                "groundingMetadata": {},
                "urlContextMetadata": {"urlMetadata": [{"retrievedUrl": "https://a"}]},
                "citationMetadata": {"citationSources": [{"uri": "one"}]},
            },
        ),
        chunk(
            {"text": " Gateway"},
            finish="STOP",
            candidate={
                "groundingMetadata": {"groundingChunks": [{"web": {"uri": "https://a"}}]},
                "citationMetadata": {"citationSources": [{"uri": "two"}]},
            },
        ),
    )
    assert answer.extra == {
        "urlContextMetadata": {"urlMetadata": [{"retrievedUrl": "https://a"}]},
        "groundingMetadata": {"groundingChunks": [{"web": {"uri": "https://a"}}]},
        "citationMetadata": {"citationSources": [{"uri": "one"}, {"uri": "two"}]},
    }


def test_a_stream_without_a_finish_reason_was_cut_off() -> None:
    decoder = PROTOCOL.stream_decoder()
    decoder.feed(json.dumps(chunk({"text": "Half an ans"}, usageMetadata=usage(5, 3))))
    with pytest.raises(StreamInterruptedError) as info:
        decoder.close()
    assert info.value.provider == "google"
    assert info.value.partial.text == "Half an ans"


def test_an_error_inside_the_stream() -> None:
    decoder = PROTOCOL.stream_decoder()
    decoder.feed(json.dumps(chunk({"text": "Hi"})))
    error = {"error": {"code": 503, "message": "The model is overloaded.", "status": "UNAVAILABLE"}}
    events = decoder.feed(json.dumps(error))
    assert len(events) == 1
    assert isinstance(events[0], StreamError)
    assert isinstance(events[0].error, ProviderUnavailableError)
    assert events[0].error.status == 503
    assert decoder.close() == []


def test_a_blocked_prompt_ends_the_stream_with_an_error() -> None:
    events = feed({"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"}, "responseId": "x"})
    errors = [e for e in events if isinstance(e, StreamError)]
    assert len(errors) == 1
    assert isinstance(errors[0].error, ContentFilteredError)


def test_a_message_that_is_not_json_is_a_bad_response() -> None:
    with pytest.raises(BadResponseError):
        PROTOCOL.stream_decoder().feed("not json")
    with pytest.raises(BadResponseError):
        PROTOCOL.stream_decoder().feed("[1, 2]")


async def test_a_stream_over_http_with_gemini_framing() -> None:
    chunks = [
        chunk({"text": "Hello"}, usageMetadata=usage(4, 1)),
        chunk({"text": " world"}, finish="STOP", usageMetadata=usage(4, 2)),
    ]
    payload = "".join(f"data: {json.dumps(c)}\r\n\r\n" for c in chunks).encode()
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=payload)

    async with HttpClient(retry=None, transport=httpx.MockTransport(handler)) as client:
        model = HttpChatModel(
            GOOGLE, PROTOCOL, api_key="AIzaSyTESTKEY0000000000000000", client=client
        )
        request = ChatRequest(model="gemini-2.5-flash", messages=[Message.user("hi")])
        answer = await model.stream_response(request)
    assert answer.text == "Hello world"
    assert str(seen[0].url) == (
        "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash"
        ":streamGenerateContent?alt=sse"
    )
    assert seen[0].headers["x-goog-api-key"] == "AIzaSyTESTKEY0000000000000000"
    assert json.loads(seen[0].content) == {
        "contents": [{"role": "user", "parts": [{"text": "hi"}]}]
    }
