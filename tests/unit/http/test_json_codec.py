"""``json_codec``: the JSON every request body and answer goes through says what ``json``
says, only faster.

Whatever the text, ``loads`` gives ``json.loads``'s answer (or its ``ValueError``);
whatever the value, ``dumps`` writes JSON that reads back as the value, byte for byte
what ``json.dumps`` writes where no float is involved, and fails as ``json.dumps``
fails where it cannot write.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fluent_ai.http.json_codec import dumps, loads

SCALARS = st.none() | st.booleans() | st.integers() | st.text()
FLOATS = st.floats(allow_nan=False, allow_infinity=False)


def _json(scalars: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=12,
    )


def _outcome(parse: Any, text: str | bytes) -> Any:
    try:
        return ("value", parse(text))
    except ValueError:
        return ("error", None)


def _stdlib(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@given(
    _json(SCALARS | FLOATS),
    st.sampled_from(["", " ", "\n", " \t"]),
    st.sampled_from(["", " ", "\n", "x", "}"]),
)
def test_loads_answers_as_json_loads(value: Any, before: str, after: str) -> None:
    text = before + json.dumps(value) + after
    assert _outcome(loads, text) == _outcome(json.loads, text)
    assert _outcome(loads, text.encode()) == _outcome(json.loads, text.encode())


@pytest.mark.parametrize(
    "text",
    ["", " ", "{", '{"a": 1} {"b": 2}', "[DONE]", '"\\ud800"', "\ufeff{}", "1" * 30, "[1e400]"],
)
def test_odd_text_gets_json_loads_answer(text: str) -> None:
    assert _outcome(loads, text) == _outcome(json.loads, text)


def test_bytes_that_are_not_utf8_get_json_loads_answer() -> None:
    utf16 = '{"a": "é"}'.encode("utf-16")  # json.loads detects it; the fast path does not
    assert loads(utf16) == json.loads(utf16) == {"a": "é"}
    assert _outcome(loads, b'"\xff"') == _outcome(json.loads, b'"\xff"') == ("error", None)


def test_nan_and_infinity_read_as_json_reads_them() -> None:
    value = loads("[NaN, Infinity, -Infinity]")
    assert math.isnan(value[0])
    assert value[1:] == [math.inf, -math.inf]


@given(_json(SCALARS))
def test_dumps_writes_what_json_dumps_writes(value: Any) -> None:
    assert dumps(value) == _stdlib(value)


@given(_json(SCALARS | FLOATS))
def test_dumps_reads_back_as_the_value(value: Any) -> None:
    assert json.loads(dumps(value)) == value


def test_dumps_writes_non_finite_numbers_as_json_dumps_does() -> None:
    assert dumps([math.nan, math.inf, -math.inf]) == b"[NaN,Infinity,-Infinity]"


def test_dumps_fails_as_json_dumps_fails() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps({"a": object()})
    with pytest.raises(UnicodeEncodeError):
        dumps({"a": "lone \ud800 surrogate"})
