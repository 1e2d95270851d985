"""Batch planning and the batch runner, with in-process embedders instead of a network."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from fluent_ai.embeddings.batching import (
    ConcurrencyLimit,
    EmbedBatch,
    embed_in_batches,
    estimated_tokens,
    plan_batches,
)
from fluent_ai.types import BadResponseError, ConfigurationError, RateLimitError


def test_batches_hold_at_most_batch_size_texts() -> None:
    assert plan_batches(["x"] * 7, 3, None) == [range(0, 3), range(3, 6), range(6, 7)]
    assert plan_batches([], 3, None) == []


def test_batches_also_stay_within_the_token_budget() -> None:
    texts = ["a" * 30, "b" * 30, "c" * 30, "d" * 300, "e"]  # 11, 11, 11, 101 and 1 tokens
    assert [estimated_tokens(text) for text in texts] == [11, 11, 11, 101, 1]
    assert plan_batches(texts, 10, 25) == [range(0, 2), range(2, 3), range(3, 4), range(4, 5)]


def test_a_text_over_the_budget_gets_a_batch_of_its_own() -> None:
    assert plan_batches(["x" * 3000, "y"], 10, 100) == [range(0, 1), range(1, 2)]


def test_the_token_guess_errs_high_for_wide_characters() -> None:
    assert estimated_tokens("日本語") == 4  # 9 bytes of UTF-8


def lengths(batch: Sequence[str]) -> EmbedBatch:
    return EmbedBatch([[float(len(text)), 1.0] for text in batch], input_tokens=len(batch))


async def lengths_async(batch: Sequence[str]) -> EmbedBatch:
    return lengths(batch)


async def test_vectors_come_back_in_text_order_whatever_finishes_first() -> None:
    texts = [str(i) * (i + 1) for i in range(9)]

    async def later_batches_first(batch: Sequence[str]) -> EmbedBatch:
        await asyncio.sleep(0.01 * (9 - len(batch[0])))
        return lengths(batch)

    result = await embed_in_batches(
        texts, later_batches_first, batch_size=2, limit=ConcurrencyLimit(5), provider="test"
    )

    assert result.vectors == [[float(i + 1), 1.0] for i in range(9)]
    assert result.input_tokens == 9


async def test_one_limit_is_shared_by_concurrent_calls() -> None:
    limit = ConcurrencyLimit(3)
    running = peak = 0

    async def tracked(batch: Sequence[str]) -> EmbedBatch:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.01)
        running -= 1
        return lengths(batch)

    calls = [
        embed_in_batches(["a"] * 6, tracked, batch_size=1, limit=limit, provider="test")
        for _ in range(4)
    ]
    await asyncio.gather(*calls)

    assert peak == 3


async def test_the_first_failure_cancels_the_rest_and_is_raised_as_it_is() -> None:
    started: list[str] = []
    cancelled: list[str] = []

    async def second_fails(batch: Sequence[str]) -> EmbedBatch:
        started.append(batch[0])
        if batch[0] == "b":
            raise RateLimitError("slow down", provider="test")
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            cancelled.append(batch[0])
            raise
        return lengths(batch)

    with pytest.raises(RateLimitError, match="slow down"):
        await embed_in_batches(
            ["a", "b", "c"], second_fails, batch_size=1, limit=ConcurrencyLimit(3), provider="t"
        )

    assert sorted(started) == ["a", "b", "c"]
    assert sorted(cancelled) == ["a", "c"]


@pytest.mark.parametrize(
    ("vectors", "problem"),
    [
        ([[1.0]], "got 1 vectors for 2 texts"),
        ([[1.0], []], "text 1 got an empty vector"),
        ([[1.0], [1.0, 2.0]], "text 1 got a vector of 2 dimensions, expected 1"),
    ],
)
async def test_wrong_counts_and_lengths_are_bad_responses(
    vectors: list[list[float]], problem: str
) -> None:
    async def answer(batch: Sequence[str]) -> EmbedBatch:
        return EmbedBatch(vectors)

    with pytest.raises(BadResponseError, match=problem):
        await embed_in_batches(
            ["a", "b"], answer, batch_size=2, limit=ConcurrencyLimit(1), provider="test"
        )


async def test_a_missing_token_count_makes_the_total_unknown() -> None:
    async def uncounted_second(batch: Sequence[str]) -> EmbedBatch:
        result = lengths(batch)
        return result if batch[0] == "a" else EmbedBatch(result.vectors)

    result = await embed_in_batches(
        ["a", "b"], uncounted_second, batch_size=1, limit=ConcurrencyLimit(1), provider="test"
    )

    assert result.input_tokens is None


def test_concurrency_below_one_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="concurrency"):
        ConcurrencyLimit(0)


async def test_a_single_string_is_refused_rather_than_split_into_letters() -> None:
    with pytest.raises(TypeError, match=r"pass \[text\]"):
        await embed_in_batches(
            "hello", lengths_async, batch_size=2, limit=ConcurrencyLimit(1), provider="t"
        )
