"""The one definition of "the same request", shared by de-duplication and the cache."""

from __future__ import annotations

import pytest

from fluent_ai.engine.controls import (
    CACHE_CONTROL,
    cache_control,
    dedup_off,
    is_deterministic,
    without_control,
)
from fluent_ai.engine.request_key import request_key
from fluent_ai.types import ChatRequest, ConfigurationError, Message, ToolSpec

BASE = ChatRequest(model="m", messages=[Message.user("hi")], temperature=0)


def test_defaults_spelled_out_are_the_same_request() -> None:
    spelled = ChatRequest(
        model="m", messages=[Message.user("hi")], temperature=0.0, tools=None, extra={}
    )
    assert request_key(spelled) == request_key(BASE)


@pytest.mark.parametrize(
    "change",
    [
        {"model": "other"},
        {"messages": [Message.user("hello")]},
        {"system": "be brief"},
        {"temperature": 0.5},
        {"seed": 7},
        {"tools": [ToolSpec(name="get_weather")]},
        {"extra": {"logprobs": True}},
        {"metadata": {"user": "a"}},
    ],
)
def test_anything_that_can_change_the_answer_changes_the_key(change: dict[str, object]) -> None:
    assert request_key(BASE.model_copy(update=change)) != request_key(BASE)


def test_engine_controls_are_not_part_of_the_question() -> None:
    asked = BASE.model_copy(update={"metadata": {CACHE_CONTROL: "off"}})
    assert request_key(asked) == request_key(BASE)
    tagged = BASE.model_copy(update={"metadata": {CACHE_CONTROL: "off", "user": "a"}})
    assert request_key(tagged) == request_key(BASE.model_copy(update={"metadata": {"user": "a"}}))


def test_the_namespace_keeps_models_apart() -> None:
    assert request_key(BASE, namespace="groq") != request_key(BASE, namespace="cerebras")


def test_controls_are_read_checked_and_stripped() -> None:
    asked = BASE.model_copy(update={"metadata": {CACHE_CONTROL: "refresh", "user": "a"}})
    assert cache_control(asked) == "refresh"
    assert without_control(asked, CACHE_CONTROL).metadata == {"user": "a"}
    only = BASE.model_copy(update={"metadata": {CACHE_CONTROL: "off"}})
    assert without_control(only, CACHE_CONTROL).metadata is None
    with pytest.raises(ConfigurationError, match="'refresh'"):
        cache_control(BASE.model_copy(update={"metadata": {CACHE_CONTROL: "nope"}}))
    with pytest.raises(ConfigurationError, match="only value is 'off'"):
        dedup_off(BASE.model_copy(update={"metadata": {"fluent_ai.dedup": True}}))


def test_only_deterministic_settings_count_as_deterministic() -> None:
    assert is_deterministic(BASE)
    assert is_deterministic(BASE.model_copy(update={"temperature": 0.7, "seed": 1}))
    assert not is_deterministic(BASE.model_copy(update={"temperature": None}))
    assert not is_deterministic(BASE.model_copy(update={"temperature": 0.7}))


def test_mappings_in_any_order_are_one_key() -> None:
    one = BASE.model_copy(update={"extra": {"a": 1, "b": {"c": 2, "d": 3}}})
    other = BASE.model_copy(update={"extra": {"b": {"d": 3, "c": 2}, "a": 1}})
    assert request_key(one) == request_key(other)
