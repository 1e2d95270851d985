"""Ollama's streamed chat: JSON lines, decoded as they arrive.

Each line is one chat chunk (see :mod:`.response`), the last with ``done: true`` and the
counts; there is no other end marker. A stream whose body ends before that chunk was
cut off, and :meth:`OllamaStreamDecoder.close` raises
:class:`~fluent_ai.types.StreamInterruptedError` with what arrived. A line holding
``{"error": "..."}`` (the model runner failed mid-answer) ends the stream as a
:class:`~fluent_ai.types.StreamError`.
"""

from __future__ import annotations

from fluent_ai.providers.ollama.content import PROVIDER
from fluent_ai.providers.ollama.errors import error_from
from fluent_ai.providers.ollama.response import ChunkReader
from fluent_ai.providers.response_fields import json_object
from fluent_ai.types import (
    BadResponseError,
    StreamError,
    StreamEvent,
    StreamInterruptedError,
    collect_events,
)


class OllamaStreamDecoder:
    """Feed it each line's JSON text; :meth:`close` checks the stream really finished."""

    def __init__(self) -> None:
        self._reader = ChunkReader()
        self._events: list[StreamEvent] = []  # kept for the partial answer of a broken stream
        self._failed = False

    def feed(self, data: str, event: str = "message") -> list[StreamEvent]:
        if not data.strip():
            return []
        chunk = json_object(data, "a stream line", PROVIDER)
        if isinstance(chunk.get("error"), str):
            self._failed = True
            return [StreamError(error_from(chunk["error"], status=None, body=chunk))]
        try:
            events = self._reader.read(chunk)
        except (KeyError, TypeError, AttributeError) as exc:
            raise BadResponseError(
                f"a malformed stream line ({exc!r}): {data[:200]!r}", provider=PROVIDER
            ) from exc
        self._events.extend(events)
        return events

    def close(self) -> list[StreamEvent]:
        if self._failed or self._reader.done:
            return []
        raise StreamInterruptedError(
            "the stream ended before its final chunk (done: true): the answer is incomplete",
            provider=PROVIDER,
            partial=collect_events(self._events),
        )
