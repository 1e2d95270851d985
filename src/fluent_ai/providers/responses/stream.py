"""A streamed Responses answer, one typed event at a time.

Every message's ``data`` is an object whose ``type`` names the event (OpenAI and
DeepSeek repeat it as the SSE ``event:`` name; OpenRouter sends no names and ends with
``data: [DONE]``, which carries nothing). The events read:

* ``response.created`` (or ``queued`` / ``in_progress``, whichever comes first): the id
  and model;
* ``response.output_item.added``: a ``function_call`` item starts a tool call, keyed by
  its ``output_index``;
* ``response.output_text.delta``, ``response.function_call_arguments.delta``,
  ``response.reasoning_summary_text.delta`` and ``response.reasoning_text.delta``: text,
  tool arguments and thinking as they are written;
* ``response.output_item.done``: the item is whole. A tool call ends; an item whose
  content never came as deltas is read whole, so a server that streams less loses
  nothing;
* ``response.completed`` / ``response.incomplete`` / ``response.failed``: the final
  response object, read as a whole body's is (:func:`.response.final_events`), so a
  streamed answer hands over the same usage, finish reason and provider data as a
  whole one; output items that never arrived are read from it;
* ``error``: a failure, sent as a :class:`~fluent_ai.types.StreamError`.

Those last four are the only ways a stream may end. One that closes without them was
cut off, and :meth:`ResponsesStreamDecoder.close` raises
:class:`~fluent_ai.types.StreamInterruptedError` with what arrived so far. Other events
(``content_part``, ``*.done`` texts, built-in tool progress, annotation events) repeat
what the final response holds, and are not read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.response_fields import (
    json_object,
    optional_mapping,
    optional_objects,
    optional_text,
    required_text,
)
from fluent_ai.providers.responses.errors import failure
from fluent_ai.providers.responses.output import EventWriter, arguments, call_id, has_tool_calls
from fluent_ai.providers.responses.response import final_events
from fluent_ai.types import (
    BadResponseError,
    ResponseStart,
    StreamError,
    StreamEvent,
    StreamInterruptedError,
    collect_events,
)

_STARTS = frozenset({"response.created", "response.queued", "response.in_progress"})
_ENDS = frozenset({"response.completed", "response.incomplete", "response.failed"})
_THINKING = {
    "response.reasoning_summary_text.delta": ("summary", "summary_index"),
    "response.reasoning_text.delta": ("content", "content_index"),
}


class ResponsesStreamDecoder:
    """Responses stream events to neutral events; see the module docstring for the rules."""

    def __init__(self, *, provider: str) -> None:
        self._provider = provider
        self._writer = EventWriter()
        self._started = False
        self._ended = False
        self._open: set[int] = set()  # tool calls started and not yet ended
        self._streamed: set[int] = set()  # items whose content came as deltas
        self._whole: dict[int, dict[str, Any]] = {}  # items received whole, by output index
        self._tool_calls = False

    def feed(self, data: str, event: str = "message") -> list[StreamEvent]:
        if data == "[DONE]" or not data.strip():
            return []
        payload = json_object(data, "a stream event", self._provider)
        try:
            self._dispatch(str(payload.get("type") or event), payload)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadResponseError(
                f"a malformed stream event ({exc!r}): {data[:200]!r}", provider=self._provider
            ) from exc
        return self._writer.take()

    def close(self) -> list[StreamEvent]:
        if self._ended:
            return []
        raise StreamInterruptedError(
            "the stream ended before the response completed: the answer is incomplete",
            provider=self._provider,
            partial=collect_events(self._writer.events),
        )

    def _dispatch(self, kind: str, payload: dict[str, Any]) -> None:
        provider = self._provider
        if kind == "response.output_text.delta":
            self._streamed.add(payload["output_index"])
            self._writer.text(required_text(payload, "delta", provider))
        elif kind in _THINKING:
            part, number = _THINKING[kind]
            index = payload["output_index"]
            self._streamed.add(index)
            delta = required_text(payload, "delta", provider)
            self._writer.thinking((index, part, payload.get(number, 0)), delta)
        elif kind == "response.function_call_arguments.delta":
            self._streamed.add(payload["output_index"])
            if payload["output_index"] in self._open:
                delta = required_text(payload, "delta", provider)
                self._writer.tool_arguments(payload["output_index"], delta)
        elif kind == "response.output_item.added":
            item = optional_mapping(payload, "item", provider)
            if item.get("type") == "function_call":
                self._start_call(payload["output_index"], item)
        elif kind == "response.output_item.done":
            self._item_done(payload["output_index"], optional_mapping(payload, "item", provider))
        elif kind in _STARTS:
            self._start(optional_mapping(payload, "response", provider))
        elif kind in _ENDS:
            self._end(optional_mapping(payload, "response", provider))
        elif kind == "error":
            self._ended = True
            self._writer.add(StreamError(failure(payload, provider=self._provider, body=payload)))

    def _start(self, response: Mapping[str, Any]) -> None:
        if not self._started:
            self._started = True
            response_id = optional_text(response, "id", self._provider)
            model = optional_text(response, "model", self._provider)
            self._writer.add(ResponseStart(id=response_id, model=model))

    def _start_call(self, index: int, item: Mapping[str, Any]) -> None:
        self._open.add(index)
        self._tool_calls = True
        self._writer.tool_start(index, call_id(item), str(item.get("name") or ""))

    def _item_done(self, index: int, item: Mapping[str, Any]) -> None:
        """Read what of a whole item did not arrive as deltas (at most once per item)."""
        if index in self._whole:
            return
        self._whole[index] = dict(item)
        if item.get("type") == "function_call":
            if index not in self._open:
                self._start_call(index, item)
            if index not in self._streamed:
                self._writer.tool_arguments(index, arguments(item))
            self._writer.tool_end(index)
            self._open.discard(index)
        elif index not in self._streamed:
            self._writer.item(index, item)

    def _end(self, response: Mapping[str, Any]) -> None:
        self._start(response)
        self._ended = True
        output = optional_objects(response, "output", self._provider) or [
            self._whole[index] for index in sorted(self._whole)
        ]
        for index, item in enumerate(output):
            self._item_done(index, item)
        for index in sorted(self._open):
            self._writer.tool_end(index)
        self._open.clear()
        tool_calls = self._tool_calls or has_tool_calls(output)
        for event in final_events(response, output, tool_calls=tool_calls, provider=self._provider):
            self._writer.add(event)
