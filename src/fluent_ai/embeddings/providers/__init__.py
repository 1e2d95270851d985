"""One module per embedding vendor: its wire format and its profile (URL, key, default model)."""

from __future__ import annotations

from fluent_ai.embeddings.providers.cohere import COHERE, CohereWire
from fluent_ai.embeddings.providers.gemini import GEMINI, GeminiWire
from fluent_ai.embeddings.providers.jina import JINA, JinaWire
from fluent_ai.embeddings.providers.mistral import MISTRAL, MistralWire
from fluent_ai.embeddings.providers.ollama import OLLAMA, OllamaWire
from fluent_ai.embeddings.providers.openai import OPENAI, OpenAIWire, compatible_profile
from fluent_ai.embeddings.providers.voyage import VOYAGE, VoyageWire
from fluent_ai.embeddings.wire import EmbeddingWire
from fluent_ai.providers.base import ProviderProfile

REMOTE: dict[str, tuple[ProviderProfile, type[EmbeddingWire]]] = {
    "openai": (OPENAI, OpenAIWire),
    "cohere": (COHERE, CohereWire),
    "mistral": (MISTRAL, MistralWire),
    "gemini": (GEMINI, GeminiWire),
    "voyage": (VOYAGE, VoyageWire),
    "jina": (JINA, JinaWire),
    "ollama": (OLLAMA, OllamaWire),
}
"""Every remote vendor by provider name: its profile and its wire class."""

__all__ = [
    "COHERE",
    "GEMINI",
    "JINA",
    "MISTRAL",
    "OLLAMA",
    "OPENAI",
    "REMOTE",
    "VOYAGE",
    "CohereWire",
    "GeminiWire",
    "JinaWire",
    "MistralWire",
    "OllamaWire",
    "OpenAIWire",
    "VoyageWire",
    "compatible_profile",
]
