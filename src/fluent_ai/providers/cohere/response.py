"""A whole Cohere v2 chat response as stream events, and the readings streams share with it.

* ``message.content`` items are text or, from reasoning models, ``thinking``; then comes
  ``tool_plan`` (also thinking, see :mod:`.messages`), then ``tool_calls``. That is the
  order a stream sends them in.
* ``citations`` (spans of the answer grounded in documents or tool results) have no
  neutral home: they arrive as :class:`~fluent_ai.types.ProviderData` under
  ``citations``, like every other field this module does not read.
* Usage: ``usage.tokens`` counts what the model read and wrote, ``usage.billed_units``
  what Cohere charges (fewer: Cohere's own preamble is not billed), ``cached_tokens``
  the part of the prompt read from cache. The neutral counts are the tokens (billed
  units where a response has no ``tokens``), since ``Usage.input_tokens`` counts every
  prompt token, cached ones included; the whole usage object is kept in
  ``Usage.details`` for billing.
* Finish reasons: ``COMPLETE`` and ``STOP_SEQUENCE`` are stop, ``MAX_TOKENS`` length,
  ``TOOL_CALL`` tool calls, ``ERROR`` and ``TIMEOUT`` error.

Cohere's response names no model, so :class:`~fluent_ai.types.ResponseStart` has none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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

CONTENT_KEY = "content_items"
"""Provider-data key for content items with no neutral part, as Cohere sent them."""

READ_TOP = frozenset({"id", "finish_reason", "message", "usage"})
READ_MESSAGE = frozenset({"role", "content", "tool_plan", "tool_calls"})

FINISH_REASONS = {
    "COMPLETE": FinishReason.STOP,
    "STOP_SEQUENCE": FinishReason.STOP,
    "MAX_TOKENS": FinishReason.LENGTH,
    "TOOL_CALL": FinishReason.TOOL_CALLS,
    "ERROR": FinishReason.ERROR,
    "TIMEOUT": FinishReason.ERROR,
}


def empty(value: Any) -> bool:
    """``None``, ``[]``, ``{}`` and ``""`` carry nothing worth handing over."""
    return value is None or (isinstance(value, list | dict | str) and not value)


def finish(raw: str) -> Finish:
    return Finish(FINISH_REASONS.get(raw, FinishReason.OTHER), raw)


def read_usage(raw: Mapping[str, Any]) -> Usage:
    tokens = raw.get("tokens") or {}
    billed = raw.get("billed_units") or {}

    def count(key: str) -> int:
        value = tokens.get(key)
        return int(value if value is not None else billed.get(key) or 0)

    return Usage(
        input_tokens=count("input_tokens"),
        output_tokens=count("output_tokens"),
        cache_read_tokens=int(raw.get("cached_tokens") or 0),
        details=dict(raw),
    )


def decode_response(body: Mapping[str, Any]) -> list[StreamEvent]:
    events: list[StreamEvent] = [ResponseStart(id=body.get("id"))]
    message = body.get("message") or {}
    unread: list[Any] = []
    for item in message.get("content") or ():
        kind = item.get("type")
        if kind == "text" and item.get("text"):
            events.append(TextDelta(item["text"]))
        elif kind == "thinking" and item.get("thinking"):
            events.append(ThinkingDelta(item["thinking"]))
        elif kind not in ("text", "thinking"):
            unread.append(item)
    if message.get("tool_plan"):
        events.append(ThinkingDelta(message["tool_plan"]))
    for index, call in enumerate(message.get("tool_calls") or ()):
        function = call.get("function") or {}
        events.append(ToolCallStart(index, call["id"], function.get("name") or ""))
        if function.get("arguments"):
            events.append(ToolCallDelta(index, function["arguments"]))
        events.append(ToolCallEnd(index))
    if isinstance(body.get("usage"), Mapping):
        events.append(UsageUpdate(read_usage(body["usage"])))
    extra = {k: v for k, v in body.items() if k not in READ_TOP and not empty(v)}
    extra.update((k, v) for k, v in message.items() if k not in READ_MESSAGE and not empty(v))
    if unread:
        extra[CONTENT_KEY] = unread
    if extra:
        events.append(ProviderData(extra))
    if isinstance(body.get("finish_reason"), str):  # last, as in every protocol
        events.append(finish(body["finish_reason"]))
    return events
