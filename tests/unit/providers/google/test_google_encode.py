"""ChatRequest -> Gemini generateContent body: every part type, option and refusal."""

from __future__ import annotations

import base64
from typing import Any, Literal

import pytest

from fluent_ai.providers.google import CONTENTS_KEY, GOOGLE, GeminiProtocol, vertex_profile
from fluent_ai.types import (
    ChatRequest,
    ConfigurationError,
    DocumentPart,
    ImagePart,
    Message,
    ResponseFormat,
    Role,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolChoice,
    ToolResultPart,
    ToolSpec,
    UnsupportedFeatureError,
)

PROTOCOL = GeminiProtocol()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8


def encode(*messages: Message, **fields: Any) -> dict[str, Any]:
    request = ChatRequest(model="gemini-2.5-flash", messages=list(messages), **fields)
    return PROTOCOL.encode_request(request, stream=False)


def parts(*message_parts: Any, role: Role = "user") -> list[dict[str, Any]]:
    body = encode(Message(role=role, parts=list(message_parts)))
    content: list[dict[str, Any]] = body["contents"][0]["parts"]
    return content


def test_path_names_the_model_and_streams_by_url() -> None:
    request = ChatRequest(model="gemini-2.5-flash", messages=[Message.user("hi")])
    assert PROTOCOL.path(request, stream=False) == "/models/gemini-2.5-flash:generateContent"
    assert (
        PROTOCOL.path(request, stream=True)
        == "/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
    )
    tuned = request.model_copy(update={"model": "tunedModels/my-model"})
    assert PROTOCOL.path(tuned, stream=False) == "/tunedModels/my-model:generateContent"
    named_by_url = request.model_copy(update={"model": ""})
    assert PROTOCOL.path(named_by_url, stream=False) == ":generateContent"
    assert PROTOCOL.encode_request(request, stream=True) == PROTOCOL.encode_request(
        request, stream=False
    )


def test_text_conversation_and_system_instruction() -> None:
    body = encode(
        Message.system("Be brief."),
        Message.user("Hello"),
        Message.assistant("Hi!"),
        Message.user("Bye"),
        system="You are a chatbot.",
    )
    assert body == {
        "contents": [
            {"role": "user", "parts": [{"text": "Hello"}]},
            {"role": "model", "parts": [{"text": "Hi!"}]},
            {"role": "user", "parts": [{"text": "Bye"}]},
        ],
        "systemInstruction": {
            "role": "user",
            "parts": [{"text": "You are a chatbot.\n\nBe brief."}],
        },
    }


def test_a_system_message_inside_the_conversation_is_refused() -> None:
    with pytest.raises(UnsupportedFeatureError, match="system"):
        encode(Message.user("a"), Message.system("late"), Message.user("b"))


def test_images_and_documents_inline_and_by_url() -> None:
    wire = parts(
        ImagePart(data=PNG),
        ImagePart(data=PNG, media_type="image/webp"),
        ImagePart(url="data:image/gif;base64,R0lGODlh"),
        ImagePart(url="https://example.com/cat.jpg", detail="high"),
        DocumentPart(data=b"%PDF-1.4 ...", name="report.pdf"),
        DocumentPart(data=b"plain words", media_type="text/plain"),
        DocumentPart(url="gs://bucket/paper.pdf"),
        DocumentPart(url="https://youtu.be/abc", media_type="video/mp4"),
        DocumentPart(url="https://example.com/no-extension"),
    )
    encoded_png = base64.b64encode(PNG).decode()
    assert wire == [
        {"inlineData": {"mimeType": "image/png", "data": encoded_png}},
        {"inlineData": {"mimeType": "image/webp", "data": encoded_png}},
        {"inlineData": {"mimeType": "image/gif", "data": "R0lGODlh"}},
        {"fileData": {"fileUri": "https://example.com/cat.jpg", "mimeType": "image/jpeg"}},
        {"inlineData": {"mimeType": "application/pdf", "data": "JVBERi0xLjQgLi4u"}},
        {"inlineData": {"mimeType": "text/plain", "data": "cGxhaW4gd29yZHM="}},
        {"fileData": {"fileUri": "gs://bucket/paper.pdf", "mimeType": "application/pdf"}},
        {"fileData": {"fileUri": "https://youtu.be/abc", "mimeType": "video/mp4"}},
        {"fileData": {"fileUri": "https://example.com/no-extension"}},
    ]


def test_inline_data_of_unknown_type_is_refused() -> None:
    with pytest.raises(UnsupportedFeatureError, match="media type"):
        parts(DocumentPart(data=b"???"))
    with pytest.raises(UnsupportedFeatureError, match="base64"):
        parts(ImagePart(url="data:image/svg+xml,<svg/>"))


def test_tool_calls_and_results_carry_ids_and_names() -> None:
    body = encode(
        Message.user("weather?"),
        Message(
            role="assistant",
            parts=[
                ToolCallPart(id="c1", name="weather", arguments='{"city": "Paris"}'),
                ToolCallPart(id="c2", name="time", arguments=""),
            ],
        ),
        Message.tool_result("c1", "sunny"),
        Message.tool_result("c2", "no clock", name="time", is_error=True),
    )
    assert body["contents"][1:] == [
        {
            "role": "model",
            "parts": [
                {"functionCall": {"id": "c1", "name": "weather", "args": {"city": "Paris"}}},
                {"functionCall": {"id": "c2", "name": "time", "args": {}}},
            ],
        },
        {
            "role": "user",
            "parts": [
                # The name is found from the call the result answers.
                {
                    "functionResponse": {
                        "id": "c1",
                        "name": "weather",
                        "response": {"output": "sunny"},
                    }
                },
                {
                    "functionResponse": {
                        "id": "c2",
                        "name": "time",
                        "response": {"error": "no clock"},
                    }
                },
            ],
        },
    ]


def test_a_result_without_a_name_or_call_and_non_object_arguments_are_refused() -> None:
    with pytest.raises(UnsupportedFeatureError, match="name"):
        parts(ToolResultPart(tool_call_id="nowhere", content="x"))
    with pytest.raises(UnsupportedFeatureError, match="JSON object"):
        parts(ToolCallPart(id="c", name="f", arguments="[1, 2]"), role="assistant")


def test_thinking_and_signatures_go_back_where_gemini_put_them() -> None:
    wire = parts(
        ThinkingPart(text="Let me think.", signature="sig-text"),
        TextPart(text="Paris."),
        ThinkingPart(signature="sig-call"),
        ToolCallPart(id="c1", name="f", arguments="{}"),
        ToolCallPart(id="c2", name="g", arguments="{}"),
        ThinkingPart(signature="sig-first"),
        ThinkingPart(text="More thought."),
        TextPart(text="Done."),
        ThinkingPart(signature="sig-end"),
        ThinkingPart(text="redacted elsewhere", redacted="opaque"),
        role="assistant",
    )
    assert wire == [
        {"text": "Let me think.", "thought": True},
        {"text": "Paris.", "thoughtSignature": "sig-text"},
        {"functionCall": {"id": "c1", "name": "f", "args": {}}, "thoughtSignature": "sig-call"},
        {"functionCall": {"id": "c2", "name": "g", "args": {}}},
        {"text": "More thought.", "thought": True, "thoughtSignature": "sig-first"},
        {"text": "Done."},
        {"text": "", "thoughtSignature": "sig-end"},
    ]


def test_two_signatures_in_a_row_each_keep_a_part() -> None:
    wire = parts(ThinkingPart(signature="a"), ThinkingPart(signature="b"), role="assistant")
    assert wire == [{"text": "", "thoughtSignature": "a"}, {"text": "", "thoughtSignature": "b"}]


def test_consecutive_tool_messages_join_into_one_user_turn() -> None:
    call = [ToolCallPart(id="a", name="f"), ToolCallPart(id="b", name="f")]
    body = encode(
        Message(role="assistant", parts=list(call)),
        Message.tool_result("a", "1"),
        Message.tool_result("b", "2"),
        Message.user("thanks"),
    )
    assert [c["role"] for c in body["contents"]] == ["model", "user", "user"]
    assert len(body["contents"][1]["parts"]) == 2


def test_generation_settings_and_json_output() -> None:
    body = encode(
        Message.user("hi"),
        temperature=0.2,
        top_p=0.9,
        max_tokens=100,
        stop=["END"],
        seed=7,
        response_format=ResponseFormat(type="json_schema", json_schema={"type": "object"}),
        extra={"generationConfig": {"topK": 40, "thinkingConfig": {"thinkingBudget": 0}}},
    )
    assert body["generationConfig"] == {
        "temperature": 0.2,
        "topP": 0.9,
        "maxOutputTokens": 100,
        "stopSequences": ["END"],
        "seed": 7,
        "responseMimeType": "application/json",
        "responseJsonSchema": {"type": "object"},
        "topK": 40,
        "thinkingConfig": {"thinkingBudget": 0},
    }
    json_mode = encode(Message.user("hi"), response_format=ResponseFormat(type="json_object"))
    assert json_mode["generationConfig"] == {"responseMimeType": "application/json"}
    assert "generationConfig" not in encode(
        Message.user("hi"), response_format=ResponseFormat(type="text")
    )
    with pytest.raises(UnsupportedFeatureError, match="schema"):
        encode(Message.user("hi"), response_format=ResponseFormat(type="json_schema"))


def test_tools_tool_choice_and_gemini_tools_from_extra() -> None:
    spec = ToolSpec(name="weather", description="Weather for a city", parameters={"type": "object"})
    body = encode(
        Message.user("hi"),
        tools=[spec],
        tool_choice=ToolChoice(mode="tool", name="weather"),
        extra={"tools": [{"googleSearch": {}}], "toolConfig": {"retrievalConfig": {}}},
    )
    assert body["tools"] == [
        {
            "functionDeclarations": [
                {
                    "name": "weather",
                    "description": "Weather for a city",
                    "parametersJsonSchema": {"type": "object"},
                }
            ]
        },
        {"googleSearch": {}},
    ]
    assert body["toolConfig"] == {
        "functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["weather"]},
        "retrievalConfig": {},
    }


@pytest.mark.parametrize(
    ("mode", "wire"), [("auto", "AUTO"), ("none", "NONE"), ("required", "ANY")]
)
def test_tool_choice_modes(mode: Literal["auto", "none", "required"], wire: str) -> None:
    body = encode(Message.user("hi"), tool_choice=ToolChoice(mode=mode))
    assert body["toolConfig"] == {"functionCallingConfig": {"mode": wire}}


def test_a_declaration_in_extra_replaces_the_neutral_one_of_that_name() -> None:
    own = {"name": "f", "parameters": {"type": "OBJECT"}}
    body = encode(
        Message.user("hi"),
        tools=[ToolSpec(name="f"), ToolSpec(name="g")],
        extra={"tools": [{"functionDeclarations": [own]}]},
    )
    names = [[d["name"] for d in tool["functionDeclarations"]] for tool in body["tools"]]
    assert names == [["g"], ["f"]]


def test_unsupported_requests_are_refused_before_sending() -> None:
    with pytest.raises(UnsupportedFeatureError, match="metadata") as info:
        encode(Message.user("hi"), metadata={"user": "u1"})
    assert info.value.provider == "google"
    with pytest.raises(UnsupportedFeatureError, match="strict"):
        encode(Message.user("hi"), tools=[ToolSpec(name="f", strict=True)])
    with pytest.raises(UnsupportedFeatureError, match="name"):
        encode(Message.user("hi"), tool_choice=ToolChoice(mode="tool"))
    vertex = GeminiProtocol("google-vertex")
    request = ChatRequest(model="m", messages=[Message.user("hi")], metadata={"a": 1})
    with pytest.raises(UnsupportedFeatureError) as info:
        vertex.encode_request(request, stream=False)
    assert info.value.provider == "google-vertex"


def test_verbatim_contents_replace_the_messages_they_match() -> None:
    spelled = {
        "role": "model",
        "parts": [
            {"executableCode": {"language": "PYTHON", "code": "print(2 + 2)"}},
            {"codeExecutionResult": {"outcome": "OUTCOME_OK", "output": "4\n"}},
            {"text": "It is 4."},
        ],
    }
    body = encode(
        Message.user("2+2?"),
        Message.assistant("It is 4."),
        Message.user("and 3+3?"),
        extra={CONTENTS_KEY: [spelled]},
    )
    assert body["contents"][1] == spelled
    assert CONTENTS_KEY not in body
    edited = encode(
        Message.user("2+2?"), Message.assistant("It is four."), extra={CONTENTS_KEY: [spelled]}
    )
    assert edited["contents"][1] == {"role": "model", "parts": [{"text": "It is four."}]}
    with pytest.raises(ConfigurationError):
        encode(Message.user("hi"), extra={CONTENTS_KEY: "nope"})


def test_extra_fields_are_sent_as_given() -> None:
    safety = [{"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "BLOCK_LOW_AND_ABOVE"}]
    body = encode(
        Message.user("hi"),
        system="plain",
        extra={"safetySettings": safety, "cachedContent": "cachedContents/abc"},
    )
    assert body["safetySettings"] == safety
    assert body["cachedContent"] == "cachedContents/abc"


def test_profiles(monkeypatch: pytest.MonkeyPatch) -> None:
    assert GOOGLE.base_url == "https://generativelanguage.googleapis.com/v1beta"
    assert GOOGLE.api_key_env == "GEMINI_API_KEY"
    assert GOOGLE.auth_headers("AIzaKEY") == {"x-goog-api-key": "AIzaKEY"}
    vertex = vertex_profile("my-project", "europe-west4")
    assert vertex.name == "google-vertex"
    assert vertex.base_url == (
        "https://europe-west4-aiplatform.googleapis.com/v1beta1/projects/my-project"
        "/locations/europe-west4/publishers/google"
    )
    assert vertex.auth_headers("ya29.token") == {"authorization": "Bearer ya29.token"}
    assert vertex.api_key_env == "GOOGLE_VERTEX_TOKEN"
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "from-env")
    monkeypatch.delenv("GOOGLE_CLOUD_LOCATION", raising=False)
    assert vertex_profile().base_url == (
        "https://aiplatform.googleapis.com/v1beta1/projects/from-env"
        "/locations/global/publishers/google"
    )
    monkeypatch.delenv("GOOGLE_CLOUD_PROJECT")
    with pytest.raises(ConfigurationError, match="GOOGLE_CLOUD_PROJECT"):
        vertex_profile()
