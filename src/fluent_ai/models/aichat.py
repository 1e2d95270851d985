"""Read aichat's community model catalogue (``models.yaml``) into :class:`Entry` records.

The catalogue is a YAML list of ``{provider, models}`` sections. Each model is checked
field by field, so a malformed catalogue is reported as a :class:`CatalogueError`
naming the provider, model and field rather than surfacing later as a ``KeyError``.
Fields fluent-ai has no use for (``require_max_tokens``, ``default_chunk_size``, the
request ``patch`` apart from a thinking budget) are ignored.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, cast

import yaml

from fluent_ai.models.entry import Catalogue, Entry, EntryKey, entry_key
from fluent_ai.models.errors import CatalogueError
from fluent_ai.models.info import MODEL_KINDS
from fluent_ai.models.providers import LOCAL, catalogue_provider_id

try:  # libyaml's parser is several times faster; both refuse to build arbitrary objects
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]

_INT_FIELDS = {
    "max_input_tokens": "max_input_tokens",
    "max_output_tokens": "max_output_tokens",
    "max_batch_size": "max_batch_size",
    "max_tokens_per_chunk": "max_tokens_per_text",
}
_PRICE_FIELDS = {"input_price": "input_price", "output_price": "output_price"}
_FLAG_FIELDS = {
    "supports_vision": "supports_vision",
    "supports_function_calling": "supports_tools",
}
_TRAILING_BLANKS = re.compile(r"[ \t]+$", re.MULTILINE)


def parse_catalogue(text: str) -> Catalogue:
    """Parse catalogue YAML; raises :class:`CatalogueError` on anything malformed."""
    # YAML allows trailing tabs after a scalar and upstream has had one
    # (``mistralai/pixtral-12b\t``), but PyYAML rejects them.
    text = _TRAILING_BLANKS.sub("", text)
    try:
        data = yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        raise CatalogueError(f"the catalogue is not valid YAML: {exc}") from exc
    if not isinstance(data, list):
        raise CatalogueError("the catalogue should be a YAML list of provider sections")
    catalogue: Catalogue = {}
    for position, section in enumerate(data, start=1):
        provider, entries = _section(position, section)
        if provider in catalogue:
            raise CatalogueError(f"provider {provider!r} appears twice in the catalogue")
        catalogue[provider] = entries
    return catalogue


def _section(position: int, section: object) -> tuple[str, tuple[Entry, ...]]:
    if not isinstance(section, Mapping) or not isinstance(section.get("provider"), str):
        raise CatalogueError(f"catalogue section {position} has no provider name")
    provider = catalogue_provider_id(section["provider"])
    if not provider or provider == LOCAL:
        raise CatalogueError(f"catalogue provider name {section['provider']!r} is not usable")
    models = section.get("models") or []
    if not isinstance(models, list):
        raise CatalogueError(f"{provider}: 'models' should be a list")
    entries: dict[EntryKey, Entry] = {}
    for raw in models:
        entry = _entry(provider, raw)
        key = entry_key(entry)
        if key in entries:
            raise CatalogueError(f"{provider}/{key[0]} ({key[1]}) is listed twice")
        entries[key] = entry
    return provider, tuple(entries[key] for key in sorted(entries))


def _entry(provider: str, raw: object) -> Entry:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("name"), str) or not raw["name"]:
        raise CatalogueError(f"{provider}: every model needs a non-empty string 'name'")
    name: str = raw["name"]
    where = f"{provider}/{name}"
    entry: dict[str, Any] = {"name": name}
    kind = raw.get("type", "chat")
    if kind not in MODEL_KINDS:
        raise CatalogueError(f"{where}: unknown type {kind!r}, expected one of {MODEL_KINDS}")
    if kind != "chat":
        entry["kind"] = kind
    real_name = raw.get("real_name")
    if real_name is not None and not isinstance(real_name, str):
        raise CatalogueError(f"{where}: 'real_name' should be a string")
    if real_name and real_name != name:
        entry["api_name"] = real_name
    for source, field in _INT_FIELDS.items():
        value = raw.get(source)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise CatalogueError(f"{where}: {source!r} should be a whole number, got {value!r}")
        entry[field] = value
    for source, field in _PRICE_FIELDS.items():
        value = raw.get(source)
        if value is None:
            continue
        # The range check is also false for NaN.
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 0 <= value < math.inf
        ):
            raise CatalogueError(f"{where}: {source!r} should be a price, got {value!r}")
        entry[field] = float(value)
    for source, field in _FLAG_FIELDS.items():
        value = raw.get(source, False)
        if not isinstance(value, bool):
            raise CatalogueError(f"{where}: {source!r} should be true or false, got {value!r}")
        if value:
            entry[field] = True
    budget = thinking_budget(raw.get("patch"))
    if budget is not None:
        entry["thinking_budget"] = budget
    return cast(Entry, entry)


def thinking_budget(patch: object) -> int | None:
    """The token budget of a ``thinking: {type: enabled, budget_tokens: N}`` in a request patch.

    The catalogue turns thinking on for variants such as ``claude-sonnet-4-6:thinking``
    by patching the request body; the budget is the one part of that patch every
    Anthropic-style provider needs, wherever the body nests it.
    """
    if not isinstance(patch, Mapping):
        return None
    thinking = patch.get("thinking")
    if isinstance(thinking, Mapping) and thinking.get("type") == "enabled":
        budget = thinking.get("budget_tokens")
        if isinstance(budget, int) and not isinstance(budget, bool) and budget > 0:
            return budget
    for value in patch.values():
        found = thinking_budget(value)
        if found is not None:
            return found
    return None
