"""One provider's models from several catalogues: which source wins, field by field.

The rule, for every field of every model:

1. what recorded traffic showed (:func:`~fluent_ai.models.overlay.recorded`);
2. LiteLLM's catalogue, when it states the field;
3. aichat's catalogue, when it states the field;
4. fluent-ai's rules (:func:`~fluent_ai.models.overlay.derived`), for what neither states;
5. otherwise unknown (``None``; capability flags ``False``).

LiteLLM comes first because it records the vendors' own limits and prices, with the
vendor page each came from, and is revised far more often; aichat's catalogue records
what its client uses (Claude's output capped at 8,192 tokens, Gemini at the free
tier's price 0), which is right for aichat and wrong as a fact about the model. aichat
still supplies what only it knows: thinking variants (``claude-sonnet-4-6:thinking``)
with their wire name and budget, and the models LiteLLM does not list.

Models are matched by name, ignoring case, and kind; the name is spelled as the
highest-ranked catalogue spells it. Every :class:`ModelInfo` carries where each of its
fields came from (``ModelInfo.provenance``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from fluent_ai.models.entry import Entry
from fluent_ai.models.info import ModelInfo, ModelKind
from fluent_ai.models.overlay import derived, recorded

PRECEDENCE: Final[tuple[str, ...]] = ("litellm", "aichat")
"""Catalogues, most trusted first; any other source ranks after these, by name."""

RULE: Final = "rule"
RECORDING: Final = "recording"

_NOT_FACTS: Final = frozenset({"name", "kind"})


def ranked(sources: Iterable[str]) -> list[str]:
    """``sources`` in precedence order."""
    rank = {name: index for index, name in enumerate(PRECEDENCE)}
    return sorted(sources, key=lambda name: (rank.get(name, len(rank)), name))


def merge(provider: str, catalogues: Mapping[str, Iterable[Entry]]) -> list[ModelInfo]:
    """``provider``'s models, each merged from every catalogue that lists it."""
    groups: dict[tuple[str, ModelKind], list[tuple[str, Entry]]] = {}
    for source in ranked(catalogues):
        for entry in catalogues[source]:
            key = (entry["name"].lower(), entry.get("kind", "chat"))
            groups.setdefault(key, []).append((source, entry))
    return [_model(provider, groups[key], groups) for key in sorted(groups)]


def _model(
    provider: str,
    listings: list[tuple[str, Entry]],
    others: Mapping[tuple[str, ModelKind], list[tuple[str, Entry]]],
) -> ModelInfo:
    name = listings[0][1]["name"]
    kind: ModelKind = listings[0][1].get("kind", "chat")
    stated: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for field, value in recorded(provider, name).items():
        stated[field], sources[field] = value, RECORDING
    # A variant (``claude-sonnet-4-6:thinking``) is the model it sends, with a few
    # fields of its own: what it does not state, it inherits from that model.
    api_name = next((e["api_name"] for _, e in listings if "api_name" in e), None)
    base = others.get((api_name.lower(), kind), []) if api_name else []
    for source, entry in [*listings, *base]:
        for field, value in entry.items():
            if field not in _NOT_FACTS and field not in stated:
                stated[field], sources[field] = value, source
    for field, value in derived(provider, name, kind, stated).items():
        stated[field], sources[field] = value, RULE
    chat = kind == "chat"
    return ModelInfo(
        provider=provider,
        name=name,
        kind=kind,
        api_name=stated.get("api_name", name),
        max_input_tokens=stated.get("max_input_tokens"),
        max_output_tokens=stated.get("max_output_tokens"),
        input_price=stated.get("input_price"),
        output_price=stated.get("output_price"),
        cached_input_price=stated.get("cached_input_price"),
        cache_write_price=stated.get("cache_write_price"),
        supports_vision=bool(stated.get("supports_vision")),
        supports_tools=bool(stated.get("supports_tools")),
        supports_json_schema=chat and bool(stated.get("supports_json_schema")),
        supports_thinking=chat and bool(stated.get("supports_thinking")),
        supports_streaming=chat,
        thinking_budget=stated.get("thinking_budget"),
        embedding_dimensions=stated.get("embedding_dimensions"),
        max_batch_size=stated.get("max_batch_size"),
        max_tokens_per_text=stated.get("max_tokens_per_text"),
        deprecation_date=stated.get("deprecation_date"),
        provenance=tuple(sorted(sources.items())),
    )
