"""Cohere's v2 chat stream, decoded into stream events as they arrive.

Each SSE message is one JSON event named by its ``type`` (the SSE event name, when
sent, repeats it): ``message-start`` (the id), then for each content block
``content-start``, its ``content-delta`` events (``delta.message.content.text``, or
``.thinking`` for a reasoning model's thoughts) and ``content-end``;
``tool-plan-delta`` pieces of the plan before tool calls (thinking, as in
:mod:`.response`); per tool call ``tool-call-start`` (id, name, maybe the first
arguments), ``tool-call-delta`` argument pieces and ``tool-call-end``;
``citation-start`` / ``citation-end`` per citation; and ``message-end`` with the finish
reason, the usage and, when generation failed, an ``error`` message. ``debug`` events
and types newer than this decoder are skipped.

A stream is complete at ``message-end``; one that ends before it was cut off, and
:meth:`CohereStreamDecoder.close` raises :class:`~fluent_ai.types.StreamInterruptedError`
with what arrived so far. Citations are gathered and handed over at the end as one
:class:`~fluent_ai.types.ProviderData`, as a whole response would have them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from fluent_ai.providers.cohere.response import finish, read_usage
from fluent_ai.providers.response_fields import (
    json_object,
    optional_mapping,
    optional_text,
    required_text,
)
from fluent_ai.types import (
    BadResponseError,
    ProviderData,
    ProviderError,
    ResponseStart,
    StreamError,
    StreamEvent,
    StreamInterruptedError,
    TextDelta,
    ThinkingDelta,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallStart,
    UsageUpdate,
    collect_events,
)

PROVIDER = "cohere"


class CohereStreamDecoder:
    """Feed it each SSE message's data; :meth:`close` checks the stream really finished."""

    def __init__(self) -> None:
        self._finished = False
        self._open_calls: set[int] = set()
        self._citations: list[Any] = []
        self._events: list[StreamEvent] = []  # kept for the partial answer of a broken stream

    def feed(self, data: str, event: str = "message") -> list[StreamEvent]:
        if not data.strip() or data.strip() == "[DONE]":
            return []
        payload = json_object(data, "a stream event", "cohere")
        try:
            out = self._dispatch(payload)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadResponseError(
                f"a malformed stream event ({exc!r}): {data[:200]!r}", provider="cohere"
            ) from exc
        self._events.extend(out)
        return out

    def close(self) -> list[StreamEvent]:
        if self._finished:
            return []
        raise StreamInterruptedError(
            "the stream ended before message-end: the answer is incomplete",
            provider="cohere",
            partial=collect_events(self._events),
        )

    def _dispatch(self, payload: Mapping[str, Any]) -> list[StreamEvent]:
        kind = payload.get("type")
        delta = optional_mapping(payload, "delta", PROVIDER)
        message = optional_mapping(delta, "message", PROVIDER)
        index = payload.get("index", 0)
        if kind in ("content-delta", "content-start"):
            return _content(optional_mapping(message, "content", PROVIDER))
        if kind == "tool-plan-delta":
            plan = optional_text(message, "tool_plan", PROVIDER)
            return [ThinkingDelta(plan)] if plan else []
        if kind == "tool-call-start":
            return [event for call in _calls(message) for event in self._call_start(index, call)]
        if kind == "tool-call-delta":
            functions = [optional_mapping(call, "function", PROVIDER) for call in _calls(message)]
            pieces = [optional_text(function, "arguments", PROVIDER) for function in functions]
            return [ToolCallDelta(index, piece) for piece in pieces if piece]
        if kind == "tool-call-end":
            if index not in self._open_calls:
                return []
            self._open_calls.discard(index)
            return [ToolCallEnd(index)]
        if kind == "citation-start":
            self._citations.extend(_listed(message.get("citations")))
            return []
        if kind == "message-start":
            return [ResponseStart(id=optional_text(payload, "id", PROVIDER))]
        if kind == "message-end":
            return self._end(delta)
        return []  # content-end, citation-end, debug, and event types newer than this decoder

    def _call_start(self, index: int, call: Mapping[str, Any]) -> list[StreamEvent]:
        function = optional_mapping(call, "function", PROVIDER)
        call_id = required_text(call, "id", PROVIDER)
        name = optional_text(function, "name", PROVIDER) or ""
        self._open_calls.add(index)
        events: list[StreamEvent] = [ToolCallStart(index, call_id, name)]
        if arguments := optional_text(function, "arguments", PROVIDER):
            events.append(ToolCallDelta(index, arguments))
        return events

    def _end(self, delta: Mapping[str, Any]) -> list[StreamEvent]:
        self._finished = True
        events: list[StreamEvent] = [ToolCallEnd(index) for index in sorted(self._open_calls)]
        self._open_calls.clear()
        if isinstance(delta.get("usage"), Mapping):
            events.append(UsageUpdate(read_usage(delta["usage"])))
        if self._citations:
            events.append(ProviderData({"citations": self._citations}))
        if delta.get("error"):
            error = ProviderError(str(delta["error"]), provider="cohere", body=dict(delta))
            events.append(StreamError(error))
        if isinstance(delta.get("finish_reason"), str):  # last, as in every protocol
            events.append(finish(delta["finish_reason"]))
        return events


def _content(item: Mapping[str, Any]) -> list[StreamEvent]:
    events: list[StreamEvent] = []
    if thinking := optional_text(item, "thinking", PROVIDER):
        events.append(ThinkingDelta(thinking))
    if text := optional_text(item, "text", PROVIDER):
        events.append(TextDelta(text))
    return events


def _calls(message: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    """The tool call of a tool-call event: one object (documented), or a list of them."""
    calls = _listed(message["tool_calls"])
    if not all(isinstance(call, Mapping) for call in calls):
        raise BadResponseError(
            f"a tool call that is not an object: {calls!r:.80}", provider=PROVIDER
        )
    return calls


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
