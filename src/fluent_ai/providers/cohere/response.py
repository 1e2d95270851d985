"""A whole Cohere v2 chat response as stream events, and the readings streams share with it.

* ``message.content`` items are text or, from reasoning models, ``thinking``; then comes
  ``tool_plan`` (also thinking, see :mod:`.messages`), then ``tool_calls``. That is the
  order a stream sends them in.
* ``citations`` (spans of the answer grounded in documents or tool results) have no
  neutral home: they arrive as :class:`~fluent_ai.types.ProviderData` under
  ``citations``, like every other field this module does not read.
* Usage: ``usage.tokens`` counts what the model read and wrote, ``usage.billed_units``
  what Cohere charges (fewer: Cohere's own preamble and tool templates are not billed),
  ``cached_tokens`` the part of the prompt read from cache, counted in model tokens.
  The neutral counts are the ones that get priced, so they are the billed units (the
  tokens where a response has no ``billed_units``, field by field): pricing
  ``tokens`` overcharged a short prompt many times over (496 tokens read, 1 billed).
  ``cache_read_tokens`` is ``cached_tokens`` only when the counts are tokens: Cohere
  does not say how many of the billed units were cache reads, and publishes no cache
  price, so against billed units it is 0. The whole usage object, raw counts
  included, is kept in ``Usage.details``.
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
    """The billed counts, as the module docstring explains; the raw ones in ``details``."""
    tokens = raw.get("tokens") or {}
    billed = raw.get("billed_units") or {}

    def count(key: str) -> tuple[int, bool]:
        """The count for ``key`` and whether it is in billed units."""
        value = billed.get(key)
        if value is not None:
            return int(value), True
        return int(tokens.get(key) or 0), False

    input_tokens, input_billed = count("input_tokens")
    cached = 0 if input_billed else min(int(raw.get("cached_tokens") or 0), input_tokens)
    return Usage(
        input_tokens=input_tokens,
        output_tokens=count("output_tokens")[0],
        cache_read_tokens=cached,
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
