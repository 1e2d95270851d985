"""Azure OpenAI: OpenAI's protocol, Azure's URLs and ``api-key`` header.

Azure serves two URL schemes:

* the **v1 API** (``{endpoint}/openai/v1/chat/completions``), where the model in the
  body is the deployment name, exactly like OpenAI. It is the default.
* **deployment URLs** with an ``api-version`` query
  (``{endpoint}/openai/deployments/{deployment}/chat/completions?api-version=…``),
  used when an API version is given (argument or ``AZURE_OPENAI_API_VERSION``).

The endpoint is the resource URL from the Azure portal, in ``AZURE_OPENAI_ENDPOINT``
(``https://my-resource.openai.azure.com``); the key is in ``AZURE_OPENAI_API_KEY``.
"""

from __future__ import annotations

import os
from urllib.parse import quote

from fluent_ai.providers.base import ProviderProfile
from fluent_ai.providers.openai.protocol import OpenAIChatProtocol
from fluent_ai.providers.openai.quirks import OPENAI_QUIRKS
from fluent_ai.types import ChatRequest, ConfigurationError

ENDPOINT_ENV = "AZURE_OPENAI_ENDPOINT"
API_KEY_ENV = "AZURE_OPENAI_API_KEY"
API_VERSION_ENV = "AZURE_OPENAI_API_VERSION"


class AzureDeploymentProtocol(OpenAIChatProtocol):
    """OpenAI's protocol addressed to ``/deployments/{model}`` with an ``api-version``."""

    def __init__(self, api_version: str) -> None:
        super().__init__("azure", OPENAI_QUIRKS)
        self.api_version = api_version

    def path(self, request: ChatRequest, *, stream: bool) -> str:
        deployment = quote(request.model, safe="")
        version = quote(self.api_version, safe="")
        return f"/deployments/{deployment}/chat/completions?api-version={version}"


def azure_endpoint(endpoint: str | None = None) -> str:
    found = endpoint or os.environ.get(ENDPOINT_ENV)
    if not found:
        raise ConfigurationError(
            f"azure needs the resource endpoint: set {ENDPOINT_ENV} "
            "(e.g. https://my-resource.openai.azure.com)",
            provider="azure",
        )
    return found.rstrip("/")


def azure(
    endpoint: str | None = None, *, api_version: str | None = None
) -> tuple[ProviderProfile, OpenAIChatProtocol]:
    """The profile and protocol for an Azure OpenAI resource."""
    base = azure_endpoint(endpoint)
    version = api_version or os.environ.get(API_VERSION_ENV)
    if version:
        profile = ProviderProfile("azure", f"{base}/openai", API_KEY_ENV, "api-key", "")
        return profile, AzureDeploymentProtocol(version)
    profile = ProviderProfile("azure", f"{base}/openai/v1", API_KEY_ENV, "api-key", "")
    return profile, OpenAIChatProtocol("azure", OPENAI_QUIRKS)
