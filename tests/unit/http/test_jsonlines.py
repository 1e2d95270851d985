"""JSON-lines parsing: however the bytes are cut, the values are the ones that were sent."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fluent_ai.http import JSONLinesParser, aiter_json_lines, iter_json_lines
from fluent_ai.types.errors import BadResponseError

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(), children, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def streams(draw: st.DrawFn) -> tuple[bytes, list[Any]]:
    values = draw(st.lists(json_values, max_size=6))
    text = ""
    for value in values:
        if draw(st.booleans()):
            text += draw(st.sampled_from(["\n", "\r\n", "  \n"]))  # blank lines are skipped
        text += json.dumps(value, ensure_ascii=False) + draw(st.sampled_from(["\n", "\r\n"]))
    if draw(st.booleans()):
        text = text.rstrip("\r\n")  # no line break after the last value
    return text.encode(), values


def cut(body: bytes, points: list[int]) -> list[bytes]:
    """``body`` cut at ``points`` (taken modulo its length), as a network might."""
    bounds = [0, *sorted(p % (len(body) + 1) for p in points), len(body)]
    return [body[a:b] for a, b in itertools.pairwise(bounds)]


cuts = st.lists(st.integers(0, 10_000), max_size=12)


@given(stream=streams(), points=cuts)
def test_any_chunking_gives_the_values_that_were_sent(
    stream: tuple[bytes, list[Any]], points: list[int]
) -> None:
    body, expected = stream
    assert list(iter_json_lines([body])) == expected
    assert list(iter_json_lines(cut(body, points))) == expected


@given(stream=streams(), points=cuts)
def test_lines_as_text_are_the_values_unparsed(
    stream: tuple[bytes, list[Any]], points: list[int]
) -> None:
    """``feed_lines`` hands over the same lines, blank ones skipped, for a decoder to parse."""
    body, expected = stream
    parser = JSONLinesParser()
    lines = [line for chunk in cut(body, points) for line in parser.feed_lines(chunk)]
    lines += parser.close_lines()
    assert [json.loads(line) for line in lines] == expected


def test_a_value_split_inside_a_character() -> None:
    body = '{"message": {"content": "ça 🌍"}}\n'.encode()
    parser = JSONLinesParser()
    assert parser.feed(body[:-4]) == []
    assert parser.feed(body[-4:]) == [{"message": {"content": "ça 🌍"}}]
    assert parser.close() == []


def test_an_invalid_line_names_its_number_and_quotes_it() -> None:
    body = b'{"done": false}\n\n{"done": tru\n'
    with pytest.raises(BadResponseError, match=r"line 3 .*'\{\"done\": tru'") as caught:
        list(iter_json_lines([body], provider="ollama"))
    assert caught.value.provider == "ollama"


def test_an_html_body_is_a_bad_response() -> None:
    with pytest.raises(BadResponseError, match="line 1"):
        list(iter_json_lines([b"<html>502 Bad Gateway</html>"]))


def test_invalid_utf8_is_a_bad_response() -> None:
    with pytest.raises(BadResponseError, match="not valid UTF-8"):
        list(iter_json_lines([b'{"a": "\xff"}\n']))


async def test_async_parsing() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"a": 1}\n{"b"'
        yield b": 2}"

    assert [value async for value in aiter_json_lines(chunks())] == [{"a": 1}, {"b": 2}]
