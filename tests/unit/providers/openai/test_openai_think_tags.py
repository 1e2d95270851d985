"""A leading <think> block split off the answer, however the stream cuts it."""

from __future__ import annotations

import json

import pytest

from fluent_ai.providers.openai import protocol_for
from fluent_ai.providers.openai.think_tags import ThinkTagSplitter
from fluent_ai.types import collect_events

ANSWER = "<think>\nLet me see. 1 < 2.\n</think>\n\nYes: 1 < 2."


def split(pieces: list[str]) -> tuple[str, str]:
    splitter = ThinkTagSplitter()
    events = [event for piece in pieces for event in splitter.feed(piece)] + splitter.flush()
    response = collect_events(events)
    return response.thinking, response.text


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, len(ANSWER)])
def test_any_chunking_gives_the_same_split(size: int) -> None:
    pieces = [ANSWER[i : i + size] for i in range(0, len(ANSWER), size)]
    assert split(pieces) == ("\nLet me see. 1 < 2.\n", "Yes: 1 < 2.")


@pytest.mark.parametrize(
    ("content", "thinking", "text"),
    [
        ("plain answer", "", "plain answer"),
        ("  <thin", "", "  <thin"),  # looked like a tag, was not
        ("Use <think> tags like this", "", "Use <think> tags like this"),
        ("<think>cut off by the token lim", "cut off by the token lim", ""),
        ("<think>done</think>", "done", ""),
    ],
)
def test_only_a_leading_block_is_thinking(content: str, thinking: str, text: str) -> None:
    assert split([content]) == (thinking, text)


def test_streamed_and_whole_answers_agree() -> None:
    protocol = protocol_for("huggingface")
    whole = collect_events(
        protocol.decode_response(
            {"choices": [{"message": {"content": ANSWER}, "finish_reason": "stop"}]}
        )
    )
    decoder = protocol.stream_decoder()
    events = []
    for piece in ("<thi", "nk>\nLet me see. 1 < 2.\n</th", "ink>\n\nYes", ": 1 < 2."):
        events += decoder.feed(json.dumps({"choices": [{"index": 0, "delta": {"content": piece}}]}))
    events += decoder.feed(
        json.dumps({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    )
    streamed = collect_events(events + decoder.close())
    assert (streamed.thinking, streamed.text) == (whole.thinking, whole.text)
    assert streamed.text == "Yes: 1 < 2."


def test_vendors_without_the_quirk_keep_the_tags_as_text() -> None:
    body = {"choices": [{"message": {"content": ANSWER}, "finish_reason": "stop"}]}
    assert collect_events(protocol_for("openai").decode_response(body)).text == ANSWER
