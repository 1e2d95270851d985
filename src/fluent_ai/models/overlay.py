"""What fluent-ai adds to the catalogues: capabilities and prices they do not record.

aichat's catalogue knows limits, input and output prices, vision and tool support;
LiteLLM's adds JSON-schema and reasoning flags and cache prices for the models it
lists. For the rest (which models accept a JSON schema, which can think before
answering, what a prompt-cache hit costs, how long an embedding vector is) the
hand-kept rules below fill the gaps, applied when the registry loads a provider, so a
rule can be corrected without regenerating any data. A rule never overrides what a
catalogue states, except :data:`TOOLS`, which records what real traffic showed.

The rules are defaults drawn from the vendors' documentation at the time of writing,
matched on model names; they are deliberately conservative (a feature is only claimed
where the vendor documents it for that model family).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from fluent_ai.models.info import ModelKind

Field = dict[str, object]
"""Field name → value, as in :class:`~fluent_ai.models.entry.Entry`."""

_OPENAI_SCHEMA = r"(gpt-4o|gpt-4\.1|gpt-5|o[134])"
JSON_SCHEMA: Final[dict[str, re.Pattern[str]]] = {
    provider: re.compile(pattern)
    for provider, pattern in {
        "openai": f"^{_OPENAI_SCHEMA}",
        "github": f"^{_OPENAI_SCHEMA}",
        "openrouter": rf"^(openai/{_OPENAI_SCHEMA}|google/gemini)",
        "google": r"^gemini",
        "vertexai": r"^gemini",
        "mistral": r"",
        "xai": r"^grok",
        "cohere": r"^command-[ar]",
        "groq": r"^(openai/gpt-oss|moonshotai/kimi-k2|meta-llama/llama-4)",
    }.items()
}
"""Provider → the chat models whose API takes a JSON schema for structured output."""

THINKING: Final = re.compile(
    r"thinking|reason(ing|er)|deep-research|(^|[/.-])(o[134]|r1)(-|$)|gpt-5(?!-chat)|gpt-oss"
    r"|claude-(opus|sonnet|haiku)-4|claude-3[.-]7|gemini-(2\.5|3)|deepseek-(reasoner|v3\.[12])"
    r"|magistral|qwq|qwen3\.5|qwen3-max|qwen3-32b|qwen3-30b-a3b$|glm-(4\.[5-7]|5)|kimi-k2\.5"
    r"|minimax-m2|grok-(4|3-mini|code)|ernie-(x1|5)"
)
"""Chat models that can reason before they answer (lower-case names)."""

NOT_THINKING: Final = re.compile(r"non-reasoning|:instruct$")
"""Variants of thinking models that have reasoning switched off."""

CACHE_PRICES: Final[tuple[tuple[frozenset[str], re.Pattern[str], float, float | None], ...]] = (
    # (providers, model names, cache-read and cache-write price as a share of input)
    (
        frozenset({"anthropic", "vertexai", "bedrock", "openrouter"}),
        re.compile("claude"),
        0.1,
        1.25,
    ),
    (frozenset({"openai", "openrouter"}), re.compile(r"(^|/)gpt-5"), 0.1, None),
    (frozenset({"openai", "openrouter"}), re.compile(r"(^|/)(gpt-4\.1|o3$|o4-mini)"), 0.25, None),
    (frozenset({"openai", "openrouter"}), re.compile(r"(^|/)(gpt-4o|o1|o3-mini)"), 0.5, None),
    (frozenset({"google", "vertexai", "openrouter"}), re.compile(r"gemini-(2\.5|3)"), 0.1, None),
    (frozenset({"google", "vertexai", "openrouter"}), re.compile(r"gemini-2\.0"), 0.25, None),
    (frozenset({"deepseek"}), re.compile(r"^deepseek-(chat|reasoner)$"), 0.1, None),
)
"""Prompt-cache prices; models not matched are charged the input price for cached tokens."""

TOOLS: Final[dict[str, re.Pattern[str]]] = {
    # Recorded traffic (shared/recordings/deepseek) shows deepseek-reasoner calling tools,
    # which the catalogue predates.
    "deepseek": re.compile(r"^deepseek-reasoner$"),
    # shared/recordings/bedrock shows Amazon Nova models calling tools.
    "bedrock": re.compile(r"^(?:[a-z]+\.)?amazon\.nova-"),
    # shared/recordings/cohere shows command-r7b calling tools; Cohere documents tool
    # use for command-a-reasoning, and Mistral for its Magistral reasoning models.
    "cohere": re.compile(r"^command-(r7b|a-reasoning)"),
    "mistral": re.compile(r"^magistral-"),
}
"""Provider → chat models that call tools although the catalogue says they do not."""

EMBEDDING_DIMENSIONS: Final[dict[str, int]] = {
    "text-embedding-3-large": 3072,
    "text-embedding-3-small": 1536,
    "text-embedding-ada-002": 1536,
    "text-embedding-004": 768,
    "text-embedding-005": 768,
    "text-multilingual-embedding-002": 768,
    "gemini-embedding-001": 3072,
    "mistral-embed": 1024,
    "embed-v4.0": 1536,
    "embed-english-v3.0": 1024,
    "embed-multilingual-v3.0": 1024,
    "cohere.embed-english-v3": 1024,
    "cohere.embed-multilingual-v3": 1024,
    "cohere-embed-v3-english": 1024,
    "cohere-embed-v3-multilingual": 1024,
    "@cf/baai/bge-large-en-v1.5": 1024,
    "baai/bge-large-en-v1.5": 1024,
    "baai/bge-m3": 1024,
    "bge-large-en": 1024,
    "bge-large-zh": 1024,
    "intfloat/e5-large-v2": 1024,
    "intfloat/multilingual-e5-large": 1024,
    "thenlper/gte-large": 1024,
    "text-embedding-v3": 1024,
    "text-embedding-v4": 1024,
    "hunyuan-embedding": 1024,
    "embedding-3": 2048,
    "jina-embeddings-v3": 1024,
    "jina-clip-v2": 1024,
    "voyage-3-large": 1024,
    "voyage-3": 1024,
    "voyage-3-lite": 512,
}
"""Embedding model (lower-case name) → vector length, the default where it is adjustable."""


def derived(provider: str, name: str, kind: ModelKind, stated: Mapping[str, object]) -> Field:
    """What the rules above say about the fields the catalogues left unstated.

    ``stated`` holds the merged catalogue values; only fields missing from it (or
    ``None``) are filled. Cache prices are derived from the stated input price.
    """
    lowered = name.lower()
    chat = kind == "chat"
    found: dict[str, object] = {}
    if chat:
        found["supports_json_schema"] = _listed(JSON_SCHEMA, provider, lowered)
        found["supports_thinking"] = _thinking(lowered, stated)
        read_share, write_share = _cache_shares(provider, lowered)
        found["cached_input_price"] = _share(stated.get("input_price"), read_share)
        found["cache_write_price"] = _share(stated.get("input_price"), write_share)
    if kind == "embedding":
        found["embedding_dimensions"] = EMBEDDING_DIMENSIONS.get(lowered)
    return {
        field: value
        for field, value in found.items()
        if value is not None and stated.get(field) is None
    }


def recorded(provider: str, name: str) -> Field:
    """What recorded traffic shows a model doing, whatever the catalogues say."""
    if _listed(TOOLS, provider, name.lower()):
        return {"supports_tools": True}
    return {}


def _listed(rules: dict[str, re.Pattern[str]], provider: str, name: str) -> bool:
    pattern = rules.get(provider)
    return pattern is not None and pattern.match(name) is not None


def _thinking(name: str, stated: Mapping[str, object]) -> bool:
    if NOT_THINKING.search(name):
        return False
    return stated.get("thinking_budget") is not None or THINKING.search(name) is not None


def _cache_shares(provider: str, name: str) -> tuple[float | None, float | None]:
    for providers, pattern, read, write in CACHE_PRICES:
        if provider in providers and pattern.search(name):
            return read, write
    return None, None


def _share(price: object, share: float | None) -> float | None:
    if not isinstance(price, float) or share is None:
        return None
    return round(price * share, 6)
