"""The model registry: what each model can do and what it costs, before anything is sent.

``resolve("anthropic/claude-sonnet-4-5")`` returns a :class:`ModelInfo` with the model's
limits, prices and capabilities; :func:`cost_of` and :class:`CostTracker` price the
token counts a call reports. The data is generated from the community catalogue (see
``fluent_ai.models.sync``) and loaded one provider at a time on first use, so importing
this package reads no data and imports neither YAML nor HTTP libraries.
"""

from fluent_ai.models.costs import Cost, CostTracker, TokenCounts, cost_of
from fluent_ai.models.errors import (
    CatalogueDownloadError,
    CatalogueError,
    GeneratedDataError,
    UnknownModelError,
)
from fluent_ai.models.info import CAPABILITIES, MODEL_KINDS, Capability, ModelInfo, ModelKind
from fluent_ai.models.registry import ProviderModels, Registry, default_registry
from fluent_ai.models.resolver import resolve, suggestions

__all__ = [
    "CAPABILITIES",
    "MODEL_KINDS",
    "Capability",
    "CatalogueDownloadError",
    "CatalogueError",
    "Cost",
    "CostTracker",
    "GeneratedDataError",
    "ModelInfo",
    "ModelKind",
    "ProviderModels",
    "Registry",
    "TokenCounts",
    "UnknownModelError",
    "cost_of",
    "default_registry",
    "resolve",
    "suggestions",
]
