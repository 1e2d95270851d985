"""Turn ``"provider/model"`` into a :class:`ChatModel`.

The provider part picks a wire protocol and a profile; the model part is passed to
the provider as it is. Everything is imported on first use so that ``import
fluent_ai`` stays light.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fluent_ai.models.providers import provider_id
from fluent_ai.providers.base import ChatModel, ChatProtocol, ProviderProfile
from fluent_ai.types import ConfigurationError

if TYPE_CHECKING:  # httpx costs a twentieth of a second to import; local models need none
    from fluent_ai.http import HttpClient

DEFAULT_MODEL = "local/smollm2"

Native = Callable[[], tuple[ProviderProfile, ChatProtocol]]


def _native(module: str, profile: str, protocol: str) -> Native:
    """A provider with its own wire protocol, imported when first used."""

    def load() -> tuple[ProviderProfile, ChatProtocol]:
        package = importlib.import_module(module)
        found = getattr(package, profile)
        return (found() if callable(found) else found), getattr(package, protocol)()

    return load


def _responses(vendor: str) -> Native:
    """A vendor's Responses API (``/responses``): same profile, the Responses protocol."""

    def load() -> tuple[ProviderProfile, ChatProtocol]:
        from fluent_ai.providers.responses import PROFILES, protocol_for

        return PROFILES[vendor], protocol_for(vendor)

    return load


def _azure() -> tuple[ProviderProfile, ChatProtocol]:
    """Azure OpenAI: the resource endpoint and API version from the environment."""
    from fluent_ai.providers.openai.azure import azure

    return azure()


def _vertex() -> tuple[ProviderProfile, ChatProtocol]:
    """Gemini on Vertex AI: project and location from the environment, when used."""
    from fluent_ai.providers.google import GeminiProtocol, vertex_profile

    return vertex_profile(), GeminiProtocol("google-vertex")


NATIVE: dict[str, Native] = {
    "anthropic": _native("fluent_ai.providers.anthropic", "ANTHROPIC", "AnthropicProtocol"),
    "azure": _azure,
    "cohere": _native("fluent_ai.providers.cohere", "COHERE", "CohereProtocol"),
    "google": _native("fluent_ai.providers.google", "GOOGLE", "GeminiProtocol"),
    "google-vertex": _vertex,
    "mistral": _native("fluent_ai.providers.mistral", "MISTRAL", "MistralProtocol"),
    "ollama-native": _native("fluent_ai.providers.ollama", "OLLAMA_NATIVE", "OllamaProtocol"),
    "openai-responses": _responses("openai"),
    "openrouter-responses": _responses("openrouter"),
    "deepseek-responses": _responses("deepseek"),
    # A function, not a constant: the region is read from the environment when used.
    "bedrock": _native("fluent_ai.providers.bedrock", "bedrock_profile", "BedrockConverseProtocol"),
}
"""Providers with a protocol of their own; every other remote one speaks OpenAI's."""


def provider_names() -> list[str]:
    """Every provider name ``chat_model`` accepts."""
    from fluent_ai.providers.openai.profiles import PROFILES

    return sorted({"local", "openai-compatible", *NATIVE, *PROFILES})


def split_model(spec: str) -> tuple[str, str]:
    """``"openai/gpt-4o-mini"`` → ``("openai", "gpt-4o-mini")``, provider aliases resolved.

    A bare model name (``"claude-sonnet-4-5"``) is looked up in the model registry,
    which knows its provider; an unknown one raises an error naming the closest models.
    """
    provider, sep, model = spec.partition("/")
    if not sep:
        from fluent_ai.models import resolve

        info = resolve(spec)
        return info.provider, info.api_name
    if not provider or not model:
        raise ConfigurationError(
            f"model {spec!r} should be written provider/model, e.g. 'openai/gpt-4o-mini' "
            f"or '{DEFAULT_MODEL}'"
        )
    return provider_id(provider), model


def chat_model(
    spec: str,
    *,
    api_key: str | None = None,
    base_url: str | None = None,
    client: HttpClient | None = None,
    client_factory: Callable[[], HttpClient] | None = None,
    **options: Any,
) -> ChatModel:
    """A ready model for ``spec``; raises a clear error for unknown providers or missing keys.

    Returns the model and leaves the model name to the request: use
    :func:`split_model` to get it. ``options`` go to the local model (``progress``,
    ``cache_dir``). ``client_factory`` makes a remote model's own HTTP clients (one per
    event loop) when no ``client`` is given, e.g. with other timeouts or retries.
    """
    provider, model = split_model(spec)
    if provider == "local":
        from fluent_ai.providers.local import LocalChatModel

        return LocalChatModel(model, **options)
    from fluent_ai.providers.remote import HttpChatModel

    profile, protocol = _remote(provider, base_url)
    if client_factory is None:
        return HttpChatModel(profile, protocol, api_key=api_key, base_url=base_url, client=client)
    return HttpChatModel(
        profile,
        protocol,
        api_key=api_key,
        base_url=base_url,
        client=client,
        client_factory=client_factory,
    )


def _remote(provider: str, base_url: str | None) -> tuple[ProviderProfile, ChatProtocol]:
    if provider in NATIVE:
        return NATIVE[provider]()
    from fluent_ai.providers.openai import OpenAIChatProtocol
    from fluent_ai.providers.openai.profiles import PROFILES, compatible_profile

    if provider == "openai-compatible":
        if not base_url:
            raise ConfigurationError(
                "openai-compatible/… needs a base URL: pass base_url= or --base-url"
            )
        profile = compatible_profile(base_url)
    elif provider in PROFILES:
        profile = PROFILES[provider]
    else:
        raise ConfigurationError(
            f"unknown provider {provider!r}; known providers: {', '.join(provider_names())}"
        )
    return profile, OpenAIChatProtocol.for_profile(profile)
