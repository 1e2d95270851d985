"""Price a call's usage from the model registry, once per model name.

The registry lookup is cached per (provider, model) so that pricing adds nothing
measurable per request; an unknown model or an unpriced one simply gets no cost.
"""

from __future__ import annotations

from functools import lru_cache

from fluent_ai.models import ModelInfo, UnknownModelError, cost_of, resolve
from fluent_ai.types import Usage, UsageUpdate


@lru_cache(maxsize=512)
def model_info(provider: str, model: str) -> ModelInfo | None:
    """The registry's entry for ``provider/model``, or None if it has none."""
    try:
        return resolve(f"{provider}/{model}")
    except UnknownModelError:
        return None


def cost_usd(provider: str, model: str, usage: Usage) -> float | None:
    info = model_info(provider, model)
    if info is None:
        return None
    cost = cost_of(info, usage)
    return None if cost is None else cost.total


def priced(event: UsageUpdate, provider: str, model: str) -> UsageUpdate:
    return UsageUpdate(event.usage, cost_usd(provider, model, event.usage))
