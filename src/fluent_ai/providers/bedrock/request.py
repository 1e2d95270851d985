"""A Converse request as a :class:`ChatRequest` (the gateway receives them).

Every field with a neutral meaning is read into it; everything else stays in
``ChatRequest.extra`` exactly as it came, so ``encode_request(decode_request(body))``
gives the body back. What is kept where:

* ``modelId`` is the model. On the wire it is part of the URL, not the body; the API
  reference (and boto3's ``converse(modelId=…)``) lists it among the request's members,
  and that is the shape read here: a server fills it in from the path.
* ``system`` with one text block is ``system``; any other list (several blocks,
  ``cachePoint`` markers, guard content, or none at all) stays in ``extra`` as it is,
  and ``system`` holds its text, for readers.
* messages become neutral messages (a user turn holding tool results is a ``tool``
  message); when a message's blocks have no exact neutral form its content list is also
  kept, under :data:`~fluent_ai.providers.bedrock.history.CONTENT_KEY`.
* ``inferenceConfig`` becomes the sampling fields; function tools, ``toolChoice`` and a
  JSON-schema ``outputConfig`` become neutral; their other keys stay.
* ``requestMetadata`` is ``metadata``; ``additionalModelRequestFields`` and the rest
  stay in ``extra``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.bedrock.blocks import Block, encode_content, read_content
from fluent_ai.providers.bedrock.history import CONTENT_KEY
from fluent_ai.providers.bedrock.options import (
    read_inference,
    read_output_config,
    read_tool_choice,
    read_tools,
)
from fluent_ai.types import (
    ChatRequest,
    Message,
    Part,
    Role,
    ToolResultPart,
    UnsupportedFeatureError,
)


def decode_request(body: Mapping[str, Any]) -> ChatRequest:
    extra = dict(body)
    model = extra.pop("modelId", None)
    if not isinstance(model, str) or not model:
        raise ValueError(
            "no modelId: Converse names the model in the URL (/model/{modelId}/converse), "
            "so a server must add it to the body it decodes"
        )
    fields: dict[str, Any] = {"model": model}
    fields["messages"], verbatim = _read_messages(extra.pop("messages"))
    if verbatim:
        extra[CONTENT_KEY] = verbatim
    if isinstance(extra.get("system"), list):
        system = extra.pop("system")
        if len(system) == 1 and system[0].keys() == {"text"}:
            fields["system"] = system[0]["text"]
        else:
            extra["system"] = system
            fields["system"] = "\n\n".join(b["text"] for b in system if "text" in b) or None
    if isinstance(extra.get("inferenceConfig"), Mapping):
        config = extra.pop("inferenceConfig")
        values, leftover = read_inference(config)
        fields.update(values)
        if leftover or not config:  # an empty object is sent back as it came
            extra["inferenceConfig"] = leftover
    if isinstance(extra.get("toolConfig"), Mapping):
        leftover = _read_tool_config(extra.pop("toolConfig"), fields)
        if leftover:
            extra["toolConfig"] = leftover
    if isinstance(extra.get("outputConfig"), Mapping):
        fields["response_format"], leftover = read_output_config(extra.pop("outputConfig"))
        if leftover:
            extra["outputConfig"] = leftover
    if isinstance(extra.get("requestMetadata"), Mapping):
        fields["metadata"] = dict(extra.pop("requestMetadata"))
    return ChatRequest(**fields, extra=extra)


def _read_tool_config(config: Mapping[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """Fill ``tools`` and ``tool_choice`` in ``fields``; what they cannot hold is returned."""
    leftover = dict(config)
    if isinstance(config.get("tools"), list):
        specs, raw = read_tools(leftover.pop("tools"))
        if raw:
            leftover["tools"] = raw
        # System tools alone are no function tools: leave ``tools`` unset, not empty.
        fields["tools"] = specs if specs or not raw else None
    if isinstance(config.get("toolChoice"), Mapping):
        choice = read_tool_choice(config["toolChoice"])
        if choice is not None:
            fields["tool_choice"] = choice
            del leftover["toolChoice"]
    return leftover


def _read_messages(raw: list[Mapping[str, Any]]) -> tuple[list[Message], list[list[Block]]]:
    """The neutral messages, and the content lists of those they cannot spell exactly."""
    messages: list[Message] = []
    verbatim: list[list[Block]] = []
    for item in raw:
        blocks = item["content"]
        parts = read_content(blocks)
        role: Role = item["role"]
        if role == "user" and any(isinstance(part, ToolResultPart) for part in parts):
            role = "tool"
        messages.append(Message(role=role, parts=parts))
        if not _spells(parts, blocks):
            verbatim.append(blocks)
    return messages, verbatim


def _spells(parts: list[Part], blocks: list[Block]) -> bool:
    """Whether encoding ``parts`` gives ``blocks`` back."""
    try:
        return encode_content(parts) == blocks
    except UnsupportedFeatureError:  # e.g. a document format with no media type
        return False
