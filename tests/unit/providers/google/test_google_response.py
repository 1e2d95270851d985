"""Whole Gemini responses -> events -> ChatResponse: parts, ids, usage, finish, extras."""

from __future__ import annotations

from typing import Any

import pytest

from fluent_ai.providers.google import CONTENTS_KEY, GeminiProtocol
from fluent_ai.types import (
    BadResponseError,
    ChatRequest,
    ChatResponse,
    ContentFilteredError,
    FinishReason,
    Message,
    ResponseStart,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    collect_events,
)

PROTOCOL = GeminiProtocol()


def response(*parts: dict[str, Any], finish: str = "STOP", **fields: Any) -> dict[str, Any]:
    candidate = {"content": {"role": "model", "parts": list(parts)}, "finishReason": finish}
    candidate.update(fields.pop("candidate", {}))
    body = {
        "candidates": [candidate],
        "modelVersion": "gemini-2.5-flash",
        "responseId": "resp1",
        "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 5},
    }
    body.update(fields)
    return body


def decode(body: dict[str, Any]) -> ChatResponse:
    return collect_events(PROTOCOL.decode_response(body))


def sent_back(answer: ChatResponse) -> list[dict[str, Any]]:
    """The model turn a chat loop would send next, with the answer as it was collected."""
    request = ChatRequest(model="m", messages=[Message.user("q"), answer.message])
    contents: list[dict[str, Any]] = PROTOCOL.encode_request(request, stream=False)["contents"]
    parts: list[dict[str, Any]] = contents[1]["parts"]
    return parts


def test_text_answer_with_start_and_usage() -> None:
    events = PROTOCOL.decode_response(response({"text": "Hello"}, {"text": " there"}))
    assert events[0] == ResponseStart(id="resp1", model="gemini-2.5-flash")
    answer = collect_events(events)
    assert answer.message.parts == [TextPart(text="Hello there")]
    assert (answer.finish_reason, answer.raw_finish_reason) == (FinishReason.STOP, "STOP")
    assert (answer.usage.input_tokens, answer.usage.output_tokens) == (10, 5)


def test_usage_counts_thoughts_as_output_and_tool_prompts_as_input() -> None:
    usage = {
        "promptTokenCount": 100,
        "cachedContentTokenCount": 60,
        "candidatesTokenCount": 20,
        "thoughtsTokenCount": 30,
        "toolUsePromptTokenCount": 7,
        "totalTokenCount": 157,
        "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 100}],
        "serviceTier": "standard",
    }
    answer = decode(response({"text": "x"}, usageMetadata=usage))
    assert answer.usage.input_tokens == 107
    assert answer.usage.output_tokens == 50
    assert answer.usage.reasoning_tokens == 30
    assert answer.usage.cache_read_tokens == 60
    assert answer.usage.total_tokens == usage["totalTokenCount"]
    assert answer.usage.details == {
        "toolUsePromptTokenCount": 7,
        "totalTokenCount": 157,
        "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 100}],
        "serviceTier": "standard",
    }


def test_thoughts_and_signatures_survive_the_next_turn() -> None:
    parts: list[dict[str, Any]] = [
        {"text": "Thinking it over.", "thought": True},
        {"text": "Paris.", "thoughtSignature": "c2lnMQ=="},
        {"text": "", "thoughtSignature": "c2lnMg=="},
    ]
    answer = decode(response(*parts))
    assert answer.thinking == "Thinking it over."
    assert answer.text == "Paris."
    assert answer.message.parts == [
        ThinkingPart(text="Thinking it over.", signature="c2lnMQ=="),
        TextPart(text="Paris."),
        ThinkingPart(signature="c2lnMg=="),
    ]
    assert sent_back(answer) == parts


def test_function_calls_get_stable_ids_and_keep_their_signature() -> None:
    parts: list[dict[str, Any]] = [
        {"functionCall": {"name": "weather", "args": {"city": "Paris"}}, "thoughtSignature": "s"},
        {"functionCall": {"name": "time", "args": {}}},
        {"functionCall": {"name": "weather", "args": {"city": "Rome"}, "id": "given"}},
    ]
    answer = decode(response(*parts))
    assert answer.finish_reason == FinishReason.TOOL_CALLS
    assert answer.tool_calls == [
        ToolCallPart(id="call-resp1-0", name="weather", arguments='{"city": "Paris"}'),
        ToolCallPart(id="call-resp1-1", name="time", arguments="{}"),
        ToolCallPart(id="given", name="weather", arguments='{"city": "Rome"}'),
    ]
    assert decode(response(*parts)).tool_calls == answer.tool_calls  # the same every time
    back = sent_back(answer)
    assert back[0] == {
        "functionCall": {"id": "call-resp1-0", "name": "weather", "args": {"city": "Paris"}},
        "thoughtSignature": "s",
    }
    assert [part["functionCall"]["id"] for part in back] == [
        "call-resp1-0",
        "call-resp1-1",
        "given",
    ]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("MAX_TOKENS", FinishReason.LENGTH),
        ("SAFETY", FinishReason.CONTENT_FILTER),
        ("RECITATION", FinishReason.CONTENT_FILTER),
        ("BLOCKLIST", FinishReason.CONTENT_FILTER),
        ("PROHIBITED_CONTENT", FinishReason.CONTENT_FILTER),
        ("SPII", FinishReason.CONTENT_FILTER),
        ("IMAGE_SAFETY", FinishReason.CONTENT_FILTER),
        ("MALFORMED_FUNCTION_CALL", FinishReason.ERROR),
        ("UNEXPECTED_TOOL_CALL", FinishReason.ERROR),
        ("LANGUAGE", FinishReason.OTHER),
        ("OTHER", FinishReason.OTHER),
        ("SOMETHING_NEW", FinishReason.OTHER),
    ],
)
def test_finish_reasons(raw: str, reason: FinishReason) -> None:
    answer = decode(response(finish=raw))
    assert (answer.finish_reason, answer.raw_finish_reason) == (reason, raw)


def test_a_blocked_prompt_is_a_content_filter_error() -> None:
    body = {
        "promptFeedback": {"blockReason": "SAFETY", "safetyRatings": []},
        "usageMetadata": {"promptTokenCount": 8},
        "modelVersion": "gemini-2.5-flash",
    }
    with pytest.raises(ContentFilteredError, match="SAFETY") as info:
        decode(body)
    assert (info.value.provider, info.value.code) == ("google", "SAFETY")


def test_fields_without_a_neutral_home_arrive_as_extra() -> None:
    grounding = {"webSearchQueries": ["weather"], "groundingChunks": [{"web": {"uri": "u"}}]}
    other = {"content": {"parts": [{"text": "alt"}]}, "index": 1}
    body = response(
        {"text": "Sunny."},
        candidate={
            "index": 0,
            "groundingMetadata": grounding,
            "citationMetadata": {"citationSources": [{"uri": "c"}]},
            "safetyRatings": [{"category": "HARM_CATEGORY_HATE_SPEECH", "probability": "LOW"}],
            "finishMessage": "done",
            "avgLogprobs": -0.1,
            "urlContextMetadata": {},
        },
        createTime="2026-01-01T00:00:00Z",
    )
    body["candidates"].append(other)
    answer = decode(body)
    assert answer.text == "Sunny."
    assert answer.extra == {
        "groundingMetadata": grounding,
        "citationMetadata": {"citationSources": [{"uri": "c"}]},
        "safetyRatings": [{"category": "HARM_CATEGORY_HATE_SPEECH", "probability": "LOW"}],
        "finishMessage": "done",
        "avgLogprobs": -0.1,
        "createTime": "2026-01-01T00:00:00Z",
        "candidates": [other],
    }


def test_code_execution_content_is_kept_whole_and_sent_back() -> None:
    parts: list[dict[str, Any]] = [
        {"text": "Let me compute."},
        {"executableCode": {"language": "PYTHON", "code": "print(2 + 2)"}},
        {"codeExecutionResult": {"outcome": "OUTCOME_OK", "output": "4\n"}},
        {"functionCall": {"name": "report", "args": {"n": 4}}},
    ]
    answer = decode(response(*parts))
    assert answer.text == "Let me compute."
    kept = answer.extra[CONTENTS_KEY]
    assert kept == [
        {
            "role": "model",
            "parts": [
                *parts[:3],
                {"functionCall": {"name": "report", "args": {"n": 4}, "id": "call-resp1-0"}},
            ],
        }
    ]
    request = ChatRequest(
        model="m",
        messages=[Message.user("2+2?"), answer.message, Message.tool_result("call-resp1-0", "ok")],
        extra={CONTENTS_KEY: kept},
    )
    contents = PROTOCOL.encode_request(request, stream=False)["contents"]
    assert contents[1] == kept[0]
    assert contents[2]["parts"][0]["functionResponse"]["id"] == "call-resp1-0"


def test_an_empty_candidate_cut_by_max_tokens() -> None:
    body = {
        "candidates": [{"content": {"role": "model"}, "finishReason": "MAX_TOKENS"}],
        "usageMetadata": {"promptTokenCount": 15, "thoughtsTokenCount": 2},
    }
    answer = decode(body)
    assert answer.message.parts == []
    assert answer.finish_reason == FinishReason.LENGTH
    assert answer.usage.output_tokens == 2


def test_a_malformed_response_is_a_bad_response() -> None:
    with pytest.raises(BadResponseError):
        PROTOCOL.decode_response({"candidates": [{"content": {"parts": [{"functionCall": {}}]}}]})
