"""Whole (non-streamed) ``/api/chat`` answers -> ChatResponse.

The bodies are the response examples of Ollama's docs/api.md ("Chat request (No
streaming)", "with tools", "Structured outputs", "Load a model"), with the fields its
Go types add (``thinking``, tool-call ``id`` and ``index``, ``logprobs``).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from fluent_ai.providers.ollama import OllamaProtocol
from fluent_ai.types import (
    BadResponseError,
    ChatResponse,
    FinishReason,
    ProviderUnavailableError,
    ResponseStart,
    collect_events,
)

PROTOCOL = OllamaProtocol()
METRICS = {
    "total_duration": 885095291,
    "load_duration": 3753500,
    "prompt_eval_count": 122,
    "prompt_eval_duration": 328493000,
    "eval_count": 33,
    "eval_duration": 552222000,
}


def answer(
    message: dict[str, Any], done_reason: str | None = "stop", **fields: Any
) -> dict[str, Any]:
    body = {"model": "llama3.2", "created_at": "2024-07-22T20:33:28.123648Z", "message": message}
    if done_reason is not None:
        body["done_reason"] = done_reason
    return {**body, "done": True, **METRICS, **fields}


def decode(body: dict[str, Any]) -> ChatResponse:
    return collect_events(PROTOCOL.decode_response(body))


def test_plain_answer_with_usage_from_the_counts() -> None:
    response = decode(answer({"role": "assistant", "content": "Hello! How are you today?"}))
    assert response.text == "Hello! How are you today?"
    assert response.model == "llama3.2"
    assert response.id is None
    assert response.finish_reason is FinishReason.STOP
    assert response.raw_finish_reason == "stop"
    assert response.usage.input_tokens == 122
    assert response.usage.output_tokens == 33
    assert response.usage.details == METRICS
    assert response.extra == {"created_at": "2024-07-22T20:33:28.123648Z"}


def test_tool_calls_arrive_with_their_object_arguments_as_json_text() -> None:
    calls = [
        {
            "id": "call_p7o2gz50",
            "function": {
                "index": 0,
                "name": "get_current_weather",
                "arguments": {"format": "celsius", "location": "Paris, FR"},
            },
        },
        {"function": {"index": 1, "name": "get_time", "arguments": {}}},
    ]
    response = decode(answer({"role": "assistant", "content": "", "tool_calls": calls}))
    first, second = response.tool_calls
    assert first.id == "call_p7o2gz50"
    assert json.loads(first.arguments) == {"format": "celsius", "location": "Paris, FR"}
    assert (second.id, second.name, second.arguments) == ("call_1", "get_time", "{}")
    assert response.text == ""
    assert response.finish_reason is FinishReason.TOOL_CALLS  # Ollama says "stop"
    assert response.raw_finish_reason == "stop"


def test_thinking_comes_before_the_answer() -> None:
    message = {"role": "assistant", "content": "42", "thinking": "Six times seven."}
    response = decode(answer(message))
    assert response.thinking == "Six times seven."
    assert [part.type for part in response.message.parts] == ["thinking", "text"]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [("stop", FinishReason.STOP), ("length", FinishReason.LENGTH), ("load", FinishReason.OTHER)],
)
def test_done_reasons(raw: str, reason: FinishReason) -> None:
    response = decode(answer({"role": "assistant", "content": "x"}, done_reason=raw))
    assert (response.finish_reason, response.raw_finish_reason) == (reason, raw)


def test_a_model_load_has_no_usage_and_no_text() -> None:
    body = {
        "model": "llama3.2",
        "created_at": "2024-09-12T21:17:29.110811Z",
        "message": {"role": "assistant", "content": ""},
        "done_reason": "load",
        "done": True,
    }
    events = PROTOCOL.decode_response(body)
    assert events[0] == ResponseStart(model="llama3.2")
    response = collect_events(events)
    assert response.message.parts == []
    assert response.usage.total_tokens == 0
    assert response.usage.details == {}


def test_an_answer_without_a_done_reason_has_no_finish() -> None:
    response = decode(answer({"role": "assistant", "content": "hi"}, done_reason=None))
    assert response.finish_reason is None


def test_fields_with_no_neutral_home_are_provider_data() -> None:
    logprobs = [{"token": "4", "logprob": -0.01}, {"token": "2", "logprob": -0.2}]
    message = {"role": "assistant", "content": "42", "images": ["aW1n"]}
    body = answer(
        message, logprobs=logprobs, remote_model="gpt-oss:120b", remote_host="https://ollama.com"
    )
    assert decode(body).extra == {
        "created_at": "2024-07-22T20:33:28.123648Z",
        "logprobs": logprobs,
        "remote_model": "gpt-oss:120b",
        "remote_host": "https://ollama.com",
        "images": ["aW1n"],
    }


def test_an_error_body_raises_and_an_unfinished_or_broken_one_is_a_bad_response() -> None:
    with pytest.raises(ProviderUnavailableError, match="runner"):
        decode({"error": "model runner has unexpectedly stopped"})
    with pytest.raises(BadResponseError, match="done"):
        PROTOCOL.decode_response({"model": "m", "message": {"content": "x"}, "done": False})
    with pytest.raises(BadResponseError):
        PROTOCOL.decode_response({"model": "m", "message": {"tool_calls": [{}]}, "done": True})
