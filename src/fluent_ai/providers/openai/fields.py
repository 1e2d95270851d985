"""Response fields that whole bodies and stream chunks share: usage, finish reason, ids.

Vendors agree on the names that matter (``prompt_tokens``, ``finish_reason``) and
differ in the details, so each reading below lists every place a value is known to
live, in order of preference.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.response_fields import optional_count, optional_mapping, optional_text
from fluent_ai.types import BadResponseError, FinishReason, Usage

REASONING_FIELDS = ("reasoning_content", "reasoning")
"""Where vendors put thinking in a message or delta: DeepSeek's name, then the others'."""

_FINISH = {
    "stop": FinishReason.STOP,
    "length": FinishReason.LENGTH,
    "tool_calls": FinishReason.TOOL_CALLS,
    "function_call": FinishReason.TOOL_CALLS,
    "content_filter": FinishReason.CONTENT_FILTER,
    "error": FinishReason.ERROR,  # OpenRouter, when the upstream provider failed mid-answer
    "insufficient_system_resource": FinishReason.ERROR,  # DeepSeek cut the answer short
}

_CACHE_READ = (
    ("prompt_tokens_details", "cached_tokens"),  # OpenAI and most others
    ("prompt_cache_hit_tokens",),  # DeepSeek (also reports the OpenAI field)
    ("cached_tokens",),  # Together, via the Hugging Face router
)


def finish_reason(raw: str) -> FinishReason:
    """The neutral reason; values no table knows become ``OTHER`` (the raw word is kept)."""
    return _FINISH.get(raw, FinishReason.OTHER)


def usage(raw: Mapping[str, Any], provider: str | None = None) -> Usage:
    """Token counts from a ``usage`` object; the object itself is kept in ``details``."""
    prompt = optional_mapping(raw, "prompt_tokens_details", provider)
    completion = optional_mapping(raw, "completion_tokens_details", provider)
    return Usage(
        input_tokens=optional_count(raw, "prompt_tokens", provider),
        output_tokens=optional_count(raw, "completion_tokens", provider),
        cache_read_tokens=_first(raw, _CACHE_READ),
        cache_write_tokens=optional_count(prompt, "cache_write_tokens", provider),
        reasoning_tokens=optional_count(completion, "reasoning_tokens", provider),
        details=dict(raw),
    )


def _first(raw: Mapping[str, Any], paths: tuple[tuple[str, ...], ...]) -> int:
    for path in paths:
        value: Any = raw
        for key in path:
            value = value.get(key) if isinstance(value, Mapping) else None
        if isinstance(value, int):
            return value
    return 0


def tool_call_id(raw: Any) -> str:
    """The vendor's call id, or a fresh one where it sent none (Gemini sends ``""``).

    A tool result must name the call it answers, so an empty id cannot be sent back.
    """
    return raw if isinstance(raw, str) and raw else f"call_{uuid.uuid4().hex[:24]}"


def tool_name(call: Any, provider: str | None) -> str:
    """The function name of a tool call (``""`` where a stream's later pieces leave it out)."""
    if not isinstance(call, Mapping):
        raise BadResponseError(
            f"a tool call should be an object, not {call!r:.80}", provider=provider
        )
    return optional_text(optional_mapping(call, "function", provider), "name", provider) or ""


def arguments(raw: Any) -> str:
    """Tool-call arguments as JSON text (a few vendors send an object instead)."""
    if raw is None:
        return ""
    return raw if isinstance(raw, str) else json.dumps(raw)


def keep(data: dict[str, Any], source: Mapping[str, Any], skip: frozenset[str]) -> None:
    """Copy the fields with no neutral home into ``data``."""
    for key, value in source.items():
        if key not in skip and not empty(value):
            data[key] = value


def empty(value: Any) -> bool:
    """``None``, ``[]`` and ``{}`` carry nothing worth keeping."""
    return value is None or (isinstance(value, (list, dict)) and not value)
