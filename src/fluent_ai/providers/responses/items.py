"""Messages to Responses input items, and input items back to messages.

The Responses API has no messages, only a flat list of items. The neutral reading
groups them:

* a user, system or developer message item is one message (``developer`` reads as
  ``system``);
* an item that answers a call (``function_call_output`` and the other ``*_output``
  items, ``mcp_approval_response``) is one ``tool`` message;
* every other item is model output (assistant messages, reasoning, function calls,
  built-in tool calls, item references), and a run of them is one assistant message,
  read as :mod:`.output` reads a response.

:func:`encode_message` spells a message one way: text as the short form
``{"role": …, "content": …}`` (one text part as a plain string), each tool call as a
``function_call`` item, each tool result as a ``function_call_output`` whose output is
the result's text, or a list when images or documents follow the result in a ``tool``
message (a tool that returned them); the wire has no error flag or tool name for a
result, so ``is_error`` and ``name`` stay behind (its text says what went wrong).
Thinking is not sent from parts: OpenAI only takes
reasoning back as the items it produced, which travel verbatim (see :mod:`.history`).
A tool message's other parts, and a user message's parts beside its tool results, follow
the results as a user message, since a result's output belongs to the call alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fluent_ai.providers.responses.content import Wire, encode_content, encode_part, read_content
from fluent_ai.providers.responses.output import output_parts
from fluent_ai.types import (
    DocumentPart,
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

_ROLES: dict[str, Role] = {
    "user": "user",
    "system": "system",
    "developer": "system",
    "assistant": "assistant",
}
_ANSWERS = frozenset({"mcp_approval_response"})


def encode_message(message: Message, *, provider: str) -> list[Wire]:
    """One neutral message as the input items that say the same."""
    if message.name is not None:
        raise UnsupportedFeatureError(
            f"the Responses API has no participant names (message name {message.name!r})",
            provider=provider,
        )
    if message.role == "assistant":
        return _assistant(message.parts, provider=provider)
    items, rest = _tool_outputs(message.parts, media=message.role == "tool", provider=provider)
    if rest or not items:
        role = "user" if message.role == "tool" else message.role
        items.append({"role": role, "content": encode_content(rest, provider=provider)})
    return items


def split_items(items: Iterable[Mapping[str, Any]]) -> list[tuple[Role, list[Wire]]]:
    """The items grouped one list per neutral message, each with the message's role."""
    groups: list[tuple[Role, list[Wire]]] = []
    for item in items:
        role = _role(item)
        if role == "assistant" and groups and groups[-1][0] == "assistant":
            groups[-1][1].append(dict(item))
        else:
            groups.append((role, [dict(item)]))
    return groups


def read_message(role: Role, items: Sequence[Mapping[str, Any]]) -> Message:
    """The neutral reading of one group from :func:`split_items`."""
    if role == "assistant":
        return Message(role="assistant", parts=output_parts(items))
    (item,) = items
    if role == "tool":
        return Message(role="tool", parts=_read_output(item))
    return Message(role=role, parts=read_content(item.get("content") or []))


def _role(item: Mapping[str, Any]) -> Role:
    role = item.get("role")
    if isinstance(role, str) and role in _ROLES:
        return _ROLES[role]
    kind = str(item.get("type") or "")
    return "tool" if kind.endswith("_output") or kind in _ANSWERS else "assistant"


def _assistant(parts: Sequence[Part], *, provider: str) -> list[Wire]:
    items: list[Wire] = []
    for part in parts:
        if isinstance(part, TextPart):
            items.append({"role": "assistant", "content": part.text})
        elif isinstance(part, ToolCallPart):
            items.append(
                {
                    "type": "function_call",
                    "call_id": part.id,
                    "name": part.name,
                    "arguments": part.arguments,
                }
            )
        elif isinstance(part, ToolResultPart):
            items.append(_output(part))
        elif not isinstance(part, ThinkingPart):
            raise UnsupportedFeatureError(
                f"an assistant turn holds text and tool calls only, not a {part.type} part",
                provider=provider,
            )
    return items


def _tool_outputs(
    parts: Sequence[Part], *, media: bool, provider: str
) -> tuple[list[Wire], list[Part]]:
    """The ``function_call_output`` items, and the parts that are not part of one.

    With ``media``, images and documents right after a result belong to its output.
    """
    outputs: list[Wire] = []
    rest: list[Part] = []
    open_output: Wire | None = None
    for part in parts:
        if isinstance(part, ToolResultPart):
            open_output = _output(part)
            outputs.append(open_output)
        elif media and open_output is not None and isinstance(part, ImagePart | DocumentPart):
            _attach(open_output, encode_part(part, provider=provider))
        elif not isinstance(part, ThinkingPart):
            open_output = None
            rest.append(part)
    return outputs, rest


def _output(part: ToolResultPart) -> Wire:
    return {"type": "function_call_output", "call_id": part.tool_call_id, "output": part.content}


def _attach(output: Wire, media: Wire) -> None:
    current = output["output"]
    if isinstance(current, str):
        current = [{"type": "input_text", "text": current}] if current else []
    output["output"] = [*current, media]


def _read_output(item: Mapping[str, Any]) -> list[Part]:
    if item.get("type") != "function_call_output":
        return []
    output = item.get("output")
    call_id = str(item.get("call_id") or "")
    if isinstance(output, str):
        return [ToolResultPart(tool_call_id=call_id, content=output)]
    parts = read_content(output or [])
    text = "".join(part.text for part in parts if isinstance(part, TextPart))
    media = [part for part in parts if not isinstance(part, TextPart)]
    return [ToolResultPart(tool_call_id=call_id, content=text), *media]
