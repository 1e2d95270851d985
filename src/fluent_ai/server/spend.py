"""What one answered call cost: the answering deployment's prices times its usage.

The handler notes the served name, the tokens and the deployment that answered
(:class:`~fluent_ai.server.observe.Noted`); a router's deployment is found by that
name, and its own ``input_price`` / ``output_price`` (USD per million tokens) win over
the registry's, as they do when the router picks by cost. A served model that is not
a router is priced by its provider and model name. A model with no known price costs
nothing here (and counts against no budget): say its prices in the gateway file.

Only prompt and answer tokens are noted, so cached prompt tokens are priced as fresh
ones: a spend figure errs high, never low.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from fluent_ai.engine.deployment import Deployment
from fluent_ai.engine.observe import innermost
from fluent_ai.engine.router import Router
from fluent_ai.providers.pricing import model_info

PER_TOKEN = 1e6
"""Prices are per million tokens."""

Prices = tuple[float | None, float | None]


class Pricer:
    """Costs calls of the served models; the price of each (model, deployment) is found once."""

    def __init__(self, models: Mapping[str, object]) -> None:
        self._models = dict(models)
        self._prices = lru_cache(maxsize=1024)(self._find)

    def cost(self, model: str, deployment: str, input_tokens: int, output_tokens: int) -> float:
        """USD for ``input_tokens`` and ``output_tokens`` of ``model`` via ``deployment``."""
        if not input_tokens and not output_tokens:
            return 0.0
        input_price, output_price = self._prices(model, deployment)
        return (input_tokens * (input_price or 0.0) + output_tokens * (output_price or 0.0)) / (
            PER_TOKEN
        )

    def _find(self, model: str, deployment: str) -> Prices:
        served = innermost(self._models.get(model))  # a router served with telemetry on
        if isinstance(served, Router):
            for candidate in served.deployments:
                if candidate.name == deployment:
                    return _deployment_prices(candidate)
            if len(served.deployments) == 1:
                return _deployment_prices(served.deployments[0])
            return None, None
        provider = getattr(served, "provider", None)
        name = getattr(served, "model", None) or getattr(served, "model_name", None)
        if isinstance(provider, str) and isinstance(name, str):
            return _registry_prices(provider, name)
        return None, None


def _deployment_prices(deployment: Deployment) -> Prices:
    registry = _registry_prices(deployment.provider, deployment.model_name)
    return (
        deployment.input_price if deployment.input_price is not None else registry[0],
        deployment.output_price if deployment.output_price is not None else registry[1],
    )


def _registry_prices(provider: str, model: str) -> Prices:
    info = model_info(provider, model)
    if info is None:
        return None, None
    return info.input_price, info.output_price
