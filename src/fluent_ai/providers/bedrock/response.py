"""A whole Converse response as stream events.

Usage: Bedrock counts ``inputTokens`` *without* the prompt read from or written to its
cache (``totalTokens`` is the sum of all four counts), so the neutral ``input_tokens``
adds ``cacheReadInputTokens`` and ``cacheWriteInputTokens`` back; those two are also
reported as ``cache_read_tokens`` / ``cache_write_tokens``. Every other usage field
(``totalTokens``, the older ``…TokenCount`` spellings, ``serverToolUsage``,
``cacheDetails``) is kept in ``Usage.details``.

The response names neither an id nor the model (both live in the URL and headers), so
no :class:`ResponseStart` is sent. Fields with no neutral home (``metrics``,
``additionalModelResponseFields``, ``trace``, ``performanceConfig``, ``serviceTier``)
arrive as :class:`ProviderData` under their own names, and so does the content list
when it holds blocks without a neutral part (see :mod:`fluent_ai.providers.bedrock.history`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.bedrock.blocks import SERVER_TOOL_USE, is_neutral
from fluent_ai.providers.bedrock.history import CONTENT_KEY
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
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallStart,
    Usage,
    UsageUpdate,
)

_PROVIDER = "bedrock"

FINISH_REASONS = {
    "end_turn": FinishReason.STOP,
    "stop_sequence": FinishReason.STOP,
    "max_tokens": FinishReason.LENGTH,
    "model_context_window_exceeded": FinishReason.LENGTH,
    "tool_use": FinishReason.TOOL_CALLS,
    "guardrail_intervened": FinishReason.CONTENT_FILTER,
    "content_filtered": FinishReason.CONTENT_FILTER,
    # The model wrote something Bedrock could not parse as an answer or a tool call.
    "malformed_model_output": FinishReason.ERROR,
    "malformed_tool_use": FinishReason.ERROR,
}

_READ = frozenset({"output", "stopReason", "usage"})
"""Response fields read into neutral events; the others become :class:`ProviderData`."""

_COUNTED = frozenset(
    {"inputTokens", "outputTokens", "cacheReadInputTokens", "cacheWriteInputTokens"}
)


def read_usage(usage: Mapping[str, Any]) -> Usage:
    read = usage.get("cacheReadInputTokens") or 0
    written = usage.get("cacheWriteInputTokens") or 0
    return Usage(
        input_tokens=(usage.get("inputTokens") or 0) + read + written,
        output_tokens=usage.get("outputTokens") or 0,
        cache_read_tokens=read,
        cache_write_tokens=written,
        details={k: v for k, v in usage.items() if k not in _COUNTED and v is not None},
    )


def finish(stop_reason: str) -> Finish:
    return Finish(FINISH_REASONS.get(stop_reason, FinishReason.OTHER), stop_reason)


def decode_response(body: Mapping[str, Any]) -> list[StreamEvent]:
    message = optional_mapping(optional_mapping(body, "output", _PROVIDER), "message", _PROVIDER)
    content = optional_objects(message, "content", _PROVIDER)
    events: list[StreamEvent] = []
    for index, block in enumerate(content):
        events.extend(_block_events(index, block))
    if usage := optional_mapping(body, "usage", _PROVIDER):
        events.append(UsageUpdate(read_usage(usage)))
    data = {k: v for k, v in body.items() if k not in _READ and v is not None}
    if not all(is_neutral(block) for block in content):
        data[CONTENT_KEY] = [content]
    if data:
        events.append(ProviderData(data))
    if stop_reason := optional_text(body, "stopReason", _PROVIDER):
        events.append(finish(stop_reason))  # last, as in every protocol (providers.ordering)
    return events


def _block_events(index: int, block: Mapping[str, Any]) -> list[StreamEvent]:
    """The events a stream would send for one whole block (none for blocks without a part)."""
    if "text" in block:
        text = required_text(block, "text", _PROVIDER)
        return [TextDelta(text)] if text else []
    if "reasoningContent" in block:
        reasoning = optional_mapping(block, "reasoningContent", _PROVIDER)
        if "redactedContent" in reasoning:
            return [ThinkingDelta(redacted=required_text(reasoning, "redactedContent", _PROVIDER))]
        said = optional_mapping(reasoning, "reasoningText", _PROVIDER)
        signature = optional_text(said, "signature", _PROVIDER)
        return [ThinkingDelta(optional_text(said, "text", _PROVIDER) or "", signature=signature)]
    use = optional_mapping(block, "toolUse", _PROVIDER) if "toolUse" in block else None
    if use is not None and use.get("type") != SERVER_TOOL_USE:
        arguments = json.dumps(use.get("input", {}), ensure_ascii=False)
        call_id, name = (
            required_text(use, "toolUseId", _PROVIDER),
            required_text(use, "name", _PROVIDER),
        )
        return [
            ToolCallStart(index, call_id, name),
            ToolCallDelta(index, arguments),
            ToolCallEnd(index),
        ]
    return []
