"""ChatRequest -> chat-template messages, and what the local model refuses up front."""

from __future__ import annotations

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
        (
            Message(role="assistant", parts=[ToolCallPart(id="1", name="f", arguments="{}")]),
            "tool calls",
        ),
        (Message.tool_result("1", "42"), "tool results"),
    ],
)
def test_parts_the_model_cannot_read_are_refused(message: Message, word: str) -> None:
    with pytest.raises(UnsupportedFeatureError, match=word) as caught:
        convert(Message.user("Hi"), message)
    assert caught.value.provider == "local"


def test_tools_are_refused_unless_the_model_may_not_call_them() -> None:
    tool = ToolSpec(name="get_weather")
    with pytest.raises(UnsupportedFeatureError, match="tools"):
        convert(Message.user("Hi"), tools=[tool])
    assert convert(Message.user("Hi"), tools=[tool], tool_choice=ToolChoice(mode="none"))


def test_structured_output_is_refused() -> None:
    with pytest.raises(UnsupportedFeatureError, match="json_object"):
        convert(Message.user("Hi"), response_format=ResponseFormat(type="json_object"))
    assert convert(Message.user("Hi"), response_format=ResponseFormat(type="text"))
