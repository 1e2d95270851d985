"""Request sampling settings -> arguments for transformers' generate."""

from __future__ import annotations

import pytest

from fluent_ai.providers.local.sampling import (
    DEFAULT_MAX_TOKENS,
    GenerationOptions,
    generation_options,
)
from fluent_ai.types import ChatRequest, InvalidRequestError, Message, UnsupportedFeatureError


def options(**settings: object) -> GenerationOptions:
    request = ChatRequest(model="smollm2", messages=[Message.user("Hi")], **settings)
    return generation_options(request)


def test_nothing_set_keeps_the_model_defaults() -> None:
    result = options()
    assert result.sampling == {}
    assert result.max_tokens == DEFAULT_MAX_TOKENS
    assert result.stop == ()
    assert result.seed is None


def test_temperature_zero_is_greedy_and_drops_sampling_knobs() -> None:
    assert options(temperature=0, top_p=0.9).sampling == {"do_sample": False}


def test_a_temperature_samples() -> None:
    assert options(temperature=0.7, top_p=0.9, seed=3).sampling == {
        "do_sample": True,
        "temperature": 0.7,
        "top_p": 0.9,
    }


def test_a_sampling_knob_alone_samples_at_the_default_temperature() -> None:
    assert options(top_p=0.5).sampling == {"do_sample": True, "top_p": 0.5}
    assert options(extra={"top_k": 20}).sampling == {"do_sample": True, "top_k": 20}


def test_repetition_penalty_applies_to_greedy_decoding_too() -> None:
    result = options(temperature=0, extra={"repetition_penalty": 1.2})
    assert result.sampling == {"do_sample": False, "repetition_penalty": 1.2}


def test_stop_strings_max_tokens_and_seed_pass_through() -> None:
    result = options(stop=["\n\n", "", "END"], max_tokens=7, seed=42)
    assert result.stop == ("\n\n", "END")
    assert result.max_tokens == 7
    assert result.seed == 42


@pytest.mark.parametrize(
    ("settings", "word"),
    [
        ({"max_tokens": 0}, "max_tokens"),
        ({"temperature": -0.1}, "temperature"),
        ({"top_p": 0}, "top_p"),
        ({"top_p": 1.5}, "top_p"),
    ],
)
def test_out_of_range_settings_are_invalid(settings: dict[str, object], word: str) -> None:
    with pytest.raises(InvalidRequestError, match=word):
        options(**settings)


def test_unknown_extra_settings_are_refused_not_ignored() -> None:
    with pytest.raises(UnsupportedFeatureError, match="frequency_penalty"):
        options(extra={"frequency_penalty": 0.5})
