"""``response_fields.loads``: the stream decoders' fast JSON parse agrees with ``json.loads``.

It takes a shortcut past ``json.loads``'s wrapper; whatever the text, the answer (or
the ``ValueError``) must be the one ``json.loads`` gives.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fluent_ai.providers.response_fields import loads

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def _outcome(parse: Any, text: str) -> Any:
    try:
        return ("value", parse(text))
    except ValueError:
        return ("error", None)


@given(JSON, st.sampled_from(["", " ", "\n", " \t"]), st.sampled_from(["", " ", "\n", "x", "}"]))
def test_loads_answers_as_json_loads(value: Any, before: str, after: str) -> None:
    text = before + json.dumps(value) + after
    assert _outcome(loads, text) == _outcome(json.loads, text)


@pytest.mark.parametrize(
    "text", ["", " ", "{", '{"a": 1} {"b": 2}', "[DONE]", "NaN", '"\\ud800"', "\ufeff{}"]
)
def test_odd_text_gets_json_loads_answer(text: str) -> None:
    got, expected = _outcome(loads, text), _outcome(json.loads, text)
    if got[0] == "value" and isinstance(got[1], float):  # NaN != NaN
        assert str(got[1]) == str(expected[1])
    else:
        assert got == expected
