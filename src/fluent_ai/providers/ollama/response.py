"""Ollama's chat answers as stream events: a whole answer is a stream of one chunk.

Streamed or not, an answer is made of chat chunks ``{model, created_at, message, done,
…}``. A whole response is one chunk with ``done: true``; a stream is many, the last
with ``done: true`` and the counts. Both go through :class:`ChunkReader`.

* ``message.thinking`` is thinking and ``message.content`` the answer. Each of
  ``message.tool_calls`` is a whole call (Ollama never splits one) with its arguments as
  an object: it is read as a start, the arguments as JSON text, and an end.
* Usage, on the final chunk: ``prompt_eval_count`` is the input tokens and
  ``eval_count`` the output tokens, thinking included. Those counts and the timings
  (``total_duration``, ``load_duration``, ``prompt_eval_duration``, ``eval_duration``,
  in nanoseconds) are kept in ``Usage.details``.
* Finish: ``done_reason`` ``stop`` is stop, or tool calls when the answer called tools
  (Ollama says ``stop`` either way); ``length`` is length; anything else (``load``,
  ``unload``, …) is other.
* Ollama's answers have no id. Its other fields (``created_at``, ``logprobs``,
  ``remote_model``, ``remote_host``, message fields such as generated ``images``)
  arrive as one :class:`ProviderData` at the end, under their own names; over a stream
  lists add up (``logprobs`` come a few per chunk) and other values keep the last.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.ollama.content import arguments_text
from fluent_ai.providers.ollama.errors import error_from
from fluent_ai.providers.ollama.messages import CallIds
from fluent_ai.providers.response_fields import optional_list, optional_mapping, optional_text
from fluent_ai.types import (
    Finish,
    FinishReason,
    ProviderData,
    ResponseStart,
    StreamError,
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallStart,
    Usage,
    UsageUpdate,
)

METRICS = (
    "prompt_eval_count",
    "eval_count",
    "total_duration",
    "load_duration",
    "prompt_eval_duration",
    "eval_duration",
)
"""The final chunk's counts and timings: the usage."""

_READ_TOP = frozenset({"model", "message", "done", "done_reason", *METRICS})
_READ_MESSAGE = frozenset({"role", "content", "thinking", "tool_calls"})


def read_usage(chunk: Mapping[str, Any]) -> Usage | None:
    """The usage a final chunk reports; ``None`` when it reports none (a model load)."""
    if not any(key in chunk for key in METRICS):
        return None
    return Usage(
        input_tokens=int(chunk.get("prompt_eval_count") or 0),
        output_tokens=int(chunk.get("eval_count") or 0),
        details={key: chunk[key] for key in METRICS if key in chunk},
    )


def finish(raw: str, *, called: bool) -> Finish:
    if raw == "stop":
        return Finish(FinishReason.TOOL_CALLS if called else FinishReason.STOP, raw)
    if raw == "length":
        return Finish(FinishReason.LENGTH, raw)
    return Finish(FinishReason.OTHER, raw)


def decode_response(body: Mapping[str, Any]) -> list[StreamEvent]:
    if isinstance(body.get("error"), str):
        return [StreamError(error_from(body["error"], status=None, body=dict(body)))]
    reader = ChunkReader()
    events = reader.read(body)
    if not reader.done:
        raise ValueError("a whole answer that does not say it is done")
    return events


class ChunkReader:
    """Feed it each chat chunk in order; ``done`` says the final one has arrived."""

    def __init__(self) -> None:
        self.done = False
        self._started = False
        self._calls = CallIds()
        self._called = 0
        self._extra: dict[str, Any] = {}

    def read(self, chunk: Mapping[str, Any]) -> list[StreamEvent]:
        if self.done:
            return []
        events: list[StreamEvent] = []
        if not self._started:
            self._started = True
            events.append(ResponseStart(model=optional_text(chunk, "model", "ollama")))
        message = optional_mapping(chunk, "message", "ollama")
        if thinking := optional_text(message, "thinking", "ollama"):
            events.append(ThinkingDelta(thinking))
        if content := optional_text(message, "content", "ollama"):
            events.append(TextDelta(content))
        for call in optional_list(message, "tool_calls", "ollama"):
            events.extend(self._call(call))
        self._keep(chunk, _READ_TOP)
        self._keep(message, _READ_MESSAGE)
        if chunk.get("done"):
            self.done = True
            events.extend(self._end(chunk))
        return events

    def _call(self, call: Mapping[str, Any]) -> list[StreamEvent]:
        function = call["function"]
        name = function["name"]
        index = self._called
        self._called += 1
        return [
            ToolCallStart(index, self._calls.call(name, call.get("id")), name),
            ToolCallDelta(index, arguments_text(function.get("arguments"))),
            ToolCallEnd(index),
        ]

    def _end(self, chunk: Mapping[str, Any]) -> list[StreamEvent]:
        events: list[StreamEvent] = []
        usage = read_usage(chunk)
        if usage is not None:
            events.append(UsageUpdate(usage))
        if self._extra:
            events.append(ProviderData(self._extra))
        if isinstance(chunk.get("done_reason"), str):  # last, as in every protocol
            events.append(finish(chunk["done_reason"], called=self._called > 0))
        return events

    def _keep(self, source: Mapping[str, Any], read: frozenset[str]) -> None:
        for key, value in source.items():
            if key in read or value is None or value in ("", [], {}):
                continue
            kept = self._extra.get(key)
            if isinstance(value, list) and isinstance(kept, list):
                kept.extend(value)
            else:
                self._extra[key] = list(value) if isinstance(value, list) else value
