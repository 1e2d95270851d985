"""The catalogue facts about one model, as stored in the generated data modules.

An :class:`Entry` holds only what one upstream catalogue says, already normalised:
fluent-ai field names, prices in USD per million tokens, unknown limits left out. A
flag is left out when the catalogue does not state it; aichat's catalogue only ever
states ``true``, LiteLLM's states both ``true`` and ``false``. Keeping the
generated data a pure function of the catalogue is what makes regeneration
incremental: a provider's module changes exactly when its catalogue section does.
Everything fluent-ai adds on top (aliases, capabilities the catalogue lacks, cache
prices, embedding sizes) is applied when the registry loads, see ``overlay``.
"""

from __future__ import annotations

from typing import Final, TypedDict

from fluent_ai.models.info import ModelKind


class Entry(TypedDict, total=False):
    """One model as a catalogue describes it; only ``name`` is always present."""

    name: str
    kind: ModelKind
    api_name: str
    max_input_tokens: int
    max_output_tokens: int
    input_price: float
    output_price: float
    cached_input_price: float
    cache_write_price: float
    supports_vision: bool
    supports_tools: bool
    supports_json_schema: bool
    supports_thinking: bool
    thinking_budget: int
    embedding_dimensions: int
    max_batch_size: int
    max_tokens_per_text: int
    deprecation_date: str


ENTRY_FIELDS: Final[tuple[str, ...]] = tuple(Entry.__annotations__)
"""Every field in the order the generated modules write them."""

INT_FIELDS: Final = frozenset(
    {
        "max_input_tokens",
        "max_output_tokens",
        "thinking_budget",
        "embedding_dimensions",
        "max_batch_size",
        "max_tokens_per_text",
    }
)
PRICE_FIELDS: Final = frozenset(
    {"input_price", "output_price", "cached_input_price", "cache_write_price"}
)
FLAG_FIELDS: Final = frozenset(
    {"supports_vision", "supports_tools", "supports_json_schema", "supports_thinking"}
)

Catalogue = dict[str, tuple[Entry, ...]]
"""One catalogue, read: provider id → its models, sorted by ``(name, kind)`` so that
reordering upstream is not a change."""

EntryKey = tuple[str, ModelKind]
"""What identifies a model within a provider: its name and kind.

The name alone is not enough: the catalogue lists ``jina-colbert-v2`` twice, once as an
embedding model and once as a reranker.
"""


def entry_key(entry: Entry) -> EntryKey:
    """The ``(name, kind)`` pair that identifies ``entry`` within its provider."""
    return entry["name"], entry.get("kind", "chat")


def field_value(entry: Entry, field: str) -> object:
    """The value of ``field``: ``kind`` defaults to ``"chat"``, anything unstated is ``None``."""
    if field == "kind":
        return entry.get("kind", "chat")
    return entry.get(field)
