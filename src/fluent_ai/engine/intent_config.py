"""The ``intents:`` block of a router's YAML file: an intent router to route by.

::

    intents:
      default: general            # the route when nothing decides (every deployment
                                  # when none is tagged with it)
      method: centroid            # or knn, with k: 5
      threshold: 0.3
      embedder: local/all-minilm-l6-v2
      rules:
        - {route: vision, has_images: true}
        - {route: finance, keywords: [invoice, refund], name: money words}
      examples:
        code: ["fix this stack trace", "why does my loop never end"]

Examples are embedded when the file is loaded (with the local embedder, offline), so
a file whose embedder cannot start fails at ``from_config`` rather than at the first
call, and the first call does not wait for it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from fluent_ai._sync import run_sync
from fluent_ai.engine.intent import IntentRouter
from fluent_ai.engine.intent_rules import Rule
from fluent_ai.types import ConfigurationError

OPTION_KEYS = frozenset({"embedder", "method", "k", "threshold", "default"})
INTENT_KEYS = OPTION_KEYS | {"rules", "examples"}
RULE_KEYS = frozenset(f.name for f in dataclasses.fields(Rule) if not f.name.startswith("_"))


def intents_from(section: Any, where: str) -> IntentRouter:
    """The intent router the ``intents:`` mapping describes, its examples embedded."""
    if not isinstance(section, Mapping):
        raise ConfigurationError(f"{where} must be a mapping (rules, examples, default…)")
    _known(section, INTENT_KEYS, where)
    options = {key: section[key] for key in OPTION_KEYS if key in section}
    rules = [
        _rule(entry, f"{where}: rule {i + 1}") for i, entry in enumerate(_list(section, where))
    ]
    examples = _examples(section.get("examples"), where)
    try:
        intents = IntentRouter(**options)
    except (TypeError, ConfigurationError) as exc:
        raise ConfigurationError(f"{where}: {exc}") from None
    run_sync(intents.update(rules=rules, examples=examples))
    return intents


def _list(section: Mapping[str, Any], where: str) -> list[Any]:
    rules = section.get("rules") or []
    if not isinstance(rules, list):
        raise ConfigurationError(f"{where}: 'rules' must be a list of rules")
    return rules


def _rule(entry: Any, where: str) -> Rule:
    if not isinstance(entry, Mapping):
        raise ConfigurationError(f"{where} must be a mapping with a route and conditions")
    _known(entry, RULE_KEYS, where)
    values = dict(entry)
    if "keywords" in values and isinstance(values["keywords"], list):
        values["keywords"] = tuple(str(word) for word in values["keywords"])
    try:
        return Rule(**values)
    except TypeError as exc:
        raise ConfigurationError(f"{where}: {exc}") from None
    except ConfigurationError as exc:
        raise ConfigurationError(f"{where}: {exc}") from None


def _examples(examples: Any, where: str) -> dict[str, list[str]]:
    if examples is None:
        return {}
    if not isinstance(examples, Mapping) or not all(
        isinstance(texts, list) for texts in examples.values()
    ):
        raise ConfigurationError(f"{where}: 'examples' must map each route to a list of texts")
    return {str(route): list(texts) for route, texts in examples.items()}


def _known(entry: Mapping[str, Any], names: frozenset[str], where: str) -> None:
    unknown = set(map(str, entry)) - names
    if unknown:
        raise ConfigurationError(
            f"{where}: unknown setting(s) {', '.join(sorted(unknown))}; "
            f"use {', '.join(sorted(names))}"
        )
