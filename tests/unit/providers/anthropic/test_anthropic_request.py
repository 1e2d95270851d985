"""Anthropic body -> ChatRequest (the gateway side), and content with no neutral part."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from fluent_ai.providers.anthropic import CONTENT_KEY, AnthropicProtocol
from fluent_ai.types import (
    ChatRequest,
    DocumentPart,
    ImagePart,
    InvalidRequestError,
    Message,
    ResponseFormat,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolChoice,
    ToolResultPart,
    ToolSpec,
    collect_events,
)

PROTOCOL = AnthropicProtocol()
SEARCH = {"type": "server_tool_use", "id": "srv_1", "name": "web_search", "input": {"q": "x"}}
RESULTS = {"type": "web_search_tool_result", "tool_use_id": "srv_1", "content": []}
CITED = {"type": "text", "text": "It is sunny.", "citations": [{"type": "x", "url": "u"}]}

RICH_BODY: dict[str, Any] = {
    "model": "claude-sonnet-4-5",
    "max_tokens": 1024,
    "stream": True,
    "system": [{"type": "text", "text": "Be kind.", "cache_control": {"type": "ephemeral"}}],
    "temperature": 0.5,
    "top_k": 40,
    "stop_sequences": ["END"],
    "metadata": {"user_id": "u1"},
    "thinking": {"type": "enabled", "budget_tokens": 2000},
    "messages": [
        {"role": "user", "content": [{"type": "text", "text": "Weather?"}]},
        {
            "role": "assistant",
            "content": [
                {"type": "thinking", "thinking": "search", "signature": "sig"},
                SEARCH,
                RESULTS,
                CITED,
                {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {"a": 1}},
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "toolu_1",
                    "content": [{"type": "image", "source": {"type": "url", "url": "https://i"}}],
                    "is_error": False,
                },
                {"type": "text", "text": "and?", "cache_control": {"type": "ephemeral"}},
            ],
        },
    ],
    "tools": [
        {"name": "f", "description": "", "input_schema": {"type": "object"}},
        {"type": "web_search_20250305", "name": "web_search", "max_uses": None},
        {"name": "g", "description": "", "input_schema": {"type": "object"}},
    ],
    "tool_choice": {"type": "auto", "disable_parallel_tool_use": True},
    "output_config": {"format": {"type": "json_schema", "schema": {}}, "effort": "high"},
}


def roundtrip(body: dict[str, Any]) -> dict[str, Any]:
    request = PROTOCOL.decode_request(copy.deepcopy(body))
    return PROTOCOL.encode_request(request, stream=bool(body.get("stream")))


def test_every_key_survives_decode_then_encode() -> None:
    assert roundtrip(RICH_BODY) == RICH_BODY


def test_neutral_reading_of_a_rich_body() -> None:
    request = PROTOCOL.decode_request(RICH_BODY)
    assert request.system == "Be kind."
    assert (request.max_tokens, request.temperature, request.stop) == (1024, 0.5, ["END"])
    assert request.metadata == {"user_id": "u1"}
    assert request.tools == [ToolSpec(name="f", parameters={"type": "object"})]
    assert request.tool_choice == ToolChoice(mode="auto")
    assert request.response_format == ResponseFormat(type="json_schema", json_schema={})
    assert [m.role for m in request.messages] == ["user", "assistant", "tool"]
    assert request.messages[1].parts == [
        ThinkingPart(text="search", signature="sig"),
        TextPart(text="It is sunny."),
        ToolCallPart(id="toolu_1", name="f", arguments='{"a": 1}'),
    ]
    assert request.messages[2].parts == [
        ToolResultPart(tool_call_id="toolu_1", content=""),
        TextPart(text="and?"),
    ]
    assert request.extra["top_k"] == 40
    assert request.extra["tool_choice"] == {"disable_parallel_tool_use": True}
    assert request.extra["output_config"] == {"effort": "high"}
    assert [t["name"] for t in request.extra["tools"]] == ["web_search", "g"]
    # Only the two messages whose blocks have no exact neutral form are kept verbatim.
    verbatim = request.extra[CONTENT_KEY]
    assert verbatim == [RICH_BODY["messages"][1]["content"], RICH_BODY["messages"][2]["content"]]


def test_plain_bodies_need_no_verbatim_content() -> None:
    body = {
        "model": "m",
        "max_tokens": 10,
        "system": "sys",
        "messages": [
            {"role": "user", "content": "hello"},
            {"role": "assistant", "content": [{"type": "text", "text": "hi"}]},
        ],
    }
    request = PROTOCOL.decode_request(body)
    assert request.extra == {}
    assert request.messages[0] == Message.user("hello")
    # A string is the API's shorthand for one text block; it comes back as the block.
    assert roundtrip(body)["messages"][0]["content"] == [{"type": "text", "text": "hello"}]


def test_media_blocks_read_as_parts() -> None:
    body = {
        "model": "m",
        "max_tokens": 10,
        "messages": [
            {
                "role": "user",
                "content": [
                    {
                        "type": "image",
                        "source": {"type": "base64", "media_type": "image/gif", "data": "R0lG"},
                    },
                    {
                        "type": "document",
                        "source": {"type": "text", "media_type": "text/plain", "data": "abc"},
                        "title": "notes",
                    },
                ],
            }
        ],
    }
    request = PROTOCOL.decode_request(body)
    assert request.messages[0].parts == [
        ImagePart(data=b"GIF", media_type="image/gif"),
        DocumentPart(data=b"abc", media_type="text/plain", name="notes"),
    ]
    assert request.extra == {}
    assert roundtrip(body) == {**body, "stream": False}


def test_a_body_that_is_not_a_request_is_an_invalid_request() -> None:
    with pytest.raises(InvalidRequestError, match="not an Anthropic Messages request"):
        PROTOCOL.decode_request({"model": "m"})


ANSWER = {
    "id": "msg_1",
    "type": "message",
    "role": "assistant",
    "model": "claude-sonnet-4-5",
    "content": [
        {"type": "text", "text": "Let me look. "},
        SEARCH,
        RESULTS,
        {"type": "text", "text": "Found: "},
        CITED,
    ],
    "stop_reason": "end_turn",
    "usage": {"input_tokens": 10, "output_tokens": 5},
}


def next_turn(response_extra: dict[str, Any], *messages: Message) -> list[dict[str, Any]]:
    request = ChatRequest(model="m", messages=list(messages), extra=response_extra)
    messages_out: list[dict[str, Any]] = PROTOCOL.encode_request(request, stream=False)["messages"]
    return messages_out


def test_an_answer_with_server_blocks_is_sent_back_verbatim() -> None:
    response = collect_events(PROTOCOL.decode_response(ANSWER))
    assert response.text == "Let me look. \n\nFound: It is sunny."  # apart across the search
    assert response.extra[CONTENT_KEY] == [ANSWER["content"]]
    sent = next_turn(
        {CONTENT_KEY: response.extra[CONTENT_KEY]},
        Message.user("Weather?"),
        response.message,
        Message.user("Thanks!"),
    )
    assert sent[1] == {"role": "assistant", "content": ANSWER["content"]}
    assert sent[2]["content"] == [{"type": "text", "text": "Thanks!"}]


def test_an_edited_message_is_sent_as_its_parts_say() -> None:
    response = collect_events(PROTOCOL.decode_response(ANSWER))
    edited = Message.assistant("Sunny.")
    sent = next_turn({CONTENT_KEY: response.extra[CONTENT_KEY]}, Message.user("Weather?"), edited)
    assert sent[1]["content"] == [{"type": "text", "text": "Sunny."}]


def test_content_for_a_dropped_message_is_skipped() -> None:
    stale = [[{"type": "text", "text": "gone", "citations": []}]]
    response = collect_events(PROTOCOL.decode_response(ANSWER))
    sent = next_turn(
        {CONTENT_KEY: stale + response.extra[CONTENT_KEY]},
        Message.user("Weather?"),
        response.message,
    )
    assert sent[1]["content"] == ANSWER["content"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tools", [{"type": "memory_20250818", "name": "memory"}]),
        ("tool_choice", {"type": "a_future_choice"}),
        ("output_config", {"format": {"type": "json_schema", "schema": {}, "x": 1}}),
        ("system", [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]),
        ("mcp_servers", [{"type": "url", "url": "https://mcp", "name": "m"}]),
    ],
)
def test_fields_without_a_neutral_form_stay_as_they_came(field: str, value: Any) -> None:
    body = {"model": "m", "max_tokens": 5, "stream": False, "messages": [], field: value}
    request = PROTOCOL.decode_request(body)
    assert request.extra[field] == value
    assert request.tools is None
    assert roundtrip(body) == body
