"""The build-time check of ``.memory(...)``: its options turned into :class:`MemorySettings`.

Kept out of the builder so the builder stays a list of recorded calls. The memories'
token budget is what the context budget leaves once the ``.context(...)`` files are
in; ``learn=True`` learns with the agent's own model, which needs the agent to build
that model from a spec (a model object given to ``.model(...)`` names no spec).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.agent.checks import default_budget
from fluent_ai.agent.memory import MemorySettings, default_scope, learning, memory_problems
from fluent_ai.agent.model_choice import ModelChoice
from fluent_ai.models import ModelInfo
from fluent_ai.templates.tokenizer import DEFAULT_TOKENIZER
from fluent_ai.types import FluentAIError


def memory_settings(
    options: Mapping[str, Any],
    agent: str,
    choice: ModelChoice,
    budget: int | None,
    info: ModelInfo | None,
    context: str | None,
    problems: list[str],
) -> MemorySettings | None:
    """The checked ``.memory(...)`` options, or ``None`` with what is wrong in ``problems``."""
    found = memory_problems(options["memory"], options["k"], options["min_score"], options["learn"])
    scope = None
    try:
        scope = default_scope(options["scope"], agent)
    except (FluentAIError, TypeError, ValueError) as exc:
        found.append(f".memory(...): {exc}")
    if options["learn"] is True and choice.spec is None:
        found.append(
            ".memory(..., learn=True): the agent was given a model object, not a "
            "'provider/model' spec to learn with; pass the one to use, learn='provider/model'"
        )
    problems += found
    if found or scope is None:
        return None
    used = DEFAULT_TOKENIZER.count(context) if context else 0
    own = {"api_key": choice.api_key, "base_url": choice.base_url}
    return MemorySettings(
        memory=options["memory"],
        scope=scope,
        k=options["k"],
        store_turns=bool(options["store_turns"]),
        min_score=options["min_score"],
        budget_tokens=max(0, (budget or default_budget(info)) - used),
        **learning(options["learn"], choice.spec or "", own),
    )
