"""Output items as neutral stream events: the one reading that answers, streams and history share.

A response's ``output`` is a list of items. Three have neutral parts:

* ``message``: its ``output_text`` parts are the answer's text (``refusal`` parts are
  not: they arrive as :class:`~fluent_ai.types.ProviderData`);
* ``reasoning``: its ``summary`` texts, then its ``reasoning_text`` parts (raw reasoning,
  as DeepSeek and open models on OpenRouter send it), are thinking;
* ``function_call``: a tool call, identified by its ``call_id`` (what the tool result
  must name), not by the item ``id``.

Built-in tool items (``web_search_call``, ``code_interpreter_call``, ``mcp_call``, …)
have no neutral part; they travel verbatim with the rest of the output (see
:mod:`fluent_ai.providers.responses.history`). So does everything a reasoning item
carries besides its text: its ``id`` and ``encrypted_content`` are what the next turn
must send back, and only the item itself can carry them.

Thinking arrives in blocks (each summary part, each ``reasoning_text`` part). Blocks
with nothing neutral between them end up in one :class:`~fluent_ai.types.ThinkingPart`,
so :class:`EventWriter` puts a blank line between them, whole or streamed alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from fluent_ai.types import (
    Part,
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallStart,
    collect_events,
)

Block = tuple[int, str, int]
"""A thinking block: (output index, ``"summary"`` or ``"content"``, part index)."""

BLOCK_SEPARATOR = "\n\n"


class EventWriter:
    """Collects the neutral events of output items, whole or one delta at a time."""

    def __init__(self) -> None:
        self.events: list[StreamEvent] = []
        self._taken = 0
        self._block: Block | None = None
        self._after_thinking = False

    def take(self) -> list[StreamEvent]:
        """The events written since the last call."""
        new = self.events[self._taken :]
        self._taken = len(self.events)
        return new

    def add(self, event: StreamEvent) -> None:
        """An event that is not content (start, usage, finish, provider data, errors)."""
        self.events.append(event)

    def text(self, text: str) -> None:
        if text:
            self.events.append(TextDelta(text))
            self._after_thinking = False

    def thinking(self, block: Block, text: str) -> None:
        if not text:
            return
        if block != self._block:
            self._block = block
            if self._after_thinking:
                text = BLOCK_SEPARATOR + text
        self.events.append(ThinkingDelta(text))
        self._after_thinking = True

    def tool_start(self, index: int, call_id: str, name: str) -> None:
        self.events.append(ToolCallStart(index, call_id, name))
        self._after_thinking = False

    def tool_arguments(self, index: int, arguments: str) -> None:
        if arguments:
            self.events.append(ToolCallDelta(index, arguments))

    def tool_end(self, index: int) -> None:
        self.events.append(ToolCallEnd(index))

    def item(self, index: int, item: Mapping[str, Any]) -> None:
        """Every event of one whole output item."""
        kind = item.get("type")
        if kind == "message" or (kind is None and item.get("role") == "assistant"):
            for text in message_texts(item):
                self.text(text)
        elif kind == "reasoning":
            for block, text in reasoning_blocks(index, item):
                self.thinking(block, text)
        elif kind == "function_call":
            self.tool_start(index, call_id(item), str(item.get("name") or ""))
            self.tool_arguments(index, arguments(item))
            self.tool_end(index)


def message_texts(item: Mapping[str, Any]) -> list[str]:
    """The texts of a message item (content may be a plain string in a request)."""
    content = item.get("content")
    if isinstance(content, str):
        return [content]
    return [
        part["text"]
        for part in content or ()
        if part.get("type") in ("output_text", "input_text") and isinstance(part.get("text"), str)
    ]


def reasoning_blocks(index: int, item: Mapping[str, Any]) -> list[tuple[Block, str]]:
    """The thinking blocks of a reasoning item: its summary texts, then its raw reasoning."""
    blocks: list[tuple[Block, str]] = []
    for number, part in enumerate(item.get("summary") or ()):
        if isinstance(part.get("text"), str):
            blocks.append(((index, "summary", number), part["text"]))
    for number, part in enumerate(item.get("content") or ()):
        if part.get("type") == "reasoning_text" and isinstance(part.get("text"), str):
            blocks.append(((index, "content", number), part["text"]))
    return blocks


def call_id(item: Mapping[str, Any]) -> str:
    """The id a tool result must answer: ``call_id``, else the item's own ``id``."""
    value = item.get("call_id") or item.get("id")
    return value if isinstance(value, str) else ""


def arguments(item: Mapping[str, Any]) -> str:
    value = item.get("arguments")
    return value if isinstance(value, str) else ""


def output_events(items: Iterable[Mapping[str, Any]]) -> list[StreamEvent]:
    writer = EventWriter()
    for index, item in enumerate(items):
        writer.item(index, item)
    return writer.events


def output_parts(items: Iterable[Mapping[str, Any]]) -> list[Part]:
    """The parts of the assistant message these items make: what collecting their events,
    whole or streamed, gives."""
    return collect_events(output_events(items)).message.parts


def has_tool_calls(items: Iterable[Mapping[str, Any]]) -> bool:
    return any(item.get("type") == "function_call" for item in items)
