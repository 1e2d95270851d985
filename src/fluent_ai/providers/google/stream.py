"""Gemini's ``streamGenerateContent?alt=sse``, decoded as the events arrive.

Each SSE message is a whole ``GenerateContentResponse`` holding the next piece of the
answer and the usage so far (see :mod:`~fluent_ai.providers.google.response`). Gemini
sends no end marker: the chunk carrying ``finishReason`` is the last one that matters,
so a stream that closes before any finish reason (or a blocked-prompt verdict) was cut
off, and :meth:`GeminiStreamDecoder.close` raises
:class:`~fluent_ai.types.StreamInterruptedError` with what arrived. An ``error`` object
sent as a message (Google does this when a stream fails after it began) ends the
stream as a :class:`~fluent_ai.types.StreamError`. The
:class:`~fluent_ai.types.Finish` is held back until the stream ends, after the gathered
provider data, so it is the last event, as in every protocol
(:mod:`fluent_ai.providers.ordering`).
"""

from __future__ import annotations

from fluent_ai.providers.google.errors import error_from
from fluent_ai.providers.google.response import ResponseReader
from fluent_ai.providers.ordering import FinishLast
from fluent_ai.providers.response_fields import json_object
from fluent_ai.types import (
    BadResponseError,
    StreamError,
    StreamEvent,
    StreamInterruptedError,
    collect_events,
)


class GeminiStreamDecoder:
    """Feed it each SSE message's data; :meth:`close` checks the stream really finished."""

    def __init__(self, *, provider: str) -> None:
        self._provider = provider
        self._reader = ResponseReader(provider=provider)
        self._events: list[StreamEvent] = []  # kept for the partial answer of a broken stream
        self._failed = False
        self._order = FinishLast()  # the finish reason's chunk may be followed by more

    def feed(self, data: str, event: str = "message") -> list[StreamEvent]:
        if not data.strip():
            return []
        chunk = json_object(data, "a stream message", self._provider)
        if isinstance(chunk.get("error"), dict):
            self._failed = True
            return [
                StreamError(
                    error_from(chunk["error"], status=None, provider=self._provider, body=chunk)
                )
            ]
        try:
            events = self._reader.read(chunk)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadResponseError(
                f"a malformed stream message ({exc!r}): {data[:200]!r}", provider=self._provider
            ) from exc
        self._events.extend(events)
        return self._order.hold(events)

    def close(self) -> list[StreamEvent]:
        """The gathered :class:`ProviderData`, or :class:`StreamInterruptedError` if cut off."""
        if self._failed:
            return []
        if not self._reader.finished:
            raise StreamInterruptedError(
                "the stream ended before a finish reason: the answer is incomplete",
                provider=self._provider,
                partial=collect_events(self._events),
            )
        return self._order.release(self._reader.end())
