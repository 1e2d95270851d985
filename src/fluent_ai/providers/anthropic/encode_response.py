"""Answers back into Messages bodies and stream events: what a gateway sends.

The inverse of :mod:`.response` and :mod:`.stream`: a gateway answering an Anthropic
client with whatever model served the call writes the neutral answer in Anthropic's
words, a ``message`` body for a whole answer and the ``message_start`` …
``message_stop`` events for a stream, so that this module's own decoders read back the
same answer (tested as a property).

Tool-call arguments that are not a JSON object have no Anthropic form (``input`` is an
object) and are refused rather than bent, with
:class:`~fluent_ai.types.BadResponseError`. Anthropic has no stop reason for an
upstream's error finish: it is sent as ``end_turn``. Fields with no neutral
home (:class:`~fluent_ai.types.ProviderData`) are not written.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from fluent_ai.providers.anthropic.response import FINISH_REASONS
from fluent_ai.types import (
    BadResponseError,
    ChatResponse,
    Finish,
    FinishReason,
    ResponseStart,
    StreamEvent,
    TextDelta,
    TextPart,
    ThinkingDelta,
    ThinkingPart,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallPart,
    ToolCallStart,
    Usage,
    UsageUpdate,
)

STOP_WORDS = {
    FinishReason.STOP: "end_turn",
    FinishReason.LENGTH: "max_tokens",
    FinishReason.TOOL_CALLS: "tool_use",
    FinishReason.CONTENT_FILTER: "refusal",
    FinishReason.ERROR: "end_turn",
    FinishReason.OTHER: "end_turn",
}
"""Anthropic's word for each neutral reason, where the upstream's own word is not one."""

Event = tuple[str, dict[str, Any]]
"""An SSE event's name and its data object (Anthropic names each event by its type)."""


def message_id(given: str | None) -> str:
    return given or f"msg_{uuid.uuid4().hex}"


def stop_word(reason: FinishReason | None, raw: str | None) -> str:
    """The upstream's word when it is Anthropic's own (``stop_sequence``, ``pause_turn``),
    else the word for the neutral reason."""
    if raw in FINISH_REASONS:
        return raw
    return STOP_WORDS[reason or FinishReason.STOP]


def usage_body(usage: Usage) -> dict[str, Any]:
    """Anthropic counts cached input apart from ``input_tokens``; the neutral count
    includes it."""
    read, written = usage.cache_read_tokens, usage.cache_write_tokens
    body: dict[str, Any] = {
        "input_tokens": max(0, usage.input_tokens - read - written),
        "output_tokens": usage.output_tokens,
        "cache_read_input_tokens": read,
        "cache_creation_input_tokens": written,
    }
    if usage.reasoning_tokens:
        body["output_tokens_details"] = {"thinking_tokens": usage.reasoning_tokens}
    return body


def tool_input(call_id: str, arguments: str) -> dict[str, Any]:
    """A tool call's arguments as the object Anthropic carries."""
    try:
        value = json.loads(arguments) if arguments.strip() else {}
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise BadResponseError(
            f"tool call {call_id!r} has arguments that are not a JSON object "
            f"({arguments[:100]!r}), which the Anthropic format cannot carry"
        )
    return value


def message_body(response: ChatResponse, *, model: str) -> dict[str, Any]:
    """A whole answer as a ``message`` body; ``model`` is the name the caller asked for."""
    content: list[dict[str, Any]] = []
    for part in response.message.parts:
        if isinstance(part, TextPart) and part.text:
            content.append({"type": "text", "text": part.text})
        elif isinstance(part, ThinkingPart):
            if part.redacted is not None:
                content.append({"type": "redacted_thinking", "data": part.redacted})
            else:
                block = {"type": "thinking", "thinking": part.text, "signature": part.signature}
                content.append(block)
        elif isinstance(part, ToolCallPart):
            arguments = tool_input(part.id, part.arguments)
            content.append(
                {"type": "tool_use", "id": part.id, "name": part.name, "input": arguments}
            )
    return {
        "id": message_id(response.id),
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop_word(response.finish_reason, response.raw_finish_reason),
        "stop_sequence": None,
        "usage": usage_body(response.usage),
    }


class EventEncoder:
    """One stream's events as Anthropic's SSE events.

    Anthropic sends one content block at a time: text and thinking open a block that the
    next different event closes; a tool call's block stays open until its
    :class:`~fluent_ai.types.ToolCallEnd` (fragments are sent by block index, as the
    SDKs read them). The usage known at the start goes in ``message_start``; the final
    usage, input counts included, in ``message_delta`` before ``message_stop``.
    """

    def __init__(self, *, model: str) -> None:
        self._model = model
        self._started = False
        self._usage = Usage()
        self._blocks = 0
        self._open: str | None = None  # the open text or thinking block's kind
        self._tools: dict[int, int] = {}  # neutral tool index -> open block index

    def encode(self, event: StreamEvent) -> list[Event]:
        """The SSE events ``event`` makes (none for those Anthropic has no event for)."""
        match event:
            case TextDelta(text=text):
                return self._flowing("text", {"type": "text_delta", "text": text})
            case ResponseStart(id=given):
                return self._start(given)
            case ThinkingDelta(text=text, signature=signature, redacted=redacted):
                return self._thinking(text, signature, redacted)
            case ToolCallStart(index=index, id=call_id, name=name):
                out = self._start(None) + self._close_flowing()
                self._tools[index] = self._blocks
                start = {"type": "tool_use", "id": call_id, "name": name, "input": {}}
                return [*out, self._open_block(start)]
            case ToolCallDelta(index=index, arguments=arguments):
                delta = {"type": "input_json_delta", "partial_json": arguments}
                return [_delta(self._tools[index], delta)]
            case ToolCallEnd(index=index):
                return [self._stop_block(self._tools.pop(index))]
            case UsageUpdate(usage=usage):
                self._usage = usage
                return []
            case Finish(reason=reason, raw=raw):
                return self._finish(reason, raw)
        return []

    def _start(self, given: str | None) -> list[Event]:
        if self._started:
            return []
        self._started = True
        message: dict[str, Any] = {
            "id": message_id(given),
            "type": "message",
            "role": "assistant",
            "model": self._model,
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": usage_body(self._usage),
        }
        return [("message_start", {"type": "message_start", "message": message})]

    def _thinking(self, text: str, signature: str | None, redacted: str | None) -> list[Event]:
        if redacted is not None:
            out = self._start(None) + self._close_flowing()
            out.append(self._open_block({"type": "redacted_thinking", "data": redacted}))
            out.append(self._stop_block(self._blocks - 1))
            return out
        out = (
            self._flowing("thinking", {"type": "thinking_delta", "thinking": text}) if text else []
        )
        if signature is not None:
            out += self._flowing("thinking", {"type": "signature_delta", "signature": signature})
        return out

    def _flowing(self, kind: str, delta: dict[str, Any]) -> list[Event]:
        """A text or thinking delta, in the open block of its kind (opened if need be)."""
        out = self._start(None)
        if self._open != kind:
            out += self._close_flowing()
            empty = {"type": kind, kind: ""}
            if kind == "thinking":
                empty["signature"] = ""
            out.append(self._open_block(empty))
            self._open = kind
        out.append(_delta(self._blocks - 1, delta))
        return out

    def _close_flowing(self) -> list[Event]:
        if self._open is None:
            return []
        self._open = None
        return [self._stop_block(self._blocks - 1)]

    def _open_block(self, block: dict[str, Any]) -> Event:
        index, self._blocks = self._blocks, self._blocks + 1
        data = {"type": "content_block_start", "index": index, "content_block": block}
        return ("content_block_start", data)

    def _stop_block(self, index: int) -> Event:
        return ("content_block_stop", {"type": "content_block_stop", "index": index})

    def _finish(self, reason: FinishReason, raw: str | None) -> list[Event]:
        out = self._start(None) + self._close_flowing()
        out += [self._stop_block(block) for block in self._tools.values()]
        self._tools.clear()
        delta = {"stop_reason": stop_word(reason, raw), "stop_sequence": None}
        usage = usage_body(self._usage)
        out.append(("message_delta", {"type": "message_delta", "delta": delta, "usage": usage}))
        out.append(("message_stop", {"type": "message_stop"}))
        return out


def _delta(index: int, delta: dict[str, Any]) -> Event:
    return ("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta})
