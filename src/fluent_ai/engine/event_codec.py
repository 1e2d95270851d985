"""Stream events as JSON, and a whole response as the events that make it up.

The response cache keeps answers as events, so that a cached stream replays as the
same events and a cached ``complete`` is the same events collected (the one place a
response is assembled stays :mod:`fluent_ai.types.collect`). A store on disk or in
Redis keeps them as the JSON written here. An answer that came from ``complete`` is
turned into events by :func:`response_events`, which :func:`collect_events` turns back
into an equal response.

:class:`~fluent_ai.types.StreamError` has no encoding on purpose: errors are never
cached.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from fluent_ai.types import (
    ChatResponse,
    Finish,
    FinishReason,
    FluentAIError,
    ProviderData,
    ResponseStart,
    StreamEvent,
    TextDelta,
    TextPart,
    ThinkingDelta,
    ThinkingPart,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallPart,
    ToolCallStart,
    Usage,
    UsageUpdate,
)


class UncacheableError(FluentAIError):
    """An answer holds something the cache cannot keep (an error, an image part)."""


def response_events(response: ChatResponse) -> list[StreamEvent]:
    """The events a stream would have sent for ``response``, in the canonical order."""
    events: list[StreamEvent] = [
        ResponseStart(id=response.id, model=response.model, provider=response.provider)
    ]
    tool_index = 0
    for part in response.message.parts:
        if isinstance(part, TextPart):
            events.append(TextDelta(part.text))
        elif isinstance(part, ThinkingPart):
            events.append(ThinkingDelta(part.text, part.signature, part.redacted))
        elif isinstance(part, ToolCallPart):
            events.append(ToolCallStart(tool_index, part.id, part.name))
            events.append(ToolCallDelta(tool_index, part.arguments))
            events.append(ToolCallEnd(tool_index))
            tool_index += 1
        else:
            raise UncacheableError(f"a {part.type} part in an answer cannot be cached")
    events.append(UsageUpdate(response.usage, response.cost_usd))
    if response.extra:
        events.append(ProviderData(dict(response.extra)))
    if response.finish_reason is not None:
        events.append(Finish(response.finish_reason, response.raw_finish_reason))
    return events


def _encode(event: StreamEvent) -> dict[str, Any]:
    if isinstance(event, TextDelta):
        return {"t": "text", "text": event.text}
    if isinstance(event, ThinkingDelta):
        return {"t": "thinking", "text": event.text, "sig": event.signature, "red": event.redacted}
    if isinstance(event, ToolCallStart):
        return {"t": "tool_start", "i": event.index, "id": event.id, "name": event.name}
    if isinstance(event, ToolCallDelta):
        return {"t": "tool_delta", "i": event.index, "args": event.arguments}
    if isinstance(event, ToolCallEnd):
        return {"t": "tool_end", "i": event.index}
    if isinstance(event, UsageUpdate):
        return {"t": "usage", "usage": event.usage.model_dump(mode="json"), "cost": event.cost_usd}
    if isinstance(event, Finish):
        return {"t": "finish", "reason": event.reason.value, "raw": event.raw}
    if isinstance(event, ResponseStart):
        return {"t": "start", "id": event.id, "model": event.model, "provider": event.provider}
    if isinstance(event, ProviderData):
        return {"t": "data", "data": event.data}
    raise UncacheableError(f"{type(event).__name__} is never cached")


def _decode(item: dict[str, Any]) -> StreamEvent:
    kind = item["t"]
    if kind == "text":
        return TextDelta(item["text"])
    if kind == "thinking":
        return ThinkingDelta(item["text"], item["sig"], item["red"])
    if kind == "tool_start":
        return ToolCallStart(item["i"], item["id"], item["name"])
    if kind == "tool_delta":
        return ToolCallDelta(item["i"], item["args"])
    if kind == "tool_end":
        return ToolCallEnd(item["i"])
    if kind == "usage":
        return UsageUpdate(Usage.model_validate(item["usage"]), item["cost"])
    if kind == "finish":
        return Finish(FinishReason(item["reason"]), item["raw"])
    if kind == "start":
        return ResponseStart(item["id"], item["model"], item["provider"])
    if kind == "data":
        return ProviderData(item["data"])
    raise ValueError(f"unknown cached event kind {kind!r}")


def encode_events(events: Sequence[StreamEvent]) -> bytes:
    """``events`` as compact UTF-8 JSON; :class:`UncacheableError` for what JSON cannot hold."""
    try:
        return json.dumps([_encode(e) for e in events], separators=(",", ":")).encode()
    except (TypeError, ValueError) as exc:  # e.g. bytes in a provider's extra data
        raise UncacheableError(f"an answer holds data JSON cannot store: {exc}") from exc


def decode_events(data: bytes) -> list[StreamEvent]:
    """The events :func:`encode_events` wrote."""
    return [_decode(item) for item in json.loads(data)]


__all__ = ["UncacheableError", "decode_events", "encode_events", "response_events"]
