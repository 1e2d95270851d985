"""An Anthropic Messages request body as a :class:`ChatRequest` (the gateway receives them).

Every field with a neutral meaning is read into it; everything else stays in
``ChatRequest.extra`` exactly as it came, so ``encode_request(decode_request(body))``
gives the body back. What is kept where:

* ``system`` as a string is ``system``; as blocks (say with ``cache_control``) the
  blocks stay in ``extra`` and ``system`` holds their text, for readers.
* messages become neutral messages (a user turn holding tool results is a ``tool``
  message); when a message's blocks have no exact neutral form its content list is
  also kept, under :data:`~fluent_ai.providers.anthropic.history.CONTENT_KEY`.
  Content given as a string is the API's shorthand for one text block and comes back
  as that block.
* function tools become ``tools``; server tools, and tools after them, stay raw.
* ``tool_choice`` and ``output_config.format`` become neutral; their other keys stay.
* ``stop_sequences`` is ``stop``; ``thinking``, ``top_k`` and the rest stay in ``extra``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.anthropic.blocks import Block, encode_content, read_content
from fluent_ai.providers.anthropic.history import CONTENT_KEY
from fluent_ai.providers.anthropic.options import read_output_config, read_tool_choice, read_tools
from fluent_ai.types import ChatRequest, Message, Role, ToolResultPart

_PLAIN = (
    ("max_tokens", "max_tokens"),
    ("temperature", "temperature"),
    ("top_p", "top_p"),
    ("stop_sequences", "stop"),
    ("metadata", "metadata"),
)


def decode_request(body: Mapping[str, Any]) -> ChatRequest:
    extra = dict(body)
    extra.pop("stream", None)
    fields: dict[str, Any] = {"model": extra.pop("model")}
    fields["messages"], verbatim = _read_messages(extra.pop("messages"))
    if verbatim:
        extra[CONTENT_KEY] = verbatim
    for wire, name in _PLAIN:
        if wire in extra:
            fields[name] = extra.pop(wire)
    system = extra.get("system")
    if isinstance(system, str):
        fields["system"] = extra.pop("system")
    elif isinstance(system, list):
        fields["system"] = "\n\n".join(b["text"] for b in system if b.get("type") == "text")
    if isinstance(extra.get("tools"), list):
        specs, raw_tools = read_tools(extra.pop("tools"))
        if raw_tools:
            extra["tools"] = raw_tools
        # Server tools alone are no function tools: leave ``tools`` unset, not empty.
        fields["tools"] = specs if specs or not raw_tools else None
    if isinstance(extra.get("tool_choice"), Mapping):
        fields["tool_choice"], leftover = read_tool_choice(extra.pop("tool_choice"))
        if leftover:
            extra["tool_choice"] = leftover
    if isinstance(extra.get("output_config"), Mapping):
        fields["response_format"], leftover = read_output_config(extra.pop("output_config"))
        if leftover:
            extra["output_config"] = leftover
    return ChatRequest(**fields, extra=extra)


def _read_messages(raw: list[Mapping[str, Any]]) -> tuple[list[Message], list[list[Block]]]:
    """The neutral messages, and the content lists of those they cannot spell exactly."""
    messages: list[Message] = []
    verbatim: list[list[Block]] = []
    for item in raw:
        content = item["content"]
        blocks = [{"type": "text", "text": content}] if isinstance(content, str) else content
        parts = read_content(blocks)
        role: Role = item["role"]
        if role == "user" and any(isinstance(part, ToolResultPart) for part in parts):
            role = "tool"
        messages.append(Message(role=role, parts=parts))
        if encode_content(parts) != blocks:
            verbatim.append(blocks)
    return messages, verbatim
