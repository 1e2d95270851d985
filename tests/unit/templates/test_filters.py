"""The built-in filters as plain functions, with properties checked by hypothesis."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fluent_ai.templates import (
    DEFAULT_TOKENIZER,
    bullets,
    format_date,
    indent,
    numbered,
    render,
    to_json,
    truncate_tokens,
)

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=12,
)


@given(JSON_VALUES)
def test_json_round_trips(value: Any) -> None:
    assert json.loads(to_json(value)) == value


@given(JSON_VALUES)
def test_json_round_trips_through_every_engine(value: Any) -> None:
    for source, engine in (
        ("{{ v | json }}", "jinja"),
        ("{{ v | json }}", "liquid"),
        ("{{json v}}", "handlebars"),
    ):
        assert json.loads(render(source, engine=engine, v=value)) == value


def test_json_serialises_dates_dataclasses_and_sets() -> None:
    @dataclass
    class Point:
        x: int
        y: int

    value = {"day": date(2025, 1, 31), "at": Point(1, 2), "tags": {"a"}}
    assert json.loads(to_json(value)) == {
        "day": "2025-01-31",
        "at": {"x": 1, "y": 2},
        "tags": ["a"],
    }
    assert to_json({"a": 1}, indent=2) == '{\n  "a": 1\n}'
    with pytest.raises(TypeError):
        to_json(object())


def test_date_reads_dates_strings_and_timestamps() -> None:
    assert format_date(date(2025, 1, 31)) == "2025-01-31"
    assert format_date("2025-01-31T10:00:00", "%H:%M") == "10:00"
    assert format_date(0, "%Y-%m-%d %H:%M") == "1970-01-01 00:00"
    before = datetime.now().astimezone().date().isoformat()
    now, today = format_date("now"), format_date()
    after = datetime.now().astimezone().date().isoformat()
    assert now in (before, after)
    assert today in (before, after)
    assert format_date(datetime(2025, 1, 31, tzinfo=UTC), "%B") == "January"
    with pytest.raises(TypeError):
        format_date(True)


@given(st.text(), st.integers(min_value=0, max_value=40), st.sampled_from(["", "…", " [more]"]))
def test_truncate_tokens_never_exceeds_the_budget(text: str, budget: int, end: str) -> None:
    result = truncate_tokens(text, budget, end)
    assert DEFAULT_TOKENIZER.count(result) <= budget
    if DEFAULT_TOKENIZER.count(text) <= budget:
        assert result == text
    elif result.endswith(end) and end:
        assert text.startswith(result[: -len(end)])


def test_truncate_tokens_marks_a_cut() -> None:
    assert truncate_tokens("one two three four five", 4, "…") == "one two…"  # "…" counts 2
    assert truncate_tokens("one two", 3, "…") == "one two"


def test_indent_follows_jinja() -> None:
    assert indent("a\nb\n\nc", 2) == "a\n  b\n\n  c"
    assert indent("a\nb", 2, first=True) == "  a\n  b"
    assert indent("a\n\nb", "> ", blank=True) == "a\n> \n> b"


def test_bullets_and_numbered_lists() -> None:
    assert bullets(["one", "two\nlines"]) == "- one\n- two\n  lines"
    assert bullets("first\n\nsecond", marker="*") == "* first\n* second"
    assert bullets(42) == "- 42"
    assert numbered(["a", "b"], start=9) == "9. a\n10. b"
    assert numbered(["x\ny"]) == "1. x\n   y"
