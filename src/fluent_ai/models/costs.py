"""What a call cost in USD, from its token counts and the model's prices.

Token counts follow ``fluent_ai.types.Usage``: ``input_tokens`` counts every prompt
token, including those read from or written to the prompt cache, and
``reasoning_tokens`` are already part of ``output_tokens``. Cache reads and writes are
priced at the model's cache prices when known and as ordinary input otherwise, which is
what providers without a cache discount charge and an upper bound for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from fluent_ai.models.info import ModelInfo

_PER_TOKEN = 1_000_000
"""Prices are quoted per million tokens."""


class TokenCounts(Protocol):
    """Anything with the token counts of ``fluent_ai.types.Usage``."""

    @property
    def input_tokens(self) -> int: ...
    @property
    def output_tokens(self) -> int: ...
    @property
    def cache_read_tokens(self) -> int: ...
    @property
    def cache_write_tokens(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Cost:
    """A cost in USD, split by what was charged for."""

    input: float = 0.0
    cache_read: float = 0.0
    cache_write: float = 0.0
    output: float = 0.0

    @property
    def total(self) -> float:
        return self.input + self.cache_read + self.cache_write + self.output

    def __add__(self, other: Cost) -> Cost:
        return Cost(
            input=self.input + other.input,
            cache_read=self.cache_read + other.cache_read,
            cache_write=self.cache_write + other.cache_write,
            output=self.output + other.output,
        )


def cost_of(model: ModelInfo, usage: TokenCounts) -> Cost | None:
    """The cost of one call, or ``None`` when the tokens used have no known price."""
    input_price = model.input_price
    if input_price is None and usage.input_tokens > 0:
        return None
    if model.output_price is None and usage.output_tokens > 0:
        return None
    prompt = max(usage.input_tokens, 0)
    cache_read = min(max(usage.cache_read_tokens, 0), prompt)
    cache_write = min(max(usage.cache_write_tokens, 0), prompt - cache_read)
    fresh = prompt - cache_read - cache_write
    base = input_price or 0.0
    read_price = base if model.cached_input_price is None else model.cached_input_price
    write_price = base if model.cache_write_price is None else model.cache_write_price
    return Cost(
        input=fresh * base / _PER_TOKEN,
        cache_read=cache_read * read_price / _PER_TOKEN,
        cache_write=cache_write * write_price / _PER_TOKEN,
        output=max(usage.output_tokens, 0) * (model.output_price or 0.0) / _PER_TOKEN,
    )


class CostTracker:
    """Running totals for a session or an agent: overall, per model, and unpriced calls.

    ``unpriced_calls`` counts calls whose cost was unknown; while it is above zero,
    ``total`` is a lower bound.
    """

    def __init__(self) -> None:
        self.total = Cost()
        self.by_model: dict[str, Cost] = {}
        self.calls = 0
        self.unpriced_calls = 0

    def add(self, model: ModelInfo, usage: TokenCounts) -> Cost | None:
        """Count one call and return its cost (``None`` if it could not be priced)."""
        self.calls += 1
        cost = cost_of(model, usage)
        if cost is None:
            self.unpriced_calls += 1
            return None
        self.total += cost
        self.by_model[model.id] = self.by_model.get(model.id, Cost()) + cost
        return cost

    @property
    def complete(self) -> bool:
        """Whether every call counted had a known price, so ``total`` is exact."""
        return self.unpriced_calls == 0
