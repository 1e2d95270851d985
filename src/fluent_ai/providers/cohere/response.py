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

import math
from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.response_fields import (
    optional_mapping,
    optional_objects,
    optional_text,
    required_text,
)
from fluent_ai.types import (
    BadResponseError,
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

PROVIDER = "cohere"

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
    tokens = optional_mapping(raw, "tokens", PROVIDER)
    billed = optional_mapping(raw, "billed_units", PROVIDER)

    def count(key: str) -> tuple[int, bool]:
        """The count for ``key`` and whether it is in billed units."""
        if billed.get(key) is not None:
            return _number(billed, key), True
        return _number(tokens, key), False

    input_tokens, input_billed = count("input_tokens")
    cached = 0 if input_billed else min(_number(raw, "cached_tokens"), input_tokens)
    return Usage(
        input_tokens=input_tokens,
        output_tokens=count("output_tokens")[0],
        cache_read_tokens=cached,
        details=dict(raw),
    )


def _number(body: Mapping[str, Any], key: str) -> int:
    """A count Cohere sends as a number (billed units may be fractional: whole units count)."""
    value = body.get(key) or 0
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BadResponseError(
            f"the response's {key!r} should be a number of tokens, not {value!r:.80}",
            provider=PROVIDER,
        )
    return int(value)


def decode_response(body: Mapping[str, Any]) -> list[StreamEvent]:
    events: list[StreamEvent] = [ResponseStart(id=optional_text(body, "id", PROVIDER))]
    message = optional_mapping(body, "message", PROVIDER)
    unread: list[Any] = []
    for item in optional_objects(message, "content", PROVIDER):
        kind = item.get("type")
        if kind == "text" and (text := optional_text(item, "text", PROVIDER)):
            events.append(TextDelta(text))
        elif kind == "thinking" and (thinking := optional_text(item, "thinking", PROVIDER)):
            events.append(ThinkingDelta(thinking))
        elif kind not in ("text", "thinking"):
            unread.append(item)
    if plan := optional_text(message, "tool_plan", PROVIDER):
        events.append(ThinkingDelta(plan))
    for index, call in enumerate(optional_objects(message, "tool_calls", PROVIDER)):
        function = optional_mapping(call, "function", PROVIDER)
        name = optional_text(function, "name", PROVIDER) or ""
        events.append(ToolCallStart(index, required_text(call, "id", PROVIDER), name))
        if arguments := optional_text(function, "arguments", PROVIDER):
            events.append(ToolCallDelta(index, arguments))
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
