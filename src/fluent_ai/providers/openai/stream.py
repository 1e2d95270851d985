"""A streamed Chat Completions response, one SSE message at a time.

When is a stream complete? OpenAI ends with ``data: [DONE]``; a Groq stream that fails
ends with an ``error`` message and no ``[DONE]``; some compatible servers simply close
the connection after the chunk that carries ``finish_reason``. So a stream counts as
complete when it sent ``[DONE]`` *or* a ``finish_reason``; one that ends with neither
was cut off, and :meth:`OpenAIStreamDecoder.close` raises
:class:`~fluent_ai.types.StreamInterruptedError` with what arrived so far. (The usage
chunk comes after ``finish_reason``; a stream cut between the two keeps zero usage.)
The :class:`~fluent_ai.types.Finish` is held back until the stream ends, so it comes
after that usage, as in every protocol (:mod:`fluent_ai.providers.ordering`).

Tool calls arrive as fragments keyed by ``index``: the first fragment of a call carries
its id and name, later ones only pieces of the JSON arguments. Each call ends
(:class:`~fluent_ai.types.ToolCallEnd`) when the choice finishes.

Vendors with the ``think_tags`` quirk have a leading ``<think>`` block of the content
turned into thinking (:mod:`.think_tags`).

Fields with no neutral home are gathered over the whole stream and sent as one
:class:`~fluent_ai.types.ProviderData` at the end: lists (``annotations``,
``reasoning_details``, Groq's ``executed_tools``) keep every fragment in order,
objects are merged, ``refusal`` text is joined, and other values keep their last value.
OpenAI's per-chunk ``obfuscation`` padding is dropped: it carries nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.openai import fields
from fluent_ai.providers.openai.decode_response import (
    READ_CHOICE,
    READ_MESSAGE,
    READ_TOP,
    body_usage,
    reasoning,
)
from fluent_ai.providers.openai.errors import stream_error
from fluent_ai.providers.openai.quirks import Quirks
from fluent_ai.providers.openai.think_tags import ThinkTagSplitter
from fluent_ai.providers.ordering import FinishLast
from fluent_ai.providers.response_fields import (
    json_object,
    optional_list,
    optional_mapping,
    optional_text,
)
from fluent_ai.types import (
    BadResponseError,
    Finish,
    ProviderData,
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

_SKIP_TOP = READ_TOP | {"obfuscation"}
_JOINED = frozenset({"refusal"})


class OpenAIStreamDecoder:
    """Chat Completions chunks to stream events; see the module docstring for the rules."""

    def __init__(self, quirks: Quirks, *, provider: str) -> None:
        self._quirks = quirks
        self._provider = provider
        self._started = False
        self._done = False
        self._finished = False
        self._failed = False
        self._calls: dict[int, str] = {}  # index -> call id, for the calls still open
        self._seen_calls = 0
        self._extra: dict[str, Any] = {}
        self._events: list[StreamEvent] = []  # kept for the partial answer of a broken stream
        self._think = ThinkTagSplitter() if quirks.think_tags else None
        self._order = FinishLast()

    def feed(self, data: str, event: str = "message") -> list[StreamEvent]:
        if data == "[DONE]":
            self._done = True
            return []
        if not data.strip():
            return []
        chunk = json_object(data, "a stream message", self._provider)
        if event == "error" or chunk.get("error") is not None:
            self._failed = True
            return [StreamError(stream_error(chunk, provider=self._provider))]
        try:
            return self._chunk(chunk)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadResponseError(
                f"a malformed stream message ({exc!r}): {data[:200]!r}", provider=self._provider
            ) from exc

    def _chunk(self, chunk: dict[str, Any]) -> list[StreamEvent]:
        out: list[StreamEvent] = []
        if not self._started:
            self._started = True
            out.append(
                ResponseStart(
                    id=optional_text(chunk, "id", self._provider),
                    model=optional_text(chunk, "model", self._provider),
                )
            )
        for choice in optional_list(chunk, "choices", self._provider):
            # json.loads makes dicts: the exact check skips the ABC machinery per chunk.
            if isinstance(choice, dict) and choice.get("index", 0) == 0:
                self._choice(choice, out)
        raw_usage = body_usage(chunk, self._quirks)
        if raw_usage is not None:
            out.append(UsageUpdate(fields.usage(raw_usage, self._provider)))
        self._gather(chunk, _SKIP_TOP)
        self._events.extend(out)
        return self._order.hold(out)

    def close(self) -> list[StreamEvent]:
        if self._failed:
            return []
        if not (self._done or self._finished):
            raise StreamInterruptedError(
                "the stream ended before the model finished: no finish_reason and no [DONE]",
                provider=self._provider,
                partial=collect_events(self._events),
            )
        out = self._end_content()
        if self._extra:
            out.append(ProviderData(self._extra))
        return self._order.release(out)

    def _choice(self, choice: Mapping[str, Any], out: list[StreamEvent]) -> None:
        delta = optional_mapping(choice, "delta", self._provider)
        thinking = reasoning(delta)
        if thinking:
            out.append(ThinkingDelta(text=thinking))
        content = delta.get("content")
        if isinstance(content, str) and content:
            out.extend(self._think.feed(content) if self._think else [TextDelta(content)])
        for call in optional_list(delta, "tool_calls", self._provider):
            self._tool_call(call, out)
        raw_finish = choice.get("finish_reason")
        if isinstance(raw_finish, str):
            self._finished = True
            out.extend(self._end_content())
            out.append(Finish(fields.finish_reason(raw_finish), raw_finish))
        self._gather(choice, READ_CHOICE)
        self._gather(delta, READ_MESSAGE)

    def _tool_call(self, call: Mapping[str, Any], out: list[StreamEvent]) -> None:
        index = call.get("index")
        if not isinstance(index, int):  # left out by a few vendors: a fresh id starts a new call
            fresh = bool(call.get("id")) or not self._calls
            index = self._seen_calls if fresh else self._seen_calls - 1
        name = fields.tool_name(call, self._provider)
        function = optional_mapping(call, "function", self._provider)
        if index not in self._calls:
            self._seen_calls = max(self._seen_calls, index + 1)
            self._calls[index] = fields.tool_call_id(call.get("id"))
            out.append(ToolCallStart(index, self._calls[index], name))
        args = fields.arguments(function.get("arguments"))
        if args:
            out.append(ToolCallDelta(index, args))

    def _end_content(self) -> list[StreamEvent]:
        """Text held back by the think-tag splitter, then the end of every open call."""
        ended = self._think.flush() if self._think else []
        ended.extend(ToolCallEnd(index) for index in self._calls)
        self._calls.clear()
        return ended

    def _gather(self, source: Mapping[str, Any], skip: frozenset[str]) -> None:
        if source.keys() <= skip:  # most chunks: only the fields read already, checked in C
            return
        for key, value in source.items():
            if key not in skip and not fields.empty(value):
                _merge(self._extra, key, value)


def _merge(into: dict[str, Any], key: str, value: Any) -> None:
    old = into.get(key)
    if isinstance(value, list):
        into[key] = [*old, *value] if isinstance(old, list) else list(value)
    elif isinstance(value, Mapping):
        merged = dict(old) if isinstance(old, dict) else {}
        for inner_key, inner in value.items():
            if not fields.empty(inner):
                _merge(merged, inner_key, inner)
        into[key] = merged
    elif key in _JOINED and isinstance(old, str) and isinstance(value, str):
        into[key] = old + value
    else:
        into[key] = value
