"""A Gemini ``generateContent`` body as a :class:`ChatRequest` (the gateway receives them).

Every field with a neutral meaning is read into it; everything else stays in
``ChatRequest.extra`` exactly as it came, so ``encode_request(decode_request(body))``
gives the body back. What is kept where:

* The model is in the URL, not the body. The body's ``model`` field (the request
  message's own field, ``models/{id}``) is read when present, which is how a gateway
  that serves ``/models/{id}:generateContent`` passes it on; otherwise the model is
  ``""`` and the request goes to whatever model the base URL names.
* ``contents`` become messages (a user turn holding function responses is a ``tool``
  message); a content the encoder would spell differently is also kept whole, under
  :data:`~fluent_ai.providers.google.history.CONTENTS_KEY`.
* ``systemInstruction`` made of text is ``system``; when it is not spelled as the
  encoder spells it, it also stays in ``extra``, which replaces the encoder's.
* ``generationConfig``: temperature, ``topP``, ``maxOutputTokens``, ``stopSequences``,
  ``seed`` and JSON output are read; ``topK``, ``thinkingConfig`` and the rest stay.
* ``tools`` and ``toolConfig`` as :mod:`~fluent_ai.providers.google.options` reads them.
* Top-level fields sent in snake_case (``system_instruction``) stay in ``extra`` as
  they are: read into neutral fields they would come back camelCased beside the original.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.google.history import CONTENTS_KEY, Content
from fluent_ai.providers.google.options import (
    GENERATION_FIELDS,
    read_response_format,
    read_tool_config,
    read_tools,
)
from fluent_ai.providers.google.parts import CallIds, encode_parts, read_parts
from fluent_ai.providers.google.wire import get
from fluent_ai.types import (
    ChatRequest,
    Message,
    Part,
    Role,
    ToolResultPart,
    UnsupportedFeatureError,
)

_WIRE_ROLES = {"assistant": "model", "user": "user", "tool": "user"}


def decode_request(body: Mapping[str, Any]) -> ChatRequest:
    extra = dict(body)
    fields: dict[str, Any] = {"model": str(extra.pop("model", "")).removeprefix("models/")}
    fields["messages"], verbatim = _read_contents(extra.pop("contents"))
    if verbatim:
        extra[CONTENTS_KEY] = verbatim
    system = extra.get("systemInstruction")
    if isinstance(system, Mapping):
        texts = [get(part, "text") for part in get(system, "parts") or ()]
        if texts and all(isinstance(text, str) for text in texts):
            fields["system"] = "\n\n".join(texts)
            if system == {"role": "user", "parts": [{"text": fields["system"]}]}:
                del extra["systemInstruction"]
    if isinstance(extra.get("generationConfig"), Mapping):
        config = extra.pop("generationConfig")
        leftover = _read_generation_config(config, fields)
        if leftover or not config:
            extra["generationConfig"] = leftover
    if isinstance(extra.get("tools"), list):
        fields["tools"], raw_tools = read_tools(extra.pop("tools"))
        if raw_tools is not None:
            extra["tools"] = raw_tools
    if isinstance(extra.get("toolConfig"), Mapping):
        fields["tool_choice"], leftover = read_tool_config(extra.pop("toolConfig"))
        if leftover:
            extra["toolConfig"] = leftover
    return ChatRequest(**fields, extra=extra)


def _read_generation_config(config: Mapping[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """Read the neutral settings into ``fields``; return the rest."""
    leftover = dict(config)
    for wire, name in GENERATION_FIELDS:
        if wire in leftover:
            fields[name] = leftover.pop(wire)
    response_format = read_response_format(config)
    if response_format is not None:
        fields["response_format"] = response_format
        del leftover["responseMimeType"]
        leftover.pop("responseJsonSchema", None)
    return leftover


def _read_contents(raw: list[Mapping[str, Any]]) -> tuple[list[Message], list[Content]]:
    """The neutral messages, and the contents they cannot spell exactly."""
    calls = CallIds()
    names: dict[str, str] = {}
    messages: list[Message] = []
    verbatim: list[Content] = []
    for content in raw:
        parts = read_parts(get(content, "parts") or (), calls)
        role = _role(content.get("role"), parts)
        messages.append(Message(role=role, parts=parts))
        names.update((call.id, call.name) for call in messages[-1].tool_calls)
        if not _spelled_back(content, role, parts, names):
            verbatim.append(dict(content))
    return messages, verbatim


def _role(wire_role: object, parts: list[Part]) -> Role:
    if wire_role == "model":
        return "assistant"
    if wire_role not in (None, "user", "function"):
        raise ValueError(f"unknown content role {wire_role!r}")
    return "tool" if any(isinstance(part, ToolResultPart) for part in parts) else "user"


def _spelled_back(
    content: Mapping[str, Any], role: Role, parts: list[Part], names: Mapping[str, str]
) -> bool:
    try:
        wire = encode_parts(parts, names)
    except UnsupportedFeatureError:
        return False
    return dict(content) == {"role": _WIRE_ROLES[role], "parts": wire}
