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
    message = (body.get("output") or {}).get("message") or {}
    content = message.get("content") or []
    events: list[StreamEvent] = []
    for index, block in enumerate(content):
        events.extend(_block_events(index, block))
    if body.get("usage"):
        events.append(UsageUpdate(read_usage(body["usage"])))
    data = {k: v for k, v in body.items() if k not in _READ and v is not None}
    if not all(is_neutral(block) for block in content):
        data[CONTENT_KEY] = [content]
    if data:
        events.append(ProviderData(data))
    if body.get("stopReason"):  # last, as in every protocol (providers.ordering)
        events.append(finish(body["stopReason"]))
    return events


def _block_events(index: int, block: Mapping[str, Any]) -> list[StreamEvent]:
    """The events a stream would send for one whole block (none for blocks without a part)."""
    if "text" in block:
        return [TextDelta(block["text"])] if block["text"] else []
    if "reasoningContent" in block:
        reasoning = block["reasoningContent"]
        if "redactedContent" in reasoning:
            return [ThinkingDelta(redacted=reasoning["redactedContent"])]
        text = reasoning.get("reasoningText") or {}
        return [ThinkingDelta(text.get("text", ""), signature=text.get("signature"))]
    use = block.get("toolUse")
    if use is not None and use.get("type") != SERVER_TOOL_USE:
        arguments = json.dumps(use.get("input", {}), ensure_ascii=False)
        return [
            ToolCallStart(index, use["toolUseId"], use["name"]),
            ToolCallDelta(index, arguments),
            ToolCallEnd(index),
        ]
    return []
