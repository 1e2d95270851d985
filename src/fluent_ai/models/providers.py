"""Provider names: the catalogue's, fluent-ai's, and the ones people type.

The upstream catalogue names some providers after a product (``claude``, ``gemini``);
fluent-ai names every provider after the API it talks to (``anthropic``, ``google``),
the same ids ``fluent_ai.providers`` uses. Users may type either.
"""

from __future__ import annotations

import re
from typing import Final

LOCAL: Final = "local"
"""The offline provider; its models are described by hand in ``models.local``."""

CATALOGUE_PROVIDERS: Final[dict[str, str]] = {
    "claude": "anthropic",
    "gemini": "google",
}
"""Catalogue provider name → fluent-ai provider id, where the two differ."""

ALIASES: Final[dict[str, str]] = {
    **CATALOGUE_PROVIDERS,
    "gpt": "openai",
    "grok": "xai",
    "x-ai": "xai",
    "vertex": "vertexai",
    "voyage": "voyageai",
    "zhipu": "zhipuai",
    "qwen": "qianwen",
    "dashscope": "qianwen",
    "kimi": "moonshot",
    "hf": "huggingface",
}
"""Other names users type for a provider → its id."""

WITHOUT_DATA: Final[tuple[str, ...]] = (
    "cerebras",
    "fireworks",
    "huggingface",
    "ollama",
    "ollama-native",
    "openai-compatible",
    "together",
)
"""Providers ``fluent_ai.providers`` can call that the catalogue does not describe.

The registry knows them by name only, so their models resolve with unknown limits
and prices instead of failing as an unknown provider.
"""

PREFERENCE: Final[tuple[str, ...]] = (
    LOCAL,
    "openai",
    "anthropic",
    "google",
    "mistral",
    "cohere",
    "xai",
    "deepseek",
    "ai21",
    "perplexity",
    "moonshot",
    "qianwen",
    "zhipuai",
    "minimax",
    "ernie",
    "hunyuan",
    "jina",
    "voyageai",
    "groq",
    "cloudflare",
    "deepinfra",
    "openrouter",
    "github",
    "vertexai",
    "bedrock",
)
"""Which provider a bare model name (no ``provider/``) belongs to when several list it.

The model's own maker comes first, then hosts of open models, then resellers and
clouds; providers missing here follow in alphabetical order.
"""

_NOT_ID = re.compile(r"[^a-z0-9_]+")


def provider_id(name: str) -> str:
    """The fluent-ai id for a provider name a user typed: lower case, aliases resolved."""
    lowered = name.strip().lower()
    return ALIASES.get(lowered, lowered)


def catalogue_provider_id(name: str) -> str:
    """The fluent-ai id for a catalogue provider name.

    Catalogue ids are also lower-case Python identifiers, so that each provider's
    generated module can be named after it.
    """
    ident = _NOT_ID.sub("_", provider_id(name)).strip("_")
    return f"p_{ident}" if ident[:1].isdigit() else ident


def preference_order(providers: set[str]) -> list[str]:
    """``providers`` sorted by :data:`PREFERENCE`, unlisted ones last and alphabetical."""
    rank = {name: index for index, name in enumerate(PREFERENCE)}
    return sorted(providers, key=lambda name: (rank.get(name, len(rank)), name))
