"""ChatRequest -> Converse body and path: every part type and every option."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from fluent_ai.providers.bedrock import CONTENT_KEY, BedrockConverseProtocol
from fluent_ai.types import (
    ChatRequest,
    ConfigurationError,
    DocumentPart,
    ImagePart,
    Message,
    ResponseFormat,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolChoice,
    ToolResultPart,
    ToolSpec,
    UnsupportedFeatureError,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
PDF = b"%PDF-1.4 tiny"
PROTOCOL = BedrockConverseProtocol()


def request(*messages: Message, **fields: Any) -> ChatRequest:
    return ChatRequest(model="us.amazon.nova-pro-v1:0", messages=list(messages), **fields)


def encode(*messages: Message, **fields: Any) -> dict[str, Any]:
    return PROTOCOL.encode_request(request(*messages, **fields), stream=False)


def blocks(*parts: Any, role: str = "user") -> list[dict[str, Any]]:
    content: list[dict[str, Any]] = encode(Message(role=role, parts=list(parts)))["messages"][0][
        "content"
    ]
    return content


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_minimal_request_is_just_the_messages() -> None:
    assert encode(Message.user("hi")) == {
        "messages": [{"role": "user", "content": [{"text": "hi"}]}]
    }


def test_path_percent_encodes_the_whole_model_id() -> None:
    assert PROTOCOL.path(request(), stream=False) == "/model/us.amazon.nova-pro-v1%3A0/converse"
    arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-v1:0"
    path = PROTOCOL.path(ChatRequest(model=arn, messages=[]), stream=False)
    assert path == (
        "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile"
        "%2Fus.anthropic.claude-v1%3A0/converse"
    )


def test_streams_go_to_converse_stream_with_the_same_body() -> None:
    path = PROTOCOL.path(request(), stream=True)
    assert path == "/model/us.amazon.nova-pro-v1%3A0/converse-stream"
    assert PROTOCOL.stream_format == "eventstream"  # AWS's binary framing, not SSE
    # The body itself does not change: Converse streams by endpoint, not by a flag.
    hi = request(Message.user("hi"))
    assert PROTOCOL.encode_request(hi, stream=True) == PROTOCOL.encode_request(hi, stream=False)


def test_sampling_settings_go_to_inference_config() -> None:
    body = encode(Message.user("hi"), max_tokens=50, temperature=0.2, top_p=0.9, stop=["END"])
    assert body["inferenceConfig"] == {
        "maxTokens": 50,
        "temperature": 0.2,
        "topP": 0.9,
        "stopSequences": ["END"],
    }


def test_system_prompt_and_leading_system_messages_become_blocks() -> None:
    body = encode(Message.system("Be brief."), Message.user("hi"), system="You are kind.")
    assert body["system"] == [{"text": "You are kind."}, {"text": "Be brief."}]
    assert body["messages"] == [{"role": "user", "content": [{"text": "hi"}]}]


def test_a_system_message_inside_the_conversation_is_refused() -> None:
    with pytest.raises(UnsupportedFeatureError, match="message 1"):
        encode(Message.user("hi"), Message.system("late"))


def test_tool_turns_become_user_turns_and_neighbours_are_joined() -> None:
    call = ToolCallPart(id="t1", name="f", arguments='{"a": 1}')
    body = encode(
        Message.user("go"),
        Message(role="assistant", parts=[call]),
        Message.tool_result("t1", "one"),
        Message.tool_result("t2", "two", is_error=True),
        Message.user("and now?"),
    )
    assert body["messages"] == [
        {"role": "user", "content": [{"text": "go"}]},
        {
            "role": "assistant",
            "content": [{"toolUse": {"toolUseId": "t1", "name": "f", "input": {"a": 1}}}],
        },
        {
            "role": "user",
            "content": [
                {
                    "toolResult": {
                        "toolUseId": "t1",
                        "content": [{"text": "one"}],
                        "status": "success",
                    }
                },
                {
                    "toolResult": {
                        "toolUseId": "t2",
                        "content": [{"text": "two"}],
                        "status": "error",
                    }
                },
                {"text": "and now?"},
            ],
        },
    ]


def test_tool_arguments_must_be_json() -> None:
    assert blocks(ToolCallPart(id="t", name="f", arguments="[1, 2]"), role="assistant") == [
        {"toolUse": {"toolUseId": "t", "name": "f", "input": [1, 2]}}
    ]
    with pytest.raises(UnsupportedFeatureError, match="not JSON"):
        blocks(ToolCallPart(id="t", name="f", arguments='{"cut off'), role="assistant")


def test_images_from_bytes_data_urls_and_s3() -> None:
    inline = {"image": {"format": "png", "source": {"bytes": b64(PNG)}}}
    assert blocks(ImagePart(data=PNG, media_type="image/png", detail="high")) == [inline]
    assert blocks(ImagePart(data=PNG)) == [inline]  # the format read from the bytes
    assert blocks(ImagePart(url=f"data:image/png;base64,{b64(PNG)}")) == [inline]
    webp = b"RIFF\x00\x00\x00\x00WEBPVP8 "
    assert blocks(ImagePart(data=webp))[0]["image"]["format"] == "webp"
    assert blocks(ImagePart(url="s3://bucket/kiwi.jpg")) == [
        {"image": {"format": "jpeg", "source": {"s3Location": {"uri": "s3://bucket/kiwi.jpg"}}}}
    ]


def test_images_bedrock_cannot_take_are_refused() -> None:
    with pytest.raises(UnsupportedFeatureError, match="s3://"):
        blocks(ImagePart(url="https://example.com/cat.png"))
    with pytest.raises(UnsupportedFeatureError, match="image/bmp"):
        blocks(ImagePart(data=b"BM...", media_type="image/bmp"))
    with pytest.raises(UnsupportedFeatureError, match="unknown"):
        blocks(ImagePart(data=b"no magic here"))


def test_documents_get_a_format_and_a_name_bedrock_accepts() -> None:
    assert blocks(DocumentPart(data=PDF, media_type="application/pdf", name="Q3 report")) == [
        {"document": {"format": "pdf", "name": "Q3 report", "source": {"bytes": b64(PDF)}}}
    ]
    text = DocumentPart(data=b"# Notes", media_type="text/markdown", name="notes_v2.final.md")
    assert blocks(text)[0]["document"]["name"] == "notes-v2-final"
    assert blocks(text)[0]["document"]["format"] == "md"
    plain = DocumentPart(data=b"hi", media_type="text/plain; charset=utf-8")
    assert blocks(plain)[0]["document"]["format"] == "txt"
    assert blocks(ImagePart(data=PNG, media_type="image/JPG"))[0]["image"]["format"] == "jpeg"
    s3 = blocks(DocumentPart(url="s3://bucket/a.pdf"))[0]["document"]
    assert s3["source"] == {"s3Location": {"uri": "s3://bucket/a.pdf"}}
    assert s3["format"] == "pdf"


def test_document_names_are_unique_across_the_whole_conversation() -> None:
    body = encode(
        Message.user(DocumentPart(data=PDF), DocumentPart(data=PDF, name="a.pdf")),
        Message.assistant("ok"),
        Message.user(DocumentPart(data=PDF), DocumentPart(data=PDF, name="A")),
    )
    names = [
        block["document"]["name"]
        for message in body["messages"]
        for block in message["content"]
        if "document" in block
    ]
    assert names == ["Document", "a", "Document (2)", "A (2)"]


def test_unknown_document_types_are_refused() -> None:
    with pytest.raises(UnsupportedFeatureError, match="application/zip"):
        blocks(DocumentPart(data=b"PK", media_type="application/zip"))


def test_signed_and_redacted_reasoning_is_sent_back_unsigned_is_not() -> None:
    signed = ThinkingPart(text="hmm", signature="sig")
    assert blocks(signed, TextPart(text="yes"), role="assistant") == [
        {"reasoningContent": {"reasoningText": {"text": "hmm", "signature": "sig"}}},
        {"text": "yes"},
    ]
    assert blocks(ThinkingPart(redacted="b64=="), role="assistant") == [
        {"reasoningContent": {"redactedContent": "b64=="}}
    ]
    assert blocks(
        ThinkingPart(text="from another model"), TextPart(text="hi"), role="assistant"
    ) == [{"text": "hi"}]


def test_tools_and_tool_choice() -> None:
    tools = [
        ToolSpec(name="get_weather", description="Weather for a city", strict=True),
        ToolSpec(name="no_description", parameters={"type": "object"}),
    ]
    body = encode(Message.user("hi"), tools=tools, tool_choice=ToolChoice(mode="required"))
    assert body["toolConfig"] == {
        "tools": [
            {
                "toolSpec": {
                    "name": "get_weather",
                    "description": "Weather for a city",
                    "inputSchema": {"json": {"type": "object", "properties": {}}},
                    "strict": True,
                }
            },
            {"toolSpec": {"name": "no_description", "inputSchema": {"json": {"type": "object"}}}},
        ],
        "toolChoice": {"any": {}},
    }
    choice = encode(Message.user("hi"), tools=tools, tool_choice=ToolChoice(mode="auto"))
    assert choice["toolConfig"]["toolChoice"] == {"auto": {}}
    named = ToolChoice(mode="tool", name="get_weather")
    choice = encode(Message.user("hi"), tools=tools, tool_choice=named)
    assert choice["toolConfig"]["toolChoice"] == {"tool": {"name": "get_weather"}}


def test_tool_choices_converse_cannot_express_are_refused() -> None:
    with pytest.raises(UnsupportedFeatureError, match="'none'"):
        encode(Message.user("hi"), tools=[ToolSpec(name="f")], tool_choice=ToolChoice(mode="none"))
    with pytest.raises(UnsupportedFeatureError, match="name"):
        encode(Message.user("hi"), tools=[ToolSpec(name="f")], tool_choice=ToolChoice(mode="tool"))


def test_json_schema_output_is_sent_as_schema_text() -> None:
    schema = {"type": "object", "properties": {"city": {"type": "string"}}}
    fmt = ResponseFormat(type="json_schema", json_schema=schema, name="place", description="A city")
    output = encode(Message.user("hi"), response_format=fmt)["outputConfig"]
    definition = output["textFormat"]["structure"]["jsonSchema"]
    assert output["textFormat"]["type"] == "json_schema"
    assert json.loads(definition.pop("schema")) == schema
    assert definition == {"name": "place", "description": "A city"}
    assert "outputConfig" not in encode(Message.user("hi"), response_format=ResponseFormat())


def test_output_formats_converse_cannot_express_are_refused() -> None:
    with pytest.raises(UnsupportedFeatureError, match="json_schema"):
        encode(Message.user("hi"), response_format=ResponseFormat(type="json_object"))
    with pytest.raises(UnsupportedFeatureError, match="schema"):
        encode(Message.user("hi"), response_format=ResponseFormat(type="json_schema"))


def test_metadata_goes_to_request_metadata_and_seed_is_refused() -> None:
    body = encode(Message.user("hi"), metadata={"team": "search"})
    assert body["requestMetadata"] == {"team": "search"}
    with pytest.raises(UnsupportedFeatureError, match="seed"):
        encode(Message.user("hi"), seed=7)


def test_extra_fields_merge_into_the_neutral_ones() -> None:
    system_tool = {"systemTool": {"name": "nova_code_interpreter"}}
    body = encode(
        Message.user("hi"),
        max_tokens=100,
        tools=[ToolSpec(name="f")],
        extra={
            "inferenceConfig": {"maxTokens": 200},
            "toolConfig": {"tools": [system_tool]},
            "additionalModelRequestFields": {"thinking": {"type": "enabled"}},
            "performanceConfig": {"latency": "optimized"},
            "promptVariables": {"city": {"text": "Paris"}},
        },
    )
    assert body["inferenceConfig"] == {"maxTokens": 200}
    assert [tool.keys() for tool in body["toolConfig"]["tools"]] == [
        {"toolSpec"},
        {"systemTool"},
    ]
    assert body["additionalModelRequestFields"] == {"thinking": {"type": "enabled"}}
    assert body["performanceConfig"] == {"latency": "optimized"}
    assert body["promptVariables"] == {"city": {"text": "Paris"}}


def test_verbatim_content_replaces_the_message_it_reads_as() -> None:
    cached = [{"text": "long context"}, {"cachePoint": {"type": "default"}}]
    body = encode(
        Message.user("long context"),
        Message.assistant("ok"),
        extra={CONTENT_KEY: [cached]},
    )
    assert body["messages"][0]["content"] == cached
    assert body["messages"][1]["content"] == [{"text": "ok"}]
    assert CONTENT_KEY not in body


def test_an_edited_message_no_longer_matches_its_verbatim_content() -> None:
    cached = [{"text": "old"}, {"cachePoint": {"type": "default"}}]
    body = encode(Message.user("new"), extra={CONTENT_KEY: [cached]})
    assert body["messages"][0]["content"] == [{"text": "new"}]


def test_malformed_verbatim_content_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match=CONTENT_KEY):
        encode(Message.user("hi"), extra={CONTENT_KEY: {"not": "a list"}})


def test_a_tool_result_names_its_call_not_the_tool() -> None:
    result = ToolResultPart(tool_call_id="abc", content='{"t": 20}', name="weather")
    assert blocks(result) == [
        {
            "toolResult": {
                "toolUseId": "abc",
                "content": [{"text": '{"t": 20}'}],
                "status": "success",
            }
        }
    ]
