"""Anthropic's server-sent events, decoded into stream events as they arrive.

A stream is ``message_start``, then for each content block ``content_block_start``,
its deltas and ``content_block_stop``, then ``message_delta`` (stop reason and the
final usage) and ``message_stop``; ``ping`` may come at any time and ``error`` ends a
stream early. Anthropic sends usage twice: ``message_start`` has the input counts,
``message_delta`` the cumulative output count and, on newer models, updated input
counts. The decoder merges the two, since a :class:`UsageUpdate` must carry the whole
usage so far.

Text on either side of a server tool's blocks is kept apart by a paragraph break, as
in a whole answer (:mod:`.text_blocks`).

Each block is also rebuilt as Anthropic would have sent it whole, so a streamed answer
hands over exactly the :class:`ProviderData` a non-streamed one does. That data is
complete only at ``message_stop``, after the stop reason: the
:class:`~fluent_ai.types.Finish` is held back until then, so it is the last event, as
in every protocol (:mod:`fluent_ai.providers.ordering`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.anthropic.blocks import read_block
from fluent_ai.providers.anthropic.errors import error_from
from fluent_ai.providers.anthropic.response import (
    MESSAGE_FIELDS,
    finish,
    provider_data,
    read_usage,
)
from fluent_ai.providers.anthropic.text_blocks import TextBoundary
from fluent_ai.providers.ordering import FinishLast
from fluent_ai.providers.response_fields import (
    json_object,
    optional_mapping,
    optional_text,
    required_text,
)
from fluent_ai.types import (
    BadResponseError,
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
)

_PROVIDER = "anthropic"


class _Block:
    """One content block being received: what ``content_block_start`` said, plus deltas."""

    __slots__ = ("block", "pieces")

    def __init__(self, block: dict[str, Any]) -> None:
        self.block = block
        self.pieces: list[str] = []

    def whole(self) -> dict[str, Any]:
        """The block as a non-streamed response would hold it."""
        block, joined = self.block, "".join(self.pieces)
        kind = block.get("type")
        if kind in ("text", "thinking"):
            block[kind] = block.get(kind, "") + joined
        elif joined.strip():
            try:
                block["input"] = json.loads(joined)
            except ValueError:
                # Cut off mid-arguments by max_tokens: the block keeps the input it
                # started with; a tool call's part has the text the model wrote.
                block["input"] = block.get("input") or {}
        return block


class AnthropicStreamDecoder:
    """Feed it each SSE message's data; :meth:`close` checks the stream really finished."""

    def __init__(self) -> None:
        self._blocks: dict[int, _Block] = {}
        self._content: dict[int, dict[str, Any]] = {}
        self._usage: dict[str, Any] = {}
        self._fields: dict[str, Any] = {}
        self._finished = False
        self._order = FinishLast()
        self._text = TextBoundary()

    def feed(self, data: str, event: str = "message") -> list[StreamEvent]:
        """The events ``data`` completes (``event``, the SSE name, repeats its ``type``)."""
        payload = json_object(data, "a stream event", "anthropic")
        try:
            events = self._dispatch(payload)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadResponseError(
                f"a malformed stream event ({exc!r}): {data[:200]!r}", provider="anthropic"
            ) from exc
        if payload.get("type") == "message_stop":
            return self._order.release(events)
        return self._order.hold(events)

    def _dispatch(self, payload: dict[str, Any]) -> list[StreamEvent]:
        kind = payload.get("type")
        if kind == "content_block_delta":
            return self._delta(payload["index"], optional_mapping(payload, "delta", _PROVIDER))
        if kind == "content_block_start":
            block = dict(optional_mapping(payload, "content_block", _PROVIDER))
            return self._start(payload["index"], block)
        if kind == "content_block_stop":
            return self._stop(payload["index"])
        if kind == "message_start":
            return self._message_start(optional_mapping(payload, "message", _PROVIDER))
        if kind == "message_delta":
            delta = optional_mapping(payload, "delta", _PROVIDER)
            return self._message_delta(delta, optional_mapping(payload, "usage", _PROVIDER))
        if kind == "message_stop":
            self._finished = True
            return provider_data(self._fields, self._whole_content())
        if kind == "error":
            self._finished = True
            return [StreamError(error_from(payload.get("error"), status=None, body=payload))]
        return []  # ping, and event types newer than this decoder

    def close(self) -> list[StreamEvent]:
        """Raise :class:`StreamInterruptedError` unless ``message_stop`` (or an error) came."""
        if self._finished:
            return []
        for index, block in self._blocks.items():
            self._content[index] = block.whole()
        raise StreamInterruptedError(
            "the stream ended before message_stop: the answer is incomplete",
            provider="anthropic",
            partial=self._whole_content(),
        )

    def _whole_content(self) -> list[dict[str, Any]]:
        return [self._content[index] for index in sorted(self._content)]

    def _message_start(self, message: Mapping[str, Any]) -> list[StreamEvent]:
        for key, value in message.items():
            if key not in MESSAGE_FIELDS and value is not None:
                self._fields[key] = value
        start = ResponseStart(
            id=optional_text(message, "id", _PROVIDER),
            model=optional_text(message, "model", _PROVIDER),
        )
        return [start, *self._add_usage(optional_mapping(message, "usage", _PROVIDER))]

    def _message_delta(
        self, delta: Mapping[str, Any], usage: Mapping[str, Any]
    ) -> list[StreamEvent]:
        for key, value in delta.items():
            if key != "stop_reason" and value is not None:
                self._fields[key] = value
        events = self._add_usage(usage)
        if stop_reason := optional_text(delta, "stop_reason", _PROVIDER):
            events.append(finish(stop_reason))
        return events

    def _add_usage(self, usage: Mapping[str, Any]) -> list[StreamEvent]:
        if not usage:
            return []
        self._usage.update((key, value) for key, value in usage.items() if value is not None)
        return [UsageUpdate(read_usage(self._usage))]

    def _start(self, index: int, block: dict[str, Any]) -> list[StreamEvent]:
        self._blocks[index] = _Block(block)
        kind = block.get("type")
        separator = self._text.block(kind, readable=read_block(block) is not None)
        if kind == "text":
            events: list[StreamEvent] = [TextDelta(separator)] if separator else []
            if text := optional_text(block, "text", _PROVIDER):
                self._text.text(text)
                events.append(TextDelta(text))
            return events
        if kind == "thinking" and (thinking := optional_text(block, "thinking", _PROVIDER)):
            return [ThinkingDelta(thinking)]
        if kind == "redacted_thinking":
            return [ThinkingDelta(redacted=required_text(block, "data", _PROVIDER))]
        if kind == "tool_use":
            call_id = required_text(block, "id", _PROVIDER)
            return [ToolCallStart(index, call_id, required_text(block, "name", _PROVIDER))]
        return []

    def _delta(self, index: int, delta: Mapping[str, Any]) -> list[StreamEvent]:
        block = self._blocks[index]
        kind = delta.get("type")
        if kind == "text_delta":
            text = required_text(delta, "text", _PROVIDER)
            block.pieces.append(text)
            self._text.text(text)
            return [TextDelta(text)]
        if kind == "input_json_delta":
            piece = required_text(delta, "partial_json", _PROVIDER)
            block.pieces.append(piece)
            is_call = block.block.get("type") == "tool_use"
            return [ToolCallDelta(index, piece)] if is_call and piece else []
        if kind == "thinking_delta":
            thinking = required_text(delta, "thinking", _PROVIDER)
            block.pieces.append(thinking)
            return [ThinkingDelta(thinking)]
        if kind == "signature_delta":
            signature = required_text(delta, "signature", _PROVIDER)
            block.block["signature"] = signature
            return [ThinkingDelta(signature=signature)]
        if kind == "citations_delta":
            block.block["citations"] = [*(block.block.get("citations") or []), delta["citation"]]
        return []

    def _stop(self, index: int) -> list[StreamEvent]:
        block = self._blocks.pop(index)
        self._content[index] = block.whole()
        return [ToolCallEnd(index)] if block.block.get("type") == "tool_use" else []
