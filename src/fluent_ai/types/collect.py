"""Collect a stream of events into a :class:`ChatResponse`.

This is the only place a whole response is assembled, so streamed and non-streamed
calls cannot disagree about what the model said.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable
from typing import Any

from fluent_ai.types.events import (
    Finish,
    ProviderData,
    ResponseStart,
    StreamError,
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallStart,
    UsageUpdate,
)
from fluent_ai.types.messages import Message, Part, TextPart, ThinkingPart, ToolCallPart
from fluent_ai.types.response import ChatResponse, FinishReason, Usage


class _Thinking:
    __slots__ = ("redacted", "signature", "text")

    def __init__(self) -> None:
        self.text: list[str] = []
        self.signature: str | None = None
        self.redacted: str | None = None


class _ToolCall:
    __slots__ = ("arguments", "id", "name")

    def __init__(self, id: str, name: str) -> None:
        self.id = id
        self.name = name
        self.arguments: list[str] = []


class StreamAccumulator:
    """Feed events with :meth:`add`; read the response so far with :meth:`response`.

    Parts keep the order in which they began: text after a tool call starts a new text
    part, and a thinking block ends when its signature arrives.
    """

    def __init__(self) -> None:
        self._parts: list[list[str] | _Thinking | _ToolCall] = []
        self._tools: dict[int, _ToolCall] = {}
        self.usage = Usage()
        self.cost_usd: float | None = None
        self.finish: Finish | None = None
        self.start = ResponseStart()
        self.extra: dict[str, Any] = {}
        self.error: StreamError | None = None

    def add(self, event: StreamEvent) -> None:
        if isinstance(event, TextDelta):
            last = self._parts[-1] if self._parts else None
            if isinstance(last, list):
                last.append(event.text)
            else:
                self._parts.append([event.text])
        elif isinstance(event, ThinkingDelta):
            self._add_thinking(event)
        elif isinstance(event, ToolCallStart):
            call = _ToolCall(event.id, event.name)
            self._tools[event.index] = call
            self._parts.append(call)
        elif isinstance(event, ToolCallDelta):
            self._tools[event.index].arguments.append(event.arguments)
        elif isinstance(event, UsageUpdate):
            self.usage = event.usage
            self.cost_usd = event.cost_usd
        elif isinstance(event, Finish):
            self.finish = event
        elif isinstance(event, ResponseStart):
            self.start = event
        elif isinstance(event, ProviderData):
            self.extra.update(event.data)
        elif isinstance(event, StreamError):
            self.error = event
        elif not isinstance(event, ToolCallEnd):
            raise TypeError(f"not a stream event: {event!r}")

    def _add_thinking(self, event: ThinkingDelta) -> None:
        last = self._parts[-1] if self._parts else None
        if not isinstance(last, _Thinking) or last.signature or last.redacted:
            last = _Thinking()
            self._parts.append(last)
        if event.text:
            last.text.append(event.text)
        if event.signature:
            last.signature = event.signature
        if event.redacted:
            last.redacted = event.redacted

    def message(self) -> Message:
        parts: list[Part] = []
        for part in self._parts:
            if isinstance(part, list):
                parts.append(TextPart(text="".join(part)))
            elif isinstance(part, _Thinking):
                parts.append(
                    ThinkingPart(
                        text="".join(part.text), signature=part.signature, redacted=part.redacted
                    )
                )
            else:
                arguments = "".join(part.arguments) or "{}"
                parts.append(ToolCallPart(id=part.id, name=part.name, arguments=arguments))
        return Message(role="assistant", parts=parts)

    def response(self) -> ChatResponse:
        finish = self.finish
        return ChatResponse(
            message=self.message(),
            finish_reason=finish.reason if finish else None,
            raw_finish_reason=finish.raw if finish else None,
            usage=self.usage,
            cost_usd=self.cost_usd,
            id=self.start.id,
            model=self.start.model,
            provider=self.start.provider,
            extra=self.extra,
        )


def collect_events(events: Iterable[StreamEvent]) -> ChatResponse:
    """Collect already-decoded events (a non-streaming body) into a response."""
    acc = StreamAccumulator()
    for event in events:
        acc.add(event)
    if acc.error is not None:
        raise acc.error.error
    return acc.response()


async def collect_stream(events: AsyncIterable[StreamEvent]) -> ChatResponse:
    """Collect a live stream into a response, raising any error the stream reported."""
    acc = StreamAccumulator()
    async for event in events:
        acc.add(event)
    if acc.error is not None:
        raise acc.error.error
    return acc.response()


__all__ = ["FinishReason", "StreamAccumulator", "collect_events", "collect_stream"]
