"""Text no API can carry (lone surrogates) is refused where the request is made."""

from __future__ import annotations

import pytest

from fluent_ai.types import (
    ChatRequest,
    InvalidRequestError,
    InvalidTextError,
    Message,
    ToolResultPart,
)


def test_a_lone_surrogate_names_message_part_and_position() -> None:
    with pytest.raises(InvalidTextError) as info:
        ChatRequest(model="m", messages=[Message.user("hello"), Message.user("ok", "caf\udce9")])
    error = info.value
    assert isinstance(error, InvalidRequestError)
    assert (error.message_index, error.part_index, error.field) == (1, 1, "text")
    assert error.position == 3
    assert error.character == "\udce9"
    assert "message 1 (user), part 1 (text)" in str(error)
    assert "character 3" in str(error)
    assert "errors='replace'" in str(error)


def test_the_system_prompt_and_tool_results_are_checked_too() -> None:
    with pytest.raises(InvalidTextError, match="the system prompt") as info:
        ChatRequest(model="m", system="\udcff", messages=[Message.user("hi")])
    assert info.value.message_index is None
    result = ToolResultPart(tool_call_id="call_1", content="ok \ud800")
    with pytest.raises(InvalidTextError, match=r"part 0 \(tool_result\) content") as info:
        ChatRequest(model="m", messages=[Message.user("hi"), Message(role="tool", parts=[result])])
    assert (info.value.message_index, info.value.position) == (1, 3)


def test_stop_sequences_and_message_names_are_checked_and_named() -> None:
    with pytest.raises(InvalidTextError, match="stop sequence 1") as info:
        ChatRequest(model="m", messages=[Message.user("hi")], stop=["END", "é\udc80"])
    assert (info.value.field, info.value.message_index, info.value.position) == ("stop", None, 1)
    named = Message(role="user", parts=Message.user("hi").parts, name="bob\udcff")
    with pytest.raises(InvalidTextError, match=r"the name of message 1 \(user\)") as info:
        ChatRequest(model="m", messages=[Message.user("hi"), named])
    assert (info.value.field, info.value.message_index, info.value.part_index) == ("name", 1, None)
    assert info.value.position == 3


def test_ordinary_unicode_and_replaced_text_pass() -> None:
    repaired = "caf\udce9".encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    request = ChatRequest(model="m", messages=[Message.user("café 🙂", repaired)])
    assert request.messages[0].parts[1].text == "caf\ufffd"  # type: ignore[union-attr]


def test_the_first_surrogate_is_named_in_text_of_any_width() -> None:
    for text, position in [("é\udc80 \udcff", 1), ("日本\ud800", 2), ("🙂 🙂\udfff\ud800", 3)]:
        with pytest.raises(InvalidTextError) as info:
            ChatRequest(model="m", messages=[Message.user(text)])
        assert info.value.position == position
        assert info.value.character == text[position]
