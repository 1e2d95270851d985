"""A streamed Mistral chat response, one SSE message at a time.

Chunks are shaped like OpenAI's (``choices[0].delta``), with Mistral's differences:
``delta.content`` is a string or a list of chunks (Magistral streams its reasoning as
``thinking`` chunks, then the answer as strings), the last chunk carries both
``finish_reason`` and ``usage``, and the stream ends with ``data: [DONE]``. A stream is
complete once it sent ``[DONE]`` or a ``finish_reason``; one that ends with neither was
cut off, and :meth:`MistralStreamDecoder.close` raises
:class:`~fluent_ai.types.StreamInterruptedError` with what arrived so far.

Mistral sends each tool call whole, id and arguments together, and may reuse ``index``
0 for several calls in one answer; so a fragment whose id differs from the call open at
its index starts a new call. A fragment without an id continues the call at its index.

An error object in the stream (``{"object": "error", ...}``) becomes a
:class:`~fluent_ai.types.StreamError`. Fields with no neutral home are gathered over the
stream (later values win) and sent as one :class:`~fluent_ai.types.ProviderData` at the
end, as a whole response would have them; the :class:`~fluent_ai.types.Finish` is held
back until then, so it is the last event, as in every protocol
(:mod:`fluent_ai.providers.ordering`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.mistral.content import Chunk, content_events
from fluent_ai.providers.mistral.errors import stream_error
from fluent_ai.providers.mistral.response import (
    CONTENT_KEY,
    READ_CHOICE,
    READ_MESSAGE,
    READ_TOP,
    finish,
    read_usage,
)
from fluent_ai.providers.openai import fields
from fluent_ai.providers.ordering import FinishLast
from fluent_ai.providers.response_fields import (
    json_object,
    optional_list,
    optional_mapping,
    optional_text,
)
from fluent_ai.types import (
    BadResponseError,
    ProviderData,
    ResponseStart,
    StreamError,
    StreamEvent,
    StreamInterruptedError,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallStart,
    UsageUpdate,
    collect_events,
)


class MistralStreamDecoder:
    """Mistral chunks to stream events; see the module docstring for the rules."""

    def __init__(self) -> None:
        self._started = False
        self._done = False
        self._finished = False
        self._failed = False
        self._ids: list[str] = []  # call number -> id, for every call seen
        self._open: dict[int, int] = {}  # wire index -> call number, for the calls still open
        self._extra: dict[str, Any] = {}
        self._unread: list[Chunk] = []
        self._events: list[StreamEvent] = []  # kept for the partial answer of a broken stream
        self._order = FinishLast()

    def feed(self, data: str, event: str = "message") -> list[StreamEvent]:
        if data == "[DONE]":
            self._done = True
            return []
        if not data.strip():
            return []
        chunk = json_object(data, "a stream message", "mistral")
        if chunk.get("object") == "error" or chunk.get("error") is not None:
            self._failed = True
            error = chunk["error"] if isinstance(chunk.get("error"), Mapping) else chunk
            return [StreamError(stream_error(error))]
        try:
            return self._chunk(chunk)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadResponseError(
                f"a malformed stream message ({exc!r}): {data[:200]!r}", provider="mistral"
            ) from exc

    def _chunk(self, chunk: dict[str, Any]) -> list[StreamEvent]:
        out: list[StreamEvent] = []
        if not self._started:
            self._started = True
            out.append(
                ResponseStart(
                    id=optional_text(chunk, "id", "mistral"),
                    model=optional_text(chunk, "model", "mistral"),
                )
            )
        for choice in optional_list(chunk, "choices", "mistral"):
            if isinstance(choice, Mapping) and choice.get("index", 0) == 0:
                self._choice(choice, out)
        if isinstance(chunk.get("usage"), Mapping):
            out.append(UsageUpdate(read_usage(chunk["usage"])))
        fields.keep(self._extra, chunk, READ_TOP)
        self._events.extend(out)
        return self._order.hold(out)

    def close(self) -> list[StreamEvent]:
        if self._failed:
            return []
        if not (self._done or self._finished):
            raise StreamInterruptedError(
                "the stream ended before the model finished: no finish_reason and no [DONE]",
                provider="mistral",
                partial=collect_events(self._events),
            )
        out = self._end_calls()
        if self._unread:
            self._extra[CONTENT_KEY] = self._unread
        if self._extra:
            out.append(ProviderData(self._extra))
        return self._order.release(out)

    def _choice(self, choice: Mapping[str, Any], out: list[StreamEvent]) -> None:
        delta = optional_mapping(choice, "delta", "mistral")
        content, unread = content_events(delta.get("content"))
        out.extend(content)
        self._unread.extend(unread)
        for call in optional_list(delta, "tool_calls", "mistral"):
            self._tool_call(call, out)
        raw_finish = choice.get("finish_reason")
        if isinstance(raw_finish, str):
            self._finished = True
            out.extend(self._end_calls())
            out.append(finish(raw_finish))
        fields.keep(self._extra, choice, READ_CHOICE)
        fields.keep(self._extra, delta, READ_MESSAGE)

    def _tool_call(self, call: Mapping[str, Any], out: list[StreamEvent]) -> None:
        name = fields.tool_name(call, "mistral")
        index = call.get("index", 0)
        call_id = call.get("id")
        function = optional_mapping(call, "function", "mistral")
        number = self._open.get(index)
        if number is None or (call_id and call_id != self._ids[number]):
            if number is not None:  # a new call at a reused index: the old one is complete
                out.append(ToolCallEnd(number))
            number = len(self._ids)
            self._ids.append(fields.tool_call_id(call_id))
            self._open[index] = number
            out.append(ToolCallStart(number, self._ids[number], name))
        arguments = fields.arguments(function.get("arguments"))
        if arguments:
            out.append(ToolCallDelta(number, arguments))

    def _end_calls(self) -> list[StreamEvent]:
        ended: list[StreamEvent] = [ToolCallEnd(number) for number in sorted(self._open.values())]
        self._open.clear()
        return ended
