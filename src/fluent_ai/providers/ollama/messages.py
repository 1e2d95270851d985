"""Neutral messages to Ollama's ``messages`` list, and back.

An Ollama message is flat: ``role``, ``content`` (one string), ``images`` (base64,
see :mod:`.content`), and for the assistant ``thinking`` and ``tool_calls``
(``{"id", "function": {"name", "arguments": {...}}}``). A ``tool`` message answers a
call with ``content``, ``tool_name`` and ``tool_call_id``.

* The text parts of a message are joined with a blank line between them, as separate
  blocks; thinking parts likewise. Where images sat among the text is not kept: Ollama
  places a message's images itself.
* ``ChatRequest.system`` is a leading ``system`` message; system messages inside the
  history keep their place.
* Each tool result is its own ``tool`` message, naming its tool (the result's ``name``,
  else the name of the call it answers) and its call. Ollama has no error flag for a
  result, so ``is_error`` stays behind: the content says what went wrong. Text or images
  beside results in a tool turn follow as a ``user`` message.
* Thinking goes back in the assistant's ``thinking``; signatures and redacted thinking
  (Anthropic's) have nowhere to go and are left out, as is thinking in other roles.
* ``Message.name`` has no wire field. Documents are refused: Ollama's chat takes none.

Read back, a call without an ``id`` (servers before 0.12.10 send none) is
``call_<n>``, counting the calls of the conversation, and a tool message without a
``tool_call_id`` answers the oldest unanswered call of its ``tool_name``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fluent_ai.providers.ollama.content import (
    PROVIDER,
    arguments_object,
    arguments_text,
    encode_image,
    read_image,
)
from fluent_ai.types import (
    ChatRequest,
    ImagePart,
    Message,
    Part,
    Role,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolResultPart,
    UnsupportedFeatureError,
)

WireMessage = dict[str, Any]

ROLES: dict[str, Role] = {
    "system": "system",
    "user": "user",
    "assistant": "assistant",
    "tool": "tool",
}


class CallIds:
    """Ids for tool calls that came without one, and the call each tool message answers."""

    def __init__(self) -> None:
        self._count = 0
        self._open: list[tuple[str, str | None]] = []  # (id, name), oldest first

    def call(self, name: str | None, given: str | None = None) -> str:
        """The n-th call's id: its own, else ``call_<n>``, so a reread gives the same ids."""
        call_id = given or f"call_{self._count}"
        self._count += 1
        self._open.append((call_id, name))
        return call_id

    def result(self, name: str | None, given: str | None = None) -> str:
        """The id of the call a result answers: its own, else the oldest open one of ``name``.

        A result that answers no call at all gets an id of its own.
        """
        for position, (call_id, call_name) in enumerate(self._open):
            if call_id == given or (given is None and name in (None, call_name)):
                del self._open[position]
                return call_id
        if given:
            return given
        self._count += 1
        return f"call_{self._count - 1}"


def encode_messages(request: ChatRequest) -> list[WireMessage]:
    wire: list[WireMessage] = []
    if request.system is not None:
        wire.append({"role": "system", "content": request.system})
    names: dict[str, str] = {}  # call id -> tool name, for the results that follow
    for message in request.messages:
        wire.extend(_encode_message(message, names))
    return wire


def _encode_message(message: Message, names: dict[str, str]) -> list[WireMessage]:
    """One neutral message as wire messages: its tool results first, then the rest."""
    out = [
        _result(part, names.get(part.tool_call_id))
        for part in message.parts
        if isinstance(part, ToolResultPart)
    ]
    rest = [part for part in message.parts if not isinstance(part, ToolResultPart)]
    if rest or not out:
        role = "user" if message.role == "tool" else message.role
        out.append(_message(role, rest, names))
    return out


def _result(part: ToolResultPart, call_name: str | None) -> WireMessage:
    wire: WireMessage = {"role": "tool", "content": part.content}
    name = part.name or call_name
    if name:
        wire["tool_name"] = name
    wire["tool_call_id"] = part.tool_call_id
    return wire


def _message(role: str, parts: Sequence[Part], names: dict[str, str]) -> WireMessage:
    texts: list[str] = []
    thoughts: list[str] = []
    images: list[str] = []
    calls: list[dict[str, Any]] = []
    for part in parts:
        if isinstance(part, TextPart):
            texts.append(part.text)
        elif isinstance(part, ImagePart):
            images.append(encode_image(part))
        elif isinstance(part, ThinkingPart):
            if part.text and role == "assistant":
                thoughts.append(part.text)
        elif isinstance(part, ToolCallPart) and role == "assistant":
            names[part.id] = part.name
            function = {"name": part.name, "arguments": arguments_object(part)}
            calls.append({"id": part.id, "function": function})
        else:
            raise UnsupportedFeatureError(
                f"Ollama's chat cannot take a {part.type} part in a {role} message"
                + (": send the document's text instead" if part.type == "document" else ""),
                provider=PROVIDER,
            )
    wire: WireMessage = {"role": role, "content": "\n\n".join(texts)}
    if thoughts:
        wire["thinking"] = "\n\n".join(thoughts)
    if images:
        wire["images"] = images
    if calls:
        wire["tool_calls"] = calls
    return wire


def read_messages(wire: Sequence[Mapping[str, Any]]) -> list[Message]:
    ids = CallIds()
    messages = []
    for index, item in enumerate(wire):
        role = ROLES.get(str(item.get("role")).lower())  # Ollama ignores case here
        if role is None:
            raise UnsupportedFeatureError(
                f"messages[{index}] has role {item.get('role')!r}, which has no neutral form",
                provider=PROVIDER,
            )
        if role == "tool":
            parts: list[Part] = [_read_result(item, ids)]
            parts.extend(read_image(value) for value in item.get("images") or ())
        else:
            parts = read_parts(item, ids)
        messages.append(Message(role=role, parts=parts))
    return messages


def read_parts(item: Mapping[str, Any], ids: CallIds) -> list[Part]:
    """A message's parts in the order the model wrote them: thinking, text, images, calls."""
    parts: list[Part] = []
    if item.get("thinking"):
        parts.append(ThinkingPart(text=item["thinking"]))
    if item.get("content"):
        parts.append(TextPart(text=item["content"]))
    parts.extend(read_image(value) for value in item.get("images") or ())
    for call in item.get("tool_calls") or ():
        function = call["function"]
        name = function["name"]
        parts.append(
            ToolCallPart(
                id=ids.call(name, call.get("id")),
                name=name,
                arguments=arguments_text(function.get("arguments")),
            )
        )
    return parts


def _read_result(item: Mapping[str, Any], ids: CallIds) -> ToolResultPart:
    name = item.get("tool_name") or None
    return ToolResultPart(
        tool_call_id=ids.result(name, item.get("tool_call_id") or None),
        content=item.get("content") or "",
        name=name,
    )
