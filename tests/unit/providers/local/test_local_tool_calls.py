"""The local model's tool calls as stream events, exactly as a remote provider's are."""

from __future__ import annotations

import pytest

from fluent_ai.providers.local.tool_calls import CallReader, call_events
from fluent_ai.types import LocalModelError, ToolCallDelta, ToolCallEnd, ToolCallStart


def test_each_call_is_a_start_its_arguments_as_json_text_and_an_end() -> None:
    events = call_events(
        '[{"name": "add", "arguments": {"a": 1}}, {"name": "neg", "arguments": {}}]'
    )
    assert [type(e) for e in events] == [ToolCallStart, ToolCallDelta, ToolCallEnd] * 2
    first, second = events[0], events[3]
    assert isinstance(first, ToolCallStart)
    assert isinstance(second, ToolCallStart)
    assert (first.index, first.name, second.index, second.name) == (0, "add", 1, "neg")
    assert first.id.startswith("call_")
    assert first.id != second.id
    assert events[1] == ToolCallDelta(0, '{"a": 1}')
    assert events[5] == ToolCallEnd(1)


def test_text_that_is_not_a_list_of_calls_is_reported_as_a_bug() -> None:
    with pytest.raises(LocalModelError, match="report it"):
        call_events('{"name": "add"}')


def test_in_auto_mode_the_first_piece_decides_between_text_and_calls() -> None:
    text = CallReader("auto")
    assert [text.text("Hello"), text.text(" [there]")] == ["Hello", " [there]"]
    assert not text.calling
    assert text.events() == []
    calls = CallReader("auto")
    assert calls.text('[{"name": "f", ') is None
    assert calls.text('"arguments": {}}]') is None
    assert calls.calling
    assert [type(e) for e in calls.events()] == [ToolCallStart, ToolCallDelta, ToolCallEnd]


def test_in_calls_mode_everything_is_held_and_plain_json_streams_as_text() -> None:
    assert CallReader("calls").text("x") is None
    assert CallReader("json").text('{"a"') == '{"a"'
    assert CallReader(None).text("[1]") == "[1]"
