"""Read LiteLLM's model catalogue (``model_prices_and_context_window.json``) into entries.

The file is one JSON object keyed by model name, each value naming its
``litellm_provider`` and ``mode`` with limits, per-token prices and ``supports_*``
flags. It is the broadest public price list and keeps the dated and older models
(``gpt-4o-2024-08-06``, ``o3-mini``) that aichat's catalogue drops.

Only what fluent-ai can call is kept: the providers in :data:`PROVIDERS` and the modes
that are chat, embedding or reranking; image, audio, video, moderation and search
entries are skipped. Keys carry LiteLLM's routing prefix (``gemini/gemini-2.5-flash``,
``groq/openai/gpt-oss-120b``); the prefix is cut so the name is the one the vendor's
API takes. Keys that pin a region (``bedrock/us-east-1/…``, ``azure/eu/…``) are
regional price lists, not models, and are skipped.

LiteLLM's ``supports_response_schema`` means LiteLLM can produce structured output,
for Claude by emulating it with a tool call. fluent-ai sends Claude a real JSON schema
(``output_config.format``), so for the Anthropic-protocol providers only
``supports_native_structured_output`` counts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, cast

from fluent_ai.models.entry import Catalogue, Entry, EntryKey, entry_key
from fluent_ai.models.errors import CatalogueError
from fluent_ai.models.info import ModelKind


@dataclass(frozen=True, slots=True)
class _Provider:
    """How one of LiteLLM's providers maps onto fluent-ai's."""

    id: str
    slashes: bool = False
    """Whether the vendor's model names contain ``/`` (hosts of open models do)."""
    native_schema_only: bool = False
    """Whether only ``supports_native_structured_output`` means a real JSON schema."""


PROVIDERS: Final[dict[str, _Provider]] = {
    "openai": _Provider("openai"),
    "anthropic": _Provider("anthropic", native_schema_only=True),
    "gemini": _Provider("google"),
    "vertex_ai": _Provider("vertexai"),
    "vertex_ai-language-models": _Provider("vertexai"),
    "vertex_ai-embedding-models": _Provider("vertexai"),
    "vertex_ai-anthropic_models": _Provider("vertexai", native_schema_only=True),
    "vertex_ai-mistral_models": _Provider("vertexai"),
    "bedrock": _Provider("bedrock", native_schema_only=True),
    "bedrock_converse": _Provider("bedrock", native_schema_only=True),
    "mistral": _Provider("mistral"),
    "cohere": _Provider("cohere"),
    "cohere_chat": _Provider("cohere"),
    "xai": _Provider("xai"),
    "deepseek": _Provider("deepseek"),
    "groq": _Provider("groq", slashes=True),
    "perplexity": _Provider("perplexity"),
    "together_ai": _Provider("together", slashes=True),
    "fireworks_ai": _Provider("fireworks", slashes=True),
    "fireworks_ai-embedding-models": _Provider("fireworks", slashes=True),
    "deepinfra": _Provider("deepinfra", slashes=True),
    "openrouter": _Provider("openrouter", slashes=True),
    "cloudflare": _Provider("cloudflare", slashes=True),
    "cerebras": _Provider("cerebras"),
    "ollama": _Provider("ollama"),
    "voyage": _Provider("voyageai"),
    "jina_ai": _Provider("jina"),
    "ai21": _Provider("ai21"),
    "moonshot": _Provider("moonshot"),
    "minimax": _Provider("minimax"),
    "dashscope": _Provider("qianwen"),
    "azure": _Provider("azure"),
}
"""LiteLLM provider → fluent-ai provider; providers not listed are skipped."""

_PREFIXES: Final[dict[str, tuple[str, ...]]] = {
    "vertex_ai": ("vertex_ai",),
    "vertex_ai-language-models": ("vertex_ai",),
    "vertex_ai-embedding-models": ("vertex_ai",),
    "vertex_ai-anthropic_models": ("vertex_ai",),
    "vertex_ai-mistral_models": ("vertex_ai",),
    "bedrock_converse": ("bedrock",),
    "cohere_chat": ("cohere",),
    "fireworks_ai-embedding-models": ("fireworks_ai",),
    "jina_ai": ("jina_ai", "jina"),
}
"""Routing prefixes a key may start with, where they are not the provider's own name."""

_KINDS: Final[dict[str, ModelKind]] = {
    "chat": "chat",
    "responses": "chat",
    "embedding": "embedding",
    "rerank": "reranker",
}

_PER_MILLION: Final = 1_000_000
_INT_FIELDS: Final = {
    "max_input_tokens": "max_input_tokens",
    "max_output_tokens": "max_output_tokens",
}
_EMBEDDING_LIMITS: Final = {"max_input_tokens": "max_tokens_per_text"}
_PRICE_FIELDS: Final = {
    "input_cost_per_token": "input_price",
    "output_cost_per_token": "output_price",
    "cache_read_input_token_cost": "cached_input_price",
    "cache_creation_input_token_cost": "cache_write_price",
}
_FLAG_FIELDS: Final = {
    "supports_vision": "supports_vision",
    "supports_function_calling": "supports_tools",
    "supports_reasoning": "supports_thinking",
}


def parse_catalogue(text: str) -> Catalogue:
    """Parse LiteLLM's JSON; raises :class:`CatalogueError` on anything malformed."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CatalogueError(f"the LiteLLM catalogue is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise CatalogueError("the LiteLLM catalogue should be a JSON object keyed by model")
    found: dict[str, dict[EntryKey, tuple[bool, Entry]]] = {}
    for key, raw in data.items():
        if key == "sample_spec":  # the file documents its own fields under this key
            continue
        if not isinstance(raw, Mapping):
            raise CatalogueError(f"LiteLLM catalogue entry {key!r} should be an object")
        parsed = _entry(key, raw)
        if parsed is None:
            continue
        provider, prefixed, entry = parsed
        models = found.setdefault(provider, {})
        ident = entry_key(entry)
        if ident in models:
            entry = _combine(models[ident], (prefixed, entry))
            prefixed = True
        models[ident] = (prefixed, entry)
    return {
        provider: tuple(models[ident][1] for ident in sorted(models))
        for provider, models in sorted(found.items())
    }


def _entry(key: str, raw: Mapping[str, Any]) -> tuple[str, bool, Entry] | None:
    """``(provider, whether the key carried a prefix, entry)``, or None to skip it."""
    source = raw.get("litellm_provider")
    provider = PROVIDERS.get(source) if isinstance(source, str) else None
    kind = _KINDS.get(raw.get("mode") or "")
    if provider is None or kind is None or not isinstance(source, str):
        return None
    name, prefixed = _name(key, source)
    if not name or ("/" in name and not provider.slashes):
        return None
    entry: dict[str, Any] = {"name": name}
    if kind != "chat":
        entry["kind"] = kind
    # An embedding model's input limit applies to each text, not to a conversation.
    limits = _EMBEDDING_LIMITS if kind == "embedding" else _INT_FIELDS
    for field, target in limits.items():
        value = _whole(key, field, raw.get(field))
        if value is not None:
            entry[target] = value
    dimensions = _whole(key, "output_vector_size", raw.get("output_vector_size"))
    if dimensions is not None and kind == "embedding":
        entry["embedding_dimensions"] = dimensions
    for field, target in _PRICE_FIELDS.items():
        price = _price(key, field, raw.get(field))
        if price is not None:
            entry[target] = price
    for field, target in _FLAG_FIELDS.items():
        flag = _flag(key, field, raw.get(field))
        if flag is not None and kind == "chat":
            entry[target] = flag
    schema_field = "supports_response_schema"
    if provider.native_schema_only:
        schema_field = "supports_native_structured_output"
    schema = _flag(key, schema_field, raw.get(schema_field))
    if kind == "chat" and (schema is not None or provider.native_schema_only):
        entry["supports_json_schema"] = bool(schema)
    deprecation = raw.get("deprecation_date")
    if isinstance(deprecation, str) and deprecation:
        entry["deprecation_date"] = deprecation
    return provider.id, prefixed, cast(Entry, entry)


def _name(key: str, source: str) -> tuple[str, bool]:
    """The vendor's model name inside a LiteLLM key, and whether a prefix was cut."""
    for prefix in (source, *_PREFIXES.get(source, ())):
        if key.startswith(prefix + "/"):
            return key[len(prefix) + 1 :], True
    return key, False


def _combine(first: tuple[bool, Entry], second: tuple[bool, Entry]) -> Entry:
    """Two keys for one model (``deepseek-chat`` and ``deepseek/deepseek-chat``): the
    prefixed key, LiteLLM's own route to that provider, wins field by field."""
    ranked = sorted((first, second), key=lambda pair: not pair[0])
    merged: dict[str, Any] = {}
    for _, entry in reversed(ranked):
        merged.update(entry)
    return cast(Entry, merged)


def _whole(key: str, field: str, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CatalogueError(f"LiteLLM {key}: {field!r} should be a whole number, got {value!r}")
    return value


def _price(key: str, field: str, value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < math.inf:
        raise CatalogueError(f"LiteLLM {key}: {field!r} should be a price, got {value!r}")
    # Per token upstream, per million tokens here; rounding drops float noise such as
    # 0.15000000000000002 without touching any real price.
    return float(round(value * _PER_MILLION, 9))


def _flag(key: str, field: str, value: object) -> bool | None:
    if value is None:
        return None
    if not isinstance(value, bool):
        raise CatalogueError(f"LiteLLM {key}: {field!r} should be true or false, got {value!r}")
    return value
