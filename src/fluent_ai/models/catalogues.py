"""The model catalogues the registry is built from, and where each is published.

Two public catalogues are read: LiteLLM's (the broadest: prices, limits and
capability flags for thousands of models, dated snapshots included) and aichat's
(hand-kept for the providers it covers, with thinking variants). Each is turned into
generated data modules of its own, so that each stays a pure function of its
catalogue; :mod:`fluent_ai.models.merge` combines them when a provider is loaded.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Final

from fluent_ai.models.entry import Catalogue


@dataclass(frozen=True, slots=True)
class CatalogueSource:
    """One catalogue: its name, where it is published, and which module parses it."""

    name: str
    url: str
    parser: str
    suffix: str
    description: str

    def parse(self, text: str) -> Catalogue:
        """The catalogue in ``text``; raises :class:`~fluent_ai.models.CatalogueError`."""
        # Imported on use: the aichat parser needs PyYAML, which nothing else loads.
        module = importlib.import_module(self.parser)
        catalogue: Catalogue = module.parse_catalogue(text)
        return catalogue


SOURCES: Final[dict[str, CatalogueSource]] = {
    source.name: source
    for source in (
        CatalogueSource(
            "litellm",
            "https://raw.githubusercontent.com/BerriAI/litellm/main/"
            "model_prices_and_context_window.json",
            "fluent_ai.models.litellm",
            ".json",
            "LiteLLM's model_prices_and_context_window.json (MIT)",
        ),
        CatalogueSource(
            "aichat",
            "https://raw.githubusercontent.com/sigoden/aichat/refs/heads/main/models.yaml",
            "fluent_ai.models.aichat",
            ".yaml",
            "aichat's models.yaml (MIT / Apache-2.0)",
        ),
    )
}
"""Every catalogue, by name, most trusted first (see :mod:`fluent_ai.models.merge`)."""
