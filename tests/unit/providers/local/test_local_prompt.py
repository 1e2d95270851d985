"""ChatRequest -> chat-template messages, and what the local model refuses up front."""

from __future__ import annotations

import json

import pytest

from fluent_ai.providers.local.prompt import template_messages
from fluent_ai.types import (
    ChatRequest,
    DocumentPart,
    ImagePart,
    Message,
    ResponseFormat,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolChoice,
    ToolSpec,
    UnsupportedFeatureError,
)


def convert(*messages: Message, **options: object) -> list[dict[str, str]]:
    request = ChatRequest(model="smollm2", messages=list(messages), **options)
    return template_messages(request, "smollm2-135m-instruct")


def test_plain_turns_keep_their_roles_and_order() -> None:
    turns = convert(Message.user("Hi"), Message.assistant("Hello!"), Message.user("Bye"))
    assert turns == [
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello!"},
        {"role": "user", "content": "Bye"},
    ]


def test_without_a_system_prompt_none_is_added() -> None:
    """The model's own template then supplies its default system prompt."""
    assert convert(Message.user("Hi"))[0]["role"] == "user"


def test_every_system_text_is_merged_into_one_leading_message() -> None:
    turns = convert(
        Message.user("Hi"),
        Message.system("Answer in French."),
        system="You are terse.",
    )
    assert turns == [
        {"role": "system", "content": "You are terse.\n\nAnswer in French."},
        {"role": "user", "content": "Hi"},
    ]


def test_text_parts_are_separate_blocks_and_thinking_is_dropped() -> None:
    assistant = Message(
        role="assistant",
        parts=[ThinkingPart(text="let me think", signature="sig"), TextPart(text="Four.")],
    )
    turns = convert(Message.user("Notes:", "What is 2+2?"), assistant)
    assert turns[0]["content"] == "Notes:\n\nWhat is 2+2?"
    assert turns[1] == {"role": "assistant", "content": "Four."}


@pytest.mark.parametrize(
    ("message", "word"),
    [
        (Message.user("look", ImagePart(data=b"\x89PNG", media_type="image/png")), "images"),
        (Message.user(DocumentPart(url="https://example.com/a.pdf")), "documents"),
    ],
)
def test_parts_the_model_cannot_read_are_refused(message: Message, word: str) -> None:
    with pytest.raises(UnsupportedFeatureError, match=word) as caught:
        convert(Message.user("Hi"), message)
    assert caught.value.provider == "local"


def test_tools_are_offered_in_the_system_text_unless_the_model_may_not_call_them() -> None:
    tool = ToolSpec(name="get_weather", description="Weather in a city.")
    offered = convert(Message.user("Hi"), tools=[tool], system="Be brief.")
    assert offered[0]["role"] == "system"
    assert offered[0]["content"].startswith("Be brief.\n\n")
    assert '"name": "get_weather", "description": "Weather in a city."' in offered[0]["content"]
    assert "plain text" in offered[0]["content"]  # auto: text is allowed too
    required = convert(Message.user("Hi"), tools=[tool], tool_choice=ToolChoice(mode="required"))
    assert "plain text" not in required[0]["content"]
    hidden = convert(Message.user("Hi"), tools=[tool], tool_choice=ToolChoice(mode="none"))
    assert hidden == [{"role": "user", "content": "Hi"}]


def test_calls_and_their_results_are_written_into_alternating_turns() -> None:
    calls = Message(
        role="assistant",
        parts=[
            ToolCallPart(id="c1", name="add", arguments='{"a": 1}'),
            ToolCallPart(id="c2", name="neg", arguments="not json"),
        ],
    )
    turns = convert(
        Message.user("Hi"),
        calls,
        Message.tool_result("c1", "2"),
        Message.tool_result("c2", "boom", is_error=True),
    )
    assert turns == [
        {"role": "user", "content": "Hi"},
        {
            "role": "assistant",
            "content": '[{"name": "add", "arguments": {"a": 1}}, '
            '{"name": "neg", "arguments": "not json"}]',
        },
        {"role": "user", "content": "The tool add returned:\n2\n\nThe tool neg failed:\nboom"},
    ]


def test_structured_output_describes_the_json_it_wants() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}}
    turns = convert(
        Message.user("Hi"),
        response_format=ResponseFormat(type="json_schema", json_schema=schema),
    )
    assert turns[0]["content"].endswith(json.dumps(schema))
    anything = convert(Message.user("Hi"), response_format=ResponseFormat(type="json_object"))
    assert anything[0]["content"] == "Answer with one JSON object, and nothing else."
    assert convert(Message.user("Hi"), response_format=ResponseFormat(type="text")) == [
        {"role": "user", "content": "Hi"}
    ]


def test_with_tools_the_json_is_described_unless_this_turn_must_call() -> None:
    tool = ToolSpec(name="add")
    answer = ResponseFormat(type="json_object")
    auto = convert(Message.user("Hi"), tools=[tool], response_format=answer)
    assert "<tools>" in auto[0]["content"]
    assert auto[0]["content"].endswith("Answer with one JSON object, and nothing else.")
    required = ToolChoice(mode="required")
    calls = convert(Message.user("Hi"), tools=[tool], tool_choice=required, response_format=answer)
    assert "JSON object" not in calls[0]["content"]
