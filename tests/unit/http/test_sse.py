"""SSE parsing: however the bytes are cut, the events are the ones that were sent."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fluent_ai.http import SSEEvent, SSEParser, aiter_sse, iter_sse
from fluent_ai.types.errors import BadResponseError

line_text = st.text(st.characters(codec="utf-8", exclude_characters="\r\n"))
name_text = st.text(st.characters(codec="utf-8", exclude_characters="\r\n\0"), min_size=1)


@dataclass(frozen=True)
class Sent:
    data_lines: list[str]
    event: str | None
    id: str | None


sent_events = st.builds(
    Sent,
    data_lines=st.lists(line_text, min_size=1, max_size=3),
    event=st.none() | name_text,
    id=st.none() | name_text,
)


@st.composite
def streams(draw: st.DrawFn) -> tuple[bytes, list[SSEEvent]]:
    """A wire-format stream and the events a correct parser must find in it."""
    events = draw(st.lists(sent_events, max_size=5))
    if draw(st.booleans()):
        events.append(Sent(["[DONE]"], None, None))
    endings = st.sampled_from(["\n", "\r\n", "\r"])
    comments = st.sampled_from([": OPENROUTER PROCESSING", ":", ": ping"])
    lines: list[str] = []
    expected: list[SSEEvent] = []
    last_id = ""
    for sent in events:
        if draw(st.booleans()):
            lines.append(draw(comments))
        if sent.event is not None:
            lines.append(f"event: {sent.event}")
        if sent.id is not None:
            lines.append(f"id: {sent.id}")
            last_id = sent.id
        lines.extend(f"data: {text}" for text in sent.data_lines)
        lines.append("")
        expected.append(SSEEvent("\n".join(sent.data_lines), sent.event or "message", last_id))
    text = ""
    for line in lines:
        ending = draw(endings)
        if not line and ending == "\n" and text.endswith("\r"):
            ending = "\r\n"  # "\r" then "\n" would be one line break, not two
        text += line + ending
    if draw(st.booleans()) and lines:
        # The server hung up without the last line break(s): the event still counts.
        text = text.rstrip("\r\n")
    return text.encode(), expected


def cut(body: bytes, points: list[int]) -> list[bytes]:
    bounds = [0, *sorted(p % (len(body) + 1) for p in points), len(body)]
    return [body[a:b] for a, b in itertools.pairwise(bounds)]


@given(stream=streams(), points=st.lists(st.integers(0, 10_000), max_size=12))
def test_any_chunking_gives_the_events_that_were_sent(
    stream: tuple[bytes, list[SSEEvent]], points: list[int]
) -> None:
    body, expected = stream
    assert list(iter_sse([body])) == expected
    assert list(iter_sse(cut(body, points))) == expected


@given(stream=streams())
def test_byte_by_byte_gives_the_same_events(stream: tuple[bytes, list[SSEEvent]]) -> None:
    body, expected = stream
    assert list(iter_sse(body[i : i + 1] for i in range(len(body)))) == expected


def test_cr_and_lf_of_one_line_break_in_different_chunks() -> None:
    parser = SSEParser()
    assert parser.feed(b"data: a\r") == []
    assert parser.feed(b"\n\r") == [SSEEvent("a")]
    assert parser.feed(b"\ndata: b\r\r") == [SSEEvent("b")]
    assert parser.close() == []


def test_a_character_split_between_chunks() -> None:
    body = "data: héllo 🌍\n\n".encode()
    split = body.index("🌍".encode()) + 2
    assert list(iter_sse([body[:split], body[split:]])) == [SSEEvent("héllo 🌍")]


def test_byte_order_mark_is_dropped() -> None:
    bom = "\ufeff".encode()
    assert list(iter_sse([bom[:1], bom[1:] + b"data: x\n\n"])) == [SSEEvent("x")]


def test_fields_event_id_retry_and_done() -> None:
    body = b'event: delta\nid: 7\nretry: 1000\ndata: {"a": 1}\n\ndata: [DONE]\n\n'
    first, done = iter_sse([body])
    assert (first.event, first.id, first.retry, first.json()) == ("delta", "7", 1000, {"a": 1})
    assert not first.is_done
    assert done.is_done


def test_blank_lines_without_data_dispatch_nothing() -> None:
    body = b"id: 1\ndata: a\n\n\n\nevent: ping\n\n: keep-alive\n\n"
    assert list(iter_sse([body])) == [SSEEvent("a", id="1")]


def test_unknown_fields_after_the_stream_started_are_ignored() -> None:
    assert list(iter_sse([b"data: a\nvendor-field: x\n\n"])) == [SSEEvent("a")]


@pytest.mark.parametrize(
    "body",
    [
        b"<!DOCTYPE html>\n<html><body>Bad gateway</body></html>\n",
        b'{"error": {"message": "invalid key"}}\n',
        b"Internal Server Error",
    ],
)
def test_a_body_that_is_not_sse_is_a_bad_response(body: bytes) -> None:
    with pytest.raises(BadResponseError, match="expected a server-sent event stream") as caught:
        list(iter_sse([body], provider="openrouter"))
    assert body[:15].decode() in str(caught.value)
    assert caught.value.provider == "openrouter"


def test_the_quoted_body_is_redacted() -> None:
    body = b"<html>your key sk-proj-abcdefghijklmnopqrstuvwxyz is bad</html>\n"
    with pytest.raises(BadResponseError) as caught:
        list(iter_sse([body]))
    assert "abcdefghijklmnop" not in str(caught.value)
    assert "[REDACTED]" in str(caught.value)


@pytest.mark.parametrize("chunks", [[b"data: \xff\xfe\n\n"], [b"data: ok\n\n", b"data: \xe2\x82"]])
def test_invalid_utf8_is_a_bad_response(chunks: list[bytes]) -> None:
    with pytest.raises(BadResponseError, match="not valid UTF-8"):
        list(iter_sse(chunks))


async def test_async_parsing_matches_sync() -> None:
    body = b": keep-alive\r\nevent: a\r\ndata: 1\r\n\r\ndata: 2\r\ndata: 3"

    async def chunks() -> AsyncIterator[bytes]:
        for i in range(0, len(body), 5):
            yield body[i : i + 5]

    events = [event async for event in aiter_sse(chunks())]
    assert events == list(iter_sse([body])) == [SSEEvent("1", "a"), SSEEvent("2\n3")]
