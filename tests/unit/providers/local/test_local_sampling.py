"""Request sampling settings -> generation options, and the sampler that honours them."""

from __future__ import annotations

import numpy as np
import pytest

from fluent_ai.providers.local.sampler import Sampler, penalise
from fluent_ai.providers.local.sampling import (
    DEFAULT_MAX_TOKENS,
    GenerationOptions,
    generation_options,
)
from fluent_ai.types import ChatRequest, InvalidRequestError, Message, UnsupportedFeatureError


def options(**settings: object) -> GenerationOptions:
    request = ChatRequest(model="smollm2", messages=[Message.user("Hi")], **settings)
    return generation_options(request)


def logits(*values: float) -> np.ndarray:
    return np.array(values, dtype=np.float32)


def test_nothing_set_is_greedy_with_the_defaults() -> None:
    result = options()
    assert result.greedy
    assert result.max_tokens == DEFAULT_MAX_TOKENS
    assert (result.stop, result.seed, result.repetition_penalty) == ((), None, 1.0)


def test_temperature_zero_is_greedy_and_drops_sampling_knobs() -> None:
    result = options(temperature=0, top_p=0.9, extra={"top_k": 5})
    assert result.greedy
    assert (result.top_p, result.top_k) == (1.0, 0)


def test_a_temperature_samples_with_its_knobs() -> None:
    result = options(temperature=0.7, top_p=0.9, seed=3, extra={"top_k": 40, "min_p": 0.05})
    assert (result.temperature, result.top_p, result.top_k, result.min_p) == (0.7, 0.9, 40, 0.05)
    assert result.seed == 3


def test_a_sampling_knob_alone_samples_at_temperature_one() -> None:
    assert options(top_p=0.5).temperature == 1.0
    assert options(extra={"top_k": 20}).temperature == 1.0


def test_repetition_penalty_applies_to_greedy_decoding_too() -> None:
    result = options(temperature=0, extra={"repetition_penalty": 1.2})
    assert result.greedy
    assert result.repetition_penalty == 1.2


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
        ({"extra": {"top_k": -1}}, "top_k"),
        ({"extra": {"top_k": "many"}}, "top_k"),
        ({"extra": {"min_p": 2}}, "min_p"),
        ({"extra": {"repetition_penalty": 0}}, "repetition_penalty"),
    ],
)
def test_out_of_range_settings_are_invalid(settings: dict[str, object], word: str) -> None:
    with pytest.raises(InvalidRequestError, match=word):
        options(**settings)


def test_unknown_extra_settings_are_refused_not_ignored() -> None:
    with pytest.raises(UnsupportedFeatureError, match="frequency_penalty"):
        options(extra={"frequency_penalty": 0.5})


def test_greedy_picks_the_largest_logit() -> None:
    assert Sampler(GenerationOptions()).pick(logits(0.1, 3.0, 2.9)) == 1


def test_the_penalty_can_move_greedy_off_a_seen_token() -> None:
    sampler = Sampler(GenerationOptions(repetition_penalty=2.0))
    assert sampler.pick(logits(0.1, 3.0, 2.0), seen=[1]) == 2


def test_the_penalty_divides_positive_and_multiplies_negative_logits() -> None:
    scores = logits(2.0, -2.0, 1.0)
    penalise(scores, [0, 1, 1], 2.0)
    assert scores.tolist() == [1.0, -4.0, 1.0]


def test_a_seed_makes_sampling_reproducible() -> None:
    spread = np.zeros(50, dtype=np.float32)
    settings = GenerationOptions(temperature=1.0, seed=7)
    one, two = Sampler(settings), Sampler(settings)
    assert [one.pick(spread) for _ in range(20)] == [two.pick(spread) for _ in range(20)]
    draws = {Sampler(GenerationOptions(temperature=1.0, seed=s)).pick(spread) for s in range(20)}
    assert len(draws) > 5


def test_top_k_keeps_only_the_k_most_likely() -> None:
    sampler = Sampler(GenerationOptions(temperature=1.0, top_k=2, seed=0))
    picks = {sampler.pick(logits(5.0, 4.9, 0.0, 0.0, 0.0)) for _ in range(200)}
    assert picks == {0, 1}


def test_top_p_keeps_the_token_that_crosses_the_threshold() -> None:
    # probabilities about 0.53, 0.29, 0.18: top_p 0.6 needs the first two
    sampler = Sampler(GenerationOptions(temperature=1.0, top_p=0.6, seed=0))
    picks = {sampler.pick(logits(1.0, 0.4, -0.1)) for _ in range(300)}
    assert picks == {0, 1}


def test_min_p_drops_tokens_far_below_the_best() -> None:
    sampler = Sampler(GenerationOptions(temperature=1.0, min_p=0.5, seed=0))
    picks = {sampler.pick(logits(2.0, 1.9, -3.0)) for _ in range(300)}
    assert picks == {0, 1}


def test_a_low_temperature_concentrates_the_draws() -> None:
    cold = Sampler(GenerationOptions(temperature=0.05, seed=1))
    assert {cold.pick(logits(1.0, 0.8, 0.5)) for _ in range(100)} == {0}
