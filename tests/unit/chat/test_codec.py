"""JSON and JSON lines: exact round-trips for every part type, and clear import errors."""

import json
from collections.abc import Callable

import pytest
from hypothesis import given

from fluent_ai.chat import Conversation, ConversationFormatError, from_json, from_jsonl
from fluent_ai.types import FluentAIError, ImagePart, Message, TextPart, ThinkingPart

from .strategies import conversations


@given(conversations)
def test_json_round_trips_exactly(conversation: Conversation) -> None:
    assert Conversation.from_json(conversation.to_json()) == conversation
    assert from_json(conversation.to_json(indent=None).encode()) == conversation


@given(conversations)
def test_jsonl_round_trips_exactly(conversation: Conversation) -> None:
    text = conversation.to_jsonl()
    assert Conversation.from_jsonl(text) == conversation
    assert len(text.split("\n")) == len(conversation.messages) + 2  # header, messages, ""


def sample() -> Conversation:
    return Conversation(
        system="Be brief.",
        metadata={"title": "Sample", "tags": ["a", "b"]},
        messages=[
            Message.user(
                "Line one\u2028still one", ImagePart(data=b"\x00\xff", media_type="image/png")
            ),
            Message(role="assistant", parts=[ThinkingPart(text="…", signature="c2ln")]),
        ],
    )


def test_jsonl_layout_is_a_header_then_one_message_per_line() -> None:
    text = sample().to_jsonl()
    header, *rows, end = text.split("\n")
    assert end == ""
    assert json.loads(header) == {
        "format": "fluent-ai.conversation",
        "version": 1,
        "system": "Be brief.",
        "metadata": {"title": "Sample", "tags": ["a", "b"]},
    }
    first, second = (json.loads(row) for row in rows)
    assert first["parts"][1] == {"type": "image", "data": "AP8=", "media_type": "image/png"}
    assert second["parts"][0] == {"type": "thinking", "text": "…", "signature": "c2ln"}


def test_a_line_separator_inside_text_does_not_end_a_line() -> None:
    # JSON keeps U+2028 raw; str.splitlines() would cut the first message in two.
    text = sample().to_jsonl()
    assert "\u2028" in text
    assert len(text.splitlines()) == 4
    assert from_jsonl(text) == sample()


def test_json_document_has_the_format_tag() -> None:
    document = json.loads(sample().to_json())
    assert list(document) == ["format", "version", "system", "metadata", "messages"]


def test_blank_lines_in_jsonl_are_skipped() -> None:
    text = sample().to_jsonl().replace("\n", "\n\n")
    assert from_jsonl(text) == sample()


def error_for(
    text: str | bytes, reader: Callable[[str | bytes], Conversation] = from_jsonl
) -> ConversationFormatError:
    with pytest.raises(ConversationFormatError) as raised:
        reader(text)
    assert isinstance(raised.value, FluentAIError)
    return raised.value


def test_bad_message_line_is_named_with_its_field() -> None:
    lines = sample().to_jsonl().split("\n")
    lines[2] = '{"role": "assistant", "parts": [{"type": "text"}]}'
    error = error_for("\n".join(lines))
    assert (error.line, error.field) == (3, "parts[0].text.text")
    assert str(error) == "malformed conversation: line 3, parts[0].text.text: Field required"


def test_invalid_json_line() -> None:
    error = error_for(sample().to_jsonl().replace('"role"', "role", 1))
    assert error.line == 2
    assert "Invalid JSON" in str(error)


def test_unknown_part_type_and_role() -> None:
    header = '{"format": "fluent-ai.conversation", "version": 1}'
    error = error_for(f'{header}\n{{"role": "robot", "parts": []}}')
    assert (error.line, error.field) == (2, "role")
    error = error_for(f'{header}\n{{"role": "user", "parts": [{{"type": "video"}}]}}')
    assert (error.line, error.field) == (2, "parts[0]")
    assert "video" in str(error)


def test_wrong_header_is_refused() -> None:
    error = error_for('{"format": "something-else", "version": 1}\n')
    assert (error.line, error.field) == (1, "format")
    error = error_for('{"format": "fluent-ai.conversation", "version": 2}\n')
    assert (error.line, error.field) == (1, "version")
    error = error_for('{"role": "user", "parts": []}\n')
    assert error.line == 1
    assert error_for("\n \n").message.endswith("no lines: the first line must be the header")


def test_json_errors_name_the_field_and_count_the_rest() -> None:
    document = json.loads(sample().to_json())
    document["messages"][1]["parts"][0]["signature"] = 5
    document["messages"][0]["role"] = "robot"
    error = error_for(json.dumps(document), from_json)
    assert error.line is None
    assert error.field == "messages[0].role"
    assert str(error).endswith("(and 1 more problem)")


def test_non_utf8_jsonl_is_refused() -> None:
    error = error_for(b'{"format": "fluent-ai.conversation"}\n\xff\xfe')
    assert "not UTF-8 text" in str(error)


def test_images_and_text_parts_survive_as_themselves() -> None:
    restored = from_jsonl(sample().to_jsonl())
    first = restored.messages[0].parts
    assert isinstance(first[0], TextPart)
    assert isinstance(first[1], ImagePart)
    assert first[1].data == b"\x00\xff"
