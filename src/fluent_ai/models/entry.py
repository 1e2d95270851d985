"""The catalogue facts about one model, as stored in the generated data modules.

An :class:`Entry` holds only what the upstream catalogue says, already normalised:
fluent-ai field names, absent ``False`` flags and absent limits left out. Keeping the
generated data a pure function of the catalogue is what makes regeneration
incremental: a provider's module changes exactly when its catalogue section does.
Everything fluent-ai adds on top (aliases, capabilities the catalogue lacks, cache
prices, embedding sizes) is applied when the registry loads, see ``overlay``.
"""

from __future__ import annotations

from typing import Final, TypedDict

from fluent_ai.models.info import ModelKind


class Entry(TypedDict, total=False):
    """One model as the catalogue describes it; only ``name`` is always present."""

    name: str
    kind: ModelKind
    api_name: str
    max_input_tokens: int
    max_output_tokens: int
    input_price: float
    output_price: float
    supports_vision: bool
    supports_tools: bool
    thinking_budget: int
    max_batch_size: int
    max_tokens_per_text: int


ENTRY_FIELDS: Final[tuple[str, ...]] = tuple(Entry.__annotations__)
"""Every field in the order the generated modules write them."""

INT_FIELDS: Final = frozenset(
    {
        "max_input_tokens",
        "max_output_tokens",
        "thinking_budget",
        "max_batch_size",
        "max_tokens_per_text",
    }
)
PRICE_FIELDS: Final = frozenset({"input_price", "output_price"})
FLAG_FIELDS: Final = frozenset({"supports_vision", "supports_tools"})

EntryKey = tuple[str, ModelKind]
"""What identifies a model within a provider: its name and kind.

The name alone is not enough: the catalogue lists ``jina-colbert-v2`` twice, once as an
embedding model and once as a reranker.
"""


def entry_key(entry: Entry) -> EntryKey:
    """The ``(name, kind)`` pair that identifies ``entry`` within its provider."""
    return entry["name"], entry.get("kind", "chat")


def field_value(entry: Entry, field: str) -> object:
    """The value of ``field`` with the defaults left out of the data filled back in."""
    if field == "kind":
        return entry.get("kind", "chat")
    if field in FLAG_FIELDS:
        return entry.get(field, False)
    return entry.get(field)
