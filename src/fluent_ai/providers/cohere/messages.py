"""Neutral messages to Cohere's v2 ``messages`` list, and back.

Cohere's roles are OpenAI's (``system``, ``user``, ``assistant``, ``tool``) with its
own assistant fields:

* ``tool_plan``, the model's stated plan before its tool calls. It is reasoning, not
  answer, so it reads as a :class:`~fluent_ai.types.ThinkingPart`, and an assistant
  turn with tool calls sends its thinking back as ``tool_plan``, which is where
  Cohere's tool-use guides put it. Without tool calls, thinking goes back as
  ``thinking`` content items (reasoning models).
* ``citations`` of an earlier answer have no neutral part and are not kept in history.

Each tool result is its own ``tool`` message; the wire has no error flag or tool name
for it, so ``is_error`` and ``name`` stay behind (the content says what went wrong). A
tool result given as items is read as its text, ``document`` items as their data (JSON
text for an object), one per line. Cohere has no per-message ``name``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from fluent_ai.providers.cohere.content import encode_content, read_content
from fluent_ai.types import (
    ChatRequest,
    Message,
    Part,
    ThinkingPart,
    ToolCallPart,
    ToolResultPart,
    UnsupportedFeatureError,
)

WireMessage = dict[str, Any]


def encode_messages(request: ChatRequest) -> list[WireMessage]:
    wire: list[WireMessage] = []
    if request.system is not None:
        wire.append({"role": "system", "content": request.system})
    for message in request.messages:
        wire.extend(_encode_message(message))
    return wire


def _encode_message(message: Message) -> list[WireMessage]:
    """One neutral message as wire messages: its tool results first, then the rest."""
    out: list[WireMessage] = [
        {"role": "tool", "tool_call_id": part.tool_call_id, "content": part.content}
        for part in message.parts
        if isinstance(part, ToolResultPart)
    ]
    rest = [part for part in message.parts if not isinstance(part, ToolResultPart)]
    if message.role == "assistant":
        out.append(_assistant(rest))
    elif rest or not out:
        # A tool's images cannot go in a ``tool`` message: they follow as user content.
        role = "user" if message.role == "tool" else message.role
        content = [part for part in rest if not isinstance(part, ThinkingPart)]
        out.append({"role": role, "content": encode_content(content)})
    return out


def _assistant(parts: Sequence[Part]) -> WireMessage:
    calls = [part for part in parts if isinstance(part, ToolCallPart)]
    wire: WireMessage = {"role": "assistant"}
    content: list[Part]
    if calls:
        plan = "".join(part.text for part in parts if isinstance(part, ThinkingPart))
        if plan:
            wire["tool_plan"] = plan
        content = [p for p in parts if not isinstance(p, ThinkingPart | ToolCallPart)]
    else:
        content = list(parts)
    if content or not calls:
        wire["content"] = encode_content(content)
    if calls:
        wire["tool_calls"] = [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": call.arguments},
            }
            for call in calls
        ]
    return wire


def read_messages(wire: Sequence[Mapping[str, Any]]) -> list[Message]:
    messages = []
    for index, item in enumerate(wire):
        role = item.get("role")
        if role in ("system", "user"):
            messages.append(Message(role=role, parts=read_content(item.get("content"))))
        elif role == "assistant":
            messages.append(Message(role="assistant", parts=_read_assistant(item)))
        elif role == "tool":
            result = ToolResultPart(
                tool_call_id=item["tool_call_id"], content=_tool_text(item.get("content"))
            )
            messages.append(Message(role="tool", parts=[result]))
        else:
            raise UnsupportedFeatureError(
                f"messages[{index}] has role {role!r}, which has no neutral form",
                provider="cohere",
            )
    return messages


def _read_assistant(item: Mapping[str, Any]) -> list[Part]:
    parts = read_content(item.get("content"))
    if item.get("tool_plan"):
        parts.append(ThinkingPart(text=item["tool_plan"]))
    for call in item.get("tool_calls") or ():
        function = call["function"]
        parts.append(
            ToolCallPart(id=call["id"], name=function["name"], arguments=function["arguments"])
        )
    return parts


def _tool_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    pieces = []
    for item in content or ():
        if item.get("type") == "text":
            pieces.append(item["text"])
        elif item.get("type") == "document":
            data = item["document"]["data"]
            pieces.append(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False))
        else:
            raise UnsupportedFeatureError(
                f"Cohere {item.get('type')!r} tool content has no neutral form", provider="cohere"
            )
    return "\n".join(pieces)
