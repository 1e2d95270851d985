"""Errors of the model registry and of catalogue synchronisation."""

from __future__ import annotations

from fluent_ai.types.errors import ConfigurationError, FluentAIError


class UnknownModelError(ConfigurationError):
    """No model matches the name; ``suggestions`` holds the closest known ``provider/name``s."""

    def __init__(self, message: str, *, suggestions: list[str]) -> None:
        self.suggestions = suggestions
        if suggestions:
            message = f"{message}; closest: {', '.join(suggestions)}"
        super().__init__(message)


class CatalogueError(FluentAIError):
    """The model catalogue could not be read: malformed YAML or fields of the wrong type."""


class CatalogueDownloadError(CatalogueError):
    """The catalogue could not be downloaded and no cached copy was there to fall back on."""

    retryable = True


class GeneratedDataError(CatalogueError):
    """A generated data module is malformed; regenerating from the catalogue repairs it."""
