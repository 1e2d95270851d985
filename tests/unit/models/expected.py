"""An independent reckoning of the change set between two catalogue files.

Deliberately simple and separate from ``fluent_ai.models``: the raw YAML (tabs turned
into spaces rather than stripped), the catalogue's own key names, and plain set
arithmetic. The tests compare the library's answer with this one.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

RENAMED = {"claude": "anthropic", "gemini": "google"}

# catalogue key -> field name in fluent-ai's change set
TRACKED = {
    "real_name": "api_name",
    "max_input_tokens": "max_input_tokens",
    "max_output_tokens": "max_output_tokens",
    "input_price": "input_price",
    "output_price": "output_price",
    "supports_vision": "supports_vision",
    "supports_function_calling": "supports_tools",
    "max_batch_size": "max_batch_size",
    "max_tokens_per_chunk": "max_tokens_per_text",
}

Key = tuple[str, str, str]


def models(text: str) -> dict[Key, dict[str, Any]]:
    """(provider, name, kind) -> {field: value} straight from the YAML."""
    found = {}
    for section in yaml.safe_load(text.replace("\t", " ")):
        provider = RENAMED.get(section["provider"], section["provider"])
        for model in section["models"]:
            name = model["name"].strip()
            values = {field: model.get(key) for key, field in TRACKED.items()}
            values["supports_vision"] = bool(values["supports_vision"])
            values["supports_tools"] = bool(values["supports_tools"])
            if values["api_name"] == name:
                values["api_name"] = None
            budget = re.search(r'"budget_tokens": (\d+)', json.dumps(model.get("patch")))
            values["thinking_budget"] = int(budget.group(1)) if budget else None
            found[(provider, name, model.get("type", "chat"))] = values
    return found


def change_set(old_text: str, new_text: str) -> tuple[set[Key], dict[Key, set[str]], set[Key]]:
    """(added, modified with the names of the fields that changed, removed)."""
    old, new = models(old_text), models(new_text)
    modified = {}
    for key in old.keys() & new.keys():
        fields = {field for field in old[key] if old[key][field] != new[key][field]}
        if fields:
            modified[key] = fields
    return new.keys() - old.keys(), modified, old.keys() - new.keys()
