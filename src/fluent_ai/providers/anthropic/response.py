"""A whole Messages response as stream events, and the readings streams share with it.

Usage: Anthropic counts ``input_tokens`` *without* the cached prompt, so the neutral
``input_tokens`` adds ``cache_read_input_tokens`` and ``cache_creation_input_tokens``
back; those two are also reported as ``cache_read_tokens`` / ``cache_write_tokens``,
and ``output_tokens_details.thinking_tokens`` as ``reasoning_tokens``. Every other
usage field (``service_tier``, ``server_tool_use``, the cache TTL breakdown) is kept
in ``Usage.details``.

Message fields with no neutral home (``stop_sequence``, ``container``,
``context_management``, ``stop_details``) arrive as :class:`ProviderData` under their
own names, and so does the content list when it holds blocks without a neutral part
(see :mod:`fluent_ai.providers.anthropic.history`). Text on either side of a server
tool's blocks is kept apart by a paragraph break (:mod:`.text_blocks`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from fluent_ai.providers.anthropic.blocks import is_neutral, read_block
from fluent_ai.providers.anthropic.history import CONTENT_KEY
from fluent_ai.providers.anthropic.text_blocks import TextBoundary
from fluent_ai.providers.response_fields import (
    optional_mapping,
    optional_objects,
    optional_text,
    required_text,
)
from fluent_ai.types import (
    Finish,
    FinishReason,
    ProviderData,
    ResponseStart,
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallStart,
    Usage,
    UsageUpdate,
)

FINISH_REASONS = {
    "end_turn": FinishReason.STOP,
    "stop_sequence": FinishReason.STOP,
    "max_tokens": FinishReason.LENGTH,
    "model_context_window_exceeded": FinishReason.LENGTH,
    "tool_use": FinishReason.TOOL_CALLS,
    "refusal": FinishReason.CONTENT_FILTER,
    # A server tool loop hit its limit; sending the answer back continues it.
    "pause_turn": FinishReason.OTHER,
}

_PROVIDER = "anthropic"

MESSAGE_FIELDS = frozenset({"id", "type", "role", "model", "content", "stop_reason", "usage"})
"""Message fields read into neutral events; the others become :class:`ProviderData`."""

_COUNTED = frozenset(
    {"input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"}
)


def read_usage(usage: Mapping[str, Any]) -> Usage:
    read = usage.get("cache_read_input_tokens") or 0
    written = usage.get("cache_creation_input_tokens") or 0
    output_details = optional_mapping(usage, "output_tokens_details", _PROVIDER)
    return Usage(
        input_tokens=(usage.get("input_tokens") or 0) + read + written,
        output_tokens=usage.get("output_tokens") or 0,
        cache_read_tokens=read,
        cache_write_tokens=written,
        reasoning_tokens=output_details.get("thinking_tokens") or 0,
        details={k: v for k, v in usage.items() if k not in _COUNTED and v is not None},
    )


def finish(stop_reason: str) -> Finish:
    return Finish(FINISH_REASONS.get(stop_reason, FinishReason.OTHER), stop_reason)


def provider_data(fields: Mapping[str, Any], content: list[dict[str, Any]]) -> list[StreamEvent]:
    """One :class:`ProviderData` with the message's leftover fields, if there are any."""
    data = dict(fields)
    if not all(is_neutral(block) for block in content):
        data[CONTENT_KEY] = [content]
    return [ProviderData(data)] if data else []


def decode_response(body: Mapping[str, Any]) -> list[StreamEvent]:
    start = ResponseStart(
        id=optional_text(body, "id", _PROVIDER), model=optional_text(body, "model", _PROVIDER)
    )
    events: list[StreamEvent] = [start]
    content = [dict(block) for block in optional_objects(body, "content", _PROVIDER)]
    boundary = TextBoundary()
    for index, block in enumerate(content):
        separator = boundary.block(block.get("type"), readable=read_block(block) is not None)
        if separator:
            events.append(TextDelta(separator))
        events.extend(_block_events(index, block))
        if block.get("type") == "text":
            boundary.text(block["text"])
    if usage := optional_mapping(body, "usage", _PROVIDER):
        events.append(UsageUpdate(read_usage(usage)))
    fields = {k: v for k, v in body.items() if k not in MESSAGE_FIELDS and v is not None}
    events.extend(provider_data(fields, content))
    if stop_reason := optional_text(body, "stop_reason", _PROVIDER):
        events.append(finish(stop_reason))  # last, as in every protocol (providers.ordering)
    return events


def _block_events(index: int, block: Mapping[str, Any]) -> Iterable[StreamEvent]:
    """The events a stream sends for one whole block (none for blocks without a part)."""
    kind = block.get("type")
    if kind == "text":
        text = required_text(block, "text", _PROVIDER)
        return [TextDelta(text)] if text else []
    if kind == "thinking":
        thinking = optional_text(block, "thinking", _PROVIDER) or ""
        return [ThinkingDelta(thinking, signature=optional_text(block, "signature", _PROVIDER))]
    if kind == "redacted_thinking":
        return [ThinkingDelta(redacted=required_text(block, "data", _PROVIDER))]
    if kind == "tool_use":
        arguments = json.dumps(block.get("input") or {}, ensure_ascii=False)
        call_id, name = (
            required_text(block, "id", _PROVIDER),
            required_text(block, "name", _PROVIDER),
        )
        return [
            ToolCallStart(index, call_id, name),
            ToolCallDelta(index, arguments),
            ToolCallEnd(index),
        ]
    return []
