"""Text on either side of a server tool's blocks keeps a paragraph break.

Recorded: Claude says "I'll calculate that expression for you right away!", runs code
(``server_tool_use`` then ``bash_code_execution_tool_result``, which have no neutral
event), then writes "Following the standard order of operations…". Joined as they
were, the answer read "…right away!Following…".
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.support.cassettes import load, recordings_dir

from fluent_ai.providers.anthropic import CONTENT_KEY, AnthropicProtocol
from fluent_ai.providers.anthropic.text_blocks import TextBoundary
from fluent_ai.types import ChatRequest, ChatResponse, Message, StreamEvent, collect_events

PROTOCOL = AnthropicProtocol()
CODE_RUN = "test_anthropic__test_anthropic_code_execution_tool_stream.yaml"
WEB_SEARCH = "test_anthropic__test_anthropic_web_search_tool.yaml"


def recorded(name: str) -> Any:
    path = recordings_dir() / "anthropic" / name
    if not path.exists():
        pytest.skip(f"{path} is missing: set FLUENT_AI_RECORDINGS")
    return load(path)[0].response_body


def streamed(body: str) -> ChatResponse:
    decoder = PROTOCOL.stream_decoder()
    events: list[StreamEvent] = []
    for line in body.splitlines():
        if line.startswith("data:"):
            events.extend(decoder.feed(line[5:].strip()))
    events.extend(decoder.close())
    return collect_events(events)


def test_the_recorded_answer_keeps_its_paragraphs_apart() -> None:
    response = streamed(recorded(CODE_RUN))
    assert "right away!\n\nFollowing the standard" in response.text
    assert "right away!Following" not in response.text


def test_a_whole_answer_with_the_same_blocks_reads_the_same() -> None:
    response = streamed(recorded(CODE_RUN))
    blocks = response.extra[CONTENT_KEY][0]
    assert [block["type"] for block in blocks][1:4] == [
        "text",
        "server_tool_use",
        "bash_code_execution_tool_result",
    ]
    body = {"id": "m", "model": "claude", "content": blocks, "stop_reason": "end_turn"}
    whole = collect_events(PROTOCOL.decode_response(body))
    assert whole.text == response.text


def test_the_verbatim_blocks_keep_anthropics_own_text() -> None:
    response = streamed(recorded(CODE_RUN))
    texts = [b["text"] for b in response.extra[CONTENT_KEY][0] if b["type"] == "text"]
    assert texts[0] == "I'll calculate that expression for you right away!"
    assert texts[1].startswith("Following the standard")


def test_adjacent_text_blocks_split_for_citations_join_as_they_are() -> None:
    body = recorded(WEB_SEARCH)
    blocks = body["content"]
    text = "".join(block["text"] for block in blocks if block["type"] == "text")
    assert collect_events(PROTOCOL.decode_response(body)).text == text
    assert "\n- Temperature: 66°F" in text


@pytest.mark.parametrize(
    ("before", "separator"),
    [("right away!", "\n\n"), ("a list:\n", "\n"), ("done.\n\n", ""), ("x\n\n\n", "")],
)
def test_the_separator_tops_up_the_newlines_already_there(before: str, separator: str) -> None:
    boundary = TextBoundary()
    assert boundary.block("text", readable=True) == ""
    boundary.text(before)
    assert boundary.block("server_tool_use", readable=False) == ""
    assert boundary.block("web_search_tool_result", readable=False) == ""
    assert boundary.block("text", readable=True) == separator
    assert boundary.block("text", readable=True) == ""  # adjacent: no second separator


def test_no_separator_before_the_first_text() -> None:
    boundary = TextBoundary()
    assert boundary.block("thinking", readable=True) == ""
    assert boundary.block("server_tool_use", readable=False) == ""
    assert boundary.block("text", readable=True) == ""


def test_blocks_with_parts_of_their_own_add_nothing() -> None:
    boundary = TextBoundary()
    boundary.block("text", readable=True)
    boundary.text("Let me check.")
    assert boundary.block("tool_use", readable=True) == ""
    assert boundary.block("text", readable=True) == ""


def test_streamed_pieces_count_toward_the_ending() -> None:
    boundary = TextBoundary()
    boundary.block("text", readable=True)
    for piece in ("one", " two", "\n"):
        boundary.text(piece)
    boundary.block("mcp_tool_result", readable=False)
    assert boundary.block("text", readable=True) == "\n"


def test_the_content_read_back_for_the_next_turn_matches_the_answer() -> None:
    """The verbatim blocks go back in place of the message only if they read the same."""
    response = streamed(recorded(CODE_RUN))
    sent = PROTOCOL.encode_request(
        ChatRequest(
            model="claude-sonnet-4-5",
            messages=[Message.user("Calculate"), response.message, Message.user("Thanks")],
            extra={CONTENT_KEY: response.extra[CONTENT_KEY]},
        ),
        stream=False,
    )
    assert sent["messages"][1]["content"] == response.extra[CONTENT_KEY][0]
