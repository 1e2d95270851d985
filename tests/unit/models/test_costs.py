"""Pricing a call's token counts, and running totals."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from fluent_ai.models import Cost, CostTracker, ModelInfo, cost_of, resolve
from fluent_ai.types import Usage


@dataclass
class Tokens:
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    reasoning_tokens: int = 0


SONNET = ModelInfo(
    provider="anthropic",
    name="sonnet",
    input_price=3.0,
    output_price=15.0,
    cached_input_price=0.3,
    cache_write_price=3.75,
)


def test_cache_reads_and_writes_are_priced_separately() -> None:
    usage = Tokens(
        input_tokens=10_000, output_tokens=1_000, cache_read_tokens=6_000, cache_write_tokens=2_000
    )

    cost = cost_of(SONNET, usage)

    assert cost is not None
    assert cost.input == pytest.approx(2_000 * 3.0 / 1e6)
    assert cost.cache_read == pytest.approx(6_000 * 0.3 / 1e6)
    assert cost.cache_write == pytest.approx(2_000 * 3.75 / 1e6)
    assert cost.output == pytest.approx(1_000 * 15.0 / 1e6)
    assert cost.total == pytest.approx(0.006 + 0.0018 + 0.0075 + 0.015)


def test_the_real_usage_type_is_accepted() -> None:
    usage = Usage(input_tokens=1_000_000, output_tokens=1_000_000, reasoning_tokens=400_000)

    cost = cost_of(resolve("openai/gpt-4o"), usage)

    # Reasoning tokens are part of output_tokens and are not charged twice.
    assert cost == Cost(input=2.5, output=10.0)


def test_cached_tokens_without_a_cache_price_cost_ordinary_input() -> None:
    model = ModelInfo(provider="x", name="m", input_price=1.0, output_price=2.0)

    cost = cost_of(model, Tokens(input_tokens=1_000_000, cache_read_tokens=400_000))

    assert cost == Cost(input=0.6, cache_read=0.4)


def test_cached_counts_are_clamped_to_the_prompt() -> None:
    cost = cost_of(SONNET, Tokens(input_tokens=100, cache_read_tokens=80, cache_write_tokens=80))

    assert cost is not None
    assert cost.input == 0.0
    assert cost.cache_read == pytest.approx(80 * 0.3 / 1e6)
    assert cost.cache_write == pytest.approx(20 * 3.75 / 1e6)


def test_unknown_prices_give_no_cost() -> None:
    unknown = resolve("openai/some-future-model")

    assert cost_of(unknown, Tokens(input_tokens=10, output_tokens=10)) is None
    assert cost_of(ModelInfo(provider="x", name="m", input_price=1.0), Tokens(1, 1)) is None


def test_embedding_models_need_only_an_input_price() -> None:
    embedding = resolve("openai/text-embedding-3-small")

    cost = cost_of(embedding, Tokens(input_tokens=1_000_000))

    assert embedding.has_prices
    assert cost == Cost(input=0.02)


def test_local_models_are_free() -> None:
    cost = cost_of(resolve("local/smollm2"), Tokens(input_tokens=500, output_tokens=500))

    assert cost is not None
    assert cost.total == 0.0


def test_tracker_totals_per_model_and_unpriced_calls() -> None:
    tracker = CostTracker()
    gpt = resolve("openai/gpt-4o")

    first = tracker.add(gpt, Tokens(input_tokens=1_000_000))
    tracker.add(gpt, Tokens(output_tokens=1_000_000))
    tracker.add(SONNET, Tokens(input_tokens=1_000_000))

    assert first == Cost(input=2.5)
    assert tracker.total.total == pytest.approx(2.5 + 10.0 + 3.0)
    assert tracker.by_model["openai/gpt-4o"] == Cost(input=2.5, output=10.0)
    assert tracker.calls == 3
    assert tracker.complete

    assert tracker.add(resolve("openai/gpt-9"), Tokens(input_tokens=5)) is None
    assert tracker.unpriced_calls == 1
    assert not tracker.complete
    assert tracker.total.total == pytest.approx(15.5)
