"""Bedrock's ``converse-stream`` events, decoded into stream events as they arrive.

The AWS event-stream framing is read by :mod:`fluent_ai.http.eventstream`; this decoder
gets each message's JSON payload and its name (``:event-type``, or ``:exception-type``
for an exception). A stream is ``messageStart``, then for each content block an
optional ``contentBlockStart`` (tool calls and server tool results only: text and
reasoning blocks begin with their first delta), its ``contentBlockDelta`` events and a
``contentBlockStop``, then ``messageStop`` with the stop reason and ``metadata`` with
the usage, last. An exception (``throttlingException``, ``modelStreamErrorException``,
…) may end it at any point; it becomes the typed error of
:func:`~fluent_ai.providers.bedrock.errors.decode_stream_exception`.

Bedrock pads every payload with a ``p`` field of random length, so that the size of an
encrypted message does not give its text away; it is dropped. The usage arrives after
the stop reason: the :class:`~fluent_ai.types.Finish` is held back until ``metadata``
(:mod:`fluent_ai.providers.ordering`), so usage comes before the finish, as in every
protocol. Each block is rebuilt as a whole ``converse`` answer would hold it, so a
streamed answer hands over the same :class:`ProviderData` as a whole one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.bedrock.blocks import SERVER_TOOL_USE, is_neutral
from fluent_ai.providers.bedrock.errors import STREAM_EXCEPTIONS, decode_stream_exception
from fluent_ai.providers.bedrock.history import CONTENT_KEY
from fluent_ai.providers.bedrock.response import finish, read_usage
from fluent_ai.providers.ordering import FinishLast
from fluent_ai.providers.response_fields import (
    json_object,
    optional_list,
    optional_mapping,
    optional_text,
    required_text,
)
from fluent_ai.types import (
    BadResponseError,
    ProviderData,
    StreamError,
    StreamEvent,
    StreamInterruptedError,
    TextDelta,
    ThinkingDelta,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallStart,
    UsageUpdate,
)

_PROVIDER = "bedrock"

PADDING = "p"
"""The field Bedrock pads each payload with."""


class _Block:
    """One content block being received: how it started, plus its deltas."""

    __slots__ = ("kind", "pieces", "start", "tail")

    def __init__(self, kind: str, start: dict[str, Any] | None = None) -> None:
        self.kind = kind  # "text", "reasoningContent", "toolUse", "toolResult", "image"
        self.start: dict[str, Any] = dict(start or {})
        self.pieces: list[str] = []
        self.tail: list[Any] = []  # a server tool result's content

    @property
    def is_call(self) -> bool:
        """A tool call the caller runs (not one Bedrock ran itself)."""
        return self.kind == "toolUse" and self.start.get("type") != SERVER_TOOL_USE

    def whole(self) -> dict[str, Any]:
        """The block as a whole ``converse`` answer holds it."""
        joined = "".join(self.pieces)
        if self.kind == "text":
            return {"text": joined}
        if self.kind == "reasoningContent":
            if "redactedContent" in self.start:
                return {"reasoningContent": {"redactedContent": self.start["redactedContent"]}}
            text = {"text": joined, **self.start}
            return {"reasoningContent": {"reasoningText": text}}
        if self.kind == "toolUse":
            try:
                given = json.loads(joined) if joined.strip() else {}
            except ValueError:  # cut off mid-arguments by the token limit
                given = {}
            return {"toolUse": {**self.start, "input": given}}
        if self.kind == "toolResult":
            return {"toolResult": {**self.start, "content": self.tail}}
        return {self.kind: self.start}


class BedrockStreamDecoder:
    """Feed it each message's payload and name; :meth:`close` checks the stream finished."""

    def __init__(self) -> None:
        self._blocks: dict[int, _Block] = {}
        self._content: dict[int, dict[str, Any]] = {}
        self._fields: dict[str, Any] = {}
        self._order = FinishLast()
        self._stopped = False  # messageStop arrived: the answer is complete
        self._ended = False  # metadata or an exception arrived: nothing more comes

    def feed(self, data: str, event: str = "message") -> list[StreamEvent]:
        if event in STREAM_EXCEPTIONS or event.endswith("Exception"):
            self._ended = True
            return [StreamError(decode_stream_exception(event, data))]
        payload = json_object(data, f"a {event!r} stream event", "bedrock")
        payload.pop(PADDING, None)
        try:
            events = self._dispatch(event, payload)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadResponseError(
                f"a malformed {event!r} stream event ({exc!r}): {data[:200]!r}",
                provider="bedrock",
            ) from exc
        if event == "metadata":
            self._ended = True
            return self._order.release([*events, *self._provider_data()])
        return self._order.hold(events)

    def close(self) -> list[StreamEvent]:
        """The held finish when ``metadata`` never came; raises if ``messageStop`` did not."""
        if self._ended:
            return []
        if self._stopped:
            return self._order.release(self._provider_data())
        raise StreamInterruptedError(
            "the stream ended before messageStop: the answer is incomplete",
            provider="bedrock",
            partial=[*self._content.values(), *(b.whole() for b in self._blocks.values())],
        )

    def _dispatch(self, event: str, payload: dict[str, Any]) -> list[StreamEvent]:
        if event == "contentBlockDelta":
            delta = optional_mapping(payload, "delta", _PROVIDER)
            return self._delta(payload["contentBlockIndex"], delta)
        if event == "contentBlockStart":
            start = optional_mapping(payload, "start", _PROVIDER)
            return self._start(payload["contentBlockIndex"], start)
        if event == "contentBlockStop":
            return self._stop(payload["contentBlockIndex"])
        if event == "messageStop":
            self._stopped = True
            self._keep(payload, "stopReason")
            stop_reason = optional_text(payload, "stopReason", _PROVIDER)
            return [finish(stop_reason)] if stop_reason else []
        if event == "metadata":
            self._keep(payload, "usage")
            usage = optional_mapping(payload, "usage", _PROVIDER)
            return [UsageUpdate(read_usage(usage))] if usage else []
        return []  # messageStart (it names only the role), and events newer than this decoder

    def _keep(self, payload: dict[str, Any], read: str) -> None:
        """Fields with no neutral home (metrics, trace, additionalModelResponseFields)."""
        self._fields.update((k, v) for k, v in payload.items() if k != read and v is not None)

    def _provider_data(self) -> list[StreamEvent]:
        data = dict(self._fields)
        content = [self._content[index] for index in sorted(self._content)]
        if not all(is_neutral(block) for block in content):
            data[CONTENT_KEY] = [content]
        return [ProviderData(data)] if data else []

    def _start(self, index: int, start: Mapping[str, Any]) -> list[StreamEvent]:
        if not start:
            return []
        kind = next(iter(start))
        fields = optional_mapping(start, kind, _PROVIDER)
        block = self._blocks[index] = _Block(kind, dict(fields))
        if block.is_call:
            call_id = required_text(fields, "toolUseId", _PROVIDER)
            return [ToolCallStart(index, call_id, required_text(fields, "name", _PROVIDER))]
        return []

    def _delta(self, index: int, delta: Mapping[str, Any]) -> list[StreamEvent]:
        if "text" in delta:
            text = required_text(delta, "text", _PROVIDER)
            self._block(index, "text").pieces.append(text)
            return [TextDelta(text)] if text else []
        if "reasoningContent" in delta:
            reasoning = optional_mapping(delta, "reasoningContent", _PROVIDER)
            return self._reasoning(self._block(index, "reasoningContent"), reasoning)
        if "toolUse" in delta:
            block = self._block(index, "toolUse")
            piece = optional_text(optional_mapping(delta, "toolUse", _PROVIDER), "input", _PROVIDER)
            block.pieces.append(piece or "")
            return [ToolCallDelta(index, piece)] if block.is_call and piece else []
        if "toolResult" in delta:
            result = optional_list(delta, "toolResult", _PROVIDER)
            self._block(index, "toolResult").tail.extend(result)
        return []  # citations and images: no neutral event

    @staticmethod
    def _reasoning(block: _Block, delta: Mapping[str, Any]) -> list[StreamEvent]:
        if "redactedContent" in delta:
            redacted = required_text(delta, "redactedContent", _PROVIDER)
            block.start["redactedContent"] = redacted
            return [ThinkingDelta(redacted=redacted)]
        if "signature" in delta:
            signature = required_text(delta, "signature", _PROVIDER)
            block.start["signature"] = signature
            return [ThinkingDelta(signature=signature)]
        text = optional_text(delta, "text", _PROVIDER) or ""
        block.pieces.append(text)
        return [ThinkingDelta(text)] if text else []

    def _block(self, index: int, kind: str) -> _Block:
        """The block at ``index``; text and reasoning blocks start with their first delta."""
        block = self._blocks.get(index)
        if block is None:
            block = self._blocks[index] = _Block(kind)
        return block

    def _stop(self, index: int) -> list[StreamEvent]:
        block = self._blocks.pop(index, None)
        if block is None:
            return []
        self._content[index] = block.whole()
        return [ToolCallEnd(index)] if block.is_call else []
