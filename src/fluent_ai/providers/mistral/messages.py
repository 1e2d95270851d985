"""Neutral messages to Mistral's ``messages`` list, and back.

Mistral checks a conversation more strictly than OpenAI, and the encoder settles each
rule it enforces rather than let the request fail:

* **Tool call ids** must be exactly nine letters or digits (error 3280, ``Tool call id
  was … but must be a-z, A-Z, 0-9, with a length of 9``). Ids from other vendors
  (``call_…``, ``toolu_…``) are replaced by :func:`wire_id`, a stable digest of the
  original, on both the call and its result, so they still pair up.
* **A user turn may not follow a tool result** (error 3230, ``Unexpected role 'user'
  after role 'tool'``). Where a conversation does that (a tool's images sent back as
  user content, a user who speaks before the model answered the results) a short
  assistant turn, :data:`BRIDGE`, is put between; the recordings show Mistral
  accepting exactly this.
* **The conversation must end with a user or tool turn, or an assistant turn marked
  ``prefix``**. A trailing assistant message can only mean a prefill (the answer
  should continue from it), so it is sent with ``"prefix": true``.

Each tool result is its own ``tool`` message, with the tool's ``name`` when known; the
wire has no error flag, so ``is_error`` stays behind (the content says what went
wrong). Mistral has no per-message ``name`` on other roles, so ``Message.name`` is not
sent. Thinking goes back as ``thinking`` chunks in assistant turns only.

Reading is the inverse, except for spellings the neutral message does not record:
``prefix`` (recomputed), a string versus one text chunk, ``content: []`` versus absent.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Mapping, Sequence
from typing import Any

from fluent_ai.providers.mistral.content import encode_content, read_content
from fluent_ai.providers.openai import fields
from fluent_ai.types import (
    ChatRequest,
    Message,
    Part,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolResultPart,
    UnsupportedFeatureError,
)

WireMessage = dict[str, Any]

BRIDGE: WireMessage = {"role": "assistant", "content": "OK"}
"""The assistant turn put between a tool result and a user turn that follows it."""

_WIRE_ID = re.compile(r"[A-Za-z0-9]{9}")
_ALPHABET = string.ascii_letters + string.digits


def wire_id(call_id: str) -> str:
    """The id as Mistral accepts it: unchanged when valid, else a stable 9-character digest."""
    if _WIRE_ID.fullmatch(call_id):
        return call_id
    number = int.from_bytes(hashlib.sha256(call_id.encode()).digest()[:8], "big")
    chars = []
    for _ in range(9):
        number, digit = divmod(number, len(_ALPHABET))
        chars.append(_ALPHABET[digit])
    return "".join(chars)


def encode_messages(request: ChatRequest) -> list[WireMessage]:
    wire: list[WireMessage] = []
    if request.system is not None:
        wire.append({"role": "system", "content": request.system})
    for message in request.messages:
        wire.extend(_encode_message(message))
    if wire and wire[-1]["role"] == "assistant":
        wire[-1]["prefix"] = True
    return _bridged(wire)


def _encode_message(message: Message) -> list[WireMessage]:
    """One neutral message as wire messages: its tool results first, then the rest."""
    out = [_tool_result(part) for part in message.parts if isinstance(part, ToolResultPart)]
    rest = [part for part in message.parts if not isinstance(part, ToolResultPart)]
    if message.role == "assistant":
        out.append(_assistant(rest))
    elif rest or not out:
        # A tool's images or documents cannot go in a ``tool`` message: they follow as user content.
        role = "user" if message.role == "tool" else message.role
        content = [part for part in rest if not isinstance(part, ThinkingPart)]
        out.append({"role": role, "content": encode_content(content)})
    return out


def _assistant(parts: Sequence[Part]) -> WireMessage:
    calls = [part for part in parts if isinstance(part, ToolCallPart)]
    content = [part for part in parts if not isinstance(part, ToolCallPart)]
    wire: WireMessage = {"role": "assistant", "content": encode_content(content)}
    if calls:
        wire["tool_calls"] = [
            {
                "id": wire_id(call.id),
                "type": "function",
                "function": {"name": call.name, "arguments": call.arguments},
            }
            for call in calls
        ]
    return wire


def _tool_result(part: ToolResultPart) -> WireMessage:
    wire: WireMessage = {
        "role": "tool",
        "tool_call_id": wire_id(part.tool_call_id),
        "content": part.content,
    }
    if part.name is not None:
        wire["name"] = part.name
    return wire


def _bridged(wire: list[WireMessage]) -> list[WireMessage]:
    out: list[WireMessage] = []
    for message in wire:
        if message["role"] == "user" and out and out[-1]["role"] == "tool":
            out.append(dict(BRIDGE))
        out.append(message)
    return out


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
                tool_call_id=item["tool_call_id"],
                content=_text(item.get("content")),
                name=item.get("name"),
            )
            messages.append(Message(role="tool", parts=[result]))
        else:
            raise UnsupportedFeatureError(
                f"messages[{index}] has role {role!r}, which has no neutral form",
                provider="mistral",
            )
    return messages


def _read_assistant(item: Mapping[str, Any]) -> list[Part]:
    parts = read_content(item.get("content"))
    for call in item.get("tool_calls") or ():
        function = call["function"]
        arguments = fields.arguments(function.get("arguments"))
        parts.append(ToolCallPart(id=call["id"], name=function["name"], arguments=arguments))
    return parts


def _text(content: Any) -> str:
    """A tool result's content, which the neutral part holds as text."""
    parts = read_content(content)
    if not all(isinstance(part, TextPart) for part in parts):
        raise UnsupportedFeatureError(
            "a tool result holding more than text has no neutral form", provider="mistral"
        )
    return "".join(part.text for part in parts if isinstance(part, TextPart))
