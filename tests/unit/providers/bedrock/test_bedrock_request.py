"""Converse body -> ChatRequest (the gateway side), and back without loss."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from tests.support.cassettes import cassettes, load

from fluent_ai.providers.bedrock import CONTENT_KEY, BedrockConverseProtocol
from fluent_ai.types import (
    DocumentPart,
    ImagePart,
    InvalidRequestError,
    ResponseFormat,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolChoice,
    ToolResultPart,
    ToolSpec,
)

PROTOCOL = BedrockConverseProtocol()
SERVER_CALL = {
    "toolUse": {
        "toolUseId": "srv_1",
        "name": "nova_code_interpreter",
        "input": {"snippet": "6 * 7"},
        "type": "server_tool_use",
    }
}
SERVER_RESULT = {
    "toolResult": {
        "toolUseId": "srv_1",
        "content": [{"json": {"stdOut": "42", "exitCode": 0}}],
        "type": "nova_code_interpreter_result",
        "status": "success",
    }
}
SCHEMA = {"type": "object", "properties": {"answer": {"type": "integer"}}}

RICH_BODY: dict[str, Any] = {
    "modelId": "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "system": [{"text": "Be kind."}, {"cachePoint": {"type": "default"}}],
    "messages": [
        {
            "role": "user",
            "content": [
                {"text": "Look at these."},
                {"image": {"format": "png", "source": {"bytes": "iVBORw0KGgo="}}},
                {
                    "image": {
                        "format": "jpeg",
                        "source": {"s3Location": {"uri": "s3://b/k.jpg", "bucketOwner": "1234"}},
                    }
                },
                {"document": {"format": "pdf", "name": "Doc", "source": {"bytes": "JVBERi0="}}},
                {"cachePoint": {"type": "default"}},
            ],
        },
        {
            "role": "assistant",
            "content": [
                {"reasoningContent": {"reasoningText": {"text": "hmm", "signature": "sig"}}},
                {"reasoningContent": {"redactedContent": "cmVkYWN0ZWQ="}},
                SERVER_CALL,
                SERVER_RESULT,
                {"toolUse": {"toolUseId": "t1", "name": "lookup", "input": {"q": 1}}},
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "toolResult": {
                        "toolUseId": "t1",
                        "content": [{"text": "found"}],
                        "status": "success",
                    }
                },
                {"text": "and?"},
            ],
        },
        {"role": "assistant", "content": [{"reasoningContent": {"reasoningText": {"text": "r1"}}}]},
        {
            "role": "user",
            "content": [
                {
                    "toolResult": {
                        "toolUseId": "t2",
                        "content": [{"json": {"rows": 3}}],
                        "status": "error",
                    }
                }
            ],
        },
    ],
    "inferenceConfig": {"maxTokens": 512, "temperature": 0.3, "topP": 0.8, "stopSequences": ["X"]},
    "toolConfig": {
        "tools": [
            {
                "toolSpec": {
                    "name": "lookup",
                    "description": "Find things",
                    "inputSchema": {"json": {"type": "object"}},
                }
            },
            {"systemTool": {"name": "nova_code_interpreter"}},
            {"cachePoint": {"type": "default"}},
        ],
        "toolChoice": {"tool": {"name": "lookup"}},
    },
    "outputConfig": {
        "textFormat": {
            "type": "json_schema",
            "structure": {"jsonSchema": {"schema": json.dumps(SCHEMA), "name": "answer"}},
        }
    },
    "requestMetadata": {"team": "search"},
    "additionalModelRequestFields": {"thinking": {"type": "enabled", "budget_tokens": 1024}},
    "additionalModelResponseFieldPaths": ["/stop_sequence"],
    "guardrailConfig": {"guardrailIdentifier": "g", "guardrailVersion": "1"},
    "performanceConfig": {"latency": "optimized"},
    "promptVariables": {"city": {"text": "Paris"}},
}


def roundtrip(body: dict[str, Any]) -> dict[str, Any]:
    return PROTOCOL.encode_request(PROTOCOL.decode_request(body), stream=False)


def without_model(body: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if key != "modelId"}


def test_every_field_survives_decode_and_encode() -> None:
    body = copy.deepcopy(RICH_BODY)
    assert roundtrip(body) == without_model(RICH_BODY)
    assert body == RICH_BODY  # the input is not modified


def test_neutral_fields_are_read() -> None:
    request = PROTOCOL.decode_request(RICH_BODY)
    assert request.model == "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
    assert request.system == "Be kind."
    assert (request.max_tokens, request.temperature, request.top_p) == (512, 0.3, 0.8)
    assert request.stop == ["X"]
    assert request.tools == [
        ToolSpec(name="lookup", description="Find things", parameters={"type": "object"})
    ]
    assert request.tool_choice == ToolChoice(mode="tool", name="lookup")
    assert request.response_format == ResponseFormat(
        type="json_schema", json_schema=SCHEMA, name="answer"
    )
    assert request.metadata == {"team": "search"}
    assert request.extra["additionalModelRequestFields"]["thinking"]["budget_tokens"] == 1024
    assert request.extra["toolConfig"] == {
        "tools": [
            {"systemTool": {"name": "nova_code_interpreter"}},
            {"cachePoint": {"type": "default"}},
        ]
    }


def test_messages_are_read_into_parts() -> None:
    messages = PROTOCOL.decode_request(RICH_BODY).messages
    assert [m.role for m in messages] == ["user", "assistant", "tool", "assistant", "tool"]
    text, image, s3_image, document = messages[0].parts
    assert text == TextPart(text="Look at these.")
    assert isinstance(image, ImagePart)
    assert (image.data, image.media_type) == (b"\x89PNG\r\n\x1a\n", "image/png")
    assert s3_image == ImagePart(url="s3://b/k.jpg", media_type="image/jpeg")
    assert document == DocumentPart(data=b"%PDF-", media_type="application/pdf", name="Doc")
    # Server tool blocks have no part: only the reasoning and our own tool call show.
    assert messages[1].parts == [
        ThinkingPart(text="hmm", signature="sig"),
        ThinkingPart(redacted="cmVkYWN0ZWQ="),
        ToolCallPart(id="t1", name="lookup", arguments='{"q": 1}'),
    ]
    assert messages[2].parts == [
        ToolResultPart(tool_call_id="t1", content="found"),
        TextPart(text="and?"),
    ]
    assert messages[4].parts == [
        ToolResultPart(tool_call_id="t2", content='{"rows": 3}', is_error=True)
    ]


def test_only_messages_without_an_exact_neutral_form_are_kept_verbatim() -> None:
    verbatim = PROTOCOL.decode_request(RICH_BODY).extra[CONTENT_KEY]
    kept = [RICH_BODY["messages"][i]["content"] for i in (0, 1, 3, 4)]
    assert verbatim == kept  # message 2 (a plain result and text) is neutral


def test_a_plain_request_keeps_nothing_in_extra() -> None:
    body = {
        "modelId": "m",
        "system": [{"text": "Be brief."}],
        "messages": [{"role": "user", "content": [{"text": "hi"}]}],
        "inferenceConfig": {"maxTokens": 10},
    }
    request = PROTOCOL.decode_request(body)
    assert request.extra == {}
    assert roundtrip(body) == without_model(body)


def test_empty_system_and_inference_config_come_back_as_they_were() -> None:
    body = {
        "modelId": "m",
        "messages": [{"role": "user", "content": [{"text": "hello"}]}],
        "system": [],
        "inferenceConfig": {},
    }
    request = PROTOCOL.decode_request(body)
    assert request.system is None
    assert roundtrip(body) == without_model(body)


def test_an_output_schema_spelled_differently_is_read_and_kept_whole() -> None:
    text_format = {
        "type": "json_schema",
        "structure": {"jsonSchema": {"schema": '{"type":"object"}'}},
    }
    body = {"modelId": "m", "messages": [], "outputConfig": {"textFormat": text_format}}
    request = PROTOCOL.decode_request(body)
    assert request.response_format == ResponseFormat(
        type="json_schema", json_schema={"type": "object"}
    )
    assert roundtrip(body) == without_model(body)


def test_a_request_without_a_model_or_messages_is_invalid() -> None:
    with pytest.raises(InvalidRequestError, match="modelId") as info:
        PROTOCOL.decode_request({"messages": []})
    assert info.value.status == 400
    with pytest.raises(InvalidRequestError, match="Converse"):
        PROTOCOL.decode_request({"modelId": "m"})


RECORDED = [
    pytest.param(path, index, id=f"{path.stem}#{index}")
    for path in cassettes("bedrock")
    for index, item in enumerate(load(path))
    if item.path.endswith("/converse")
]


def test_recordings_were_found() -> None:
    assert len(RECORDED) > 15


@pytest.mark.parametrize(("path", "index"), RECORDED)
def test_recorded_body_survives_decode_and_encode(path: Path, index: int) -> None:
    item = load(path)[index]
    model = unquote(item.path.split("/")[2])
    request = PROTOCOL.decode_request({**item.request_body, "modelId": model})
    assert request.model == model
    assert PROTOCOL.encode_request(request, stream=False) == item.request_body
    assert PROTOCOL.path(request, stream=False) == item.path
