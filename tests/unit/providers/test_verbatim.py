"""Verbatim entries go to the messages whose reading they share, in order, once each."""

from __future__ import annotations

from typing import Any

import pytest

from fluent_ai.providers.verbatim import (
    ContentLists,
    Item,
    Verbatim,
    content_key,
    entry_list,
    part_items,
)
from fluent_ai.types import (
    ConfigurationError,
    ImagePart,
    Part,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolResultPart,
)


def said(text: str) -> list[Part]:
    return [TextPart(text=text)]


def by_text(entries: list[str]) -> Verbatim[list[Part], str]:
    """Entries that are plain strings, each read as one text part."""
    return Verbatim(entries, read=said, key=content_key)


def test_entries_go_to_the_messages_they_match_in_order() -> None:
    verbatim = by_text(["yes", "yes"])
    assert verbatim.take(said("yes")) == "yes"
    assert verbatim.take(said("no")) is None
    assert verbatim.take(said("yes")) == "yes"
    assert verbatim.take(said("yes")) is None


def test_an_entry_passed_over_is_not_used_later() -> None:
    verbatim = by_text(["old", "new"])
    assert verbatim.take(said("new")) == "new"
    assert verbatim.take(said("old")) is None


def test_the_same_entry_object_comes_back() -> None:
    content: list[dict[str, Any]] = [{"type": "text", "text": "hi"}]
    verbatim = Verbatim([content], read=lambda _: said("hi"), key=content_key)
    assert verbatim.take(said("hi")) is content


def test_no_message_is_keyed_once_the_entries_are_used_up() -> None:
    keyed: list[object] = []

    def key(parts: list[Part]) -> object:
        keyed.append(parts)
        return content_key(parts)

    verbatim = Verbatim(["a"], read=said, key=key)
    assert verbatim.take(said("a")) == "a"
    keyed.clear()
    assert verbatim.take(said("a")) is None
    assert keyed == []


def test_neighbouring_text_is_joined_and_empty_text_says_nothing() -> None:
    chunks: list[Part] = [TextPart(text="Hel"), TextPart(text=""), TextPart(text="lo")]
    assert content_key(chunks) == content_key(said("Hello"))


def test_text_on_either_side_of_a_call_stays_apart() -> None:
    call = ToolCallPart(id="c1", name="f")
    assert content_key([TextPart(text="a"), call, TextPart(text="b")]) != content_key(
        [TextPart(text="ab"), call]
    )


def test_tool_arguments_compare_by_value() -> None:
    written = ToolCallPart(id="c1", name="f", arguments='{"a": 1,  "b": 2}')
    parsed = ToolCallPart(id="c1", name="f", arguments='{"b":2,"a":1}')
    empty = ToolCallPart(id="c1", name="f", arguments="")
    assert content_key([written]) == content_key([parsed])
    assert content_key([empty]) == content_key([ToolCallPart(id="c1", name="f")])


def test_arguments_that_are_not_json_compare_as_written() -> None:
    broken = ToolCallPart(id="c1", name="f", arguments="{oops")
    assert content_key([broken]) == content_key([broken.model_copy()])
    assert content_key([broken]) != content_key([ToolCallPart(id="c1", name="f")])


def test_call_ids_count_unless_left_out() -> None:
    one: list[Part] = [
        ToolCallPart(id="c1", name="f"),
        ToolResultPart(tool_call_id="c1", content="ok"),
    ]
    two: list[Part] = [
        ToolCallPart(id="c2", name="f"),
        ToolResultPart(tool_call_id="c2", content="ok"),
    ]
    assert content_key(one) != content_key(two)

    def without_ids(part: Part) -> list[Item]:
        return part_items(part, call_ids=False)

    assert content_key(one, without_ids) == content_key(two, without_ids)


def test_a_result_s_error_flag_counts() -> None:
    ok = ToolResultPart(tool_call_id="c1", content="boom")
    failed = ToolResultPart(tool_call_id="c1", content="boom", is_error=True)
    assert content_key([ok]) != content_key([failed])


def test_other_parts_compare_whole() -> None:
    thought = ThinkingPart(text="hmm", signature="s1")
    assert content_key([thought]) == content_key([thought.model_copy()])
    assert content_key([thought]) != content_key([ThinkingPart(text="hmm", signature="s2")])
    low = ImagePart(url="https://x/a.png", detail="low")
    assert content_key([low]) != content_key([ImagePart(url="https://x/a.png")])


def test_thoughts_are_joined_when_a_reading_tags_them_so() -> None:
    def thoughts(part: Part) -> list[Item]:
        if isinstance(part, ThinkingPart):
            return [("thinking", part.text)]
        return part_items(part)

    chunks: list[Part] = [ThinkingPart(text="hm"), ThinkingPart(text="m")]
    assert content_key(chunks, thoughts) == content_key([ThinkingPart(text="hmm")], thoughts)
    assert content_key(chunks) != content_key([ThinkingPart(text="hmm")])


def test_entry_list_names_the_key_and_what_it_holds() -> None:
    def is_list(value: object) -> bool:
        return isinstance(value, list)

    assert entry_list([[1]], is_list, key="k", holds="lists", provider="p") == [[1]]
    with pytest.raises(ConfigurationError, match=r"extra\['k'\] must be a list of lists"):
        entry_list({"not": "a list"}, is_list, key="k", holds="lists", provider="p")
    with pytest.raises(ConfigurationError) as raised:
        entry_list(["not a list"], is_list, key="k", holds="lists", provider="p")
    assert raised.value.provider == "p"


def test_content_lists_read_each_list_with_the_protocol_s_reading() -> None:
    def read(content: list[Any]) -> list[Part]:
        return [TextPart(text=block["text"]) for block in content]

    split = [{"text": "Hel"}, {"text": "lo"}]
    verbatim = ContentLists([split], read, key="k", holds="lists", provider="p")
    assert verbatim.take(said("Hello")) is split
    with pytest.raises(ConfigurationError, match="lists"):
        ContentLists([{"text": "a"}], read, key="k", holds="lists", provider="p")
